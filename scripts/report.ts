/**
 * `npm run report -- --since 24h [--stack local] [--out reports]`: the balancer's access-log report (seed 000)
 * of a local stack, as HTML and JSON under --out, mailed to alertEmail when the stack sets smtpHost.
 *
 * Settings come from Pulumi.<stack>.yaml (validated like `pulumi up` does); smtpPassword is a secret there
 * (encrypted), so the report takes it from CLOUDLAB_SMTP_PASSWORD.
 */
import * as fs from "fs";
import * as path from "path";
import YAML from "yaml";
import { NAMESPACE } from "../components/config/load";
import { CloudlabConfig, RawConfig, validateConfig } from "../components/config/validate";
import { stackPrefix } from "../components/naming";
import { smtpSettings } from "../components/render/alertmanagerConfig";
import { parseSince } from "../components/report/since";
import { REPO } from "./lib/repo";
import { runReport } from "./report/run";

const USAGE = "usage: npm run report -- --since <duration, e.g. 24h> [--stack <name>] [--out <dir>]";

function flags(argv: string[]): Record<string, string> {
    const out: Record<string, string> = {};
    for (let i = 0; i < argv.length; i++) {
        const m = /^--(since|stack|out)$/.exec(argv[i]);
        if (!m || argv[i + 1] === undefined) throw new Error(`${JSON.stringify(argv[i])} is not understood\n${USAGE}`);
        out[m[1]] = argv[++i];
    }
    return out;
}

/** The stack's settings as its stack file gives them (secure values left out: they are encrypted there). */
function stackConfig(stack: string): CloudlabConfig {
    const file = path.join(REPO, `Pulumi.${stack}.yaml`);
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

async function main(argv: string[]): Promise<void> {
    const f = flags(argv);
    if (f.since === undefined) throw new Error(USAGE);
    const sinceMs = parseSince(f.since);
    const stack = f.stack ?? "local";
    const cfg = stackConfig(stack);
    const result = await runReport({
        prefix: stackPrefix(stack),
        sinceMs,
        outDir: path.resolve(f.out ?? path.join(REPO, "reports")),
        alertEmail: cfg.alertEmail,
        smtp: smtpSettings(cfg),
    });
    const t = result.report.total;
    process.stdout.write(
        `${t.requests} requests, ${t.errors} 5xx, p95 ${t.latencyMs.p95 ?? "-"} ms, ${result.report.malformed.count} malformed lines\n` +
            `${result.htmlFile}\n${result.jsonFile}\n` +
            (result.mailed ? `mailed to ${cfg.alertEmail} (${result.mailed})\n` : "not mailed (no smtpHost)\n"),
    );
}

main(process.argv.slice(2)).catch((err: Error) => {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
});
