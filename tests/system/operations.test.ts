/**
 * Zero-failure operations under a constant load through the balancer (issue 3): a node killed, paused or
 * stopped, and a rollback of every node, cost no request; a rollback to a tag that cannot be had fails before
 * touching any node. Load is modest (8 connections) so CI stays fast and stable; `npm run bench` pushes harder.
 */
import { strict as assert } from "assert";
import { TIMINGS } from "../../components/render/haproxyConfig";
import { docker } from "../../engine";
import { fetchNodeStatus, inService } from "../../components/hooks/haproxyStats";
import { sleep, waitFor } from "../../lib/wait";
import { BackgroundLoad, describeLoad } from "../support/backgroundLoad";
import { removeDockerObjectsNamed, requireDocker } from "../support/dockerSuite";
import { getJson } from "../support/http";
import { LocalTestStack, nodesAnswering } from "../support/localStack";
import { ENGINE_TITLE } from "../support/engines";
import { testEngineKind } from "../../engine";

describe(`zero-failure operations under load, on the ${ENGINE_TITLE[testEngineKind()]}`, function () {
    this.timeout(20 * 60_000);
    const stack = new LocalTestStack({
        stack: "ops",
        lbPort: 19080,
        lbStatsPort: 19404,
        nodePortBase: 14001,
        subnet: "10.80.0.0/24",
    });
    const base = { nodeCount: "3", nodeLimit: "3", imageTag: "ops-a" };

    const status = (node: string) => fetchNodeStatus(stack.statsUrl, node);
    const waitUp = (node: string) =>
        waitFor(
            `${node} UP in the balancer`,
            async () => {
                const s = await status(node);
                return inService(s) || s;
            },
            60_000,
        );
    const container = (node: string) => docker().getContainer(stack.containerName(node));

    /** Runs `disrupt` under load and returns what the load saw. */
    async function underLoad(what: string, disrupt: () => Promise<void>): Promise<void> {
        const load = new BackgroundLoad(stack.balancerUrl, { maxSeconds: 240 });
        await sleep(1000);
        await disrupt();
        await sleep(1500);
        const seen = await load.stop();
        console.log(`      ${what}: ${describeLoad(seen)}`);
        assert.ok(seen.requests > 100, `the load hardly ran: ${describeLoad(seen)}`);
        assert.equal(
            seen.failed,
            0,
            `${what} cost requests: ${describeLoad(seen)} ${JSON.stringify(seen.statusCodes)}`,
        );
    }

    before(async function () {
        await requireDocker(this);
        console.log(`      engine: ${stack.engine.kind}`);
        await removeDockerObjectsNamed(stack.prefix);
        await stack.up(base);
        for (const n of ["node-1", "node-2", "node-3"]) await waitUp(n);
    });

    after(async () => {
        await stack.engine.destroy().catch(() => undefined);
        await removeDockerObjectsNamed(stack.prefix);
    });

    it("loses no request when a node is killed", async () => {
        await underLoad("docker kill node-2", async () => {
            await container("node-2").kill();
            await waitFor("node-2 out of the balancer", async () => !(await status("node-2")).startsWith("UP"), 15_000);
            await sleep(1000);
        });
        await container("node-2").start();
        await waitUp("node-2");
    });

    it("loses no request when a node is frozen (docker pause), and no client waits much longer than timeout server", async () => {
        const load = new BackgroundLoad(stack.balancerUrl, { maxSeconds: 240 });
        await sleep(1000);
        await container("node-3").pause();
        await waitFor("node-3 DOWN", async () => (await status("node-3")).startsWith("DOWN"), 15_000);
        await sleep(1000);
        const seen = await load.stop();
        await container("node-3").unpause();
        console.log(`      docker pause node-3: ${describeLoad(seen)}`);
        assert.equal(seen.failed, 0, describeLoad(seen));
        const boundMs = parseFloat(TIMINGS.server) * 1000 + 1500;
        assert.ok(seen.maxLatencyMs <= boundMs, `slowest request ${seen.maxLatencyMs} ms > bound ${boundMs} ms`);
        await waitUp("node-3");
    });

    it("loses no request when a node is stopped (graceful drain)", async () => {
        await underLoad("docker stop node-1", async () => {
            await container("node-1").stop({ t: 20 });
        });
        await container("node-1").start();
        await waitUp("node-1");
    });

    it("loses no request while every node is rolled to a new tag, and then every node answers with it", async () => {
        let wallMs = 0;
        await underLoad("rollback of every node (imageTag ops-a -> ops-b)", async () => {
            const started = Date.now();
            await stack.up({ ...base, imageTag: "ops-b" });
            wallMs = Date.now() - started;
        });
        console.log(`      rolling replacement of 3 nodes: ${(wallMs / 1000).toFixed(1)} s`);
        const seen = await nodesAnswering(stack.balancerUrl, 9);
        assert.deepEqual(new Set(seen.map((s) => s.tag)), new Set(["ops-b"]));
        assert.deepEqual(new Set(seen.map((s) => s.node)), new Set(["node-1", "node-2", "node-3"]));
    });

    it("fails a rollback to a tag that does not exist before touching any node", async () => {
        const ids = async () =>
            Promise.all(["node-1", "node-2", "node-3"].map(async (n) => (await container(n).inspect()).Id));
        const before = await ids();
        const result = await stack.engine.up(
            stack.config({ ...base, imageTag: "no-such-release", imageBuild: "never" }),
        );
        assert.equal(result.ok, false);
        assert.match(
            result.error ?? "",
            /cloudlab-app:no-such-release does not exist and cloudlab:imageBuild is 'never'/,
        );
        assert.match(result.error ?? "", /Existing tags of cloudlab-app: .*ops-b/);
        assert.deepEqual(await ids(), before, "a node was touched");
        assert.deepEqual(
            result.timeline.filter((e) => e.type === "docker:index/container:Container"),
            [],
        );
        assert.equal((await getJson(stack.balancerUrl)).body.tag, "ops-b");
    });
});
