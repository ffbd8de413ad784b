/**
 * What a sweep writes, as pure functions of its cells: file names, each cell's Locust entries, the summary CSV.
 */
import { csvLine, pyFloat, StatsEntry } from "../locustCsv";
import type { LoadFiguresWithClient } from "../run";
import type { LoadFigures } from "../summary";
import type { CacheArm } from "./flags";
import type { Cell } from "./knee";

export interface CellResult {
    users: number;
    instances: number;
    cache?: CacheArm;
    /** The nodes that were running (checked) while it ran; empty with --url. */
    nodes: string[];
    /** Method and Locust Name of what was requested, e.g. GET "/data?key=[key]". */
    method: string;
    name: string;
    figures: LoadFiguresWithClient;
    statsFile: string;
}

/** `<prefix>_u<users>_i<instances>[_cache-<arm>]_stats.csv`, as Locust's `--csv <prefix>_u.._i..` names it. */
export function statsFileName(prefix: string, c: { users: number; instances: number; cache?: CacheArm }): string {
    return `${prefix}_u${c.users}_i${c.instances}${c.cache ? `_cache-${c.cache}` : ""}_stats.csv`;
}

/** Every finished request (answered, whatever the status, or failed at the socket), as Locust counts them. */
export function requestCount(f: LoadFigures): number {
    return f.requests + f.errors;
}

/** Requests per second the Locust way: all finished requests over the run's duration. */
export function requestsPerSecond(f: LoadFigures): number {
    return f.durationS > 0 ? requestCount(f) / f.durationS : 0;
}

/** HIT / (HIT + MISS); undefined when no answer said either. */
export function hitRatio(f: LoadFigures): number | undefined {
    const hit = f.cache.HIT ?? 0;
    const miss = f.cache.MISS ?? 0;
    return hit + miss ? hit / (hit + miss) : undefined;
}

/** The cell's one Locust entry; with one endpoint the Aggregated row holds the same figures. */
export function statsEntry(r: CellResult): StatsEntry {
    const f = r.figures;
    if (!f.times)
        throw new Error("a sweep cell needs exact response times (autocannon in-process, not worker threads)");
    return {
        method: r.method,
        name: r.name,
        requests: requestCount(f),
        failures: f.failed,
        contentBytes: f.contentBytes,
        durationS: f.durationS,
        times: f.times,
    };
}

export function aggregated(e: StatsEntry): StatsEntry {
    return { ...e, method: "", name: "Aggregated" };
}

export function knee(r: CellResult): Cell {
    return {
        users: r.users,
        instances: r.instances,
        ...(r.cache ? { cache: r.cache } : {}),
        rps: requestsPerSecond(r.figures),
        p95Ms: r.figures.p95Ms ?? NaN,
    };
}

export const SUMMARY_HEADER = [
    "users",
    "instances",
    "cache",
    "requests",
    "failures",
    "requests_per_s",
    "p50_ms",
    "p95_ms",
    "p99_ms",
    "max_ms",
    "mean_ms",
    "failure_ratio",
    "cache_hit_ratio",
    "client_cpu_percent",
    "nodes",
    "stats_file",
] as const;

const ms = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? "" : v.toFixed(3));

export function summaryCsv(cells: CellResult[]): string {
    const rows = cells.map((r) => {
        const f = r.figures;
        const n = requestCount(f);
        const hits = hitRatio(f);
        return [
            r.users,
            r.instances,
            r.cache ?? "",
            n,
            f.failed,
            pyFloat(requestsPerSecond(f)),
            ms(f.p50Ms),
            ms(f.p95Ms),
            ms(f.p99Ms),
            ms(f.maxMs),
            ms(f.times?.meanMs),
            n ? (f.failed / n).toFixed(6) : "",
            hits === undefined ? "" : hits.toFixed(6),
            f.clientCpuPercent,
            r.nodes.join(" "),
            r.statsFile,
        ];
    });
    return [[...SUMMARY_HEADER], ...rows].map(csvLine).join("");
}
