/**
 * The lines of a TCP stream from HAProxy's ring forwarding (a `ring` section with `format raw` sends each
 * message followed by a newline, RFC 6587's non-transparent framing): chunks in, whole lines out, a partial
 * line kept for the next chunk. A line longer than maxLine without its newline is cut there (HAProxy's own
 * maxlen bounds what it sends; this only bounds memory).
 */
export class LineStream {
    private rest: Buffer = Buffer.alloc(0);

    constructor(
        private readonly onLine: (line: Buffer) => void,
        private readonly maxLine = 64 * 1024,
    ) {}

    push(chunk: Buffer): void {
        let data = this.rest.length > 0 ? Buffer.concat([this.rest, chunk]) : chunk;
        let start = 0;
        for (let nl = data.indexOf(0x0a, start); nl !== -1; nl = data.indexOf(0x0a, start)) {
            if (nl > start) this.onLine(data.subarray(start, nl));
            start = nl + 1;
        }
        data = data.subarray(start);
        while (data.length > this.maxLine) {
            this.onLine(data.subarray(0, this.maxLine));
            data = data.subarray(this.maxLine);
        }
        // A copy: the chunk's buffer is not ours to keep.
        this.rest = Buffer.from(data);
    }

    /** The connection ended: a last line without its newline is a line all the same. */
    end(): void {
        if (this.rest.length > 0) this.onLine(this.rest);
        this.rest = Buffer.alloc(0);
    }
}
