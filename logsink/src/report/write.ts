/**
 * One access-log report: the log's text parsed and aggregated over [from, to), written as HTML + JSON under a
 * reports directory and mailed when SMTP is set. `npm run report` (scripts/report/run.ts) and the stack's
 * schedule (logsink/src/main.ts) both make their reports here.
 */
import * as fs from "fs";
import * as path from "path";
import { parseAccessLog } from "./accessLog";
import { AccessReport, aggregateAccessLog } from "./aggregate";
import { renderReportHtml } from "./html";
import { SmtpSettings, sendMail } from "./mail";

export interface ReportInput {
    /** The stack's prefix (cloudlab-<stack>): in the title and the file names. */
    prefix: string;
    log: string;
    from: number;
    to: number;
    outDir: string;
    /** Mail it here through `smtp` when both are set. */
    alertEmail: string;
    smtp?: SmtpSettings;
}

export interface ReportResult {
    report: AccessReport;
    htmlFile: string;
    jsonFile: string;
    /** The SMTP server's message id when mailed. */
    mailed?: string;
}

export const REPORT_FILE_PREFIX = "access-report-";

export async function writeReport(input: ReportInput): Promise<ReportResult> {
    const report = aggregateAccessLog(parseAccessLog(input.log), input.from, input.to);
    fs.mkdirSync(input.outDir, { recursive: true });
    const stamp = new Date(input.to).toISOString().replace(/[:.]/g, "-");
    const base = path.join(input.outDir, `${REPORT_FILE_PREFIX}${input.prefix}-${stamp}`);
    const title = `cloudlab access report: ${input.prefix}, ${report.from} to ${report.to}`;
    const html = renderReportHtml(report, title);
    const json = JSON.stringify(report, null, 2) + "\n";
    fs.writeFileSync(`${base}.html`, html);
    fs.writeFileSync(`${base}.json`, json);
    const result: ReportResult = { report, htmlFile: `${base}.html`, jsonFile: `${base}.json` };
    if (input.smtp && input.smtp.host !== "" && input.alertEmail !== "") {
        result.mailed = await sendMail(input.smtp, {
            to: input.alertEmail,
            subject: `${title}: ${report.total.requests} requests, ${report.total.errors} 5xx`,
            html,
            attachments: [{ filename: path.basename(`${base}.json`), content: json }],
        });
    }
    return result;
}

/**
 * Removes all but the newest `keep` reports of one stack (by name: the stamp sorts by time) from a directory;
 * other stacks' reports and other files there are left alone.
 */
export function pruneReports(outDir: string, prefix: string, keep: number): string[] {
    const own = `${REPORT_FILE_PREFIX}${prefix}-`;
    const reports = fs
        .readdirSync(outDir)
        .filter((f) => f.startsWith(own) && /^\d{4}-/.test(f.slice(own.length)) && /\.(html|json)$/.test(f))
        .map((f) => f.replace(/\.(html|json)$/, ""));
    const bases = [...new Set(reports)].sort();
    const gone = bases.slice(0, Math.max(0, bases.length - keep));
    for (const b of gone)
        for (const ext of [".html", ".json"]) fs.rmSync(path.join(outDir, `${b}${ext}`), { force: true });
    return gone;
}
