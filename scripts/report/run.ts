/**
 * The access-log report of one stack: the balancer's log since a moment, read from its container (Docker's
 * json-file log), parsed, aggregated, written as HTML + JSON under a reports directory, and mailed when the
 * stack has SMTP settings.
 */
import * as fs from "fs";
import * as path from "path";
import { parseAccessLog } from "../../components/report/accessLog";
import { AccessReport, aggregateAccessLog } from "../../components/report/aggregate";
import { demuxDockerLog } from "../../components/report/dockerLog";
import { renderReportHtml } from "../../components/report/html";
import { sendMail } from "../../components/report/mail";
import type { SmtpSettings } from "../../components/render/alertmanagerConfig";
import { balancerContainerName } from "../../components/naming";
import { docker } from "../../engine";

export interface ReportRun {
    /** The stack's prefix (cloudlab-<stack>). */
    prefix: string;
    sinceMs: number;
    outDir: string;
    /** Mail it here through `smtp` when both are set. */
    alertEmail: string;
    smtp?: SmtpSettings;
    now?: number;
}

export interface ReportResult {
    report: AccessReport;
    htmlFile: string;
    jsonFile: string;
    /** The SMTP server's message id when mailed. */
    mailed?: string;
}

/** The balancer's log lines accepted since `from` (ms), as text. */
export async function balancerLog(prefix: string, from: number): Promise<string> {
    const name = balancerContainerName(prefix);
    const container = docker().getContainer(name);
    await container.inspect().catch((err: Error) => {
        throw new Error(`no balancer container ${name} (${err.message.trim()}): is the stack up? (--stack <name>)`);
    });
    // A second earlier: Docker's `since` is whole seconds, the report filters on the exact accept time.
    const raw = (await container.logs({
        stdout: true,
        stderr: true,
        since: Math.floor(from / 1000) - 1,
        follow: false,
    })) as unknown as Buffer;
    return demuxDockerLog(raw);
}

export async function runReport(run: ReportRun): Promise<ReportResult> {
    const now = run.now ?? Date.now();
    const from = now - run.sinceMs;
    const log = parseAccessLog(await balancerLog(run.prefix, from));
    const report = aggregateAccessLog(log, from, now);
    fs.mkdirSync(run.outDir, { recursive: true });
    const stamp = new Date(now).toISOString().replace(/[:.]/g, "-");
    const base = path.join(run.outDir, `access-report-${run.prefix}-${stamp}`);
    const title = `cloudlab access report: ${run.prefix}, ${report.from} to ${report.to}`;
    const html = renderReportHtml(report, title);
    const json = JSON.stringify(report, null, 2) + "\n";
    fs.writeFileSync(`${base}.html`, html);
    fs.writeFileSync(`${base}.json`, json);
    const result: ReportResult = { report, htmlFile: `${base}.html`, jsonFile: `${base}.json` };
    if (run.smtp && run.smtp.host !== "" && run.alertEmail !== "") {
        result.mailed = await sendMail(run.smtp, {
            to: run.alertEmail,
            subject: `${title}: ${report.total.requests} requests, ${report.total.errors} 5xx`,
            html,
            attachments: [{ filename: path.basename(`${base}.json`), content: json }],
        });
    }
    return result;
}
