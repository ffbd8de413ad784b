/**
 * Prometheus metrics of one process. Each process gets its own Registry (not
 * prom-client's global one) so tests can create many servers side by side.
 * In cluster mode the primary aggregates the workers' registries.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { LoadCoordinator } from "./loadCoordinator";
import type { RouteName } from "./router";

/** Where GET /metrics gets its text: this process's registry, or the cluster primary over IPC. */
export interface MetricsSource {
    render(): Promise<{ contentType: string; body: string }>;
}

/**
 * Buckets up to 600 s because /load legitimately runs that long; the default
 * prom-client buckets stop at 10 s and would put every /load in +Inf.
 */
export const DURATION_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

/** Status label for a response whose connection closed before it was sent. */
export const ABORTED_STATUS = "aborted";

export interface HttpMetricsOptions {
    nodeId: string;
    imageTag: string;
    /** process_* and nodejs_* metrics; off in tests that only look at HTTP metrics. */
    defaultMetrics?: boolean;
}

export class HttpMetrics implements MetricsSource {
    readonly registry = new Registry();
    private readonly requests: Counter<"route" | "status">;
    private readonly duration: Histogram<"route" | "status">;
    private readonly draining: Gauge;

    constructor(options: HttpMetricsOptions) {
        if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry });

        this.requests = new Counter({
            name: "http_requests_total",
            help: "HTTP requests answered, by route pattern and status code",
            labelNames: ["route", "status"],
            registers: [this.registry],
        });
        this.duration = new Histogram({
            name: "http_request_duration_seconds",
            help: "HTTP request latency in seconds, by route pattern and status code",
            labelNames: ["route", "status"],
            buckets: DURATION_BUCKETS,
            registers: [this.registry],
        });
        const info = new Gauge({
            name: "cloudlab_app_info",
            help: "Constant 1, labelled with the node id and image tag of this app",
            labelNames: ["node", "tag"],
            registers: [this.registry],
            // Identical in every worker: summing would report the worker count instead of 1.
            aggregator: "first",
        });
        info.set({ node: options.nodeId, tag: options.imageTag }, 1);
        this.draining = new Gauge({
            name: "cloudlab_app_draining",
            help: "1 once SIGTERM was received and /health answers 503",
            registers: [this.registry],
            aggregator: "max",
        });
        this.draining.set(0);
    }

    observe(route: RouteName, status: number | typeof ABORTED_STATUS, seconds: number): void {
        const labels = { route, status: String(status) };
        this.requests.inc(labels);
        this.duration.observe(labels, seconds);
    }

    setDraining(): void {
        this.draining.set(1);
    }

    async render(): Promise<{ contentType: string; body: string }> {
        return { contentType: this.registry.contentType, body: await this.registry.metrics() };
    }
}

/**
 * Gauges of the node's CPU-load pool, registered where the pool lives: the
 * cluster primary (or the single process in tests). Read at scrape time.
 */
export function registerLoadMetrics(registry: Registry, coordinator: LoadCoordinator): void {
    new Gauge({
        name: "cloudlab_load_threads_busy",
        help: "Threads currently spinning for /load (at most cloudlab_load_threads_max)",
        registers: [registry],
        collect() {
            this.set(coordinator.busyThreads);
        },
    });
    new Gauge({
        name: "cloudlab_load_threads_max",
        help: "CPUs this node is given, and so the cap on /load threads",
        registers: [registry],
        collect() {
            this.set(coordinator.threadCount);
        },
    });
    new Gauge({
        name: "cloudlab_load_requests_active",
        help: "/load requests currently sharing the thread pool",
        registers: [registry],
        collect() {
            this.set(coordinator.activeRequests);
        },
    });
}

/**
 * Metrics of the cluster primary itself, appended to the workers' aggregate.
 * Prefixed because they are a different process: /load burns its CPU in the
 * primary's threads, which the workers' process_cpu_* would never show.
 */
export const PRIMARY_METRICS_PREFIX = "cloudlab_primary_";

export function createPrimaryRegistry(coordinator: LoadCoordinator): Registry {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry, prefix: PRIMARY_METRICS_PREFIX });
    registerLoadMetrics(registry, coordinator);
    return registry;
}

/** Two exposition texts with disjoint metric names concatenate into a valid one. */
export function joinExpositions(...texts: string[]): string {
    return (
        texts
            .map((t) => t.trim())
            .filter((t) => t !== "")
            .join("\n") + "\n"
    );
}
