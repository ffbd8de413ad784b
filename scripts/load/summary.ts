/**
 * Turns an autocannon result into the figures the table and the JSON carry. Pure, so what "failed" means is
 * pinned down by unit tests rather than by reading autocannon's source again.
 */
import type autocannon from "autocannon";
import { LatencyHistogram, LatencySummary } from "./histogram";
import { LOCUST_PERCENTILES } from "./locustCsv";

/** What the engine saw response by response (autocannon in this process, not in worker threads). */
export interface ExactObservations {
    times: LatencyHistogram;
    /** Body bytes of every answer (run.ts bodyBytes: Content-Length, else the chunked body), as Locust counts them. */
    contentBytes: number;
    /** `X-Cache` value -> answers. */
    cache: Record<string, number>;
}

export interface LoadFigures {
    /** Responses received, whatever their status. */
    requests: number;
    durationS: number;
    /** autocannon's mean of its per-second samples ("Req/Sec Avg"). */
    rps: number;
    /**
     * Latency percentiles in ms: from the engine's HDR histogram of exact times (microseconds), or, with
     * autocannon worker threads, autocannon's own histogram of whole milliseconds (`timesSource` says which).
     */
    p50Ms: number;
    /** Only from the HDR histogram: autocannon's own percentile set has no 95th. */
    p95Ms?: number;
    p99Ms: number;
    maxMs: number;
    timesSource: "hdr-us" | "autocannon-ms";
    /** Every Locust percentile and the mean/min/max of answered requests; undefined with worker threads. */
    times?: LatencySummary;
    contentBytes: number;
    /** `X-Cache` value -> answers, when counted. */
    cache: Record<string, number>;
    non2xx: number;
    /** Socket errors, timeouts included (autocannon counts a timeout as an error too). */
    errors: number;
    timeouts: number;
    /** autocannon's request-pipeline resets (only with setupRequest; 0 here), kept because it is in the result. */
    resets: number;
    /** non-2xx + errors: every request a user would have seen fail. Timeouts are inside errors, not added twice. */
    failed: number;
    /**
     * Requests written but neither answered nor errored when the load stopped, beyond the at most one in flight
     * per connection: autocannon silently re-sends on a connection the server closed (FIN), so this is where
     * such a loss would show.
     */
    unanswered: number;
    statusCodes: Record<string, number>;
    /** Error codes (ECONNRESET, ETIMEDOUT...) seen by the load; empty with worker threads (not reported). */
    errorCodes: Record<string, number>;
}

export function summarise(
    r: autocannon.Result,
    errorCodes: Record<string, number> = {},
    exact?: ExactObservations,
): LoadFigures {
    const answered = r["1xx"] + r["2xx"] + r["3xx"] + r["4xx"] + r["5xx"];
    const statusCodes: Record<string, number> = {};
    for (const [code, stat] of Object.entries(r.statusCodeStats ?? {})) statusCodes[code] = stat?.count ?? 0;
    const inFlightBound = r.connections * Math.max(1, r.pipelining ?? 1);
    return {
        requests: answered,
        durationS: r.duration,
        rps: r.requests.average,
        ...(exact
            ? {
                  p50Ms: exact.times.percentileMs(50),
                  p95Ms: exact.times.percentileMs(95),
                  p99Ms: exact.times.percentileMs(99),
                  maxMs: exact.times.max,
                  timesSource: "hdr-us" as const,
                  times: exact.times.summary(LOCUST_PERCENTILES),
              }
            : {
                  p50Ms: r.latency.p50,
                  p99Ms: r.latency.p99,
                  maxMs: r.latency.max,
                  timesSource: "autocannon-ms" as const,
              }),
        contentBytes: exact?.contentBytes ?? 0,
        cache: { ...(exact?.cache ?? {}) },
        non2xx: r.non2xx,
        errors: r.errors,
        timeouts: r.timeouts,
        resets: r.resets,
        failed: r.non2xx + r.errors,
        unanswered: Math.max(0, (r.requests.sent ?? 0) - answered - r.errors - inFlightBound),
        statusCodes,
        errorCodes: { ...errorCodes },
    };
}

/** The error code of a request error event: the socket's code, or "timeout" (autocannon's own timer). */
export function errorCode(err: unknown): string {
    const e = err as { code?: unknown; message?: unknown } | undefined;
    if (e && typeof e.code === "string" && e.code) return e.code;
    if (e && typeof e.message === "string" && /timed out/i.test(e.message)) return "timeout";
    return "other";
}

export function describeFailures(f: LoadFigures): string {
    if (f.failed === 0) return "none";
    const parts: string[] = [];
    const bad = Object.entries(f.statusCodes).filter(([code]) => !code.startsWith("2"));
    if (bad.length) parts.push(bad.map(([code, n]) => `${n}× ${code}`).join(", "));
    const codes = Object.entries(f.errorCodes);
    if (codes.length) parts.push(codes.map(([code, n]) => `${n}× ${code}`).join(", "));
    else if (f.errors) parts.push(`${f.errors} errors (${f.timeouts} timeouts)`);
    return parts.join("; ");
}
