/**
 * Where scaling out, or caching, stops paying. Pure functions over the sweep's cells.
 *
 * The knee, per user count (and cache arm): walk the measured instance counts upwards; a step from i to j
 * nodes pays when, per node added, it cuts p95 by at least `minGain` (1 - p95_j / p95_i, over j - i) or raises
 * throughput by at least `minGain` (rps_j / rps_i - 1, over j - i). The knee is the instance count of the
 * first step that does not pay: beyond it one more node buys less than the gain asked for. When every step
 * pays the knee is not reached within the counts measured.
 */

export interface Cell {
    users: number;
    instances: number;
    /** The cache arm, when the sweep had that axis. */
    cache?: "on" | "off";
    rps: number;
    p95Ms: number;
}

export interface Step {
    from: number;
    to: number;
    /** Relative gains per added node; NaN when the base is 0. */
    rpsGain: number;
    p95Gain: number;
    pays: boolean;
}

export interface Knee {
    users: number;
    cache?: "on" | "off";
    /** Instance count beyond which one more node does not pay; undefined when not reached. */
    knee?: number;
    steps: Step[];
}

export function step(a: Cell, b: Cell, minGain: number): Step {
    const nodes = b.instances - a.instances;
    const rpsGain = a.rps > 0 ? (b.rps / a.rps - 1) / nodes : NaN;
    const p95Gain = a.p95Ms > 0 ? (1 - b.p95Ms / a.p95Ms) / nodes : NaN;
    return { from: a.instances, to: b.instances, rpsGain, p95Gain, pays: rpsGain >= minGain || p95Gain >= minGain };
}

/** One Knee per (users, cache arm), in order of users then arm. */
export function findKnees(cells: Cell[], minGain: number): Knee[] {
    const groups = new Map<string, Cell[]>();
    for (const c of cells) {
        const k = `${c.users}|${c.cache ?? ""}`;
        groups.set(k, [...(groups.get(k) ?? []), c]);
    }
    const knees: Knee[] = [];
    for (const group of groups.values()) {
        const sorted = [...group].sort((a, b) => a.instances - b.instances);
        const steps = sorted.slice(1).map((c, i) => step(sorted[i], c, minGain));
        const first = steps.find((s) => !s.pays);
        knees.push({
            users: sorted[0].users,
            ...(sorted[0].cache ? { cache: sorted[0].cache } : {}),
            ...(first ? { knee: first.from } : {}),
            steps,
        });
    }
    return knees.sort((a, b) => a.users - b.users || (a.cache ?? "").localeCompare(b.cache ?? ""));
}

export interface CacheVsNode {
    users: number;
    /** Nodes with the cache on... */
    instances: number;
    /** ...against the next measured count with it off. */
    nodeInstances: number;
    cacheP95Ms: number;
    nodeP95Ms: number;
    cacheRps: number;
    nodeRps: number;
    /** Which buys the lower p95 (the question of seed 001); ties go to "node" (no cache to keep coherent). */
    p95Winner: "cache" | "node";
    rpsWinner: "cache" | "node";
}

/**
 * Seed 001's question: at which load does the cache beat adding a node? For each user count and each
 * instance count i measured with the cache on, against the next larger count measured with it off.
 */
export function cacheVsNode(cells: Cell[]): CacheVsNode[] {
    const on = cells.filter((c) => c.cache === "on");
    const off = cells.filter((c) => c.cache === "off");
    const out: CacheVsNode[] = [];
    for (const c of on) {
        const bigger = off
            .filter((o) => o.users === c.users && o.instances > c.instances)
            .sort((a, b) => a.instances - b.instances)[0];
        if (!bigger) continue;
        out.push({
            users: c.users,
            instances: c.instances,
            nodeInstances: bigger.instances,
            cacheP95Ms: c.p95Ms,
            nodeP95Ms: bigger.p95Ms,
            cacheRps: c.rps,
            nodeRps: bigger.rps,
            p95Winner: c.p95Ms < bigger.p95Ms ? "cache" : "node",
            rpsWinner: c.rps > bigger.rps ? "cache" : "node",
        });
    }
    return out.sort((a, b) => a.instances - b.instances || a.users - b.users);
}

/** The smallest user count from which, at `instances` nodes, the cache wins on p95 at every larger load measured. */
export function cacheWinsFrom(rows: CacheVsNode[], instances: number): number | undefined {
    const mine = rows.filter((r) => r.instances === instances).sort((a, b) => a.users - b.users);
    let from: number | undefined;
    for (const r of mine) {
        if (r.p95Winner === "cache") from ??= r.users;
        else from = undefined;
    }
    return from;
}
