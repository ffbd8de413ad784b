/** The bench holds the node count while its scenarios run (scripts/load/bench/fixedNodes.ts). */
import { strict as assert } from "assert";
import type Docker from "dockerode";
import { AutoscalingHold, PausableController, findController } from "../../scripts/load/bench/fixedNodes";
import type { ScenarioId } from "../../scripts/load/bench/flags";

/** A controller stand-in: `paused` is its state; `refusals` status calls fail first (not answering yet). */
function fakeController(state: { paused: boolean }, calls: string[], refusals = 0): PausableController {
    return {
        baseUrl: "http://127.0.0.1:28090",
        status: async () => {
            calls.push("status");
            if (refusals-- > 0) throw new Error("fetch failed (is the controller running?)");
            return { paused: state.paused, desired: 2, floor: 1, ceiling: 4, nodes: [] };
        },
        pause: async () => (calls.push("pause"), (state.paused = true), { paused: true }),
        resume: async () => (calls.push("resume"), (state.paused = false), { paused: false }),
    };
}

async function runAll(hold: AutoscalingHold, ids: ScenarioId[], calls: string[]): Promise<void> {
    for (const id of ids) {
        await hold.before(id);
        calls.push(`run ${id}`);
    }
    await hold.release();
}

describe("bench: the node count held while its scenarios run", () => {
    it("pauses once before the first scenario and resumes once at the end, not between scenarios", async () => {
        const calls: string[] = [];
        const c = fakeController({ paused: false }, calls);
        await runAll(
            new AutoscalingHold(
                async () => c,
                () => undefined,
            ),
            ["direct-all", "balancer", "small-nodes"],
            calls,
        );
        assert.deepEqual(calls, [
            "status",
            "pause",
            "run direct-all",
            "status",
            "run balancer",
            "status",
            "run small-nodes",
            "resume",
        ]);
    });

    it("resumes for the scaling scenario, which measures the controller, and pauses again after it", async () => {
        const calls: string[] = [];
        const c = fakeController({ paused: false }, calls);
        await runAll(
            new AutoscalingHold(
                async () => c,
                () => undefined,
            ),
            ["balancer", "scaling", "many"],
            calls,
        );
        assert.deepEqual(calls, [
            "status",
            "pause",
            "run balancer",
            "resume",
            "run scaling",
            "status",
            "pause",
            "run many",
            "resume",
        ]);
    });

    it("pauses a replaced controller again, and says so", async () => {
        const calls: string[] = [];
        const state = { paused: false };
        const hold = new AutoscalingHold(
            async () => fakeController(state, calls),
            () => undefined,
        );
        await hold.before("deploy");
        state.paused = false; // the deploy replaced the controller's container: the new one runs unpaused
        await hold.before("rollback");
        assert.deepEqual(calls, ["status", "pause", "status", "pause"]);
        assert.match(hold.notes.join(), /came back unpaused .*paused again/);
    });

    it("leaves a controller the user paused paused (never resumed), and notes it", async () => {
        const calls: string[] = [];
        const c = fakeController({ paused: true }, calls);
        const hold = new AutoscalingHold(
            async () => c,
            () => undefined,
        );
        await runAll(hold, ["direct-all", "balancer"], calls);
        assert.deepEqual(calls, ["status", "run direct-all", "status", "run balancer"]);
        assert.equal(hold.resumeHint, "");
        assert.match(hold.notes.join(), /found paused .*left paused, not resumed/);
    });

    it("waits for a controller that does not answer yet (just started by an up)", async () => {
        const calls: string[] = [];
        const c = fakeController({ paused: false }, calls, 2);
        await new AutoscalingHold(
            async () => c,
            () => undefined,
        ).before("balancer");
        assert.deepEqual(calls, ["status", "status", "status", "pause"]);
    });

    it("tells how to resume by hand while it holds a pause (for an exit that skips the release)", async () => {
        const c = fakeController({ paused: false }, []);
        const hold = new AutoscalingHold(
            async () => c,
            () => undefined,
        );
        await hold.before("balancer");
        assert.match(
            hold.resumeHint,
            /autoscaling is still paused: curl -X POST .* http:\/\/127\.0\.0\.1:28090\/resume/,
        );
        await hold.release();
        assert.equal(hold.resumeHint, "");
    });

    it("does nothing on a stack without a controller", async () => {
        const hold = new AutoscalingHold(
            async () => undefined,
            () => undefined,
        );
        await hold.before("balancer");
        await hold.release();
        assert.equal(hold.resumeHint, "");
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
