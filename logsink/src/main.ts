/**
 * The local stack's access-log service: HAProxy sends every request's line here, over UDP syslog (format raw:
 * the datagram is the line) or over TCP from a `ring` (one line per message), this writes it to a
 * size-rotated, bounded file set on the host, and runs the access-log report on reportSchedule (under the
 * reports directory, mailed when SMTP is set). It listens on both, on the same port number.
 */
import * as dgram from "dgram";
import * as net from "net";
import { RING_SERVER_OPTIONS, RingConnections } from "./ringConnections";
import { RotatingLog, readLogDir } from "./rotatingLog";
import { LOG_DIR, READ_BATCH_MS, REPORT_DIR, STOP_DRAIN_MS, readSettings } from "./settings";
import { nextRun, parseSchedule, timerStep } from "./schedule";
import { pruneReports, writeReport } from "./report/write";

/**
 * A run starts this long after its window ends: HAProxy logs a request when it ends, so a request accepted just
 * before the end arrives a little later (a request longer than this, a long /load, is in no scheduled report).
 */
export const REPORT_GRACE_MS = 5000;

/** Reports kept under REPORT_DIR: a year of daily ones, and a short schedule cannot fill the volume. */
export const REPORTS_KEPT = 400;

const say = (what: string, extra: Record<string, unknown> = {}) =>
    process.stdout.write(JSON.stringify({ time: new Date().toISOString(), msg: what, ...extra }) + "\n");

function main(): void {
    const settings = readSettings(process.env);
    const log = new RotatingLog(LOG_DIR, settings.maxBytes, settings.files);
    const socket = dgram.createSocket({ type: "udp4", recvBufferSize: 4 * 1024 * 1024 });
    socket.on("message", (msg) => log.append(msg));
    socket.on("error", (err) => {
        say("syslog socket failed", { error: err.message });
        process.exit(1);
    });
    socket.bind(settings.port, () =>
        say("receiving", { port: settings.port, dir: LOG_DIR, maxBytes: settings.maxBytes, files: settings.files }),
    );
    const ring = new RingConnections(
        (line) => log.append(line),
        READ_BATCH_MS,
        (err) => say("log connection failed", { error: err.message }),
    );
    const tcp = net.createServer(RING_SERVER_OPTIONS, (conn) => ring.accept(conn));
    tcp.on("error", (err) => {
        say("log listener failed", { error: err.message });
        process.exit(1);
    });
    tcp.listen(settings.port);

    const interval = parseSchedule(settings.reportSchedule);
    const schedule = (): void => {
        if (interval === null) return;
        const at = nextRun(Date.now(), interval);
        const run = (): void => {
            log.flush();
            // Inside the chain: a log that cannot be read fails this run (logged), not the service.
            Promise.resolve()
                .then(() =>
                    writeReport({
                        prefix: settings.stack,
                        log: readLogDir(LOG_DIR),
                        from: at - interval,
                        to: at,
                        outDir: REPORT_DIR,
                        alertEmail: settings.alertEmail,
                        smtp: settings.smtp,
                    }),
                )
                .then((r) => {
                    say("report", {
                        file: r.htmlFile,
                        requests: r.report.total.requests,
                        malformed: r.report.malformed.count,
                        mailed: r.mailed ?? null,
                    });
                })
                .catch((err: Error) => say("report failed", { error: err.message }))
                .finally(() => {
                    // Also after a failed mail (the files are written before it): a short schedule stays bounded.
                    try {
                        pruneReports(REPORT_DIR, settings.stack, REPORTS_KEPT);
                    } catch (err) {
                        say("pruning reports failed", { error: (err as Error).message });
                    }
                    schedule();
                });
        };
        const wait = (): void => {
            const step = timerStep(Date.now(), at + REPORT_GRACE_MS);
            setTimeout(step.last ? run : wait, step.delayMs).unref();
        };
        wait();
    };
    schedule();
    say("report schedule", { reportSchedule: settings.reportSchedule });

    let stopping = false;
    const stop = () => {
        if (stopping) return;
        stopping = true;
        socket.close();
        tcp.close();
        // What waits in the connections' socket buffers (a paused batch) is read before the files are closed.
        ring.drain(STOP_DRAIN_MS, () => {
            log.close();
            say("stopped", { lines: log.lines, rotations: log.rotations });
            process.exit(0);
        });
    };
    process.on("SIGTERM", stop);
    process.on("SIGINT", stop);
}

main();
