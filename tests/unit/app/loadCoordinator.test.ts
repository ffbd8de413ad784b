import { strict as assert } from "node:assert";
import { EventEmitter, getEventListeners, once } from "node:events";
import type { Worker } from "node:worker_threads";
import {
    BurnerThread,
    Clock,
    LoadCancelledError,
    LoadCoordinator,
    LoadResult,
    spawnBurnerThread,
    systemClock,
} from "../../../app/src/loadCoordinator";

// No test here asserts on elapsed wall-clock time (a loaded CI box stretches it at will): the coordinator's
// timing is driven by a fake clock and fake threads, and the real burner thread is judged by the CPU time the
// process spends, not by how long it took.

/** A clock that only moves when the test says so; timers fire in order as it passes them. */
class FakeClock implements Clock {
    private time = 1_000_000;
    private timers: Array<{ at: number; seq: number; fn: () => void }> = [];
    private seq = 0;

    now(): number {
        return this.time;
    }

    after(ms: number, fn: () => void): () => void {
        const timer = { at: this.time + ms, seq: this.seq++, fn };
        this.timers.push(timer);
        return () => (this.timers = this.timers.filter((t) => t !== timer));
    }

    advance(ms: number): void {
        const target = this.time + ms;
        for (;;) {
            const due = this.timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
            if (!due) break;
            this.timers = this.timers.filter((t) => t !== due);
            this.time = due.at;
            due.fn();
        }
        this.time = target;
    }
}

/**
 * A thread that does what the burner does, on the fake clock: it is busy until it reads (poll) a deadline
 * in the shared buffer that has passed, then exits with 0. terminate() exits with 1, like a real Worker.
 */
class FakeThread extends EventEmitter implements BurnerThread {
    alive = true;
    private readonly deadline: BigInt64Array;

    constructor(
        deadline: SharedArrayBuffer,
        private readonly clock: Clock,
    ) {
        super();
        this.deadline = new BigInt64Array(deadline);
    }

    /** The deadline as the thread reads it now, on the fake clock. */
    get deadlineAt(): number {
        return Number(Atomics.load(this.deadline, 0));
    }

    poll(): void {
        if (this.alive && BigInt(this.clock.now()) >= Atomics.load(this.deadline, 0)) this.exit(0);
    }

    exit(code: number): void {
        if (!this.alive) return;
        this.alive = false;
        this.emit("exit", code);
    }

    terminate(): Promise<number> {
        return new Promise((resolve) =>
            setImmediate(() => {
                this.exit(1);
                resolve(1);
            }),
        );
    }
}

/** A coordinator on a fake clock with fake threads, and the means to move time. */
function fakeNode(threadCount: number) {
    const clock = new FakeClock();
    const threads: FakeThread[] = [];
    const coordinator = new LoadCoordinator(
        threadCount,
        (deadline) => {
            const thread = new FakeThread(deadline, clock);
            threads.push(thread);
            return thread;
        },
        () => undefined,
        clock,
    );
    /** Let promise callbacks run and every live thread re-read the deadline (real threads do so every few ms). */
    const settle = async (): Promise<void> => {
        for (let i = 0; i < 3; i++) {
            await new Promise<void>((resolve) => setImmediate(resolve));
            for (const t of [...threads]) t.poll();
        }
    };
    const tick = async (ms: number): Promise<void> => {
        clock.advance(ms);
        await settle();
    };
    return { clock, threads, coordinator, settle, tick };
}

/** Records when a run settles, so a test can ask "answered yet?" at any fake instant. */
function track(p: Promise<LoadResult>) {
    const state: { result?: LoadResult; error?: unknown } = {};
    p.then(
        (r) => (state.result = r),
        (e: unknown) => (state.error = e),
    );
    return state;
}

describe("app/LoadCoordinator", function () {
    this.timeout(15_000);

    it("keeps every thread busy for the duration, then releases them", async () => {
        const { coordinator, settle, tick } = fakeNode(2);
        const run = track(coordinator.run(1));
        await settle();
        assert.equal(coordinator.busyThreads, 2);
        assert.equal(coordinator.totalThreadsSpawned, 2);
        await tick(999);
        assert.equal(run.result, undefined, "answered before its second was over");
        assert.equal(coordinator.busyThreads, 2, "a thread left before the deadline");
        await tick(1);
        assert.deepEqual(run.result, { threads: 2 });
        assert.equal(coordinator.activeRequests, 0);
        assert.equal(coordinator.busyThreads, 0, "threads still busy after the load ended");
        assert.equal(coordinator.totalThreadsSpawned, 2, "threads were respawned after the load ended");
    });

    it("lets concurrent requests share the pool instead of adding threads", async () => {
        const { clock, coordinator, threads, settle, tick } = fakeNode(2);
        const start = clock.now();
        const a = track(coordinator.run(1));
        const b = track(coordinator.run(1));
        const c = track(coordinator.run(2));
        await settle();
        await tick(200);
        const d = track(coordinator.run(1)); // joins at +200 ms, so it is due at +1200 ms
        await settle();
        assert.equal(coordinator.busyThreads, 2);
        assert.equal(coordinator.activeRequests, 4);
        // The pool runs to the LATEST end of all requests, whatever their order.
        assert.deepEqual(
            threads.map((t) => t.deadlineAt - start),
            [2000, 2000],
        );

        // Joined, not queued: each request answers after its own duration, while the pool runs to the latest end.
        await tick(799); // +999 ms
        assert.deepEqual(
            [a, b, c, d].map((r) => r.result !== undefined),
            [false, false, false, false],
        );
        await tick(1); // +1000 ms
        assert.deepEqual(
            [a, b, c, d].map((r) => r.result !== undefined),
            [true, true, false, false],
        );
        assert.equal(coordinator.busyThreads, 2, "the pool stopped while a request was still running");
        assert.equal(threads[0]!.deadlineAt - start, 2000);
        await tick(200); // +1200 ms
        assert.deepEqual(
            [a, b, c, d].map((r) => r.result !== undefined),
            [true, true, false, true],
        );
        await tick(799); // +1999 ms
        assert.equal(c.result, undefined);
        assert.equal(coordinator.busyThreads, 2);
        await tick(1); // +2000 ms
        assert.deepEqual(c.result, { threads: 2 });
        assert.equal(coordinator.busyThreads, 0);
        assert.equal(coordinator.totalThreadsSpawned, 2, "concurrent requests added threads");
    });

    it("cancels a request on abort and lets its threads go", async () => {
        const { coordinator, settle, tick } = fakeNode(1);
        const abort = new AbortController();
        const other = track(coordinator.run(1));
        const run = coordinator.run(60, abort.signal);
        await tick(500);
        assert.equal(coordinator.busyThreads, 1);
        abort.abort();
        await assert.rejects(run, LoadCancelledError);
        assert.equal(coordinator.activeRequests, 1);
        await settle();
        assert.equal(coordinator.busyThreads, 1, "the other request lost its thread");
        await tick(500);
        assert.deepEqual(other.result, { threads: 1 });
        // The deadline shrank back to the other request's end: the thread is gone, not spinning for 60 s.
        assert.equal(coordinator.busyThreads, 0);
        assert.equal(coordinator.activeRequests, 0);
    });

    it("refuses a request whose signal is already aborted", async () => {
        const { coordinator } = fakeNode(1);
        const abort = new AbortController();
        abort.abort();
        await assert.rejects(coordinator.run(1, abort.signal), LoadCancelledError);
        assert.equal(coordinator.totalThreadsSpawned, 0);
    });

    it("stop() cancels running loads and refuses new ones", async () => {
        const { coordinator, settle } = fakeNode(1);
        const cancelled = assert.rejects(coordinator.run(60), /shutting down/);
        await settle();
        assert.equal(coordinator.busyThreads, 1);
        await coordinator.stop();
        await cancelled;
        await assert.rejects(coordinator.run(1), LoadCancelledError);
        assert.equal(coordinator.busyThreads, 0);
        assert.equal(coordinator.activeRequests, 0);
    });

    it("replaces a thread that exited while a load is still running, but not a crashed one", async () => {
        const { coordinator, threads, tick } = fakeNode(2);
        const cancelled = assert.rejects(coordinator.run(5), LoadCancelledError);
        assert.equal(threads.length, 2);
        threads[0]!.exit(0); // read a stale deadline and left
        assert.equal(threads.length, 3);
        assert.equal(coordinator.busyThreads, 2);
        threads[1]!.exit(1); // crashed: no respawn loop
        assert.equal(threads.length, 3);
        assert.equal(coordinator.busyThreads, 1);
        // No respawn for the last few ms of a load either (it would only exit again at once).
        await tick(4_960);
        threads[2]!.exit(0);
        assert.equal(threads.length, 3);
        await coordinator.stop();
        await cancelled;
    });

    it("rejects a pool of zero threads", () => {
        assert.throws(() => new LoadCoordinator(0), RangeError);
        assert.throws(() => new LoadCoordinator(0), { name: "RangeError", message: "threadCount must be >= 1, got 0" });
    });

    it("names why a load was cancelled: aborted before, aborted during, shutting down", async () => {
        const { coordinator, tick } = fakeNode(1);
        const before = new AbortController();
        before.abort();
        await assert.rejects(coordinator.run(1, before.signal), {
            name: "LoadCancelledError",
            message: "load cancelled: request aborted",
        });
        const during = new AbortController();
        const run = coordinator.run(1, during.signal);
        await tick(100);
        during.abort();
        await assert.rejects(run, { name: "LoadCancelledError", message: "load cancelled: request aborted" });
        await coordinator.stop();
        await assert.rejects(coordinator.run(1), {
            name: "LoadCancelledError",
            message: "load cancelled: shutting down",
        });
    });

    it("stops listening to a request's signal once its load is over", async () => {
        const { coordinator, tick } = fakeNode(1);
        const abort = new AbortController();
        const run = track(coordinator.run(1, abort.signal));
        assert.equal(getEventListeners(abort.signal, "abort").length, 1);
        await tick(1000);
        assert.deepEqual(run.result, { threads: 1 });
        assert.equal(getEventListeners(abort.signal, "abort").length, 0);
    });

    it("respawns a thread with more than 50 ms of the load left, not with exactly 50", async () => {
        const { coordinator, threads, tick } = fakeNode(1);
        const run = track(coordinator.run(1));
        await tick(949); // 51 ms left
        threads[0]!.exit(0);
        assert.equal(threads.length, 2);
        await tick(1); // 50 ms left
        threads[1]!.exit(0);
        assert.equal(threads.length, 2);
        assert.equal(coordinator.busyThreads, 0);
        await tick(50);
        assert.deepEqual(run.result, { threads: 1 });
    });

    it("reports a thread's error to onThreadError", async () => {
        const errors: Error[] = [];
        const clock = new FakeClock();
        const threads: FakeThread[] = [];
        const coordinator = new LoadCoordinator(
            1,
            (deadline) => {
                const thread = new FakeThread(deadline, clock);
                threads.push(thread);
                return thread;
            },
            (err) => errors.push(err),
            clock,
        );
        const run = track(coordinator.run(1));
        const boom = new Error("boom");
        threads[0]!.emit("error", boom);
        assert.deepEqual(errors, [boom]);
        clock.advance(1000);
        await new Promise<void>((resolve) => setImmediate(resolve));
        assert.deepEqual(run.result, { threads: 1 });
    });

    it("the system clock's after() calls back once, and not at all when cancelled", async () => {
        const calls: string[] = [];
        systemClock.after(5, () => calls.push("kept"));
        const cancel = systemClock.after(5, () => calls.push("cancelled"));
        cancel();
        await new Promise<void>((resolve) => setTimeout(resolve, 50));
        assert.deepEqual(calls, ["kept"]);
    });

    describe("real burner threads (judged by CPU time, not elapsed time)", () => {
        // A failing assertion must not leave a thread spinning for minutes (mocha would wait for it).
        const cleanups: Array<() => Promise<unknown>> = [];
        afterEach(async () => {
            await Promise.all(cleanups.splice(0).map((c) => c().catch(() => undefined)));
        });

        /** CPU seconds this process has used since `since` (all threads). */
        const cpuSince = (since: NodeJS.CpuUsage): number => {
            const d = process.cpuUsage(since);
            return (d.user + d.system) / 1e6;
        };
        /** Resolves once cond() holds; rejects if the thread exits first. No time limit but mocha's. */
        const untilOrExit = (thread: BurnerThread, cond: () => boolean, what: string): Promise<void> =>
            new Promise((resolve, reject) => {
                const onExit = (code: number) => {
                    clearInterval(poll);
                    reject(new Error(`thread exited (code ${code}) before ${what}`));
                };
                const poll = setInterval(() => {
                    if (!cond()) return;
                    clearInterval(poll);
                    (thread as unknown as EventEmitter).off("exit", onExit);
                    resolve();
                }, 10);
                thread.on("exit", onExit);
            });

        it("spins (burns CPU) until the shared deadline, then exits by itself with 0", async () => {
            const buffer = new SharedArrayBuffer(8);
            const deadline = new BigInt64Array(buffer);
            Atomics.store(deadline, 0, BigInt(Date.now() + 600_000));
            const before = process.cpuUsage();
            const thread = spawnBurnerThread(buffer);
            cleanups.push(() => thread.terminate());
            // An idle process would take minutes to use 0.3 s of CPU; a spinning thread does so in ~0.3 s of its time.
            await untilOrExit(thread, () => cpuSince(before) >= 0.3, "burning 0.3 s of CPU");
            const exited = once(thread as unknown as EventEmitter, "exit");
            Atomics.store(deadline, 0, 0n); // a shortened deadline is seen without any message
            assert.deepEqual(await exited, [0]);
        });

        it("keeps each burner thread's heap small (16 MB old, 4 MB young generation)", async () => {
            const thread = spawnBurnerThread(new SharedArrayBuffer(8)) as unknown as Worker;
            const exited = once(thread, "exit"); // deadline 0: already passed, the thread leaves at once
            const { maxOldGenerationSizeMb, maxYoungGenerationSizeMb } = thread.resourceLimits!;
            assert.deepEqual(
                { maxOldGenerationSizeMb, maxYoungGenerationSizeMb },
                {
                    maxOldGenerationSizeMb: 16,
                    maxYoungGenerationSizeMb: 4,
                },
            );
            assert.deepEqual(await exited, [0]);
        });

        it("runs real threads for a load and lets them go when it is cancelled", async () => {
            const coordinator = new LoadCoordinator(1);
            cleanups.push(() => coordinator.stop());
            const abort = new AbortController();
            const before = process.cpuUsage();
            const run = coordinator.run(600, abort.signal);
            assert.equal(coordinator.busyThreads, 1);
            await new Promise<void>((resolve) => {
                const poll = setInterval(() => {
                    if (cpuSince(before) < 0.3) return;
                    clearInterval(poll);
                    resolve();
                }, 10);
            });
            abort.abort();
            await assert.rejects(run, LoadCancelledError);
            await new Promise<void>((resolve) => {
                const poll = setInterval(() => {
                    if (coordinator.busyThreads !== 0) return;
                    clearInterval(poll);
                    resolve();
                }, 10);
            });
            assert.equal(coordinator.totalThreadsSpawned, 1);
        });
    });
});
