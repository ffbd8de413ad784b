/**
 * The TCP connections of HAProxy's ring forwarding: each one's lines (lineStream.ts), read in batches
 * (batchedReads.ts), and on stop drained before the files close, so the lines a paused connection still
 * buffers are written rather than lost with the process.
 */
import type * as net from "net";
import { BatchClock, BatchedReads, realClock } from "./batchedReads";
import { LineStream } from "./lineStream";

/**
 * Options of the listening server: a paused connection then stops reading after its current chunk (Node's
 * default keeps reading into its own buffer up to 16 KiB), so a batch waits in the kernel, not in this process.
 */
export const RING_SERVER_OPTIONS: net.ServerOpts = { highWaterMark: 1 };

export class RingConnections {
    private readonly open = new Map<net.Socket, { lines: LineStream; reads: BatchedReads }>();

    constructor(
        private readonly append: (line: Buffer) => void,
        private readonly everyMs: number,
        private readonly onError: (err: Error) => void,
        private readonly clock: BatchClock = realClock,
    ) {}

    accept(conn: net.Socket): void {
        const lines = new LineStream(this.append);
        const reads = new BatchedReads(conn, this.everyMs, this.clock);
        this.open.set(conn, { lines, reads });
        conn.on("data", (chunk: Buffer) => {
            lines.push(chunk);
            reads.chunkRead();
        });
        conn.on("end", () => lines.end());
        conn.on("close", () => this.open.delete(conn));
        conn.on("error", this.onError);
    }

    /**
     * Stops pausing every connection, gives what they still buffer `drainMs` to be read, then writes each one's
     * last partial line (the report counts it as malformed rather than losing it) and calls `done`.
     */
    drain(drainMs: number, done: () => void): void {
        for (const { reads } of this.open.values()) reads.stop();
        this.clock.after(drainMs, () => {
            for (const { lines } of this.open.values()) lines.end();
            done();
        });
    }
}
