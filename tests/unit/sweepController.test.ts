/**
 * The sweep against a fake controller (the contract of /work/notes/controller-api.md) and fake nodes and
 * balancer on 127.0.0.1: pause, desired, resume, and resume whatever happens.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as http from "http";
import { AddressInfo } from "net";
import * as path from "path";
import { runLoad } from "../../scripts/load/run";
import {
    ControllerClient,
    ControllerStatus,
    controllerScaler,
    notYetServing,
    withAutoscalingPaused,
} from "../../scripts/load/sweep/controller";
import { parseFlags } from "../../scripts/load/sweep/flags";
import { Progress } from "../../scripts/load/sweep/progress";
import { SweepRecord } from "../../scripts/load/sweep/record";
import { SweepDeps, SweepRefused, Target, runSweep } from "../../scripts/load/sweep/runSweep";
import { tempDir } from "../support/tempDir";

const TOKEN = "t0ken";

async function listen(handler: http.RequestListener): Promise<{ url: string; server: http.Server }> {
    const server = http.createServer(handler);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** A controller that keeps `desired` and `paused`, logs every call, and wants the token on POSTs. */
async function fakeController(floor = 1, ceiling = 4) {
    const calls: string[] = [];
    const state = { paused: false, desired: floor };
    const { url, server } = await listen((req, res) => {
        let body = "";
        req.on("data", (c) => (body += c));
        req.on("end", () => {
            const send = (status: number, json: unknown) => {
                res.writeHead(status, { "Content-Type": "application/json" });
                res.end(JSON.stringify(json));
            };
            if (req.method === "POST" && req.headers.authorization !== `Bearer ${TOKEN}`) {
                calls.push(`401 ${req.url}`);
                return send(401, { error: "unauthorized" });
            }
            calls.push(`${req.method} ${req.url}${body ? ` ${body}` : ""}`);
            if (req.url === "/pause") return send(200, { paused: (state.paused = true) });
            if (req.url === "/resume") return send(200, { paused: (state.paused = false) });
            if (req.url === "/desired") {
                const n = (JSON.parse(body) as { count: number }).count;
                if (n < floor || n > ceiling) return send(400, { error: `count ${n} is outside ${floor}..${ceiling}` });
                return send(200, { desired: (state.desired = n) });
            }
            if (req.url === "/status") {
                const status: ControllerStatus = {
                    paused: state.paused,
                    desired: state.desired,
                    floor,
                    ceiling,
                    nodes: Array.from({ length: ceiling }, (_, i) => ({
                        name: `node-${i + 1}`,
                        container: `c-${i + 1}`,
                        state: i < state.desired ? "running" : "standby",
                        healthy: i < state.desired,
                        inBalancer: i < state.desired,
                        tag: "v1",
                    })),
                };
                return send(200, status);
            }
            send(404, { error: "no" });
        });
    });
    return { url, server, calls, state };
}

/** Nodes 1..4 answering GET / as themselves, and a balancer over the first `running()` of them. */
async function fakeStack(running: () => number, brokenNode?: string) {
    const info =
        (node: string): http.RequestListener =>
        (req, res) => {
            res.writeHead(200, { "Content-Type": "application/json", "X-Cache": "HIT" });
            res.end(JSON.stringify({ node, ...(req.url?.startsWith("/data") ? { backendDelayMs: 0 } : {}) }));
        };
    const nodes = await Promise.all([1, 2, 3, 4].map((i) => listen(info(`node-${i}`))));
    let turn = 0;
    const balancer = await listen((req, res) => info(`node-${(turn++ % running()) + 1}`)(req, res));
    const target = async (): Promise<Target> => ({
        url: `${balancer.url}/`,
        nodes: nodes.slice(0, running()).map((n, i) => ({
            name: `node-${i + 1}`,
            url: `node-${i + 1}` === brokenNode ? "http://127.0.0.1:1/" : `${n.url}/`,
        })),
        isStack: true,
    });
    return { target, servers: [...nodes.map((n) => n.server), balancer.server] };
}

function emptyRecord(opts: ReturnType<typeof parseFlags>): SweepRecord {
    return {
        tool: "test",
        startedAt: "",
        command: "",
        machine: "",
        target: "",
        instancesBy: "",
        load: "",
        options: opts,
        backend: { keys: 1, keyDistribution: "uniform", seed: 1 },
        connectivity: {},
        cells: [],
        warmups: [],
        knees: [],
        cacheVsNode: [],
    };
}

const quiet = new Progress({ write: () => true, isTTY: false });

/** 1 s cells without warm-up, into `outDir`. */
const shortSweep = (users: string, instances: string, outDir: string) =>
    parseFlags(["--users", users, "--instances", instances, "--duration", "1", "--warmup", "0", "--out", outDir]);

/** A sweep's dependencies against the fake controller and stack; `extra` replaces any of them. */
function deps(ctl: { url: string }, stack: { target: SweepDeps["target"] }, extra: Partial<SweepDeps> = {}): SweepDeps {
    return {
        target: stack.target,
        scaler: controllerScaler(new ControllerClient(ctl.url, TOKEN), () => undefined),
        load: runLoad,
        signal: new AbortController().signal,
        log: () => undefined,
        progress: quiet,
        ...extra,
    };
}

describe("sweep: the controller client and the sweep around it", function () {
    this.timeout(60_000);
    const servers: http.Server[] = [];
    let outDir: string;
    beforeEach(() => (outDir = tempDir("sweep-test")));
    afterEach(() => {
        for (const s of servers.splice(0)) {
            s.closeAllConnections();
            s.close();
        }
    });

    it("pauses, sets each instance count, measures every cell, and resumes", async () => {
        const ctl = await fakeController();
        const stack = await fakeStack(() => ctl.state.desired);
        servers.push(ctl.server, ...stack.servers);
        const opts = shortSweep("2,4", "1,2", outDir);
        const record = emptyRecord(opts);
        await runSweep(opts, deps(ctl, stack), record);
        assert.deepEqual(
            ctl.calls.filter((c) => !c.startsWith("GET")),
            ["POST /pause", 'POST /desired {"count":1}', 'POST /desired {"count":2}', "POST /resume"],
        );
        assert.deepEqual(
            record.cells.map((c) => [c.users, c.instances, c.nodes.join(" ")]),
            [
                [2, 1, "node-1"],
                [4, 1, "node-1"],
                [2, 2, "node-1 node-2"],
                [4, 2, "node-1 node-2"],
            ],
        );
        for (const c of record.cells) {
            const csv = fs.readFileSync(path.join(outDir, c.statsFile!), "utf8").split("\r\n");
            assert.match(csv[0], /^Type,Name,Request Count,/);
            assert.match(csv[2], /^,Aggregated,/);
            assert.ok(c.figures.requests > 0);
        }
        assert.deepEqual(Object.keys(record.connectivity), ["1 instance(s)", "2 instance(s)"]);
        assert.equal(ctl.state.paused, false);
    });

    it("refuses to measure when a node does not answer directly, and resumes autoscaling", async () => {
        const ctl = await fakeController();
        const stack = await fakeStack(() => ctl.state.desired, "node-2");
        servers.push(ctl.server, ...stack.servers);
        const opts = shortSweep("2", "1,2", outDir);
        const record = emptyRecord(opts);
        await assert.rejects(
            runSweep(opts, deps(ctl, stack), record),
            (err: Error) =>
                err instanceof SweepRefused &&
                /connectivity check failed at 2 instance\(s\): .*node-2 direct: FAILED/.test(err.message),
        );
        assert.equal(record.cells.length, 1, "the 1-instance cell was measured, none at 2");
        assert.equal(ctl.calls.filter((c) => c.startsWith("POST")).at(-1), "POST /resume");
        assert.equal(ctl.state.paused, false);
    });

    it("resumes autoscaling when interrupted (Ctrl-C aborts the sweep between cells)", async () => {
        const ctl = await fakeController();
        const stack = await fakeStack(() => ctl.state.desired);
        servers.push(ctl.server, ...stack.servers);
        const opts = shortSweep("2,3,4", "1", outDir);
        const abort = new AbortController();
        const record = emptyRecord(opts);
        const load: SweepDeps["load"] = async (spec) => {
            const f = await runLoad(spec);
            abort.abort(); // Ctrl-C during the first cell
            return f;
        };
        await runSweep(opts, deps(ctl, stack, { load, signal: abort.signal }), record);
        assert.equal(record.cells.length, 0, "the interrupted cell is not recorded");
        assert.deepEqual(fs.readdirSync(outDir), [], "nor is its _stats.csv written");
        assert.equal(ctl.state.paused, false);
        assert.equal(ctl.calls.filter((c) => c.startsWith("POST")).at(-1), "POST /resume");
    });

    it("without a controller, refuses an instance count other than the running one before any load", async () => {
        const stack = await fakeStack(() => 2);
        servers.push(...stack.servers);
        const opts = parseFlags(["--users", "2", "--instances", "1,2", "--out", outDir]);
        let loads = 0;
        await assert.rejects(
            runSweep(
                opts,
                deps({ url: "http://127.0.0.1:9" }, stack, {
                    scaler: undefined,
                    load: async (s) => (loads++, runLoad(s)),
                }),
                emptyRecord(opts),
            ),
            /--instances 1,2: 2 node\(s\) run now and setting another count needs the controller/,
        );
        assert.equal(loads, 0);
    });

    it("withAutoscalingPaused resumes after a failure and rethrows the failure", async () => {
        const ctl = await fakeController();
        servers.push(ctl.server);
        const client = new ControllerClient(ctl.url, TOKEN);
        await assert.rejects(
            withAutoscalingPaused(
                client,
                () => undefined,
                async () => {
                    throw new Error("load generator crashed");
                },
            ),
            /load generator crashed/,
        );
        assert.deepEqual(ctl.calls, ["POST /pause", "POST /resume"]);
    });

    it("sends the token, and names the problem on a 400, a 401 and a missing token", async () => {
        const ctl = await fakeController(1, 4);
        servers.push(ctl.server);
        await assert.rejects(
            new ControllerClient(ctl.url, TOKEN).setDesired(9),
            /POST .*\/desired -> 400: .*count 9 is outside 1\.\.4/,
        );
        await assert.rejects(new ControllerClient(ctl.url, "wrong").pause(), /POST .*\/pause -> 401/);
        await assert.rejects(
            new ControllerClient(ctl.url, undefined).pause(),
            /needs the controller's token: set CLOUDLAB_CONTROLLER_TOKEN/,
        );
        assert.throws(() => new ControllerClient("http://10.1.1.1:8090", TOKEN), /only 127\.0\.0\.1/);
    });

    it("counts as serving only nodes running, healthy and in the balancer, at the desired count", () => {
        const node = (name: string, state: "running" | "starting", healthy = true, inBalancer = true) => ({
            name,
            container: name,
            state,
            healthy,
            inBalancer,
            tag: "v",
        });
        const s = (desired: number, nodes: ControllerStatus["nodes"]): ControllerStatus => ({
            paused: true,
            desired,
            floor: 1,
            ceiling: 4,
            nodes,
        });
        assert.equal(notYetServing(s(2, [node("node-1", "running"), node("node-2", "running")]), 2), "");
        assert.match(
            notYetServing(s(2, [node("node-1", "running"), node("node-2", "running", true, false)]), 2),
            /1 nodes serving \(node-1\)/,
        );
        assert.match(
            notYetServing(s(2, [node("node-1", "running"), node("node-2", "starting")]), 2),
            /node-2 starting/,
        );
        assert.match(notYetServing(s(1, [node("node-1", "running")]), 2), /desired 1, not 2/);
    });
});
