/**
 * The local stack, for real: the program's own resources on a Docker engine, from nothing to healthy nodes
 * behind the balancer, an unchanged re-apply, a deploy and a rollback by imageTag, and a clean destroy.
 */
import { strict as assert } from "assert";
import { KEYS } from "../../components/config/schema";
import { docker } from "../../engine";
import { waitFor } from "../../lib/wait";
import { LABELS, balancerContainerName, nodeName } from "../../components/local/names";
import { removeDockerObjectsNamed, requireDocker } from "../support/dockerSuite";
import { getJson } from "../support/http";
import { LocalTestStack, nodesAnswering, removeImageTags } from "../support/localStack";
import { ENGINE_TITLE } from "../support/engines";
import { testEngineKind } from "../../engine";

describe(`local stack on Docker, on the ${ENGINE_TITLE[testEngineKind()]}`, function () {
    this.timeout(15 * 60_000);
    const stack = new LocalTestStack({
        stack: "systest",
        lbPort: 18080,
        lbStatsPort: 18404,
        nodePortBase: 13001,
        subnet: "10.78.0.0/24",
    });
    const [tagA, tagB] = ["systest-a", "systest-b"];
    /** The stack runs the default appImage: its releases are <appImage>:<tag>. */
    const release = (tag: string) => `${String(KEYS.appImage.default)}:${tag}`;
    let imageIdA = "";

    before(async function () {
        await requireDocker(this);
        console.log(`      engine: ${stack.engine.kind}`);
        await removeDockerObjectsNamed(stack.prefix);
        await removeImageTags([release(tagA), release(tagB)]);
    });

    after(async () => {
        const left = await removeDockerObjectsNamed(stack.prefix);
        if (left.length) console.log(`      cleaned up after a failure: ${left.join(", ")}`);
    });

    it("comes up from nothing, building the missing release, with every running node healthy behind the balancer", async () => {
        const started = Date.now();
        const result = await stack.up({ imageTag: tagA, nodeCount: "2", nodeLimit: "4" });
        const upMs = Date.now() - started;
        const build = result.steps.find((s) => s.name === `app-image-${tagA}`)!;
        const buildMs = Date.parse(build.finishedAt!) - Date.parse(build.startedAt);
        await waitFor(
            "both nodes through the balancer",
            async () => {
                const seen = new Set((await nodesAnswering(stack.balancerUrl, 4)).map((s) => s.node));
                return seen.has("node-1") && seen.has("node-2");
            },
            30_000,
        );
        console.log(
            `      nothing -> all nodes healthy through the balancer: ${((Date.now() - started) / 1000).toFixed(1)} s ` +
                `(pulumi up ${(upMs / 1000).toFixed(1)} s, of which image build ${(buildMs / 1000).toFixed(1)} s)`,
        );
        imageIdA = (await docker().getImage(release(tagA)).inspect()).Id;
        assert.deepEqual(result.outputs.balancerUrl, stack.balancerUrl);
        assert.equal(result.outputs.imageTag, tagA);
    });

    // leastconn (the default) picks among equally idle nodes without a strict turn (seen: 1 2 1 1 1 2 1 2), so
    // sequential requests show every node, not an alternation.
    it("balances over every running node", async () => {
        const seen = (await nodesAnswering(stack.balancerUrl, 16)).map((s) => s.node);
        assert.deepEqual(new Set(seen), new Set(["node-1", "node-2"]), `answered by: ${seen.join(" ")}`);
    });

    it("answers on each running node's direct URL", async () => {
        for (const i of [1, 2]) {
            const r = await getJson(stack.nodeUrl(i));
            assert.equal(r.status, 200);
            assert.equal(r.body.node, `node-${i}`);
            assert.equal(r.body.tag, tagA);
            assert.equal((await getJson(`${stack.nodeUrl(i)}/health`)).status, 200);
        }
    });

    it("keeps the standby nodes created but stopped", async () => {
        for (const node of ["node-3", "node-4"]) {
            const info = await docker().getContainer(stack.containerName(node)).inspect();
            assert.equal(info.State.Running, false, `${node} should be stopped`);
            assert.equal(info.Config.Labels["cloudlab.node"], node);
        }
        for (const node of ["node-1", "node-2"]) {
            const info = await docker().getContainer(stack.containerName(node)).inspect();
            assert.equal(info.State.Health?.Status, "healthy");
            assert.equal(info.HostConfig.NanoCpus, 0.5e9);
            assert.equal(info.HostConfig.PortBindings?.["3000/tcp"]?.[0]?.HostIp, "127.0.0.1");
        }
    });

    it("changes nothing on a second up with the same config", async () => {
        const before = await docker().listContainers({
            all: true,
            filters: { label: [`${LABELS.stack}=${stack.prefix}`] },
        });
        const result = await stack.up({ imageTag: tagA, nodeCount: "2", nodeLimit: "4" });
        const changed = result.steps.filter((s) => s.op !== "same");
        assert.deepEqual(
            changed.map((s) => `${s.op} ${s.name}`),
            [],
        );
        const after = await docker().listContainers({
            all: true,
            filters: { label: [`${LABELS.stack}=${stack.prefix}`] },
        });
        assert.deepEqual(after.map((c) => c.Id).sort(), before.map((c) => c.Id).sort());
    });

    it("deploys a new tag by replacing only the nodes, one at a time", async () => {
        const lbBefore = (await docker().getContainer(balancerContainerName(stack.prefix)).inspect()).Id;
        const started = Date.now();
        const result = await stack.up({ imageTag: tagB, nodeCount: "2", nodeLimit: "4" });
        console.log(
            `      deploy of ${tagB} (build + rolling replace of 4 nodes): ${((Date.now() - started) / 1000).toFixed(1)} s`,
        );
        const replaced = result.steps
            .filter((s) => s.op === "replace" && s.type === "docker:index/container:Container")
            .map((s) => s.name);
        assert.deepEqual(replaced.sort(), ["app-node-1", "app-node-2", "app-node-3", "app-node-4"]);
        assert.equal(
            (await docker().getContainer(balancerContainerName(stack.prefix)).inspect()).Id,
            lbBefore,
            "the balancer is untouched",
        );
        // Rolling: node-2 goes down only after node-1 is back and in service.
        const ev = (name: string, action: string) =>
            result.timeline.find((e) => e.urn.endsWith(`::${name}`) && e.action === action)!;
        assert.ok(ev("app-node-1", "delete").seq < ev("app-node-1", "create").seq);
        assert.ok(ev("app-node-1", "create").endSeq! < ev("app-node-1-in-service", "create").seq);
        assert.ok(ev("app-node-1-in-service", "create").endSeq! < ev("app-node-2", "delete").seq);
        const seen = await nodesAnswering(stack.balancerUrl, 6);
        assert.deepEqual(new Set(seen.map((s) => s.tag)), new Set([tagB]));
        assert.deepEqual(new Set(seen.map((s) => s.node)), new Set(["node-1", "node-2"]));
    });

    it("rolls back by setting the tag back, reusing the existing release without rebuilding it", async () => {
        await stack.up({ imageTag: tagA, nodeCount: "2", nodeLimit: "4" });
        assert.equal((await docker().getImage(release(tagA)).inspect()).Id, imageIdA, "the old release was rebuilt");
        for (const i of [1, 2]) assert.equal((await getJson(stack.nodeUrl(i))).body.tag, tagA);
        const seen = await nodesAnswering(stack.balancerUrl, 6);
        assert.deepEqual(new Set(seen.map((s) => s.tag)), new Set([tagA]));
    });

    it("previews a change of imageBuild or nodeBaseImage as no change at all (existing releases are not rebuilt)", async () => {
        const result = await stack.engine.preview(
            stack.config({
                imageTag: tagA,
                nodeCount: "2",
                nodeLimit: "4",
                imageBuild: "never",
                nodeBaseImage: "node:20",
            }),
        );
        assert.ok(result.ok, result.error);
        assert.deepEqual(
            result.steps.filter((s) => s.op !== "same").map((s) => `${s.op} ${s.name}`),
            [],
        );
    });

    it("refuses bad config with the one message a user reads, declaring nothing", async () => {
        const result = await stack.engine.up(stack.config({ imageTag: tagA, nodeCount: "9", nodeLimit: "4" }));
        assert.equal(result.ok, false);
        assert.match(
            result.error ?? "",
            /cloudlab: invalid stack configuration \(1 problem\):\n {2}- cloudlab:nodeCount = 9/,
        );
        assert.doesNotMatch(
            result.error ?? "",
            /unhandled exception|\n\s+at /,
            "printed as a RunError: no stack trace",
        );
        assert.deepEqual(
            result.steps.filter((s) => s.op !== "same").map((s) => `${s.op} ${s.name}`),
            [],
        );
    });

    it("moves the stack to another subnet: network and containers replaced in one up, every node answering", async () => {
        const result = await stack.up({ imageTag: tagA, nodeCount: "2", nodeLimit: "4", subnet: "10.83.0.0/24" });
        const replaced = result.steps.filter((s) => s.op === "replace").map((s) => s.name);
        for (const name of ["lab-bridge", "balancer-haproxy", "app-node-1", "app-node-4"]) {
            assert.ok(replaced.includes(name), `${name} not replaced: ${replaced.join(", ")}`);
        }
        const node1 = await docker()
            .getContainer(stack.containerName(nodeName(1)))
            .inspect();
        assert.equal(Object.values(node1.NetworkSettings.Networks)[0].IPAddress, "10.83.0.11");
        const seen = await nodesAnswering(stack.balancerUrl, 6);
        assert.deepEqual(new Set(seen.map((s) => s.node)), new Set(["node-1", "node-2"]));
    });

    it("destroys everything it created", async () => {
        const result = await stack.engine.destroy();
        assert.ok(result.ok, result.error);
        assert.deepEqual(await stack.leftovers(), []);
        await assert.rejects(getJson(stack.balancerUrl, 1000));
    });
});
