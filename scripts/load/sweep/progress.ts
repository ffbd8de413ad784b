/**
 * The sweep's progress line on stderr: the cell, its elapsed time and the requests/s of the last second. On a
 * terminal it redraws one line; in a log (CI) it writes a line every few seconds instead.
 */
export class Progress {
    private label = "";
    private second = 0;
    private durationS = 0;

    constructor(
        private readonly out: NodeJS.WriteStream | { write(s: string): boolean; isTTY?: boolean } = process.stderr,
        private readonly everyS = 5,
    ) {}

    cell(label: string, durationS: number): void {
        this.label = label;
        this.second = 0;
        this.durationS = durationS;
    }

    /** One second of the cell went by, with `answered` responses in it. */
    tick(answered: number): void {
        this.second++;
        const line = `${this.label} ${this.second}/${Math.ceil(this.durationS)} s ${bar(this.second / this.durationS)} ${answered} req/s`;
        if (this.out.isTTY) this.out.write(`\r\x1b[2K${line}`);
        else if (this.second % this.everyS === 0) this.out.write(`${line}\n`);
    }

    done(summary: string): void {
        this.out.write(`${this.out.isTTY ? "\r\x1b[2K" : ""}${this.label} done: ${summary}\n`);
    }
}

/** `[#####-----]` for a fraction 0..1. */
export function bar(fraction: number, width = 20): string {
    const n = Math.max(0, Math.min(width, Math.round(fraction * width)));
    return `[${"#".repeat(n)}${"-".repeat(width - n)}]`;
}
