/**
 * Reads a connection in batches. HAProxy's ring forwarding sends a line as soon as it is logged, so a reader
 * that keeps up wakes once per line: at 10^4 requests/s that was 10^4 wake-ups a second of this service, and
 * as many sends of HAProxy's, taking CPU from the nodes on a small machine. Here, once the data that is there
 * has been read, the connection is paused for `everyMs`: the lines wait in the kernel's socket buffer and the
 * next read takes all of them. Nothing is lost while paused: TCP's window holds HAProxy back, and its ring
 * keeps what it cannot send yet (ACCESS_LOG_RING.bytes, seconds of lines at that rate).
 */
export interface Pausable {
    pause(): unknown;
    resume(): unknown;
}

/** The timers it uses, replaceable in tests. */
export interface BatchClock {
    /** After this turn's I/O: every chunk already readable has been delivered by then. */
    afterIo(fn: () => void): void;
    after(ms: number, fn: () => void): { cancel(): void };
}

export const realClock: BatchClock = {
    afterIo: (fn) => setImmediate(fn),
    after: (ms, fn) => {
        const t = setTimeout(fn, ms);
        return { cancel: () => clearTimeout(t) };
    },
};

export class BatchedReads {
    private waiting = false;
    private stopped = false;
    private timer?: { cancel(): void };

    constructor(
        private readonly conn: Pausable,
        private readonly everyMs: number,
        private readonly clock: BatchClock = realClock,
    ) {}

    /** Call on every chunk read: the first of a batch pauses the connection after this turn, for everyMs. */
    chunkRead(): void {
        if (this.waiting || this.stopped) return;
        this.waiting = true;
        this.clock.afterIo(() => {
            if (this.stopped) return;
            this.conn.pause();
            this.timer = this.clock.after(this.everyMs, () => {
                this.timer = undefined;
                this.waiting = false;
                this.conn.resume();
            });
        });
    }

    /** Reads on without pauses from now on (the service is stopping and drains what is buffered). */
    stop(): void {
        this.stopped = true;
        this.timer?.cancel();
        this.timer = undefined;
        this.conn.resume();
    }
}
