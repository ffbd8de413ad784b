/**
 * Messages between the cluster primary and its workers, and both ends of them.
 *
 * Workers forward two things to the primary:
 *  - /load, because the primary owns the node's single pool of CPU-burning
 *    threads (a per-worker pool would run workers x CPUs threads);
 *  - /metrics, because only the primary can aggregate all workers'
 *    registries (prom-client's AggregatorRegistry asks every worker).
 * The primary sends "drain" to start a worker's graceful shutdown.
 *
 * All types are prefixed "cloudlab:" so they never collide with prom-client's
 * own "prom-client:*" messages on the same channel.
 */
import type { MetricsSource } from "./httpMetrics";
import { LoadCancelledError, LoadResult, LoadRunner } from "./loadCoordinator";

export type WorkerToPrimary =
    | { type: "cloudlab:load-request"; requestId: number; seconds: number }
    | { type: "cloudlab:load-cancel"; requestId: number }
    | { type: "cloudlab:metrics-request"; requestId: number };

export type PrimaryToWorker =
    | { type: "cloudlab:load-response"; requestId: number; ok: true; threads: number }
    | { type: "cloudlab:load-response"; requestId: number; ok: false; cancelled: boolean; error: string }
    | { type: "cloudlab:metrics-response"; requestId: number; ok: true; contentType: string; body: string }
    | { type: "cloudlab:metrics-response"; requestId: number; ok: false; error: string }
    | { type: "cloudlab:drain" };

function hasType(message: unknown): message is { type: string } {
    return typeof message === "object" && message !== null && typeof (message as { type?: unknown }).type === "string";
}

export function isWorkerToPrimary(message: unknown): message is WorkerToPrimary {
    return (
        hasType(message) &&
        ["cloudlab:load-request", "cloudlab:load-cancel", "cloudlab:metrics-request"].includes(message.type)
    );
}

export function isPrimaryToWorker(message: unknown): message is PrimaryToWorker {
    return (
        hasType(message) &&
        ["cloudlab:load-response", "cloudlab:metrics-response", "cloudlab:drain"].includes(message.type)
    );
}

/** The parts of `process` (in a worker) that the channel uses; an EventEmitter pair in tests. */
export interface WorkerIpcPort {
    send?(message: unknown): boolean;
    on(event: "message", listener: (message: unknown) => void): unknown;
    on(event: "disconnect", listener: () => void): unknown;
}

export const METRICS_REQUEST_TIMEOUT_MS = 10_000;

type Pending = { resolve: (message: PrimaryToWorker) => void; reject: (err: Error) => void };

/** Worker side: LoadRunner and MetricsSource implemented by asking the primary. */
export class PrimaryChannel implements LoadRunner, MetricsSource {
    private nextId = 1;
    private readonly pending = new Map<number, Pending>();
    private disconnected = false;

    constructor(
        private readonly port: WorkerIpcPort,
        private readonly metricsTimeoutMs = METRICS_REQUEST_TIMEOUT_MS,
    ) {
        port.on("message", (message) => {
            if (!isPrimaryToWorker(message) || message.type === "cloudlab:drain") return;
            const waiter = this.pending.get(message.requestId);
            if (waiter === undefined) return;
            this.pending.delete(message.requestId);
            waiter.resolve(message);
        });
        // The primary is gone: nobody will answer, fail fast instead of hanging requests.
        port.on("disconnect", () => {
            this.disconnected = true;
            for (const waiter of this.pending.values()) waiter.reject(new Error("cluster primary disconnected"));
            this.pending.clear();
        });
    }

    async run(seconds: number, signal?: AbortSignal): Promise<LoadResult> {
        const requestId = this.nextId++;
        const onAbort = (): void => {
            const waiter = this.pending.get(requestId);
            if (waiter === undefined) return;
            this.pending.delete(requestId);
            this.trySend({ type: "cloudlab:load-cancel", requestId });
            waiter.reject(new LoadCancelledError("request aborted"));
        };
        signal?.addEventListener("abort", onAbort, { once: true });
        try {
            const reply = await this.request({ type: "cloudlab:load-request", requestId, seconds });
            if (reply.type !== "cloudlab:load-response") throw new Error(`unexpected reply ${reply.type}`);
            if (reply.ok) return { threads: reply.threads };
            throw reply.cancelled
                ? new LoadCancelledError(reply.error.replace(/^load cancelled: /, ""))
                : new Error(reply.error);
        } finally {
            signal?.removeEventListener("abort", onAbort);
        }
    }

    async render(): Promise<{ contentType: string; body: string }> {
        const requestId = this.nextId++;
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_, reject) => {
            timer = setTimeout(() => {
                this.pending.delete(requestId);
                reject(
                    new Error(`cluster primary did not answer the metrics request within ${this.metricsTimeoutMs} ms`),
                );
            }, this.metricsTimeoutMs);
        });
        try {
            const reply = await Promise.race([this.request({ type: "cloudlab:metrics-request", requestId }), timeout]);
            if (reply.type !== "cloudlab:metrics-response") throw new Error(`unexpected reply ${reply.type}`);
            if (!reply.ok) throw new Error(reply.error);
            return { contentType: reply.contentType, body: reply.body };
        } finally {
            clearTimeout(timer);
        }
    }

    private request(message: WorkerToPrimary & { requestId: number }): Promise<PrimaryToWorker> {
        return new Promise((resolve, reject) => {
            if (this.disconnected) {
                reject(new Error("cluster primary disconnected"));
                return;
            }
            this.pending.set(message.requestId, { resolve, reject });
            if (!this.trySend(message)) {
                this.pending.delete(message.requestId);
                reject(new Error("cannot reach the cluster primary"));
            }
        });
    }

    private trySend(message: WorkerToPrimary): boolean {
        try {
            return this.port.send !== undefined && this.port.send(message);
        } catch {
            return false;
        }
    }
}

/**
 * Primary side: answers workers' load and metrics requests. Keeps each
 * worker's running loads so they are released when the worker cancels one or
 * dies (otherwise a crashed worker's 600 s load would keep burning).
 */
export class PrimaryRequestHandler {
    private readonly loads = new Map<string, AbortController>();

    constructor(
        private readonly load: LoadRunner,
        private readonly metrics: MetricsSource,
    ) {}

    handle(workerKey: string, message: unknown, reply: (message: PrimaryToWorker) => void): void {
        if (!isWorkerToPrimary(message)) return;
        switch (message.type) {
            case "cloudlab:load-request":
                this.startLoad(workerKey, message.requestId, message.seconds, reply);
                return;
            case "cloudlab:load-cancel":
                this.loads.get(`${workerKey}/${message.requestId}`)?.abort();
                return;
            case "cloudlab:metrics-request": {
                const { requestId } = message;
                this.metrics.render().then(
                    ({ contentType, body }) =>
                        reply({ type: "cloudlab:metrics-response", requestId, ok: true, contentType, body }),
                    (err: unknown) =>
                        reply({ type: "cloudlab:metrics-response", requestId, ok: false, error: errorMessage(err) }),
                );
                return;
            }
        }
    }

    /** The worker exited: release the loads it was waiting for. */
    forgetWorker(workerKey: string): void {
        for (const [key, controller] of this.loads) {
            if (key.startsWith(`${workerKey}/`)) controller.abort();
        }
    }

    get runningLoads(): number {
        return this.loads.size;
    }

    private startLoad(
        workerKey: string,
        requestId: number,
        seconds: number,
        reply: (message: PrimaryToWorker) => void,
    ): void {
        const key = `${workerKey}/${requestId}`;
        const controller = new AbortController();
        this.loads.set(key, controller);
        this.load
            .run(seconds, controller.signal)
            .then(
                ({ threads }) => reply({ type: "cloudlab:load-response", requestId, ok: true, threads }),
                (err: unknown) =>
                    reply({
                        type: "cloudlab:load-response",
                        requestId,
                        ok: false,
                        cancelled: err instanceof LoadCancelledError,
                        error: errorMessage(err),
                    }),
            )
            .finally(() => this.loads.delete(key));
    }
}

function errorMessage(err: unknown): string {
    return err instanceof Error ? err.message : String(err);
}
