import { strict as assert } from "assert";
import { LatencyHistogram } from "../../scripts/load/histogram";

function of(values: number[]): LatencyHistogram {
    const h = new LatencyHistogram();
    for (const v of values) h.record(v);
    return h;
}

describe("load: latency percentiles (HDR histogram)", () => {
    // The p-th percentile is the smallest sample v with at least ceil(p/100 * n) samples <= v.
    it("1..100 ms: p50 = 50, p66 = 66, p95 = 95, p99.9 = p100 = 100", () => {
        const h = of(Array.from({ length: 100 }, (_, i) => i + 1));
        // To the histogram's 3 significant digits: within 0.1 % of the exact value.
        const near = (p: number, want: number) =>
            assert.ok(Math.abs(h.percentileMs(p) - want) <= want * 0.001, `p${p} = ${h.percentileMs(p)}, want ${want}`);
        near(50, 50);
        near(66, 66);
        near(95, 95);
        near(99, 99);
        assert.equal(h.percentileMs(99.9), 100);
        assert.equal(h.percentileMs(100), 100);
    });

    it("[1, 1, 1, 10] ms: p75 = 1 (3 of 4 samples), p80 = 10 (ceil(3.2) = 4 samples), never above the max", () => {
        const h = of([10, 1, 1, 1]);
        assert.ok(Math.abs(h.percentileMs(75) - 1) < 0.001, String(h.percentileMs(75)));
        assert.equal(h.percentileMs(80), 10);
        assert.equal(h.percentileMs(100), 10);
    });

    it("keeps sub-millisecond times (microsecond resolution), and exact count, mean, min, max", () => {
        const h = of([0.25, 0.5, 2.75]);
        assert.equal(h.count, 3);
        assert.equal(h.meanMs, 3.5 / 3);
        assert.equal(h.min, 0.25);
        assert.equal(h.max, 2.75);
        assert.equal(h.percentileMs(34), 0.5);
        assert.equal(h.percentileMs(33), 0.25);
    });

    it("is all zeros without samples", () => {
        const s = new LatencyHistogram().summary([50, 100]);
        assert.deepEqual(s, { count: 0, meanMs: 0, minMs: 0, maxMs: 0, percentilesMs: { "50": 0, "100": 0 } });
    });
});
