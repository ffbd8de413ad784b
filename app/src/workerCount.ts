/**
 * How many CPUs this container may use, and so how many cluster workers and
 * load threads to run. Pure functions over the texts of the cgroup files, so
 * every cgroup layout can be tested without a container.
 *
 * Why not os.cpus().length alone: inside `docker run --cpus 1` on a 16-core
 * host Node still sees 16 CPUs; forking 16 workers into a 1-CPU quota only
 * adds context switches and memory. The CFS quota is what the node is given.
 */

/** Texts of the cgroup files; a file that does not exist is undefined. */
export interface CgroupCpuFiles {
    /** cgroup v2: /sys/fs/cgroup/cpu.max, e.g. "max 100000" or "50000 100000". */
    v2CpuMax?: string;
    /** cgroup v1: /sys/fs/cgroup/cpu/cpu.cfs_quota_us, e.g. "-1" or "150000". */
    v1QuotaUs?: string;
    /** cgroup v1: /sys/fs/cgroup/cpu/cpu.cfs_period_us, e.g. "100000". */
    v1PeriodUs?: string;
}

/** A CFS quota in microseconds per period. */
export interface CpuQuota {
    quotaUs: number;
    periodUs: number;
}

function positiveInt(text: string): number | undefined {
    if (!/^[0-9]+$/.test(text)) return undefined;
    const n = Number(text);
    return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

/**
 * The quota the cgroup files describe, or null when there is no limit
 * ("max" / "-1") or the files are missing or unreadable. Unreadable means
 * unlimited on purpose: failing to start over a strange cgroup would be worse
 * than running a few extra workers.
 */
export function parseCgroupCpuQuota(files: CgroupCpuFiles): CpuQuota | null {
    if (files.v2CpuMax !== undefined) {
        const parts = files.v2CpuMax.trim().split(/\s+/);
        const quotaText = parts[0];
        if (quotaText === undefined || quotaText === "max") return null;
        const quotaUs = positiveInt(quotaText);
        // The period may be omitted in cpu.max; the kernel default is 100 ms.
        const periodUs = parts[1] === undefined ? 100_000 : positiveInt(parts[1]);
        return quotaUs !== undefined && periodUs !== undefined ? { quotaUs, periodUs } : null;
    }
    if (files.v1QuotaUs !== undefined && files.v1PeriodUs !== undefined) {
        const quotaUs = positiveInt(files.v1QuotaUs.trim()); // "-1" (unlimited) fails here -> null
        const periodUs = positiveInt(files.v1PeriodUs.trim());
        return quotaUs !== undefined && periodUs !== undefined ? { quotaUs, periodUs } : null;
    }
    return null;
}

/**
 * CPUs the node is given: ceil(quota/period), at least 1, never more than the
 * CPUs the process can actually be scheduled on. ceil because a 1.5-CPU quota
 * can keep 2 threads partly busy, and a 0.5-CPU quota still needs 1 worker.
 */
export function cpuCountFromQuota(quota: CpuQuota | null, availableParallelism: number): number {
    const available = Math.max(1, Math.floor(availableParallelism) || 1);
    if (quota === null) return available;
    return Math.min(available, Math.max(1, Math.ceil(quota.quotaUs / quota.periodUs)));
}

/** Cluster workers to fork: the WORKERS override wins, otherwise one per CPU. */
export function workerCount(cpuCount: number, override: number | undefined): number {
    return override ?? Math.max(1, cpuCount);
}
