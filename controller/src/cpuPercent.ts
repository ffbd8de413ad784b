/**
 * A node's CPU as a percentage of the CPU the node was given (its NanoCpus limit, `nodeCpus`), not of the
 * machine: what CloudWatch's CPUUtilization is to an instance of that size. From two readings of the
 * container's cumulative CPU time (Docker stats `cpu_stats.cpu_usage.total_usage`, nanoseconds).
 */

export interface CpuReading {
    /** Cumulative CPU time of the container's cgroup, ns. */
    usageNs: number;
    /** When Docker read it, ms since the epoch. */
    atMs: number;
}

/**
 * CPU used between `before` and `after` as % of `limitCpus` CPUs (0.5 = half a core: a node burning its whole
 * half core is 100 %). null when the readings cannot give a value: not later in time, or the counter went back
 * (the container restarted in between), or no limit.
 */
export function cpuPercentOfLimit(before: CpuReading, after: CpuReading, limitCpus: number): number | null {
    const elapsedNs = (after.atMs - before.atMs) * 1e6;
    const usedNs = after.usageNs - before.usageNs;
    if (!(elapsedNs > 0) || usedNs < 0 || !(limitCpus > 0)) return null;
    return (usedNs / (elapsedNs * limitCpus)) * 100;
}

/** The subset of Docker's stats answer (GET /containers/{id}/stats?stream=false) this reads. */
export interface DockerCpuStats {
    read: string;
    preread?: string;
    cpu_stats: { cpu_usage: { total_usage: number }; online_cpus?: number };
    precpu_stats?: { cpu_usage?: { total_usage?: number } };
}

/** The reading of a stats answer, and Docker's own previous one (~1 s earlier), if it has one. */
export function readingsOf(stats: DockerCpuStats): { now: CpuReading | null; previous: CpuReading | null } {
    const at = Date.parse(stats.read);
    const now = Number.isFinite(at) ? { usageNs: stats.cpu_stats.cpu_usage.total_usage, atMs: at } : null;
    const preAt = stats.preread ? Date.parse(stats.preread) : NaN;
    const preUsage = stats.precpu_stats?.cpu_usage?.total_usage;
    // Docker sends preread "0001-01-01T00:00:00Z" and a zero counter when it has no earlier sample.
    const previous =
        Number.isFinite(preAt) && preAt > 0 && typeof preUsage === "number" && preUsage > 0
            ? { usageNs: preUsage, atMs: preAt }
            : null;
    return { now, previous };
}

/**
 * The CPU % of a node over the last check: from the reading kept at the previous check when it is recent
 * enough (no older than `maxAgeMs`, so the value covers the whole period, as CloudWatch's does), else from
 * Docker's own ~1 s window; null when neither gives a value.
 */
export function nodeCpuPercent(
    kept: CpuReading | undefined,
    stats: DockerCpuStats,
    limitCpus: number,
    maxAgeMs: number,
): { percent: number | null; reading: CpuReading | null } {
    const { now, previous } = readingsOf(stats);
    if (!now) return { percent: null, reading: null };
    const base = kept && now.atMs - kept.atMs <= maxAgeMs && now.atMs > kept.atMs ? kept : previous;
    return { percent: base ? cpuPercentOfLimit(base, now, limitCpus) : null, reading: now };
}

/** Docker's NanoCpus (HostConfig) as CPUs; 0 (no limit) falls back to the CPUs Docker says are online. */
export function limitCpusOf(nanoCpus: number, onlineCpus: number | undefined): number {
    return nanoCpus > 0 ? nanoCpus / 1e9 : (onlineCpus ?? 0);
}
