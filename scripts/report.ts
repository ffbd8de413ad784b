/**
 * `npm run report -- --since 24h [-s|--stack local] [--out reports]`: the balancer's access-log report (seed 000)
 * of a local stack, as HTML and JSON under --out, mailed to alertEmail when the stack sets smtpHost.
 *
 * Settings come from Pulumi.<stack>.yaml (scripts/lib/stackFile.ts); the SMTP password from CLOUDLAB_SMTP_PASSWORD.
 */
import * as path from "path";
import { stackPrefix } from "../components/shared/naming";
import { REPORTS_DIR } from "../components/local/names";
import { smtpSettings } from "../components/render/alertmanagerConfig";
import { parseSince } from "./report/since";
import { onPlatform } from "../components/config/validate";
import { stackConfig } from "./lib/stackFile";
import { reportFlags } from "./report/flags";
import { runReport } from "./report/run";

async function main(argv: string[]): Promise<void> {
    const f = reportFlags(argv);
    const sinceMs = parseSince(f.since);
    const stack = f.stack;
    const cfg = onPlatform(stackConfig(stack), "local");
    const result = await runReport({
        prefix: stackPrefix(stack),
        sinceMs,
        outDir: path.resolve(f.out ?? REPORTS_DIR),
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
