/**
 * The reasons the controller's decisions give (its log and GET /status show them): written from the semantics,
 * never computed by the code under test. The decisions themselves are in decide.test.ts.
 */
import { strict as assert } from "assert";
import { DecisionSettings, INITIAL_STATE, NodeObservation, decide, failure } from "../../../controller/src/decide";

const S: DecisionSettings = {
    floor: 2,
    ceiling: 4,
    checkPeriodSeconds: 10,
    evaluationPeriods: 2,
    cpuHighPercent: 70,
    cpuLowPercent: 20,
    cooldownSeconds: 20,
    backoff: { baseSeconds: 10, capSeconds: 80 },
};
const T0 = 1_000_000_000_000;

function node(i: number, over: Partial<NodeObservation> = {}): NodeObservation {
    return {
        name: `node-${i}`,
        container: `cloudlab-local-node-${i}`,
        id: `id-${i}`,
        status: "running",
        health: "healthy",
        exitCode: 0,
        startedAt: T0 - 3600_000,
        finishedAt: 0,
        cpuPercent: 50,
        inBalancer: true,
        tag: "latest",
        wired: true,
        ...over,
    };
}

describe("controller decision reasons", () => {
    it("says why a node needs healing", () => {
        const cases: Array<[Partial<NodeObservation>, string | undefined]> = [
            [{ status: "running", health: "unhealthy" }, "its health check fails"],
            [{ status: "paused" }, "it is paused"],
            [{ status: "dead" }, "its container is dead"],
            [{ status: "exited", exitCode: 137, finishedAt: T0 - 1000 }, "it exited with code 137"],
            [{ status: "running", health: "healthy" }, undefined],
        ];
        for (const [over, why] of cases) assert.equal(failure(node(1, over), INITIAL_STATE), why, JSON.stringify(over));
    });

    it("says the engine gave no answer when an unreachable check has no error", () => {
        const r = decide({ atMs: T0, reachable: false, nodes: [] }, S, INITIAL_STATE);
        assert.deepEqual(r.decisions, [{ action: "none", reason: "Docker engine unreachable: no answer" }]);
        const e = decide({ atMs: T0, reachable: false, error: "connect ECONNREFUSED", nodes: [] }, S, INITIAL_STATE);
        assert.deepEqual(e.decisions, [{ action: "none", reason: "Docker engine unreachable: connect ECONNREFUSED" }]);
    });

    it("says how many nodes can run when there are too few standby nodes for the desired count", () => {
        // Desired set to 4 (POST /desired); 2 run, 1 standby: it starts that one, and 3 is all that can run.
        const nodes = [
            node(1),
            node(2),
            node(3, { status: "created", health: "none", startedAt: 0, cpuPercent: null, inBalancer: false }),
        ];
        const r = decide({ atMs: T0, reachable: true, nodes }, S, {
            ...INITIAL_STATE,
            desired: 4,
            desiredChanged: true,
        });
        assert.deepEqual(r.actions, [{ kind: "start", node: "node-3", container: "cloudlab-local-node-3" }]);
        assert.deepEqual(r.decisions, [
            { action: "start", node: "node-3", reason: "2 node(s) meant to run, desired 4" },
            { action: "none", reason: "desired 4 but only 3 node(s) can run" },
        ]);
    });
});
