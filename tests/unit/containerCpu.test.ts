import { strict as assert } from "assert";
import {
    CpuReading,
    cgroupDirs,
    cpuUse,
    describeCpuUse,
    parseKeyValues,
    voluntarySwitches,
} from "../../scripts/load/containerCpu";

describe("load: a container's CPU from its cgroup", () => {
    it("finds the v1 cpuacct and cpu directories of a Docker container (cgroupfs driver)", () => {
        const id = "0f3c9a";
        const text = [
            `12:pids:/docker/${id}`,
            `4:cpu,cpuacct:/docker/${id}`,
            `3:memory:/docker/${id}`,
            `1:name=systemd:/docker/${id}`,
            `2:cpuset:/docker/${id}`,
            "0::/system.slice/containerd.service",
        ].join("\n");
        const d = cgroupDirs(text);
        assert.equal(d.cpuacct, `/sys/fs/cgroup/cpu,cpuacct/docker/${id}`);
        assert.equal(d.cpu, `/sys/fs/cgroup/cpu,cpuacct/docker/${id}`);
    });

    it("finds separate v1 mounts and the v2 directory (systemd driver)", () => {
        const v1 = cgroupDirs("5:cpuacct:/docker/a\n6:cpu:/docker/a\n");
        assert.deepEqual(v1, { cpuacct: "/sys/fs/cgroup/cpuacct/docker/a", cpu: "/sys/fs/cgroup/cpu/docker/a" });
        const v2 = cgroupDirs("0::/system.slice/docker-a.scope\n");
        assert.deepEqual(v2, { unified: "/sys/fs/cgroup/system.slice/docker-a.scope" });
    });

    it("reads cpu.stat and a thread's voluntary context switches", () => {
        assert.deepEqual(parseKeyValues("nr_periods 120\nnr_throttled 30\nthrottled_time 9000\n"), {
            nr_periods: 120,
            nr_throttled: 30,
            throttled_time: 9000,
        });
        const status = "Name:\tnode\nvoluntary_ctxt_switches:\t4521\nnonvoluntary_ctxt_switches:\t77\n";
        assert.equal(voluntarySwitches(status), 4521);
        assert.equal(voluntarySwitches("Name:\tgone\n"), 0);
    });

    it("gives per request and per container the use between two readings", () => {
        const r = (usageUs: number, periods: number, throttled: number, wakeups: number): CpuReading => ({
            usageUs,
            periods,
            throttled,
            wakeups,
        });
        // Two nodes, 10 s, 100k requests: 2 s of CPU each (20% of a core each), 50k wake-ups in all.
        const before = [r(1_000_000, 1000, 100, 5000), r(3_000_000, 1000, 100, 7000)];
        const after = [r(3_000_000, 1100, 150, 30_000), r(5_000_000, 1100, 190, 32_000)];
        const u = cpuUse(before, after, 100_000, 10);
        assert.equal(u.usPerRequest, 40);
        assert.equal(u.wakeupsPerRequest, 0.5);
        assert.equal(u.percent, 20);
        assert.equal(u.throttledPercent, 70);
        assert.equal(describeCpuUse(u), "40.0 µs/req, 0.50 wake-ups/req, 20% CPU each, throttled 70%");
    });
});
