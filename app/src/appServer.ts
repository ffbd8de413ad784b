/**
 * The HTTP server of one process (a cluster worker, or the whole app in
 * tests), and its graceful drain.
 *
 * Drain sequence, started by shutdown():
 *   1. "draining": /health answers 503 at once so the balancer takes the node
 *      out of rotation, but every other route keeps serving normally for
 *      drainSeconds (the balancer needs a few health checks to notice).
 *   2. "closing": the listener stops accepting, idle keep-alive connections
 *      are closed, responses carry "Connection: close", and in-flight
 *      requests (including /load) get up to inflightTimeoutMs to finish.
 *   3. "closed": everything finished, or the bound was hit and the remaining
 *      connections were cut (reported as forced).
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import type { Logger } from "pino";
import { quoteValue } from "./config";
import { INFLIGHT_BOUND_MS } from "./drainBound";
import { ABORTED_STATUS, HttpMetrics, MetricsSource } from "./httpMetrics";
import { BackendReader, parseDataKey, wantsOrigin } from "./backendRead";
import { LoadCancelledError, LoadRunner } from "./loadCoordinator";
import { parseLoadTimeout } from "./parseLoadTimeout";
import { matchRoute, RouteMatch, splitRequestTarget } from "./router";

/**
 * Balancers (nginx upstream keepalive, AWS ALB: 60 s idle timeout) keep
 * connections to the app open longer than Node's 5 s default. If Node closed
 * first, a request sent on a connection Node is closing gets a 502; so Node
 * must outlast the balancer, and headersTimeout must exceed keepAliveTimeout.
 */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;
export const HEADERS_TIMEOUT_MS = 66_000;

export type ServerState = "serving" | "draining" | "closing" | "closed";

export interface ShutdownResult {
    /** True when in-flight requests outlived the bound and their connections were cut. */
    forced: boolean;
}

export interface AppServerOptions {
    nodeId: string;
    imageTag: string;
    drainSeconds: number;
    /** Defaults to the node's bound (drainBound.ts INFLIGHT_BOUND_MS); tests shorten it. */
    inflightTimeoutMs?: number;
    logger: Logger;
    /** Records this process's requests. */
    metrics: HttpMetrics;
    /** What GET /metrics shows; defaults to `metrics` (single process). Cluster workers ask the primary. */
    metricsSource?: MetricsSource;
    load: LoadRunner;
    /** GET /data; defaults to a 0 ms backend without cache (tests that do not read /data). */
    backend?: BackendReader;
}

const ROUTE_LIST = "/, /health, /load, /metrics, /data";

export class AppServer {
    readonly server: http.Server;
    private currentState: ServerState = "serving";
    private inflight = 0;
    private shutdownPromise: Promise<ShutdownResult> | undefined;
    private readonly inflightTimeoutMs: number;
    private readonly log: Logger;
    private readonly backend: BackendReader;

    constructor(private readonly options: AppServerOptions) {
        this.backend =
            options.backend ??
            new BackendReader({ delayMs: 0, cache: { enabled: false, ttlSeconds: 1, maxEntries: 1 } });
        this.inflightTimeoutMs = options.inflightTimeoutMs ?? INFLIGHT_BOUND_MS;
        this.log = options.logger;
        this.server = http.createServer((req, res) => this.handle(req, res));
        this.server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
        this.server.headersTimeout = HEADERS_TIMEOUT_MS;
    }

    get state(): ServerState {
        return this.currentState;
    }

    get inflightRequests(): number {
        return this.inflight;
    }

    listen(port: number, host?: string): Promise<AddressInfo> {
        return new Promise((resolve, reject) => {
            const onError = (err: Error): void => reject(err);
            this.server.once("error", onError);
            this.server.listen(port, host, () => {
                this.server.off("error", onError);
                resolve(this.server.address() as AddressInfo);
            });
        });
    }

    /** Idempotent: a second SIGTERM/SIGINT joins the drain already under way. */
    shutdown(reason: string): Promise<ShutdownResult> {
        this.shutdownPromise ??= this.runShutdown(reason);
        return this.shutdownPromise;
    }

    private async runShutdown(reason: string): Promise<ShutdownResult> {
        this.currentState = "draining";
        this.options.metrics.setDraining();
        this.log.info(
            { reason, drainSeconds: this.options.drainSeconds },
            "drain started: /health answers 503, still serving",
        );
        await sleep(this.options.drainSeconds * 1000);

        this.currentState = "closing";
        this.log.info(
            { inflight: this.inflight, boundMs: this.inflightTimeoutMs },
            "closing listener, waiting for in-flight requests",
        );
        // close() only stops accepting; its callback waits for every connection.
        // Node 18 does not close idle keep-alive connections on close() (19+ does).
        const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
        this.server.closeIdleConnections();

        let timer: NodeJS.Timeout | undefined;
        const timedOut = new Promise<"timeout">((resolve) => {
            timer = setTimeout(() => resolve("timeout"), this.inflightTimeoutMs);
        });
        const outcome = await Promise.race([closed.then(() => "closed" as const), timedOut]);
        clearTimeout(timer);

        const forced = outcome === "timeout";
        if (forced) {
            this.log.warn(
                { inflight: this.inflight },
                "in-flight requests outlived the bound, cutting their connections",
            );
            this.server.closeAllConnections();
            await closed;
        }
        this.currentState = "closed";
        this.log.info({ forced }, "listener closed, no connections left");
        return { forced };
    }

    private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
        const started = process.hrtime.bigint();
        const { pathname, query } = splitRequestTarget(req.url);
        const match = matchRoute(req.method, pathname);
        this.inflight++;

        res.once("close", () => {
            this.inflight--;
            const seconds = Number(process.hrtime.bigint() - started) / 1e9;
            const status = res.writableFinished ? res.statusCode : ABORTED_STATUS;
            this.options.metrics.observe(match.route, status, seconds);
            this.log.debug(
                { method: req.method, route: match.route, status, ms: Math.round(seconds * 1000) },
                "request",
            );
        });

        this.dispatch(req, res, match, query).catch((err: unknown) => {
            this.log.error({ err, route: match.route }, "request handler failed");
            this.sendJson(res, 500, { error: "internal error" });
        });
    }

    private async dispatch(
        req: http.IncomingMessage,
        res: http.ServerResponse,
        match: RouteMatch,
        query: string,
    ): Promise<void> {
        if (match.kind === "not-found") {
            const pathname = splitRequestTarget(req.url).pathname;
            this.sendJson(res, 404, { error: `not found: ${quoteValue(pathname)}; routes are ${ROUTE_LIST}` });
            return;
        }
        if (match.kind === "method-not-allowed") {
            this.sendJson(
                res,
                405,
                {
                    error: `method ${quoteValue(req.method ?? "")} not allowed on ${match.route}; allowed: ${match.allow.join(", ")}`,
                },
                { Allow: match.allow.join(", ") },
            );
            return;
        }

        switch (match.route) {
            case "/":
                this.sendJson(res, 200, {
                    node: this.options.nodeId,
                    tag: this.options.imageTag,
                    hostname: os.hostname(),
                    uptimeSeconds: Math.round(process.uptime() * 1000) / 1000,
                    pid: process.pid,
                });
                return;
            case "/health":
                if (this.currentState === "serving") this.sendJson(res, 200, { status: "ok" });
                else this.sendJson(res, 503, { status: "draining" });
                return;
            case "/metrics": {
                const source = this.options.metricsSource ?? this.options.metrics;
                const { contentType, body } = await source.render();
                this.send(res, 200, contentType, body);
                return;
            }
            case "/load":
                await this.handleLoad(res, query);
                return;
            case "/data": {
                const parsed = parseDataKey(query);
                if (!parsed.ok) return this.sendJson(res, 400, { error: parsed.error });
                const answer = await this.backend.read(parsed.key, wantsOrigin(req.headers["cache-control"]));
                this.sendJson(
                    res,
                    200,
                    {
                        node: this.options.nodeId,
                        key: answer.key,
                        value: answer.value,
                        // So a load test can record what it measured against (seed 001: reproducible runs).
                        backendDelayMs: this.backend.options.delayMs,
                    },
                    { "X-Cache": answer.cache },
                );
                return;
            }
        }
    }

    private async handleLoad(res: http.ServerResponse, query: string): Promise<void> {
        const parsed = parseLoadTimeout(query);
        if (!parsed.ok) {
            this.sendJson(res, 400, { error: parsed.error });
            return;
        }
        // A client that hangs up (or a forced shutdown) releases its share of the load.
        const abort = new AbortController();
        res.once("close", () => {
            if (!res.writableFinished) abort.abort();
        });
        try {
            const { threads } = await this.options.load.run(parsed.seconds, abort.signal);
            this.sendJson(res, 200, { node: this.options.nodeId, seconds: parsed.seconds, threads });
        } catch (err) {
            if (!(err instanceof LoadCancelledError)) throw err;
            this.sendJson(res, 503, { error: err.message });
        }
    }

    private sendJson(
        res: http.ServerResponse,
        status: number,
        body: unknown,
        headers: Record<string, string> = {},
    ): void {
        this.send(res, status, "application/json; charset=utf-8", JSON.stringify(body), headers);
    }

    private send(
        res: http.ServerResponse,
        status: number,
        contentType: string,
        body: string,
        headers: Record<string, string> = {},
    ): void {
        if (res.headersSent || res.destroyed) return;
        res.writeHead(status, {
            "Content-Type": contentType,
            "Content-Length": Buffer.byteLength(body),
            "Cache-Control": "no-store",
            // Once draining, make clients and the balancer reconnect (to another node) instead of reusing this socket.
            ...(this.currentState === "serving" ? {} : { Connection: "close" }),
            ...headers,
        });
        res.end(body);
    }
}

function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
}
