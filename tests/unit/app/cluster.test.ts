/**
 * The real entry point (app/src/main.ts under ts-node) as a cluster: primary +
 * 2 workers on a free 127.0.0.1 port. Covers what only the process model can
 * show: aggregated metrics, /load through the primary, worker replacement,
 * SIGTERM drain, and a bad env failing at start.
 */
import { strict as assert } from "node:assert";
import { ChildProcess, spawn } from "node:child_process";
import * as net from "node:net";
import * as path from "node:path";
import { request, requestJson, waitFor } from "./httpClient";

const MAIN = path.resolve(__dirname, "../../../app/src/main.ts");
const TS_NODE = require.resolve("ts-node/register/transpile-only");

interface LogLine {
    msg: string;
    [key: string]: unknown;
}

function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.listen(0, "127.0.0.1", () => {
            const { port } = server.address() as net.AddressInfo;
            server.close(() => resolve(port));
        });
        server.on("error", reject);
    });
}

class RunningApp {
    readonly logs: LogLine[] = [];
    stderr = "";
    exitCode: number | null | undefined = undefined;
    readonly exited: Promise<number | null>;

    constructor(readonly child: ChildProcess) {
        let buffer = "";
        child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
            buffer += chunk;
            let nl: number;
            while ((nl = buffer.indexOf("\n")) !== -1) {
                const line = buffer.slice(0, nl);
                buffer = buffer.slice(nl + 1);
                try {
                    this.logs.push(JSON.parse(line));
                } catch {
                    this.logs.push({ msg: `(not JSON) ${line}` });
                }
            }
        });
        child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (this.stderr += chunk));
        this.exited = new Promise((resolve) =>
            child.on("exit", (code) => {
                this.exitCode = code;
                resolve(code);
            }),
        );
    }

    count(msg: string): number {
        return this.logs.filter((l) => l.msg === msg).length;
    }
}

function startMain(env: Record<string, string>): RunningApp {
    const child = spawn(process.execPath, ["-r", TS_NODE, MAIN], {
        env: { ...process.env, LOG_LEVEL: "info", ...env },
        stdio: ["ignore", "pipe", "pipe"],
    });
    return new RunningApp(child);
}

describe("app/main as a cluster (real processes)", function () {
    this.timeout(60_000);
    let app: RunningApp | undefined;
    let port: number;

    afterEach(async () => {
        if (app && app.exitCode === undefined) {
            app.child.kill("SIGKILL");
            await app.exited;
        }
        app = undefined;
    });

    it("serves from 2 workers, aggregates metrics, runs /load in the primary, replaces a dead worker, drains on SIGTERM", async () => {
        port = await freePort();
        app = startMain({
            PORT: String(port),
            WORKERS: "2",
            DRAIN_SECONDS: "0.8",
            NODE_ID: "cluster-test",
            IMAGE_TAG: "v9",
        });
        const a = app;
        await waitFor(
            () => a.count("worker listening") === 2,
            30_000,
            `2 workers listening; logs: ${JSON.stringify(a.logs)} ${a.stderr}`,
        );
        const startLine = a.logs.find((l) => l.msg === "starting cluster primary")!;
        assert.equal(startLine.workers, 2);
        const cpuCount = startLine.cpuCount as number;

        const pids = new Set<number>();
        for (let i = 0; i < 8; i++) {
            const res = await requestJson(port, "/");
            assert.equal(res.status, 200);
            assert.equal(res.json.node, "cluster-test");
            assert.equal(res.json.tag, "v9");
            pids.add(res.json.pid);
        }
        assert.ok(!pids.has(a.child.pid!), "the primary itself serves nothing");

        const load = await requestJson(port, "/load?timeout=1");
        assert.equal(load.status, 200);
        assert.deepEqual(load.json, { node: "cluster-test", seconds: 1, threads: cpuCount });
        assert.equal((await requestJson(port, "/load?timeout=nope")).status, 400);

        const metrics = (await request(port, "/metrics")).body;
        assert.match(metrics, /^http_requests_total\{route="\/",status="200"\} 8$/m, "summed over both workers");
        assert.match(metrics, /^http_requests_total\{route="\/load",status="200"\} 1$/m);
        assert.match(
            metrics,
            /^cloudlab_app_info\{node="cluster-test",tag="v9"\} 1$/m,
            "not multiplied by the worker count",
        );
        assert.match(metrics, /^process_cpu_user_seconds_total /m);
        assert.match(metrics, /^cloudlab_primary_process_cpu_user_seconds_total /m);
        assert.match(metrics, new RegExp(`^cloudlab_load_threads_max ${cpuCount}$`, "m"));

        // A worker that dies is replaced.
        const victim = [...pids][0]!;
        process.kill(victim, "SIGKILL");
        await waitFor(() => a.count("worker died, replacing it") === 1, 5000, "the primary to notice");
        await waitFor(() => a.count("worker listening") === 3, 30_000, "a replacement worker");
        assert.equal((await requestJson(port, "/health")).status, 200);

        // SIGTERM: /health turns 503 while / still answers, then everything exits 0.
        a.child.kill("SIGTERM");
        await waitFor(
            () => a.count("drain started: /health answers 503, still serving") === 2,
            5000,
            "workers to start draining",
        );
        const health = await requestJson(port, "/health");
        assert.equal(health.status, 503);
        assert.deepEqual(health.json, { status: "draining" });
        assert.equal((await requestJson(port, "/")).status, 200);
        assert.equal(await a.exited, 0);
        assert.equal(a.count("worker exited"), 2);
        assert.equal(a.count("all workers exited, primary exiting"), 1);
        await assert.rejects(request(port, "/"), /ECONNREFUSED/);
    });

    it("exits at start with a clear message on a bad env value", async () => {
        app = startMain({ PORT: "abc" });
        assert.equal(await app.exited, 78);
        assert.match(app.stderr, /PORT="abc" is not valid: expected an integer 1\.\.65535/);
    });
});
