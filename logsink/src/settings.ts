/**
 * The access-log service's settings, from its container's environment. The stack
 * (components/local/accessLog.ts) writes that environment with {@link logsinkEnvironment}, so the
 * names live here only. A bad value stops the service at start with a message naming the variable and value.
 */
import type { SmtpSettings } from "./report/mail";
import { parseSchedule } from "./schedule";

export interface LogsinkSettings {
    /** The stack prefix: in the reports' titles and names. */
    stack: string;
    /** UDP port the syslog receiver listens on. */
    port: number;
    /** Bytes per log file before it is rotated, and files kept (the current one included). */
    maxBytes: number;
    files: number;
    /** reportSchedule as configured (`off` or an interval, logsink/src/schedule.ts). */
    reportSchedule: string;
    alertEmail: string;
    smtp: SmtpSettings;
}

/** Where the service keeps the log and the reports inside its container (one volume mounted at DATA_DIR). */
export const DATA_DIR = "/var/lib/cloudlab";
export const LOG_DIR = `${DATA_DIR}/access-log`;
export const REPORT_DIR = `${DATA_DIR}/reports`;
/** The container's syslog port: unprivileged, the service does not run as root. */
export const SYSLOG_PORT = 5140;

/**
 * How long a ring connection rests between reads (logsink/src/batchedReads.ts): tens of wake-ups a second
 * instead of one per line; a line reaches its file at most this much (plus the file's flush) later.
 */
export const READ_BATCH_MS = 20;
/** On SIGTERM, the time given to read what the connections still buffer before the files are closed. */
export const STOP_DRAIN_MS = 200;

/**
 * The most access log kept, accessLogFiles x accessLogMaxMb: a report reads the whole kept log into memory (one
 * string per file, then an entry per line), and Node's strings end at 512 MB.
 */
export const ACCESS_LOG_TOTAL_MAX_MB = 128;

/** Environment variable -> meaning; the container gets exactly these. */
export const ENV = {
    stack: "LOGSINK_STACK",
    port: "LOGSINK_PORT",
    maxBytes: "LOGSINK_MAX_BYTES",
    files: "LOGSINK_FILES",
    reportSchedule: "LOGSINK_REPORT_SCHEDULE",
    alertEmail: "LOGSINK_ALERT_EMAIL",
    smtpHost: "LOGSINK_SMTP_HOST",
    smtpPort: "LOGSINK_SMTP_PORT",
    smtpTls: "LOGSINK_SMTP_TLS",
    smtpUser: "LOGSINK_SMTP_USER",
    smtpPassword: "LOGSINK_SMTP_PASSWORD",
    smtpFrom: "LOGSINK_SMTP_FROM",
} as const;

/** The settings as the container's environment. */
export function logsinkEnvironment(s: LogsinkSettings): string[] {
    const values: Record<keyof typeof ENV, string | number> = {
        stack: s.stack,
        port: s.port,
        maxBytes: s.maxBytes,
        files: s.files,
        reportSchedule: s.reportSchedule,
        alertEmail: s.alertEmail,
        smtpHost: s.smtp.host,
        smtpPort: s.smtp.port,
        smtpTls: s.smtp.tls,
        smtpUser: s.smtp.user,
        smtpPassword: s.smtp.password,
        smtpFrom: s.smtp.from,
    };
    return (Object.keys(ENV) as Array<keyof typeof ENV>).map((k) => `${ENV[k]}=${values[k]}`);
}

/** Reads what {@link logsinkEnvironment} wrote; throws naming the variable and its value. */
export function readSettings(env: NodeJS.ProcessEnv): LogsinkSettings {
    const text = (k: keyof typeof ENV): string => {
        const v = env[ENV[k]];
        if (v === undefined) throw new Error(`${ENV[k]} is not set`);
        return v;
    };
    const int = (k: keyof typeof ENV, min: number): number => {
        const v = text(k);
        if (!/^\d+$/.test(v) || Number(v) < min)
            throw new Error(`${ENV[k]}=${JSON.stringify(v)}: expected a whole number >= ${min}`);
        return Number(v);
    };
    const schedule = text("reportSchedule");
    parseSchedule(schedule);
    const tls = text("smtpTls");
    if (tls !== "starttls" && tls !== "none")
        throw new Error(`${ENV.smtpTls}=${JSON.stringify(tls)}: expected starttls or none`);
    return {
        stack: text("stack"),
        port: int("port", 1),
        maxBytes: int("maxBytes", 1),
        files: int("files", 1),
        reportSchedule: schedule,
        alertEmail: text("alertEmail"),
        smtp: {
            host: text("smtpHost"),
            port: int("smtpPort", 1),
            tls,
            user: text("smtpUser"),
            password: text("smtpPassword"),
            from: text("smtpFrom"),
        },
    };
}
