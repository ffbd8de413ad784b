/**
 * The controller owns the running count (issue 10): a deploy (imageTag change) while it has 4 nodes running
 * (nodeCount 2, nodeLimit 4) loses no request and ends with 4 serving. node-1 and node-2 are declared running, so
 * the rolling deploy brings each back itself; node-3 and node-4 are declared standby, so their new containers are
 * created stopped and the controller starts each at the first check that sees it on its network, its create done
 * (never another standby, never a start followed by a stop). "In service" counts the backend's servers only
 * (HAProxy's BACKEND totals row is UP too). Then `docker kill` of the controller: the nodes are untouched, Docker leaves it
 * stopped (a kill is a manual stop, for every restart policy), and `up` after a refresh recreates it.
 */
import { strict as assert } from "assert";
import { BACKEND } from "../../components/render/haproxyConfig";
import { docker } from "../../engine";
import { fetchStatsCsv, serversInService } from "../../components/hooks/haproxyStats";
import { sleep, waitFor } from "../../lib/wait";
import { BackgroundLoad, describeLoad } from "../support/backgroundLoad";
import { post } from "../support/controller";
import { controllerContainerName } from "../../components/local/names";
import { removeDockerObjectsNamed, requireDocker } from "../support/dockerSuite";
import { getJson } from "../support/http";
import { LocalTestStack, mustSucceed, nodesAnswering } from "../support/localStack";
import { ENGINE_TITLE } from "../support/engines";
import { testEngineKind } from "../../engine";

const CHECK_SECONDS = 2;
const CHECK_MS = CHECK_SECONDS * 1000;
const NODES = ["node-1", "node-2", "node-3", "node-4"];
const SETTINGS = {
    imageTag: "ops-a",
    nodeCount: "2",
    nodeLimit: "4",
    checkPeriod: String(CHECK_SECONDS),
    evaluationPeriods: "2",
    cpuHighPercent: "60",
    // CPU below 0 % never happens: no scale-in in this file, so the controller that resumes after the kill has no
    // reason to stop an idle node, and any node it (or anything else) starts, stops or restarts is a failure.
    cpuLowPercent: "0",
};

/** The nodes HAProxy has in service (exactly "UP"). */
async function serving(statsUrl: string): Promise<string[]> {
    return [...serversInService(await fetchStatsCsv(statsUrl), BACKEND)];
}

/** true when all 4 nodes are in service, else what is (for the wait's timeout message). */
async function fourServing(statsUrl: string): Promise<true | string> {
    const now = await serving(statsUrl);
    return now.length === NODES.length ? true : `in service: ${now.join(", ") || "none"}`;
}

describe(`local controller during a deploy, and killed, on the ${ENGINE_TITLE[testEngineKind()]}`, function () {
    this.timeout(20 * 60_000);
    const stack = new LocalTestStack({
        stack: "ctldeploy",
        lbPort: 18380,
        lbStatsPort: 18704,
        nodePortBase: 13301,
        subnet: "10.88.0.0/24",
        controllerPort: 18190,
    });
    let url = "";
    let token = "";
    const status = async () => {
        const r = await getJson(`${url}/status`);
        assert.equal(r.status, 200, JSON.stringify(r.body));
        return r.body;
    };
    const container = (node: string) => docker().getContainer(stack.containerName(node));

    before(async function () {
        await requireDocker(this);
        await removeDockerObjectsNamed(stack.prefix);
        const result = await stack.up(SETTINGS);
        url = String(result.outputs.controllerUrl);
        token = String(result.outputs.controllerToken);
        await waitFor("the controller's first check", async () => (await status()).desired === 2 || "not yet", 120_000);
    });

    after(async () => {
        await stack.engine.destroy().catch(() => undefined);
        await removeDockerObjectsNamed(stack.prefix);
    });

    it("keeps 4 serving through a deploy while the controller runs 4 nodes, losing no request", async () => {
        // Paused, so the idle nodes are not scaled in meanwhile; starting replaced nodes is not scaling.
        assert.equal((await post(`${url}/pause`, "", token)).status, 200);
        assert.equal((await post(`${url}/desired`, '{"count":4}', token)).status, 200);
        await waitFor("4 nodes in service", async () => fourServing(stack.statsUrl), 120_000);
        const decisionsBefore = new Set((await status()).decisions.map((d: any) => `${d.at} ${d.action} ${d.node}`));

        // The dip, sampled from the balancer every 200 ms while the deploy runs and until 4 serve again.
        const samples: Array<{ at: number; count: number }> = [];
        let sampling = true;
        const sampler = (async () => {
            while (sampling) {
                const count = await serving(stack.statsUrl).then(
                    (s) => s.length,
                    () => -1,
                );
                if (count >= 0) samples.push({ at: Date.now(), count });
                await sleep(200);
            }
        })();
        const load = new BackgroundLoad(stack.balancerUrl, { maxSeconds: 400 });
        await sleep(1000);
        const deployStart = Date.now();
        mustSucceed(await stack.engine.up(stack.config({ ...SETTINGS, imageTag: "ops-b" })));
        const upEnd = Date.now();
        await waitFor("4 nodes in service after the deploy", async () => fourServing(stack.statsUrl), 120_000, {
            everyMs: 200,
        });
        const allBack = Date.now();
        await sleep(1500);
        const seen = await load.stop();
        sampling = false;
        await sampler;

        const during = samples.filter((s) => s.at >= deployStart);
        const min = Math.min(...during.map((s) => s.count));
        const below = (n: number) => {
            let ms = 0;
            for (let i = 1; i < during.length; i++) if (during[i - 1].count < n) ms += during[i].at - during[i - 1].at;
            return (ms / 1000).toFixed(1);
        };
        console.log(`      load: ${describeLoad(seen)}`);
        console.log(
            `      deploy of 4 nodes: up ${((upEnd - deployStart) / 1000).toFixed(1)} s, 4 serving again ` +
                `${((allBack - upEnd) / 1000).toFixed(1)} s after it; fewest serving ${min}, ` +
                `fewer than 4 for ${below(4)} s, fewer than 3 for ${below(3)} s`,
        );
        assert.equal(seen.failed, 0, `the deploy cost requests: ${describeLoad(seen)}`);
        assert.ok(seen.requests > 100, describeLoad(seen));

        const answering = await nodesAnswering(stack.balancerUrl, 12);
        assert.deepEqual(new Set(answering.map((a) => a.tag)), new Set(["ops-b"]));
        assert.deepEqual(new Set(answering.map((a) => a.node)), new Set(NODES));

        const news = (await status()).decisions.filter(
            (d: any) => !decisionsBefore.has(`${d.at} ${d.action} ${d.node}`),
        );
        const acts = news
            .filter((d: any) => ["start", "stop"].includes(d.action))
            .map((d: any) => `${d.action} ${d.node}`);
        console.log(`      controller during the deploy: ${acts.join(", ")}`);
        assert.deepEqual(acts.sort(), ["start node-3", "start node-4"], JSON.stringify(news));
        for (const d of news.filter((x: any) => x.action === "start"))
            assert.match(d.reason, /replaced \(a deploy\)/, JSON.stringify(d));
    });

    it("leaves the nodes alone when the controller is killed, and resumes once a refresh and `up` recreate it", async () => {
        // Its own starting point, whatever the deploy test left: ops-b deployed (a no-op after that test) and 4
        // nodes serving, so a failure here is about the kill, never an echo of a deploy that did not happen.
        const deployed = await stack.up({ ...SETTINGS, imageTag: "ops-b" });
        const pending = deployed.steps.filter((s) => s.op !== "same").map((s) => `${s.op} ${s.name}`);
        if (pending.length > 0) console.log(`      the deploy test left ops-a: ${pending.join(", ")}`);
        assert.equal((await post(`${url}/desired`, '{"count":4}', token)).status, 200);
        await waitFor("4 nodes in service", async () => fourServing(stack.statsUrl), 120_000);
        const controller = docker().getContainer(controllerContainerName(stack.prefix));
        const before = await Promise.all(NODES.map(async (n) => (await container(n).inspect()).State));
        await controller.kill();
        await sleep(3 * CHECK_MS);
        // moby daemon/kill.go: a kill marks the container manually stopped, so no restart policy brings it back.
        const killed = await controller.inspect();
        assert.equal(killed.State.Running, false, "Docker restarted a killed container");
        assert.equal((await getJson(stack.balancerUrl)).status, 200, "the nodes serve without the controller");

        mustSucceed(await stack.engine.refresh());
        const r = await stack.up({ ...SETTINGS, imageTag: "ops-b" });
        const changed = r.steps.filter((s) => s.op !== "same").map((s) => `${s.op} ${s.name}`);
        console.log(`      up after the refresh: ${changed.join(", ")}`);
        assert.deepEqual(
            changed.filter((c) => !/ controller-/.test(c)),
            [],
            "the refresh and `up` touch nothing but the controller",
        );
        await waitFor(
            "the controller answering again, rebuilt from Docker",
            async () => {
                const s = await status();
                return s.decisions.some((d: any) => d.action === "rebuild") ? true : "not yet";
            },
            60_000,
            { everyMs: 500 },
        );
        const s = await status();
        assert.equal(s.desired, 4, "it takes the 4 running nodes as the desired count");
        const after = await Promise.all(NODES.map(async (n) => (await container(n).inspect()).State));
        assert.deepEqual(
            after.map((x) => [x.Status, x.StartedAt]),
            before.map((x) => [x.Status, x.StartedAt]),
            "no node was started, stopped or restarted",
        );
    });
});
