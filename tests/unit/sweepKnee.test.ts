import { strict as assert } from "assert";
import { Cell, cacheVsNode, cacheWinsFrom, findKnees, step } from "../../scripts/load/sweep/knee";

const cell = (users: number, instances: number, rps: number, p95Ms: number, cache?: "on" | "off"): Cell => ({
    users,
    instances,
    rps,
    p95Ms,
    ...(cache ? { cache } : {}),
});

describe("sweep: the knee", () => {
    it("gains are per added node: 1 -> 3 nodes doubling throughput is +50 % per node", () => {
        const s = step(cell(10, 1, 1000, 100), cell(10, 3, 2000, 60), 0.1);
        assert.equal(s.rpsGain, 0.5); // (2000/1000 - 1) / 2
        assert.equal(s.p95Gain, 0.2); // (1 - 60/100) / 2
        assert.equal(s.pays, true);
    });

    it("finds the first step that buys less than the gain in both p95 and throughput", () => {
        // rps 1000 -> 1900 (+90 %) -> 2280 (+20 %) -> 2394 (+5 %); p95 200 -> 120 -> 100 -> 98 (-40 %, -16.7 %, -2 %).
        const knees = findKnees(
            [cell(50, 1, 1000, 200), cell(50, 2, 1900, 120), cell(50, 3, 2280, 100), cell(50, 4, 2394, 98)],
            0.1,
        );
        assert.equal(knees.length, 1);
        assert.equal(knees[0].knee, 3);
        assert.deepEqual(
            knees[0].steps.map((s) => s.pays),
            [true, true, false],
        );
    });

    it("the knee is the first step that does not pay, even when a later one pays again", () => {
        // 1 -> 2: +5 % rps, -2 % p95 (does not pay); 2 -> 3: +50 % (pays); 3 -> 4: +1 % (does not pay).
        const [k] = findKnees(
            [cell(20, 1, 1000, 100), cell(20, 2, 1050, 98), cell(20, 3, 1575, 90), cell(20, 4, 1590, 90)],
            0.1,
        );
        assert.equal(k.knee, 1);
    });

    it("a step pays on p95 alone (throughput flat because the load is closed-loop and light)", () => {
        const [k] = findKnees([cell(10, 1, 500, 40), cell(10, 2, 510, 30)], 0.1);
        assert.equal(k.knee, undefined); // p95 -25 % pays although rps is +2 %
    });

    it("takes the gain threshold as given: at 25 % the same curve's knee comes one node earlier", () => {
        const cells = [cell(50, 1, 1000, 200), cell(50, 2, 1900, 120), cell(50, 3, 2280, 100)];
        assert.equal(findKnees(cells, 0.1)[0].knee, undefined);
        assert.equal(findKnees(cells, 0.25)[0].knee, 2); // 2 -> 3: +20 % rps, -16.7 % p95
    });

    it("groups by user count and cache arm, sorted, and says nothing with one instance count", () => {
        const knees = findKnees([cell(200, 1, 1, 1, "off"), cell(10, 1, 1, 1, "on"), cell(10, 1, 1, 1, "off")], 0.1);
        assert.deepEqual(
            knees.map((k) => [k.users, k.cache, k.knee, k.steps.length]),
            [
                [10, "off", undefined, 0],
                [10, "on", undefined, 0],
                [200, "off", undefined, 0],
            ],
        );
    });
});

describe("sweep: cache against one more node", () => {
    const cells = [
        // 10 users: the cache at 1 node (p95 30) loses to 2 nodes without (p95 25).
        cell(10, 1, 900, 30, "on"),
        cell(10, 2, 1000, 25, "off"),
        // 200 users: the cache at 1 node (p95 40) beats 2 nodes without (p95 90), throughput too.
        cell(200, 1, 5000, 40, "on"),
        cell(200, 2, 2100, 90, "off"),
        cell(1000, 1, 5200, 150, "on"),
        cell(1000, 2, 2200, 400, "off"),
        cell(1000, 2, 9000, 100, "on"), // no 3-node cell without cache: not compared
    ];

    it("compares cache on at i nodes with cache off at the next larger count", () => {
        const rows = cacheVsNode(cells);
        assert.deepEqual(
            rows.map((r) => [r.users, r.instances, r.nodeInstances, r.p95Winner, r.rpsWinner]),
            [
                [10, 1, 2, "node", "node"],
                [200, 1, 2, "cache", "cache"],
                [1000, 1, 2, "cache", "cache"],
            ],
        );
    });

    it("names the load from which the cache keeps beating a node on p95", () => {
        assert.equal(cacheWinsFrom(cacheVsNode(cells), 1), 200);
        assert.equal(cacheWinsFrom(cacheVsNode(cells), 2), undefined);
    });
});
