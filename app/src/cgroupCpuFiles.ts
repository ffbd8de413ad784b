/**
 * The only impure part of the CPU-count logic: read the cgroup files and the
 * scheduler's view of available CPUs. Everything else is in workerCount.ts.
 */
import { readFileSync } from "node:fs";
import * as os from "node:os";
import { CgroupCpuFiles, cpuCountFromQuota, parseCgroupCpuQuota } from "./workerCount";

function readIfExists(path: string): string | undefined {
    try {
        return readFileSync(path, "utf8");
    } catch {
        return undefined;
    }
}

export function readCgroupCpuFiles(root = "/sys/fs/cgroup"): CgroupCpuFiles {
    return {
        v2CpuMax: readIfExists(`${root}/cpu.max`),
        // Distributions mount the v1 controller as "cpu" or as "cpu,cpuacct" (often both via symlink).
        v1QuotaUs: readIfExists(`${root}/cpu/cpu.cfs_quota_us`) ?? readIfExists(`${root}/cpu,cpuacct/cpu.cfs_quota_us`),
        v1PeriodUs:
            readIfExists(`${root}/cpu/cpu.cfs_period_us`) ?? readIfExists(`${root}/cpu,cpuacct/cpu.cfs_period_us`),
    };
}

/** os.availableParallelism() arrived in Node 18.14; fall back to the CPU list before that. */
export function availableParallelism(): number {
    const fn = (os as { availableParallelism?: () => number }).availableParallelism;
    return typeof fn === "function" ? fn() : Math.max(1, os.cpus().length);
}

export function detectCpuCount(): number {
    return cpuCountFromQuota(parseCgroupCpuQuota(readCgroupCpuFiles()), availableParallelism());
}
