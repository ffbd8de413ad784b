/**
 * The access-log report of one stack: the balancer's log since a moment, read from the stack's access-log files
 * on this host (accessLogDir, written by the access-log service from HAProxy's log ring), or, for a stack from
 * before that service, from the balancer container's Docker log; parsed, aggregated, written as HTML + JSON
 * under a reports directory, and mailed when the stack has SMTP settings.
 */
import * as fs from "fs";
import { accessLogDir, balancerContainerName } from "../../components/local/names";
import { docker } from "../../engine";
import { demuxDockerLog } from "./dockerLog";
import type { SmtpSettings } from "../../logsink/src/report/mail";
import { ReportResult, writeReport } from "../../logsink/src/report/write";
import { logFileRank, readLogDir } from "../../logsink/src/rotatingLog";

export interface ReportRun {
    /** The stack's prefix (cloudlab-<stack>). */
    prefix: string;
    sinceMs: number;
    outDir: string;
    /** Mail it here through `smtp` when both are set. */
    alertEmail: string;
    smtp?: SmtpSettings;
    now?: number;
    /** Where the stack's access-log files are (default: accessLogDir of the prefix). */
    logDir?: string;
}

export type { ReportResult };

/** The balancer container's Docker log since `from` (ms): the access log of a stack without the service. */
export async function balancerDockerLog(prefix: string, from: number): Promise<string> {
    const name = balancerContainerName(prefix);
    const container = docker().getContainer(name);
    await container.inspect().catch((err: Error) => {
        throw new Error(
            `no access-log files in ${accessLogDir(prefix)} and no balancer container ${name} (${err.message.trim()}): is the stack up? (--stack <name>)`,
        );
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

/** The stack's access log: its files when it has any, else the balancer's Docker log (the old path). */
export async function stackAccessLog(prefix: string, from: number, logDir = accessLogDir(prefix)): Promise<string> {
    const hasFiles = fs.existsSync(logDir) && fs.readdirSync(logDir).some((f) => logFileRank(f) !== undefined);
    return hasFiles ? readLogDir(logDir) : balancerDockerLog(prefix, from);
}

export async function runReport(run: ReportRun): Promise<ReportResult> {
    const now = run.now ?? Date.now();
    const from = now - run.sinceMs;
    return writeReport({
        prefix: run.prefix,
        log: await stackAccessLog(run.prefix, from, run.logDir),
        from,
        to: now,
        outDir: run.outDir,
        alertEmail: run.alertEmail,
        smtp: run.smtp,
    });
}
