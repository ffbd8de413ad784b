import { AccessLogEntry, NO_SERVER, ParsedLog } from "./accessLog";

/** Requests, errors and latency of one group of requests (a node, a status class, a path, everything). */
export interface GroupStats {
    requests: number;
    /** Answers with a 5xx status (the node's or the balancer's own). */
    errors: number;
    /** Percentiles of HAProxy's total active time (ms); null without a timed request. */
    latencyMs: { p50: number | null; p95: number | null; p99: number | null; max: number | null };
}

export interface AccessReport {
    /** The window the report covers (ISO, UTC). */
    from: string;
    to: string;
    total: GroupStats;
    /** By the node that answered; "balancer (no node)" for HAProxy's own answers. */
    byNode: Record<string, GroupStats>;
    byStatusClass: Record<string, GroupStats>;
    /** The busiest MAX_PATHS paths; the rest under OTHER_PATHS. */
    byPath: Record<string, GroupStats>;
    /** Requests and errors of every minute with traffic, in time order (the chart). */
    minutes: Array<{ minute: string; requests: number; errors: number }>;
    /** The BUSIEST_MINUTES minutes with the most requests, busiest first. */
    busiestMinutes: Array<{ minute: string; requests: number; errors: number }>;
    malformed: { count: number; examples: Array<{ line: number; text: string; reason: string }> };
    /** Lines of the balancer's own messages, skipped. */
    otherLines: number;
}

export const NO_NODE = "balancer (no node)";
export const MAX_PATHS = 20;
export const OTHER_PATHS = "(other paths)";
export const BUSIEST_MINUTES = 5;
const MALFORMED_EXAMPLES = 10;

/** Nearest-rank percentile of sorted values: the smallest value with at least p% of the values at or below it. */
export function percentile(sorted: number[], p: number): number | null {
    if (sorted.length === 0) return null;
    const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
    return sorted[rank - 1];
}

function stats(entries: AccessLogEntry[]): GroupStats {
    const timed = entries
        .map((e) => e.timers.total)
        .filter((t) => t >= 0)
        .sort((a, b) => a - b);
    return {
        requests: entries.length,
        errors: entries.filter(isError).length,
        latencyMs: {
            p50: percentile(timed, 50),
            p95: percentile(timed, 95),
            p99: percentile(timed, 99),
            max: timed.length ? timed[timed.length - 1] : null,
        },
    };
}

const isError = (e: AccessLogEntry): boolean => e.status >= 500;

export const statusClass = (status: number): string =>
    status >= 100 && status <= 599 ? `${Math.floor(status / 100)}xx` : "no answer";

function groupBy(entries: AccessLogEntry[], key: (e: AccessLogEntry) => string): Map<string, AccessLogEntry[]> {
    const groups = new Map<string, AccessLogEntry[]>();
    for (const e of entries) {
        const k = key(e);
        const list = groups.get(k);
        if (list) list.push(e);
        else groups.set(k, [e]);
    }
    return groups;
}

const statsOf = (groups: Map<string, AccessLogEntry[]>): Record<string, GroupStats> =>
    Object.fromEntries([...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, es]) => [k, stats(es)]));

/** The report of the requests accepted in [from, to) (ms since the epoch). */
export function aggregateAccessLog(log: ParsedLog, from: number, to: number): AccessReport {
    const entries = log.entries.filter((e) => e.at >= from && e.at < to);
    const byPath = groupBy(entries, (e) => e.path);
    const ranked = [...byPath.entries()].sort(([a, x], [b, y]) => y.length - x.length || a.localeCompare(b));
    const kept = new Map(ranked.slice(0, MAX_PATHS));
    const rest = ranked.slice(MAX_PATHS).flatMap(([, es]) => es);
    if (rest.length > 0) kept.set(OTHER_PATHS, rest);

    const perMinute = groupBy(entries, (e) => new Date(e.at - (e.at % 60_000)).toISOString().slice(0, 16) + "Z");
    const minutes = [...perMinute.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([minute, es]) => ({ minute, requests: es.length, errors: es.filter(isError).length }));
    const busiestMinutes = [...minutes]
        .sort((a, b) => b.requests - a.requests || a.minute.localeCompare(b.minute))
        .slice(0, BUSIEST_MINUTES);

    return {
        from: new Date(from).toISOString(),
        to: new Date(to).toISOString(),
        total: stats(entries),
        byNode: statsOf(groupBy(entries, (e) => (e.server === NO_SERVER ? NO_NODE : e.server))),
        byStatusClass: statsOf(groupBy(entries, (e) => statusClass(e.status))),
        byPath: Object.fromEntries([...kept.entries()].map(([k, es]) => [k, stats(es)])),
        minutes,
        busiestMinutes,
        malformed: { count: log.malformed.length, examples: log.malformed.slice(0, MALFORMED_EXAMPLES) },
        otherLines: log.otherLines,
    };
}
