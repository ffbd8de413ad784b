/** The bench holds the node count during its scenarios (scripts/load/bench/fixedNodes.ts). */
import { strict as assert } from "assert";
import type Docker from "dockerode";
import { PausableController, findController, withNodesFixed } from "../../scripts/load/bench/fixedNodes";

function fakeController(paused: boolean, refusals = 0) {
    const calls: string[] = [];
    const controller: PausableController = {
        baseUrl: "http://127.0.0.1:28090",
        status: async () => {
            calls.push("status");
            if (refusals-- > 0) throw new Error("fetch failed (is the controller running?)");
            return { paused, desired: 2, floor: 1, ceiling: 4, nodes: [] };
        },
        pause: async () => (calls.push("pause"), { paused: true }),
        resume: async () => (calls.push("resume"), { paused: false }),
    };
    return { calls, controller };
}

describe("bench: the node count held while a scenario runs", () => {
    it("pauses autoscaling around a scenario and resumes it after", async () => {
        const { calls, controller } = fakeController(false);
        const r = await withNodesFixed(
            "small-nodes",
            controller,
            () => undefined,
            async () => (calls.push("run"), 7),
        );
        assert.equal(r, 7);
        assert.deepEqual(calls, ["status", "pause", "run", "resume"]);
    });

    it("waits for a controller that does not answer yet (just started by an up)", async () => {
        const { calls, controller } = fakeController(false, 2);
        await withNodesFixed(
            "balancer",
            controller,
            () => undefined,
            async () => void calls.push("run"),
        );
        assert.deepEqual(calls, ["status", "status", "status", "pause", "run", "resume"]);
    });

    it("resumes after a failed scenario too, and passes the failure on", async () => {
        const { calls, controller } = fakeController(false);
        await assert.rejects(
            withNodesFixed(
                "balancer",
                controller,
                () => undefined,
                async () => {
                    calls.push("run");
                    throw new Error("load failed");
                },
            ),
            /load failed/,
        );
        assert.deepEqual(calls, ["status", "pause", "run", "resume"]);
    });

    it("leaves the controller alone for the scaling scenario, which measures it", async () => {
        const { calls, controller } = fakeController(false);
        await withNodesFixed(
            "scaling",
            controller,
            () => undefined,
            async () => void calls.push("run"),
        );
        assert.deepEqual(calls, ["run"]);
    });

    it("leaves a controller the user paused paused (no resume after)", async () => {
        const { calls, controller } = fakeController(true);
        await withNodesFixed(
            "direct-all",
            controller,
            () => undefined,
            async () => void calls.push("run"),
        );
        assert.deepEqual(calls, ["status", "run"]);
    });

    it("runs the scenario as it is on a stack without a controller", async () => {
        let ran = false;
        await withNodesFixed(
            "balancer",
            undefined,
            () => undefined,
            async () => void (ran = true),
        );
        assert.ok(ran);
    });

    it("finds the stack's running controller on its published port, with the token from its environment", async () => {
        const filters: unknown[] = [];
        const docker = {
            listContainers: async (opts: { filters: unknown }) => {
                filters.push(opts.filters);
                return [
                    {
                        Id: "c1",
                        Names: ["/cloudlab-bench-controller"],
                        Ports: [{ IP: "127.0.0.1", PrivatePort: 8090, PublicPort: 28090, Type: "tcp" }],
                    },
                ];
            },
            getContainer: () => ({
                inspect: async () => ({ Config: { Env: ["PATH=/usr/bin", "CONTROLLER_TOKEN=abc=def-0123456789"] } }),
            }),
        } as unknown as Docker;
        const c = await findController(docker, "cloudlab-bench");
        assert.equal(c?.baseUrl, "http://127.0.0.1:28090");
        assert.equal((c as unknown as { token: string }).token, "abc=def-0123456789");
        assert.deepEqual(filters, [{ label: ["cloudlab.stack=cloudlab-bench", "cloudlab.role=controller"] }]);
        const none = { listContainers: async () => [] } as unknown as Docker;
        assert.equal(await findController(none, "cloudlab-bench"), undefined);
    });
});
