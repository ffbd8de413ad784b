/**
 * pino writing JSON lines to stdout, where Docker's log driver picks them up.
 * Synchronous writes: lifecycle events are few, and async buffering could lose
 * the last lines (the drain report) when a process calls process.exit().
 */
import pino, { DestinationStream, Logger } from "pino";
import type { LogLevel } from "./config";

export function createLogger(level: LogLevel, base: Record<string, unknown>, destination?: DestinationStream): Logger {
    return pino(
        {
            level,
            base: { pid: process.pid, ...base },
            timestamp: pino.stdTimeFunctions.isoTime,
            formatters: { level: (label) => ({ level: label }) },
        },
        destination ?? pino.destination({ dest: 1, sync: true }),
    );
}
