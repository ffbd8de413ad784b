/**
 * Where a load's CPU went, per container: CPU time (its cgroup's counter), CFS throttling, and how often its
 * threads went to sleep (voluntary context switches: one per wake-up that found nothing more to do), read on
 * the Docker host from /proc and /sys/fs/cgroup (v1 or v2) before and after a load. Per request, these say
 * whether a node got its quota and how much of it each request took; wake-ups per request say how many
 * requests each event-loop turn served. Parsing is pure; reading returns undefined where the files are not
 * reachable (Docker not on this host), and the bench says so instead of a figure.
 */
import * as fs from "fs";

export interface CgroupDirs {
    /** cgroup v1: the cpuacct directory (cpuacct.usage, ns) and the cpu one (cpu.stat, tasks). */
    cpuacct?: string;
    cpu?: string;
    /** cgroup v2: the one directory (cpu.stat with usage_usec, cgroup.threads). */
    unified?: string;
}

/** The directories of a process's cgroup, from the text of /proc/<pid>/cgroup, under `root`. */
export function cgroupDirs(procCgroup: string, root = "/sys/fs/cgroup"): CgroupDirs {
    const dirs: CgroupDirs = {};
    for (const line of procCgroup.trim().split("\n")) {
        const [, controllers, path] = line.split(":");
        if (path === undefined) continue;
        const list = controllers.split(",");
        if (controllers === "") dirs.unified = `${root}${path}`;
        if (list.includes("cpuacct")) dirs.cpuacct = `${root}/${controllers}${path}`;
        if (list.includes("cpu")) dirs.cpu = `${root}/${controllers}${path}`;
    }
    return dirs;
}

/** "key value" lines (cpu.stat) as numbers. */
export function parseKeyValues(text: string): Record<string, number> {
    const out: Record<string, number> = {};
    for (const line of text.trim().split("\n")) {
        const [k, v] = line.trim().split(/\s+/);
        if (k && v !== undefined && /^\d+$/.test(v)) out[k] = Number(v);
    }
    return out;
}

/** voluntary_ctxt_switches of a /proc/<pid>/task/<tid>/status text (0 when absent). */
export function voluntarySwitches(status: string): number {
    return Number(/^voluntary_ctxt_switches:\s+(\d+)$/m.exec(status)?.[1] ?? 0);
}

export interface CpuReading {
    usageUs: number;
    periods: number;
    throttled: number;
    wakeups: number;
}

const read = (file: string): string => fs.readFileSync(file, "utf8");

/** One reading of the container whose main process is `pid`; undefined when its cgroup is not readable here. */
export function readContainerCpu(pid: number): CpuReading | undefined {
    try {
        const dirs = cgroupDirs(read(`/proc/${pid}/cgroup`));
        let usageUs: number;
        let stat: Record<string, number>;
        let threads: string;
        if (dirs.cpuacct && dirs.cpu && fs.existsSync(`${dirs.cpuacct}/cpuacct.usage`)) {
            usageUs = Number(read(`${dirs.cpuacct}/cpuacct.usage`)) / 1000;
            stat = parseKeyValues(read(`${dirs.cpu}/cpu.stat`));
            threads = read(`${dirs.cpu}/tasks`);
        } else if (dirs.unified) {
            stat = parseKeyValues(read(`${dirs.unified}/cpu.stat`));
            usageUs = stat.usage_usec;
            threads = read(`${dirs.unified}/cgroup.threads`);
        } else return undefined;
        let wakeups = 0;
        for (const tid of threads.trim().split("\n").filter(Boolean)) {
            // A thread may end between the list and its status: it no longer counts.
            wakeups += voluntarySwitches(fs.existsSync(`/proc/${tid}/status`) ? read(`/proc/${tid}/status`) : "");
        }
        return { usageUs, periods: stat.nr_periods ?? 0, throttled: stat.nr_throttled ?? 0, wakeups };
    } catch {
        return undefined;
    }
}

export interface CpuUse {
    /** CPU µs per answered request. */
    usPerRequest: number;
    /** Wake-ups (voluntary context switches) per answered request. */
    wakeupsPerRequest: number;
    /** CPU used over wall time, in % of one core. */
    percent: number;
    /** Share of CFS periods in which the quota ran out, in %. */
    throttledPercent: number;
}

/** The use between two readings (summed over containers) for `requests` answered in `wallS` seconds. */
export function cpuUse(before: CpuReading[], after: CpuReading[], requests: number, wallS: number): CpuUse {
    const sum = (rs: CpuReading[], k: keyof CpuReading) => rs.reduce((a, r) => a + r[k], 0);
    const d = (k: keyof CpuReading) => sum(after, k) - sum(before, k);
    const n = Math.max(1, requests);
    return {
        usPerRequest: d("usageUs") / n,
        wakeupsPerRequest: d("wakeups") / n,
        percent: (d("usageUs") / (wallS * 1e6) / Math.max(1, before.length)) * 100,
        throttledPercent: (d("throttled") / Math.max(1, d("periods"))) * 100,
    };
}

/** "41.2 µs/req, 0.31 wake-ups/req, 24% CPU each, throttled 40%". */
export function describeCpuUse(u: CpuUse): string {
    return (
        `${u.usPerRequest.toFixed(1)} µs/req, ${u.wakeupsPerRequest.toFixed(2)} wake-ups/req, ` +
        `${u.percent.toFixed(0)}% CPU each, throttled ${u.throttledPercent.toFixed(0)}%`
    );
}
