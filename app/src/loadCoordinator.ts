/**
 * CPU load generator behind GET /load.
 *
 * One pool of at most `threadCount` spinning worker_threads per node (the
 * node's CPU count). Concurrent requests JOIN the pool instead of adding
 * threads: the pool spins until the latest end time of all running requests,
 * and each request is answered when its own duration is over. So N concurrent
 * /load calls never create more than threadCount busy threads, and a call is
 * never delayed behind another one (no queue).
 *
 * In cluster mode the primary owns the only LoadCoordinator (workers forward
 * /load over IPC), which is what makes the cap node-wide rather than
 * per-worker.
 *
 * The shared deadline lives in a SharedArrayBuffer so threads see extensions
 * and cancellations without message passing; a thread exits on its own once
 * the deadline has passed, so an idle node holds no threads at all.
 */
import { Worker } from "node:worker_threads";

export interface LoadResult {
    /** Busy threads the node ran for this request (shared with concurrent requests). */
    threads: number;
}

/** Anything that can run a load of N seconds: the coordinator itself, or an IPC proxy to it. */
export interface LoadRunner {
    run(seconds: number, signal?: AbortSignal): Promise<LoadResult>;
}

export class LoadCancelledError extends Error {
    constructor(reason: string) {
        super(`load cancelled: ${reason}`);
        this.name = "LoadCancelledError";
    }
}

/** Minimal view of a thread, so tests can count spawns without real threads. */
export interface BurnerThread {
    on(event: "exit", listener: (code: number) => void): unknown;
    on(event: "error", listener: (err: Error) => void): unknown;
    terminate(): Promise<number>;
}

export type SpawnBurner = (deadline: SharedArrayBuffer) => BurnerThread;

/**
 * Where the coordinator reads the time and sets its per-request timers. It
 * must be the clock the threads compare the shared deadline with: the real
 * burner threads read Date.now(), so a fake clock goes with fake threads
 * (tests drive both by hand instead of waiting).
 */
export interface Clock {
    now(): number;
    /** Calls fn once, ms from now; the returned function cancels it. */
    after(ms: number, fn: () => void): () => void;
}

export const systemClock: Clock = {
    now: () => Date.now(),
    after: (ms, fn) => {
        const timer = setTimeout(fn, ms);
        return () => clearTimeout(timer);
    },
};

// Plain JS evaluated in the thread: no separate file to locate under ts-node vs dist.
// The inner loop bounds how often Date.now() is read; the work is just math the JIT cannot drop.
const BURNER_SOURCE = `
const { workerData } = require('node:worker_threads');
const deadline = new BigInt64Array(workerData.deadline);
let x = 0;
while (BigInt(Date.now()) < Atomics.load(deadline, 0)) {
  for (let i = 0; i < 20000; i++) x = Math.sqrt(x + i) * 1.0000001;
}
if (x === -1) console.log(x);
`;

export const spawnBurnerThread: SpawnBurner = (deadline) =>
    new Worker(BURNER_SOURCE, {
        eval: true,
        workerData: { deadline },
        // A spinner needs almost no heap; keep each thread small.
        resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 },
    });

interface ActiveLoad {
    endsAt: number;
}

/** Threads are not respawned for less than this much remaining time (avoids a respawn storm at the end). */
const RESPAWN_MIN_REMAINING_MS = 50;

export class LoadCoordinator implements LoadRunner {
    private readonly deadlineBuffer = new SharedArrayBuffer(8);
    private readonly deadline = new BigInt64Array(this.deadlineBuffer);
    private readonly threads = new Set<BurnerThread>();
    private readonly active = new Map<number, ActiveLoad>();
    private readonly cancelers = new Set<(reason: string) => void>();
    private nextId = 1;
    private stopped = false;
    private threadsSpawned = 0;

    constructor(
        readonly threadCount: number,
        private readonly spawn: SpawnBurner = spawnBurnerThread,
        private readonly onThreadError: (err: Error) => void = () => undefined,
        private readonly clock: Clock = systemClock,
    ) {
        if (!Number.isInteger(threadCount) || threadCount < 1)
            throw new RangeError(`threadCount must be >= 1, got ${threadCount}`);
    }

    /** Threads currently alive (spinning or about to exit). */
    get busyThreads(): number {
        return this.threads.size;
    }

    get activeRequests(): number {
        return this.active.size;
    }

    /** Total threads ever started; lets tests prove concurrent requests share them. */
    get totalThreadsSpawned(): number {
        return this.threadsSpawned;
    }

    run(seconds: number, signal?: AbortSignal): Promise<LoadResult> {
        if (this.stopped) return Promise.reject(new LoadCancelledError("shutting down"));
        if (signal?.aborted) return Promise.reject(new LoadCancelledError("request aborted"));
        const id = this.nextId++;
        const durationMs = seconds * 1000;

        return new Promise<LoadResult>((resolve, reject) => {
            const finish = (cancelReason?: string): void => {
                cancelTimer();
                signal?.removeEventListener("abort", onAbort);
                this.cancelers.delete(cancel);
                this.active.delete(id);
                this.publishDeadline();
                if (cancelReason === undefined) resolve({ threads: this.threadCount });
                else reject(new LoadCancelledError(cancelReason));
            };
            const cancel = (reason: string): void => finish(reason);
            const onAbort = (): void => finish("request aborted");
            const cancelTimer = this.clock.after(durationMs, () => finish());

            signal?.addEventListener("abort", onAbort, { once: true });
            this.cancelers.add(cancel);
            this.active.set(id, { endsAt: this.clock.now() + durationMs });
            this.publishDeadline();
            this.fillPool();
        });
    }

    /** Cancel every running load and wait for the threads to be gone. Used at shutdown. */
    async stop(): Promise<void> {
        this.stopped = true;
        for (const cancel of [...this.cancelers]) cancel("shutting down");
        Atomics.store(this.deadline, 0, 0n);
        await Promise.all([...this.threads].map((t) => t.terminate().catch(() => 0)));
    }

    private currentDeadline(): number {
        let max = 0;
        for (const load of this.active.values()) max = Math.max(max, load.endsAt);
        return max;
    }

    /** Shortening (a cancelled request) works too: threads re-read the deadline every few ms. */
    private publishDeadline(): void {
        Atomics.store(this.deadline, 0, BigInt(Math.round(this.currentDeadline())));
    }

    private fillPool(): void {
        while (
            !this.stopped &&
            this.threads.size < this.threadCount &&
            this.currentDeadline() - this.clock.now() > RESPAWN_MIN_REMAINING_MS
        ) {
            const thread = this.spawn(this.deadlineBuffer);
            this.threadsSpawned++;
            this.threads.add(thread);
            thread.on("error", (err) => this.onThreadError(err));
            thread.on("exit", (code) => {
                this.threads.delete(thread);
                // A thread can read the old deadline and exit just as a new request
                // extends it; refill so the pool stays at threadCount. Not after a
                // crash (code != 0), which would otherwise respawn in a loop.
                if (code === 0) this.fillPool();
            });
        }
    }
}
