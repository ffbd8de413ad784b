/**
 * One cell: one load against one target, measured once, and its Locust-shaped `_stats.csv`. The sweep's grid
 * and the bench's steady scenarios are made of these, so a figure means the same in both.
 */
import * as fs from "fs";
import * as path from "path";
import { StatsEntry, locustStatsCsv } from "./locustCsv";
import type { LoadFiguresWithClient, LoadSpec } from "./run";
import type { LoadFigures } from "./summary";

/** The sweep's cache axis: GET /data through the nodes' cache (on) or past it (off). */
export type CacheArm = "on" | "off";

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
    /**
     * The cell's `_stats.csv` in the run's directory; undefined when none was written: the cell was cut short
     * by Ctrl-C (not comparable with whole ones) or ran in worker threads (no exact times).
     */
    statsFile?: string;
}

/** What a cell loads: a LoadSpec whose connections are the cell's users, and what the cell is called. */
export interface CellPlan extends Omit<LoadSpec, "connections"> {
    users: number;
    instances: number;
    cache?: CacheArm;
    nodes: string[];
    /** Locust's Name of the requests; default: the first URL's path and query. */
    name?: string;
    /** File name of its `_stats.csv` (see {@link statsFileName}). */
    statsFile: string;
}

export interface CellDeps {
    load(spec: LoadSpec): Promise<LoadFiguresWithClient>;
    signal: AbortSignal;
    /** Where the `_stats.csv` goes (it exists). */
    outDir: string;
}

/** Where a run writes its files when not told: `<tool>-results/<UTC time>` (ignored by git). */
export function defaultOutDir(tool: string, now: Date): string {
    return `${tool}-results/${now.toISOString().replace(/[:.]/g, "-")}`;
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

/** The cell's one Locust entry; with one endpoint the Aggregated row holds the same figures. */
export function statsEntry(r: CellResult): StatsEntry {
    const f = r.figures;
    if (!f.times) throw new Error("a cell needs exact response times (autocannon in-process, not worker threads)");
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

/** Measures the cell and writes its `_stats.csv`, unless Ctrl-C cut it short or there are no exact times. */
export async function runCell(plan: CellPlan, deps: CellDeps): Promise<CellResult> {
    const { users, instances, cache, nodes, name, statsFile, ...spec } = plan;
    const figures = await deps.load({ ...spec, connections: users });
    const first = new URL(plan.urls[0]);
    const cell: CellResult = {
        users,
        instances,
        ...(cache ? { cache } : {}),
        nodes,
        method: "GET",
        name: name ?? first.pathname + first.search,
        figures,
    };
    if (deps.signal.aborted || !figures.times) return cell;
    const entry = statsEntry(cell);
    fs.writeFileSync(path.join(deps.outDir, statsFile), locustStatsCsv([entry], aggregated(entry)));
    return { ...cell, statsFile };
}
