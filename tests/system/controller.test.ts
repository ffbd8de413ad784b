/**
 * The local controller, for real: a 2-node stack (nodeLimit 3) with 2 s x 2 checks. /load makes it start the
 * standby node, which then serves through the balancer; when the load ends that node is stopped again (kept),
 * never going below nodeCount; a killed node is restarted within two checks; the API refuses calls without the
 * token (401) and bad bodies (400); the socket proxy refuses everything but the controller's calls (403).
 */
import { strict as assert } from "assert";
import { docker } from "../../engine";
import { sleep, waitFor } from "../../lib/wait";
import { controllerContainerName, nodeName } from "../../components/local/names";
import { removeDockerObjectsNamed, requireDocker } from "../support/dockerSuite";
import { execIn, post } from "../support/controller";
import { getJson } from "../support/http";
import { LocalTestStack } from "../support/localStack";
import { ENGINE_TITLE } from "../support/engines";
import { testEngineKind } from "../../engine";

const CHECK_SECONDS = 2;
const EVALUATION_PERIODS = 2;
const CHECK_MS = CHECK_SECONDS * 1000;
/** Long enough for the scale-out test and a second `up` while node-3 runs. */
const LOAD_SECONDS = 100;
const SETTINGS = {
    imageTag: "ctltest",
    nodeCount: "2",
    nodeLimit: "3",
    checkPeriod: String(CHECK_SECONDS),
    evaluationPeriods: String(EVALUATION_PERIODS),
    cpuHighPercent: "60",
    cpuLowPercent: "25",
};

describe(`local controller on Docker, on the ${ENGINE_TITLE[testEngineKind()]}`, function () {
    this.timeout(20 * 60_000);
    const stack = new LocalTestStack({
        stack: "ctltest",
        lbPort: 18180,
        lbStatsPort: 18504,
        nodePortBase: 13101,
        subnet: "10.79.0.0/24",
        controllerPort: 18090,
    });
    let url = "";
    /** The /load requests of the scale-out test; they end during the next one. */
    let loads: Array<Promise<unknown>> = [];
    let token = "";
    const status = async () => {
        const r = await getJson(`${url}/status`);
        assert.equal(r.status, 200, JSON.stringify(r.body));
        return r.body;
    };
    const nodeState = (s: any, node: string) => s.nodes.find((n: any) => n.name === node)?.state;
    const running = (s: any) => s.nodes.filter((n: any) => n.state === "running").length;

    before(async function () {
        await requireDocker(this);
        console.log(`      engine: ${stack.engine.kind}`);
        await removeDockerObjectsNamed(stack.prefix);
        const result = await stack.up(SETTINGS);
        url = String(result.outputs.controllerUrl);
        token = String(result.outputs.controllerToken);
        assert.equal(url, "http://127.0.0.1:18090");
        assert.ok(token.length >= 32, "the token output");
        await waitFor(
            "the controller's first check",
            async () => {
                const s = await status();
                return s.nodes.length === 3 && running(s) === 2 ? true : JSON.stringify(s.nodes);
            },
            120_000,
            { everyMs: 1000 },
        );
    });

    after(async () => {
        const r = await stack.engine.destroy();
        if (!r.ok) console.log(`      destroy failed: ${r.error}`);
        const left = await removeDockerObjectsNamed(stack.prefix);
        if (left.length) console.log(`      cleaned up after a failure: ${left.join(", ")}`);
    });

    it("reports every node, the alarms and the bounds on GET /status, and metrics on GET /metrics", async () => {
        const s = await status();
        assert.equal(s.paused, false);
        assert.equal(s.desired, 2);
        assert.equal(s.floor, 2);
        assert.equal(s.ceiling, 3);
        assert.equal(nodeState(s, "node-3"), "standby");
        for (const n of s.nodes.filter((x: any) => x.state === "running")) {
            assert.equal(n.healthy, true, n.name);
            assert.equal(n.tag, "ctltest");
            assert.equal(n.container, `${stack.prefix}-${n.name}`);
        }
        const m = await getJson(`${url}/metrics`);
        assert.equal(m.status, 200);
        for (const name of [
            "cloudlab_controller_nodes",
            "cloudlab_node_cpu_percent",
            "cloudlab_node_memory_bytes",
            "cloudlab_node_info",
            "cloudlab_controller_scaling_actions_total",
            "cloudlab_controller_decision_seconds",
        ])
            assert.match(String(m.body), new RegExp(`^${name}`, "m"), name);
    });

    it("refuses mutating calls without the token (401) and bad bodies (400), changing nothing", async () => {
        assert.equal((await post(`${url}/pause`, "")).status, 401);
        assert.equal((await post(`${url}/pause`, "", "wrong-token-wrong-token-wrong-token")).status, 401);
        assert.equal((await post(`${url}/desired`, '{"count":3}')).status, 401);
        for (const [body, problem] of [
            ["not json", /not JSON/],
            ['{"count":9}', /outside 2\.\.3/],
            ['{"count":1}', /outside 2\.\.3/],
            ['{"count":2,"extra":true}', /unknown field/],
            ['{"count":"3"}', /integer/],
        ] as const) {
            const r = await post(`${url}/desired`, body, token);
            assert.equal(r.status, 400, body);
            assert.match(r.body.error, problem, body);
        }
        const s = await status();
        assert.equal(s.desired, 2);
        assert.equal(s.paused, false);
        const logs = (
            await docker().getContainer(controllerContainerName(stack.prefix)).logs({ stdout: true, stderr: true })
        ).toString("utf8");
        assert.match(logs, /"event":"unauthorized"/, "an unauthorized attempt is logged");
    });

    it("has a socket proxy that lets the controller's calls through and answers 403 to anything else", async () => {
        const probe = `
            const base = "http://docker-proxy:2375";
            const calls = [["GET", "/containers/json"], ["GET", "/v1.41/containers/json"], ["POST", "/containers/create"],
                ["POST", "/v1.41/containers/create"], ["DELETE", "/containers/${stack.prefix}-node-1"], ["GET", "/images/json"],
                ["POST", "/containers/${stack.prefix}-node-1/exec"]];
            (async () => { for (const [method, p] of calls) {
                const r = await fetch(base + p, { method }); console.log(method + " " + p + " " + r.status); } })();`;
        const out = await execIn(controllerContainerName(stack.prefix), ["node", "-e", probe]);
        const statusOf = (call: string) => new RegExp(`${call.replace(/[/.]/g, "\\$&")} (\\d+)`).exec(out)?.[1];
        assert.equal(statusOf("GET /containers/json"), "200", out);
        assert.equal(statusOf("GET /v1.41/containers/json"), "200", out);
        assert.equal(statusOf("POST /containers/create"), "403", out);
        assert.equal(statusOf("POST /v1.41/containers/create"), "403", out);
        assert.equal(statusOf(`DELETE /containers/${stack.prefix}-node-1`), "403", out);
        assert.equal(statusOf("GET /images/json"), "403", out);
        assert.equal(statusOf(`POST /containers/${stack.prefix}-node-1/exec`), "403", out);
        assert.equal(
            (
                await docker()
                    .getContainer(stack.containerName(nodeName(1)))
                    .inspect()
            ).State.Running,
            true,
        );
    });

    it("starts the standby node under load, within the ceiling, and the balancer sends it traffic", async () => {
        const started = Date.now();
        // Two long /load requests: both running nodes burn their CPU (the balancer spreads them).
        loads = [1, 2].map(() =>
            getJson(`${stack.balancerUrl}/load?timeout=${LOAD_SECONDS}`, 300_000).catch(() => undefined),
        );
        let maxDesired = 0;
        await waitFor(
            "node-3 running and in the balancer",
            async () => {
                const s = await status();
                maxDesired = Math.max(maxDesired, s.desired);
                const n3 = s.nodes.find((n: any) => n.name === "node-3");
                return n3?.state === "running" && n3.inBalancer ? true : JSON.stringify(n3);
            },
            120_000,
            { everyMs: 500 },
        );
        const outMs = Date.now() - started;
        await waitFor(
            "node-3 answering through the balancer",
            async () => {
                const r = await getJson(stack.balancerUrl);
                return r.body.node === "node-3" ? true : `answered by ${r.body.node}`;
            },
            30_000,
            { everyMs: 100 },
        );
        console.log(
            `      load start -> node-3 in the balancer: ${(outMs / 1000).toFixed(1)} s ` +
                `(window ${EVALUATION_PERIODS} x ${CHECK_SECONDS} s = ${(EVALUATION_PERIODS * CHECK_SECONDS).toFixed(0)} s)`,
        );
        // The load goes on: the ceiling (3) holds.
        for (let i = 0; i < 5; i++) {
            const s = await status();
            maxDesired = Math.max(maxDesired, s.desired);
            await sleep(CHECK_MS);
        }
        assert.ok(maxDesired <= 3, `desired reached ${maxDesired}`);
        const decisions = (await status()).decisions.map((d: any) => `${d.action} ${d.node ?? ""}`);
        assert.ok(decisions.includes("scale-out "), decisions.join(", "));
        assert.ok(decisions.includes("start node-3"), decisions.join(", "));
    });

    it("changes nothing on a second `up` while the controller has scaled out (it owns the running count)", async () => {
        assert.equal(
            nodeState(await status(), "node-3"),
            "running",
            `node-3 still runs (the load lasts ${LOAD_SECONDS} s)`,
        );
        const r = await stack.up(SETTINGS);
        const changed = r.steps.filter((st) => st.op !== "same").map((st) => `${st.op} ${st.name}`);
        assert.deepEqual(changed, [], "every step same");
        assert.equal(
            (
                await docker()
                    .getContainer(stack.containerName(nodeName(3)))
                    .inspect()
            ).State.Running,
            true,
        );
        await Promise.all(loads);
    });

    it("stops that node again when the load ends, keeps it, and never goes below nodeCount", async () => {
        const started = Date.now();
        let minRunning = Infinity;
        await waitFor(
            "node-3 stopped again",
            async () => {
                const s = await status();
                minRunning = Math.min(
                    minRunning,
                    s.nodes.filter((n: any) => ["running", "starting"].includes(n.state)).length,
                );
                return nodeState(s, "node-3") === "standby" ? true : `node-3 ${nodeState(s, "node-3")}`;
            },
            180_000,
            { everyMs: 500 },
        );
        console.log(`      load end -> node-3 stopped: ${((Date.now() - started) / 1000).toFixed(1)} s`);
        const n3 = await docker()
            .getContainer(stack.containerName(nodeName(3)))
            .inspect();
        assert.equal(n3.State.Running, false, "stopped");
        assert.ok(minRunning >= 2, `only ${minRunning} node(s) ran at one point`);
        // It stays at the floor: no further scale-in.
        for (let i = 0; i < 2 * EVALUATION_PERIODS; i++) {
            await sleep(CHECK_MS);
            assert.equal(running(await status()), 2);
        }
    });

    it("restarts a node killed with `docker kill` within two checks", async () => {
        const node = docker().getContainer(stack.containerName(nodeName(2)));
        await node.kill();
        const killedAt = Date.now();
        // "Within two checks": detected at the next check and restarted at once; slack for a loaded machine.
        await waitFor(
            "node-2 running again within two checks",
            async () => ((await node.inspect()).State.Running ? true : "not running"),
            2 * CHECK_MS + 10_000,
            { everyMs: 200 },
        );
        const restartedAfterMs = Date.parse((await node.inspect()).State.StartedAt) - killedAt;
        console.log(
            `      docker kill -> running again after ${(restartedAfterMs / 1000).toFixed(1)} s (${(restartedAfterMs / CHECK_MS).toFixed(1)} checks)`,
        );
        const decisions = (await status()).decisions.map((d: any) => `${d.action} ${d.node ?? ""}`);
        assert.ok(decisions.includes("restart node-2"), decisions.join(", "));
    });

    it("restarts a node whose app hangs (its health check fails)", async () => {
        const name = stack.containerName(nodeName(1));
        const before = (await docker().getContainer(name).inspect()).State.StartedAt;
        // Freeze every process of the node but its init: the port still accepts, nothing answers.
        await execIn(name, ["bash", "-c", "kill -STOP -1"]);
        await waitFor(
            "node-1 restarted and healthy again",
            async () => {
                const s = (await docker().getContainer(name).inspect()).State as any;
                return s.StartedAt !== before && s.Health?.Status === "healthy"
                    ? true
                    : `${s.Status} ${s.Health?.Status}`;
            },
            180_000,
            { everyMs: 500 },
        );
        const restarts = (await status()).decisions.filter((d: any) => d.action === "restart" && d.node === "node-1");
        assert.ok(restarts.length >= 1 && /health check fails/.test(restarts[0].reason), JSON.stringify(restarts));
    });

    it("leaves the nodes alone when the controller dies, and resumes after Docker restarts it", async () => {
        const nodes = [1, 2, 3].map((i) => docker().getContainer(stack.containerName(nodeName(i))));
        const before = await Promise.all(nodes.map(async (n) => (await n.inspect()).State));
        // SIGTERM to its PID 1 (a crash would do the same): `unless-stopped` brings it back.
        await execIn(controllerContainerName(stack.prefix), ["node", "-e", "process.kill(1, 'SIGTERM')"]);
        await waitFor(
            "the controller answering again, rebuilt from Docker",
            async () => {
                const s = await status();
                return s.decisions.some((d: any) => d.action === "rebuild") && s.desired === 2 ? true : "not yet";
            },
            60_000,
            { everyMs: 500 },
        );
        const after = await Promise.all(nodes.map(async (n) => (await n.inspect()).State));
        assert.deepEqual(
            after.map((x) => [x.Status, x.StartedAt]),
            before.map((x) => [x.Status, x.StartedAt]),
            "no node was started, stopped or restarted",
        );
        await waitFor(
            "the restarted controller seeing both nodes running",
            async () => {
                const st = await status();
                return running(st) === 2 ? true : st.nodes.map((n: any) => `${n.name} ${n.state}`).join(", ");
            },
            30_000,
            { everyMs: 500 },
        );
    });

    it("sets the desired count with POST /desired and pauses and resumes autoscaling", async () => {
        assert.deepEqual((await post(`${url}/pause`, "", token)).body, { paused: true });
        assert.deepEqual((await post(`${url}/desired`, '{"count":3}', token)).body, { desired: 3 });
        await waitFor(
            "node-3 started for desired 3",
            async () => (nodeState(await status(), "node-3") === "running" ? true : "not yet"),
            120_000,
            { everyMs: 500 },
        );
        // Paused: the idle nodes do not scale in.
        for (let i = 0; i < 2 * EVALUATION_PERIODS + 1; i++) {
            await sleep(CHECK_MS);
            assert.equal((await status()).desired, 3);
        }
        assert.deepEqual((await post(`${url}/resume`, "{}", token)).body, { paused: false });
        await waitFor(
            "scale-in after resume",
            async () => ((await status()).desired === 2 ? true : "desired still 3"),
            120_000,
            { everyMs: 500 },
        );
    });
});
