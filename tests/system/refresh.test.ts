/**
 * `pulumi refresh` on the local stack, for real (the program's own resources on Docker, on ports and a subnet of
 * this suite's own): a refresh of a healthy stack - standby nodes stopped on purpose - changes nothing, and a node
 * removed by hand is dropped by the refresh and recreated, with its in-service gate, by the next up.
 */
import { strict as assert } from "assert";
import { waitFor } from "../../lib/wait";
import { docker } from "../../engine";
import { removeDockerObjectsNamed, requireDocker } from "../support/dockerSuite";
import { getJson } from "../support/http";
import { LocalTestStack, mustSucceed, nodesAnswering } from "../support/localStack";
import { ENGINE_TITLE } from "../support/engines";
import { testEngineKind } from "../../engine";

describe(`refresh of the local stack on Docker, on the ${ENGINE_TITLE[testEngineKind()]}`, function () {
    this.timeout(15 * 60_000);
    const stack = new LocalTestStack({
        stack: "refresh",
        lbPort: 17080,
        lbStatsPort: 17404,
        nodePortBase: 12001,
        subnet: "10.81.0.0/24",
    });
    const settings = { imageTag: "refresh-a", nodeCount: "2", nodeLimit: "3" };
    const notSame = (r: { steps: Array<{ op: string; name: string }> }): string[] =>
        r.steps.filter((s) => s.op !== "same").map((s) => `${s.op} ${s.name}`);
    const bothNodesAnswer = () =>
        waitFor(
            "node-1 and node-2 through the balancer",
            async () => {
                const seen = new Set((await nodesAnswering(stack.balancerUrl, 4)).map((s) => s.node));
                return seen.has("node-1") && seen.has("node-2");
            },
            30_000,
        );

    before(async function () {
        await requireDocker(this);
        console.log(`      engine: ${stack.engine.kind}`);
        await removeDockerObjectsNamed(stack.prefix);
        await stack.up(settings);
        await bothNodesAnswer();
    });

    after(async () => {
        const r = await stack.engine.destroy();
        if (!r.ok) console.log(`      destroy failed: ${r.error}`);
        const left = await removeDockerObjectsNamed(stack.prefix);
        if (left.length) console.log(`      cleaned up after a failure: ${left.join(", ")}`);
    });

    it("changes nothing on a stack whose standby node is stopped, and the up after it is all 'same'", async () => {
        const standby = await docker().getContainer(stack.containerName("node-3")).inspect();
        assert.equal(standby.State.Running, false);
        const refreshed = mustSucceed(await stack.engine.refresh());
        assert.equal(refreshed.op, "refresh");
        assert.deepEqual(notSame(refreshed), []);
        assert.deepEqual(refreshed.timeline, []);
        const up = await stack.up(settings);
        assert.deepEqual(notSame(up), []);
        assert.deepEqual(up.timeline, []);
    });

    it("drops a node removed by hand; the next up recreates exactly that node and its gate, and every node answers", async () => {
        const others = async () =>
            Promise.all(
                ["node-2", "node-3", "lb"].map(
                    async (n) => (await docker().getContainer(stack.containerName(n)).inspect()).Id,
                ),
            );
        const before = await others();
        await docker().getContainer(stack.containerName("node-1")).remove({ force: true });

        const refreshed = mustSucceed(await stack.engine.refresh());
        assert.deepEqual(notSame(refreshed), ["delete app-node-1"]);

        const up = await stack.up(settings);
        assert.deepEqual(notSame(up).sort(), ["create app-node-1", "replace app-node-1-in-service"]);
        assert.deepEqual(await others(), before, "another container was touched");
        await bothNodesAnswer();
        for (const i of [1, 2]) {
            const r = await getJson(stack.nodeUrl(i));
            assert.equal(r.status, 200);
            assert.equal(r.body.node, `node-${i}`);
        }
        assert.deepEqual(notSame(await stack.up(settings)), []);
    });
});
