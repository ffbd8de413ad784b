/**
 * A stack's settings as its stack file (Pulumi.<stack>.yaml) gives them, validated like `pulumi up` does, for
 * the scripts that run beside a stack (report) without the Pulumi CLI. Secure values are encrypted
 * there: smtpPassword comes from CLOUDLAB_SMTP_PASSWORD instead.
 */
import * as fs from "fs";
import * as path from "path";
import YAML from "yaml";
import { checkedStackName } from "../../cli/stackName";
import { NAMESPACE } from "../../components/config/load";
import { CloudlabConfig, RawConfig, validateConfig } from "../../components/config/validate";
import { REPO } from "../../lib/repo";

export function stackConfig(stack: string): CloudlabConfig {
    const file = path.join(REPO, `Pulumi.${checkedStackName(stack)}.yaml`);
    const raw: RawConfig = {};
    if (fs.existsSync(file)) {
        const config: Record<string, unknown> = YAML.parse(fs.readFileSync(file, "utf8"))?.config ?? {};
        for (const [k, v] of Object.entries(config)) {
            if (!k.startsWith(`${NAMESPACE}:`) || (typeof v === "object" && v !== null && "secure" in v)) continue;
            raw[k.slice(NAMESPACE.length + 1)] = typeof v === "string" ? v : JSON.stringify(v);
        }
    }
    raw.smtpPassword = process.env.CLOUDLAB_SMTP_PASSWORD ?? raw.smtpPassword;
    return validateConfig(raw);
}
