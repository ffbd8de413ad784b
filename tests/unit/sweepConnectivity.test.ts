import { strict as assert } from "assert";
import { Answer, checkConnectivity, judgeConnectivity } from "../../scripts/load/sweep/connectivity";

const ok = (node: string): Answer => ({ status: 200, node });

describe("sweep: seed 001's connectivity check", () => {
    it("passes when every node answers as itself directly and each is seen through the balancer", () => {
        const r = judgeConnectivity(["node-1", "node-2"], { "node-1": ok("node-1"), "node-2": ok("node-2") }, [
            ok("node-1"),
            ok("node-2"),
        ]);
        assert.equal(r.ok, true);
        assert.deepEqual(r.lines, [
            "node-1 direct: ok",
            "node-2 direct: ok",
            "balancer: 2 requests, answered by node-1, node-2",
        ]);
    });

    it("fails a node that does not answer directly, naming the error", () => {
        const r = judgeConnectivity(
            ["node-1", "node-2"],
            { "node-1": ok("node-1"), "node-2": { status: 0, error: "connect ECONNREFUSED" } },
            [ok("node-1"), ok("node-2")],
        );
        assert.equal(r.ok, false);
        assert.equal(r.lines[1], "node-2 direct: FAILED (connect ECONNREFUSED)");
    });

    it("fails a node that answers as another node (a wrong port)", () => {
        const r = judgeConnectivity(["node-1"], { "node-1": ok("node-3") }, [ok("node-1")]);
        assert.equal(r.ok, false);
        assert.match(r.lines[0], /node-1 direct: FAILED \(status 200, answered as "node-3"\)/);
    });

    it("fails when the balancer never reaches a node, reaches one that should not run, or answers 503", () => {
        const direct = { "node-1": ok("node-1"), "node-2": ok("node-2") };
        const unreached = judgeConnectivity(["node-1", "node-2"], direct, [ok("node-1"), ok("node-1")]);
        assert.equal(unreached.ok, false);
        assert.match(unreached.lines[2], /never by node-2/);
        const stranger = judgeConnectivity(["node-1"], { "node-1": ok("node-1") }, [ok("node-1"), ok("node-4")]);
        assert.equal(stranger.ok, false);
        assert.match(stranger.lines[1], /also by node-4, which should not run/);
        const failed = judgeConnectivity(["node-1"], { "node-1": ok("node-1") }, [ok("node-1"), { status: 503 }]);
        assert.equal(failed.ok, false);
        assert.match(failed.lines[1], /1 failed/);
    });

    it("fails with no node at all", () => {
        assert.equal(judgeConnectivity([], {}, []).ok, false);
    });

    it("probes each node once and the balancer until every node was seen", async () => {
        const asked: string[] = [];
        let turn = 0;
        const r = await checkConnectivity(
            [
                { name: "node-1", url: "http://127.0.0.1:1/" },
                { name: "node-2", url: "http://127.0.0.1:2/" },
            ],
            "http://127.0.0.1:9/",
            async (url) => {
                asked.push(url);
                if (url.includes(":1/")) return ok("node-1");
                if (url.includes(":2/")) return ok("node-2");
                return ok(turn++ < 2 ? "node-1" : "node-2");
            },
        );
        assert.equal(r.ok, true);
        assert.deepEqual(asked, [
            "http://127.0.0.1:1/",
            "http://127.0.0.1:2/",
            "http://127.0.0.1:9/",
            "http://127.0.0.1:9/",
            "http://127.0.0.1:9/",
        ]);
    });
});
