import { strict as assert } from "assert";
import { cpuPercentOfLimit, limitCpusOf, nodeCpuPercent, readingsOf } from "../../../controller/src/cpuPercent";

const t0 = Date.parse("2026-12-01T10:00:00.000Z");
const stats = (atMs: number, usageNs: number, pre?: { atMs: number; usageNs: number }) => ({
    read: new Date(atMs).toISOString(),
    preread: pre ? new Date(pre.atMs).toISOString() : "0001-01-01T00:00:00Z",
    cpu_stats: { cpu_usage: { total_usage: usageNs }, online_cpus: 2 },
    precpu_stats: { cpu_usage: { total_usage: pre?.usageNs ?? 0 } },
});

describe("node CPU as a % of the node's own limit (cgroup CPU deltas)", () => {
    it("a node given 0.5 CPU burning half a core is at 100 %, not 25 % of a 2-core machine", () => {
        // 1 s of wall time, 0.5 s of CPU.
        assert.equal(cpuPercentOfLimit({ usageNs: 0, atMs: t0 }, { usageNs: 0.5e9, atMs: t0 + 1000 }, 0.5), 100);
    });

    it("scales with the limit and the time between readings", () => {
        const before = { usageNs: 1e9, atMs: t0 };
        assert.equal(cpuPercentOfLimit(before, { usageNs: 1.2e9, atMs: t0 + 2000 }, 0.5), 20);
        assert.equal(cpuPercentOfLimit(before, { usageNs: 3e9, atMs: t0 + 2000 }, 1), 100);
        assert.equal(cpuPercentOfLimit(before, { usageNs: 1.5e9, atMs: t0 + 1000 }, 2), 25);
    });

    it("gives no value when the readings cannot: same time, counter gone back (a restart), no limit", () => {
        const before = { usageNs: 5e9, atMs: t0 };
        assert.equal(cpuPercentOfLimit(before, { usageNs: 6e9, atMs: t0 }, 0.5), null);
        assert.equal(cpuPercentOfLimit(before, { usageNs: 1e9, atMs: t0 + 1000 }, 0.5), null);
        assert.equal(cpuPercentOfLimit(before, { usageNs: 6e9, atMs: t0 + 1000 }, 0), null);
    });

    it("reads Docker's stats answer, and knows when it has no earlier sample", () => {
        const r = readingsOf(stats(t0 + 1000, 3e9, { atMs: t0, usageNs: 2e9 }));
        assert.deepEqual(r.now, { usageNs: 3e9, atMs: t0 + 1000 });
        assert.deepEqual(r.previous, { usageNs: 2e9, atMs: t0 });
        assert.equal(readingsOf(stats(t0, 3e9)).previous, null, "preread 0001-01-01 means none");
    });

    it("has no earlier sample without a real preread time and a non-zero counter", () => {
        const answer = (preread: string | undefined, preUsageNs: number) => ({
            read: new Date(t0 + 1000).toISOString(),
            ...(preread === undefined ? {} : { preread }),
            cpu_stats: { cpu_usage: { total_usage: 3e9 } },
            precpu_stats: { cpu_usage: { total_usage: preUsageNs } },
        });
        const cases: Array<[string, string | undefined, number]> = [
            ["no preread", undefined, 2e9],
            ["preread 0001-01-01 with a counter", "0001-01-01T00:00:00Z", 2e9],
            ["preread at the epoch", "1970-01-01T00:00:00Z", 2e9],
            ["preread unparseable", "yesterday", 2e9],
            ["a zero counter", new Date(t0).toISOString(), 0],
        ];
        for (const [what, preread, preUsageNs] of cases)
            assert.equal(readingsOf(answer(preread, preUsageNs)).previous, null, what);
        assert.deepEqual(readingsOf(answer(new Date(t0).toISOString(), 1)).previous, { usageNs: 1, atMs: t0 });
    });

    it("uses the kept reading up to exactly maxAgeMs old, and never one not before now", () => {
        // Docker's own window (t0+1000 -> t0+2000): 0.5 s of CPU = 100 % of 0.5 CPU.
        const s = stats(t0 + 2000, 1.5e9, { atMs: t0 + 1000, usageNs: 1e9 });
        // Kept at t0, 2 s before now: 1.5 s of CPU over 2 s = 150 % of 0.5 CPU.
        assert.equal(nodeCpuPercent({ usageNs: 0, atMs: t0 }, s, 0.5, 2000).percent, 150);
        assert.equal(nodeCpuPercent({ usageNs: 0, atMs: t0 }, s, 0.5, 1999).percent, 100);
        // Kept at the same time as now, or later (the clock or the order went wrong): Docker's window instead.
        assert.equal(nodeCpuPercent({ usageNs: 1.5e9, atMs: t0 + 2000 }, s, 0.5, 10_000).percent, 100);
        assert.equal(nodeCpuPercent({ usageNs: 1.6e9, atMs: t0 + 3000 }, s, 0.5, 10_000).percent, 100);
    });

    it("covers the whole period from the previous check's reading when it is recent enough", () => {
        const kept = { usageNs: 0, atMs: t0 };
        // Docker's own 1 s window says idle; over the 2 s since the last check it burned 1 s of CPU.
        const s = stats(t0 + 2000, 1e9, { atMs: t0 + 1000, usageNs: 1e9 });
        assert.equal(nodeCpuPercent(kept, s, 0.5, 10_000).percent, 100);
        // Too old (stale): Docker's own window instead.
        assert.equal(nodeCpuPercent(kept, s, 0.5, 1500).percent, 0);
        // Nothing kept: Docker's window; nothing at all: no value.
        assert.equal(nodeCpuPercent(undefined, s, 0.5, 10_000).percent, 0);
        assert.equal(nodeCpuPercent(undefined, stats(t0, 1e9), 0.5, 10_000).percent, null);
        assert.deepEqual(nodeCpuPercent(kept, s, 0.5, 10_000).reading, { usageNs: 1e9, atMs: t0 + 2000 });
    });

    it("takes the limit from NanoCpus, or the online CPUs when there is none", () => {
        assert.equal(limitCpusOf(500_000_000, 2), 0.5);
        assert.equal(limitCpusOf(0, 2), 2);
        assert.equal(limitCpusOf(0, undefined), 0);
    });
});
