import { strict as assert } from "node:assert";
import * as http from "node:http";
import * as os from "node:os";
import pino from "pino";
import { AppServer, AppServerOptions, HEADERS_TIMEOUT_MS, KEEP_ALIVE_TIMEOUT_MS } from "../../../app/src/appServer";
import { BackendReader } from "../../../app/src/backendRead";
import { HttpMetrics, registerLoadMetrics } from "../../../app/src/httpMetrics";
import { LoadCancelledError, LoadCoordinator } from "../../../app/src/loadCoordinator";
import { request, requestJson, sleep, waitFor } from "./httpClient";

interface Started {
    app: AppServer;
    port: number;
    coordinator: LoadCoordinator;
    metrics: HttpMetrics;
    logs: Array<{ msg: string; [key: string]: unknown }>;
}

const running: Started[] = [];

/** The log entries without the fields that change from run to run (time, pid, hostname). */
function logged(logs: Started["logs"]): Array<Record<string, unknown>> {
    return logs.map(({ time: _t, pid: _p, hostname: _h, ...rest }) => rest);
}

/** GET over a keep-alive connection (the shared client always sends Connection: close). */
function keepAliveGet(port: number, path: string, agent: http.Agent): Promise<http.IncomingMessage> {
    return new Promise((resolve, reject) =>
        http
            .get({ host: "127.0.0.1", port, path, agent }, (res) => {
                res.resume();
                res.on("end", () => resolve(res));
            })
            .on("error", reject),
    );
}

/** The app in single-process mode on an ephemeral 127.0.0.1 port, logging into an array. */
async function startApp(options: Partial<AppServerOptions> = {}, logLevel = "info"): Promise<Started> {
    const coordinator = new LoadCoordinator(1);
    const metrics = new HttpMetrics({ nodeId: "node-test", imageTag: "v-test" });
    registerLoadMetrics(metrics.registry, coordinator);
    const logs: Started["logs"] = [];
    const logger = pino({ level: logLevel }, { write: (line: string) => logs.push(JSON.parse(line)) });
    const app = new AppServer({
        nodeId: "node-test",
        imageTag: "v-test",
        drainSeconds: 0.3,
        logger,
        metrics,
        load: coordinator,
        ...options,
    });
    const { port } = await app.listen(0, "127.0.0.1");
    const started = { app, port, coordinator, metrics, logs };
    running.push(started);
    return started;
}

describe("app/AppServer (single process, real HTTP)", function () {
    this.timeout(15_000);

    afterEach(async () => {
        for (const { app, coordinator } of running.splice(0)) {
            app.server.closeAllConnections();
            app.server.close();
            await coordinator.stop();
        }
    });

    describe("routes", () => {
        it("GET /data reads through the node's cache: MISS, HIT, BYPASS with Cache-Control: no-cache; 400 names a bad key", async () => {
            const backend = new BackendReader({ delayMs: 1, cache: { enabled: true, ttlSeconds: 60, maxEntries: 10 } });
            const { port } = await startApp({ backend });
            const first = await request(port, "/data?key=k1");
            assert.equal(first.status, 200);
            assert.equal(first.headers["x-cache"], "MISS");
            assert.deepEqual(JSON.parse(first.body), {
                node: "node-test",
                key: "k1",
                value: "value of k1",
                backendDelayMs: 1,
            });
            assert.equal((await request(port, "/data?key=k1")).headers["x-cache"], "HIT");
            const bypass = await request(port, "/data?key=k1", "GET", { "Cache-Control": "no-cache" });
            assert.equal(bypass.headers["x-cache"], "BYPASS");
            const bad = await requestJson(port, "/data?key=a%20b");
            assert.equal(bad.status, 400);
            assert.match(bad.json.error, /key="a b"/);
        });

        it("GET /data without a configured backend answers at once, with the cache OFF", async () => {
            const { port } = await startApp();
            const res = await request(port, "/data?key=a");
            assert.equal(res.status, 200);
            assert.equal(res.headers["x-cache"], "OFF");
            assert.equal(res.headers["cache-control"], "no-store");
            assert.deepEqual(JSON.parse(res.body), {
                node: "node-test",
                key: "a",
                value: "value of a",
                backendDelayMs: 0,
            });
        });

        it("GET / reports the process uptime in seconds", async () => {
            const { port } = await startApp();
            const before = process.uptime();
            const res = await requestJson(port, "/");
            const after = process.uptime();
            assert.ok(
                res.json.uptimeSeconds >= before - 0.001 && res.json.uptimeSeconds <= after + 0.001,
                `${before} <= ${res.json.uptimeSeconds} <= ${after}`,
            );
        });

        it("a 405 names the method, the route and every allowed method", async () => {
            const { port } = await startApp();
            const res = await requestJson(port, "/health", "POST");
            assert.deepEqual(res.json, { error: 'method "POST" not allowed on /health; allowed: GET, HEAD' });
        });

        it("a /load cancelled by the load pool is a 503 naming the reason", async () => {
            const { port } = await startApp({
                load: {
                    run: async () => {
                        throw new LoadCancelledError("shutting down");
                    },
                },
            });
            const res = await requestJson(port, "/load?timeout=5");
            assert.equal(res.status, 503);
            assert.deepEqual(res.json, { error: "load cancelled: shutting down" });
        });

        it("a handler that fails is a JSON 500 without details, and the error is logged with its route", async () => {
            const { port, logs } = await startApp({
                load: {
                    run: async () => {
                        throw new Error("pool exploded");
                    },
                },
            });
            const res = await requestJson(port, "/load?timeout=5");
            assert.equal(res.status, 500);
            assert.deepEqual(res.json, { error: "internal error" });
            const entry = logs.find((l) => l.msg === "request handler failed");
            assert.ok(entry, JSON.stringify(logs));
            assert.equal(entry.level, 50);
            assert.equal(entry.route, "/load");
            assert.equal((entry.err as { message: string }).message, "pool exploded");
        });

        it("counts requests in flight", async () => {
            const backend = new BackendReader({
                delayMs: 300,
                cache: { enabled: false, ttlSeconds: 1, maxEntries: 1 },
            });
            const { app, port } = await startApp({ backend });
            assert.equal(app.inflightRequests, 0);
            const pending = request(port, "/data?key=a");
            await waitFor(() => app.inflightRequests === 1, 2000, "request to arrive");
            await pending;
            await waitFor(() => app.inflightRequests === 0, 2000, "request to be counted out");
        });

        it("logs each request at debug level with method, route, status and milliseconds", async () => {
            const backend = new BackendReader({ delayMs: 60, cache: { enabled: false, ttlSeconds: 1, maxEntries: 1 } });
            const { port, logs } = await startApp({ backend }, "debug");
            await request(port, "/data?key=a");
            await waitFor(() => logs.some((l) => l.msg === "request"), 2000, "request log");
            const entry = logged(logs).find((l) => l.msg === "request")!;
            const { ms, ...rest } = entry;
            assert.deepEqual(rest, { level: 20, method: "GET", route: "/data", status: 200, msg: "request" });
            assert.ok(typeof ms === "number" && ms >= 55 && ms < 10_000, `ms ${String(ms)}`);
        });

        it("refuses to listen on a port already in use, and keeps no error listener after listening", async () => {
            const { app, port } = await startApp();
            assert.equal(app.server.listenerCount("error"), 0);
            const second = new AppServer({
                nodeId: "n",
                imageTag: "t",
                drainSeconds: 0,
                logger: pino({ level: "silent" }),
                metrics: new HttpMetrics({ nodeId: "n", imageTag: "t", defaultMetrics: false }),
                load: { run: async () => ({ threads: 1 }) },
            });
            await assert.rejects(second.listen(port, "127.0.0.1"), { code: "EADDRINUSE" });
        });

        it("GET / describes the node", async () => {
            const { port } = await startApp();
            const res = await requestJson(port, "/");
            assert.equal(res.status, 200);
            assert.match(String(res.headers["content-type"]), /^application\/json/);
            assert.deepEqual(Object.keys(res.json).sort(), ["hostname", "node", "pid", "tag", "uptimeSeconds"]);
            assert.equal(res.json.node, "node-test");
            assert.equal(res.json.tag, "v-test");
            assert.equal(res.json.hostname, os.hostname());
            assert.equal(res.json.pid, process.pid);
            assert.equal(typeof res.json.uptimeSeconds, "number");
            assert.ok(res.json.uptimeSeconds > 0);
        });

        it("GET /health is ok while serving, and HEAD works too", async () => {
            const { port } = await startApp();
            assert.deepEqual(await requestJson(port, "/health").then((r) => [r.status, r.json]), [
                200,
                { status: "ok" },
            ]);
            const head = await request(port, "/health", "HEAD");
            assert.equal(head.status, 200);
            assert.equal(head.body, "");
        });

        it("GET /load?timeout=1 burns for a second and reports the threads", async () => {
            const { port, coordinator } = await startApp();
            const started = Date.now();
            const pending = requestJson(port, "/load?timeout=1");
            await sleep(300);
            assert.equal(coordinator.busyThreads, 1);
            const res = await pending;
            assert.ok(Date.now() - started >= 950);
            assert.equal(res.status, 200);
            assert.deepEqual(res.json, { node: "node-test", seconds: 1, threads: 1 });
        });

        for (const query of [
            "",
            "?timeout",
            "?timeout=0",
            "?timeout=601",
            "?timeout=1e3",
            "?timeout=abc",
            "?timeout=5abc",
            "?timeout=1&x=2",
        ]) {
            it(`GET /load${query} is a 400 naming the problem`, async () => {
                const { port, coordinator } = await startApp();
                const res = await requestJson(port, `/load${query}`);
                assert.equal(res.status, 400);
                assert.equal(typeof res.json.error, "string");
                assert.match(res.json.error, /1\.\.600/);
                assert.equal(coordinator.totalThreadsSpawned, 0);
            });
        }

        it("unknown paths are a JSON 404", async () => {
            const { port } = await startApp();
            const res = await requestJson(port, "/nope?x=1");
            assert.equal(res.status, 404);
            assert.match(res.json.error, /not found: "\/nope"/);
        });

        it("other methods are a JSON 405 with Allow", async () => {
            const { port } = await startApp();
            const post = await requestJson(port, "/", "POST");
            assert.equal(post.status, 405);
            assert.equal(post.headers.allow, "GET, HEAD");
            assert.match(post.json.error, /POST/);
            const load = await requestJson(port, "/load?timeout=1", "DELETE");
            assert.equal(load.status, 405);
            assert.equal(load.headers.allow, "GET");
        });

        it("GET /metrics exposes request counts and latency by route pattern, plus process metrics", async () => {
            const { port } = await startApp();
            await request(port, "/");
            await request(port, "/");
            await request(port, "/health");
            await request(port, "/nope/123");
            await request(port, "/load?timeout=0");
            await request(port, "/metrics", "PUT");
            const res = await request(port, "/metrics");
            assert.equal(res.status, 200);
            assert.match(String(res.headers["content-type"]), /^text\/plain; version=0\.0\.4/);
            const text = res.body;
            assert.match(text, /^http_requests_total\{route="\/",status="200"\} 2$/m);
            assert.match(text, /^http_requests_total\{route="\/health",status="200"\} 1$/m);
            assert.match(text, /^http_requests_total\{route="other",status="404"\} 1$/m);
            assert.match(text, /^http_requests_total\{route="\/load",status="400"\} 1$/m);
            assert.match(text, /^http_requests_total\{route="\/metrics",status="405"\} 1$/m);
            assert.match(text, /^http_request_duration_seconds_bucket\{le="600",route="\/",status="200"\} 2$/m);
            assert.match(text, /^http_request_duration_seconds_count\{route="other",status="404"\} 1$/m);
            assert.ok(!text.includes("/nope"), "raw paths never become labels");
            assert.match(text, /^process_cpu_user_seconds_total /m);
            assert.match(text, /^nodejs_heap_size_used_bytes /m);
            assert.match(text, /^cloudlab_app_info\{node="node-test",tag="v-test"\} 1$/m);
            assert.match(text, /^cloudlab_load_threads_max 1$/m);
            assert.match(text, /^cloudlab_app_draining 0$/m);
        });

        it("outlasts the balancer: keepAliveTimeout 65 s, headersTimeout 66 s", async () => {
            const { app } = await startApp();
            assert.equal(KEEP_ALIVE_TIMEOUT_MS, 65_000);
            assert.equal(HEADERS_TIMEOUT_MS, 66_000);
            assert.equal(app.server.keepAliveTimeout, 65_000);
            assert.equal(app.server.headersTimeout, 66_000);
        });

        it("a client that hangs up on /load releases its load and is counted as aborted", async () => {
            const { port, coordinator, metrics } = await startApp();
            const req = http.get({ host: "127.0.0.1", port, path: "/load?timeout=60", agent: false });
            req.on("error", () => undefined);
            await waitFor(() => coordinator.activeRequests === 1, 2000, "load to start");
            req.destroy();
            await waitFor(() => coordinator.activeRequests === 0, 2000, "load to be cancelled");
            await waitFor(() => coordinator.busyThreads === 0, 2000, "threads to exit");
            const { body } = await metrics.render();
            assert.match(body, /^http_requests_total\{route="\/load",status="aborted"\} 1$/m);
        });
    });

    describe("graceful drain", () => {
        it("fails /health first, keeps serving, then closes the listener and lets in-flight requests finish", async () => {
            const { app, port, metrics, logs } = await startApp({ drainSeconds: 0.6 });
            const inflight = requestJson(port, "/load?timeout=2");
            await sleep(200);

            const shutdown = app.shutdown("test");
            assert.equal(app.state, "draining");
            assert.strictEqual(app.shutdown("again"), shutdown, "a second signal joins the same drain");

            const health = await requestJson(port, "/health");
            assert.equal(health.status, 503);
            assert.deepEqual(health.json, { status: "draining" });
            const root = await requestJson(port, "/");
            assert.equal(root.status, 200, "normal routes still serve during the drain window");
            assert.equal(root.headers.connection, "close");
            assert.match((await metrics.render()).body, /^cloudlab_app_draining 1$/m);

            await waitFor(() => app.state === "closing", 2000, "listener to close");
            await assert.rejects(request(port, "/"), /ECONNREFUSED/);

            const load = await inflight;
            assert.equal(load.status, 200, "the in-flight /load completed");
            assert.deepEqual(load.json, { node: "node-test", seconds: 2, threads: 1 });
            assert.deepEqual(await shutdown, { forced: false });
            assert.equal(app.state, "closed");

            const messages = logs.map((l) => l.msg);
            assert.ok(
                messages.some((m) => /drain started/.test(m)),
                messages.join(" | "),
            );
            assert.ok(messages.some((m) => /closing listener/.test(m)));
            assert.ok(messages.some((m) => /listener closed/.test(m)));
        });

        it("closes idle keep-alive connections instead of waiting 65 s for them", async () => {
            const { app, port } = await startApp({ drainSeconds: 0.1 });
            const agent = new http.Agent({ keepAlive: true });
            await new Promise<void>((resolve, reject) =>
                http
                    .get({ host: "127.0.0.1", port, path: "/health", agent }, (res) => res.resume().on("end", resolve))
                    .on("error", reject),
            );
            const started = Date.now();
            assert.deepEqual(await app.shutdown("test"), { forced: false });
            assert.ok(Date.now() - started < 2000, `drain took ${Date.now() - started} ms`);
            agent.destroy();
        });

        it("logs each step of a drain with its numbers, and keeps a keep-alive connection only while serving", async () => {
            const { app, port, logs } = await startApp({ drainSeconds: 0.2, inflightTimeoutMs: 5000 });
            const agent = new http.Agent({ keepAlive: true });
            assert.equal((await keepAliveGet(port, "/health", agent)).headers.connection, "keep-alive");
            const inflight = requestJson(port, "/load?timeout=1");
            await waitFor(() => app.inflightRequests === 1, 2000, "load to start");
            const shutdown = app.shutdown("SIGTERM");
            const draining = await keepAliveGet(port, "/", agent);
            assert.equal(draining.statusCode, 200);
            assert.equal(draining.headers.connection, "close");
            agent.destroy();
            assert.deepEqual(await shutdown, { forced: false });
            assert.equal((await inflight).status, 200);
            assert.deepEqual(logged(logs), [
                {
                    level: 30,
                    reason: "SIGTERM",
                    drainSeconds: 0.2,
                    msg: "drain started: /health answers 503, still serving",
                },
                { level: 30, inflight: 1, boundMs: 5000, msg: "closing listener, waiting for in-flight requests" },
                { level: 30, forced: false, msg: "listener closed, no connections left" },
            ]);
        });

        it("cuts in-flight requests that outlive the bound, and their load stops", async () => {
            const { app, port, coordinator, logs } = await startApp({ drainSeconds: 0.1, inflightTimeoutMs: 300 });
            const inflight = request(port, "/load?timeout=60");
            await waitFor(() => coordinator.activeRequests === 1, 2000, "load to start");
            const started = Date.now();
            assert.deepEqual(await app.shutdown("test"), { forced: true });
            assert.ok(Date.now() - started < 2000);
            await assert.rejects(inflight, /socket hang up|ECONNRESET/);
            assert.deepEqual(logged(logs).slice(2), [
                { level: 40, inflight: 1, msg: "in-flight requests outlived the bound, cutting their connections" },
                { level: 30, forced: true, msg: "listener closed, no connections left" },
            ]);
            await waitFor(
                () => coordinator.activeRequests === 0 && coordinator.busyThreads === 0,
                2000,
                "load to stop",
            );
        });

        it("with DRAIN_SECONDS=0 closes right away", async () => {
            const { app, port } = await startApp({ drainSeconds: 0 });
            assert.deepEqual(await app.shutdown("test"), { forced: false });
            await assert.rejects(request(port, "/health"), /ECONNREFUSED/);
        });
    });
});
