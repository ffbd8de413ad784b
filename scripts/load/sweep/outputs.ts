/**
 * What a sweep writes beside its cells' `_stats.csv` (../cell.ts), as pure functions of them: the summary CSV
 * and the knee's view of each cell.
 */
import { CellResult, requestCount, requestsPerSecond } from "../cell";
import { csvLine, pyFloat } from "../locustCsv";
import type { LoadFigures } from "../summary";
import type { Cell } from "./knee";

/** HIT / (HIT + MISS); undefined when no answer said either. */
export function hitRatio(f: LoadFigures): number | undefined {
    const hit = f.cache.HIT ?? 0;
    const miss = f.cache.MISS ?? 0;
    return hit + miss ? hit / (hit + miss) : undefined;
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
            r.statsFile ?? "",
        ];
    });
    return [[...SUMMARY_HEADER], ...rows].map(csvLine).join("");
}
