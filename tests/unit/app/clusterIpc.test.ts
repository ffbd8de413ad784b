import { strict as assert } from "node:assert";
import { EventEmitter, getEventListeners } from "node:events";
import {
    isPrimaryToWorker,
    isWorkerToPrimary,
    PrimaryChannel,
    PrimaryRequestHandler,
    PrimaryToWorker,
} from "../../../app/src/clusterIpc";
import { LoadCancelledError, LoadResult, LoadRunner } from "../../../app/src/loadCoordinator";
import { sleep, waitFor } from "./httpClient";

/** A LoadRunner that never burns CPU: resolves after `ms`, rejects with LoadCancelledError on abort. */
class FakeLoad implements LoadRunner {
    readonly signals: AbortSignal[] = [];
    constructor(private readonly ms = 20) {}
    run(_seconds: number, signal?: AbortSignal): Promise<LoadResult> {
        if (signal) this.signals.push(signal);
        return new Promise((resolve, reject) => {
            const timer = setTimeout(() => resolve({ threads: 3 }), this.ms);
            signal?.addEventListener("abort", () => {
                clearTimeout(timer);
                reject(new LoadCancelledError("request aborted"));
            });
        });
    }
}

/** Wires a worker-side PrimaryChannel to a primary-side handler the way cluster IPC does (async, serialized). */
function wire(handler: PrimaryRequestHandler, answer = true) {
    const worker = new EventEmitter();
    const sent: unknown[] = [];
    const port = {
        send(message: unknown): boolean {
            sent.push(message);
            if (answer) {
                setImmediate(() =>
                    handler.handle("1", structuredClone(message), (reply: PrimaryToWorker) =>
                        setImmediate(() => worker.emit("message", structuredClone(reply))),
                    ),
                );
            }
            return true;
        },
        on(event: string, listener: (...args: any[]) => void) {
            worker.on(event, listener);
            return this;
        },
    };
    return { worker, sent, port };
}

describe("app/clusterIpc", () => {
    it("recognises only its own message types", () => {
        assert.ok(isWorkerToPrimary({ type: "cloudlab:load-request", requestId: 1, seconds: 1 }));
        assert.ok(isPrimaryToWorker({ type: "cloudlab:drain" }));
        assert.ok(!isWorkerToPrimary({ type: "prom-client:getMetricsReq" }));
        assert.ok(!isPrimaryToWorker(null));
        assert.ok(!isPrimaryToWorker("cloudlab:drain"));
    });

    it("forwards /load to the primary and returns its thread count", async () => {
        const handler = new PrimaryRequestHandler(new FakeLoad(), {
            render: async () => ({ contentType: "t", body: "" }),
        });
        const { port } = wire(handler);
        const channel = new PrimaryChannel(port);
        assert.deepEqual(await Promise.all([channel.run(1), channel.run(2)]), [{ threads: 3 }, { threads: 3 }]);
        assert.equal(handler.runningLoads, 0);
    });

    it("cancels the primary-side load when the worker-side request aborts", async () => {
        const load = new FakeLoad(10_000);
        const handler = new PrimaryRequestHandler(load, { render: async () => ({ contentType: "t", body: "" }) });
        const { port, sent } = wire(handler);
        const channel = new PrimaryChannel(port);
        const abort = new AbortController();
        const run = channel.run(600, abort.signal);
        await waitFor(() => handler.runningLoads === 1, 1000, "load to reach the primary");
        abort.abort();
        await assert.rejects(run, LoadCancelledError);
        await waitFor(() => handler.runningLoads === 0, 1000, "primary to cancel");
        assert.ok(load.signals[0]!.aborted);
        assert.ok(sent.some((m) => (m as { type: string }).type === "cloudlab:load-cancel"));
    });

    it("releases the loads of a worker that died", async () => {
        const load = new FakeLoad(10_000);
        const handler = new PrimaryRequestHandler(load, { render: async () => ({ contentType: "t", body: "" }) });
        const replies: PrimaryToWorker[] = [];
        handler.handle("7", { type: "cloudlab:load-request", requestId: 1, seconds: 600 }, (r) => replies.push(r));
        handler.handle("8", { type: "cloudlab:load-request", requestId: 1, seconds: 600 }, (r) => replies.push(r));
        assert.equal(handler.runningLoads, 2);
        handler.forgetWorker("7");
        await waitFor(() => handler.runningLoads === 1, 1000, "worker 7 load to stop");
        assert.deepEqual(replies[0], {
            type: "cloudlab:load-response",
            requestId: 1,
            ok: false,
            cancelled: true,
            error: "load cancelled: request aborted",
        });
        handler.forgetWorker("8");
    });

    it("forwards /metrics to the primary, including its errors", async () => {
        let fail = false;
        const handler = new PrimaryRequestHandler(new FakeLoad(), {
            render: async () => {
                if (fail) throw new Error("aggregation timed out");
                return { contentType: "text/plain", body: "up 1\n" };
            },
        });
        const channel = new PrimaryChannel(wire(handler).port);
        assert.deepEqual(await channel.render(), { contentType: "text/plain", body: "up 1\n" });
        fail = true;
        await assert.rejects(channel.render(), /aggregation timed out/);
    });

    it("gives up on a primary that does not answer, and on one that disconnected", async () => {
        const handler = new PrimaryRequestHandler(new FakeLoad(), {
            render: async () => ({ contentType: "t", body: "" }),
        });
        const { port, worker } = wire(handler, false);
        const channel = new PrimaryChannel(port, 100);
        await assert.rejects(channel.render(), /did not answer/);
        const pending = channel.run(1);
        await sleep(10);
        worker.emit("disconnect");
        await assert.rejects(pending, /disconnected/);
        await assert.rejects(channel.run(1), /disconnected/);
    });

    /** A port whose primary answers each request with the reply the test builds from it. */
    function answering(answer: (request: { type: string; requestId: number }) => unknown) {
        const worker = new EventEmitter();
        const port = {
            send(message: unknown): boolean {
                const reply = answer(message as { type: string; requestId: number });
                setImmediate(() => worker.emit("message", reply));
                return true;
            },
            on(event: string, listener: (...args: any[]) => void) {
                worker.on(event, listener);
                return this;
            },
        };
        return port;
    }

    it("names the reason of a worker-side abort", async () => {
        const handler = new PrimaryRequestHandler(new FakeLoad(10_000), {
            render: async () => ({ contentType: "t", body: "" }),
        });
        const channel = new PrimaryChannel(wire(handler).port);
        const abort = new AbortController();
        const run = channel.run(600, abort.signal);
        await waitFor(() => handler.runningLoads === 1, 1000, "load to reach the primary");
        abort.abort();
        await assert.rejects(run, { name: "LoadCancelledError", message: "load cancelled: request aborted" });
        await waitFor(() => handler.runningLoads === 0, 1000, "primary to cancel");
    });

    it("stops listening to the request's signal once the primary answered", async () => {
        const handler = new PrimaryRequestHandler(new FakeLoad(), {
            render: async () => ({ contentType: "t", body: "" }),
        });
        const channel = new PrimaryChannel(wire(handler).port);
        const abort = new AbortController();
        const run = channel.run(1, abort.signal);
        assert.equal(getEventListeners(abort.signal, "abort").length, 1);
        assert.deepEqual(await run, { threads: 3 });
        assert.equal(getEventListeners(abort.signal, "abort").length, 0);
    });

    it("leaves no metrics timer behind once the primary answered", async () => {
        const handler = new PrimaryRequestHandler(new FakeLoad(), {
            render: async () => ({ contentType: "t", body: "b" }),
        });
        const channel = new PrimaryChannel(wire(handler).port, 60_000);
        // The channel's own timer, told apart from every other test's by its delay: counting the process's
        // timers would see another test's timer fire or start meanwhile.
        const made: unknown[] = [];
        const cleared: unknown[] = [];
        const realSet = globalThis.setTimeout;
        const realClear = globalThis.clearTimeout;
        globalThis.setTimeout = ((fn: () => void, ms?: number) => {
            const t = realSet(fn, ms);
            if (ms === 60_000) made.push(t);
            return t;
        }) as typeof setTimeout;
        globalThis.clearTimeout = ((t?: NodeJS.Timeout) => {
            cleared.push(t);
            realClear(t);
        }) as typeof clearTimeout;
        try {
            assert.deepEqual(await channel.render(), { contentType: "t", body: "b" });
        } finally {
            globalThis.setTimeout = realSet;
            globalThis.clearTimeout = realClear;
        }
        assert.equal(made.length, 1, "one metrics timer");
        assert.ok(cleared.includes(made[0]), "the metrics timer is cleared once the primary answered");
    });

    it("passes on the primary's load errors: a cancellation keeps its reason, another error its message", async () => {
        let reply: Record<string, unknown> = {};
        const channel = new PrimaryChannel(answering((r) => ({ ...reply, requestId: r.requestId })));
        reply = { type: "cloudlab:load-response", ok: false, cancelled: true, error: "load cancelled: shutting down" };
        await assert.rejects(channel.run(1), { name: "LoadCancelledError", message: "load cancelled: shutting down" });
        reply = { type: "cloudlab:load-response", ok: false, cancelled: false, error: "thread pool broke" };
        await assert.rejects(channel.run(1), { name: "Error", message: "thread pool broke" });
    });

    for (const [what, sent, replyType] of [
        ["a load request", "run", "cloudlab:metrics-response"],
        ["a metrics request", "render", "cloudlab:load-response"],
    ] as const) {
        it(`refuses a reply of the wrong type to ${what}`, async () => {
            const channel = new PrimaryChannel(
                answering((r) => ({
                    type: replyType,
                    requestId: r.requestId,
                    ok: true,
                    threads: 1,
                    contentType: "t",
                    body: "",
                })),
            );
            await assert.rejects(sent === "run" ? channel.run(1) : channel.render(), {
                message: `unexpected reply ${replyType}`,
            });
        });
    }

    for (const [what, send] of [
        ["has no IPC channel", undefined],
        ["cannot queue the message", () => false],
        [
            "throws on send",
            () => {
                throw new Error("channel closed");
            },
        ],
    ] as const) {
        it(`fails at once when the primary ${what}`, async () => {
            const channel = new PrimaryChannel({ send, on: () => undefined }, 60_000);
            await assert.rejects(channel.run(1), { message: "cannot reach the cluster primary" });
            await assert.rejects(channel.render(), { message: "cannot reach the cluster primary" });
        });
    }
});
