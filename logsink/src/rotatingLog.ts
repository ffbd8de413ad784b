/**
 * The access log on disk: lines appended to access.log in batches; when the next batch would take it past
 * maxBytes it becomes access.log.1 (access.log.1 becomes .2, ...), and the oldest beyond `files` is dropped.
 * So the log never holds more than files x maxBytes (plus one batch, at most FLUSH_BYTES, when a single batch
 * is larger than maxBytes), and every file ends on a whole line.
 */
import * as fs from "fs";
import * as path from "path";

export const LOG_BASENAME = "access.log";

/** The names of a file set of `files` files, oldest first (access.log.<files-1> .. access.log.1, access.log). */
export function logFileNames(files: number): string[] {
    return Array.from({ length: files }, (_, i) => (i === 0 ? LOG_BASENAME : `${LOG_BASENAME}.${i}`)).reverse();
}

/** Rank of a file of the set, 0 = the current one; undefined for anything else. */
export function logFileRank(name: string): number | undefined {
    if (name === LOG_BASENAME) return 0;
    const m = /^access\.log\.([1-9]\d{0,3})$/.exec(name);
    return m ? Number(m[1]) : undefined;
}

/** A batch is written at most this long after its first line: what a crash of the receiver can lose. */
export const FLUSH_MS = 200;
const FLUSH_BYTES = 256 * 1024;

export class RotatingLog {
    private fd: number;
    private size: number;
    private pending: Buffer[] = [];
    private pendingBytes = 0;
    private timer?: NodeJS.Timeout;
    /** Lines received and rotations done since start (logged by main.ts). */
    public lines = 0;
    public rotations = 0;

    constructor(
        private readonly dir: string,
        private readonly maxBytes: number,
        private readonly files: number,
    ) {
        fs.mkdirSync(dir, { recursive: true });
        // Files a larger accessLogFiles left: they would stay forever, past the bound, and in every report.
        for (const name of fs.readdirSync(dir)) {
            const rank = logFileRank(name);
            if (rank !== undefined && rank >= files) fs.rmSync(path.join(dir, name), { force: true });
        }
        this.fd = fs.openSync(this.file(0), "a");
        this.size = fs.fstatSync(this.fd).size;
    }

    private file(rank: number): string {
        return path.join(this.dir, rank === 0 ? LOG_BASENAME : `${LOG_BASENAME}.${rank}`);
    }

    /** One line (without its newline; a trailing one is removed). */
    append(line: Buffer | string): void {
        let buf = typeof line === "string" ? Buffer.from(line) : line;
        while (buf.length > 0 && (buf[buf.length - 1] === 0x0a || buf[buf.length - 1] === 0x0d))
            buf = buf.subarray(0, buf.length - 1);
        if (buf.length === 0) return;
        this.pending.push(buf, NEWLINE);
        this.pendingBytes += buf.length + 1;
        this.lines++;
        if (this.pendingBytes >= FLUSH_BYTES) this.flush();
        else this.timer ??= setTimeout(() => this.flush(), FLUSH_MS);
    }

    flush(): void {
        if (this.timer) clearTimeout(this.timer);
        this.timer = undefined;
        if (this.pendingBytes === 0) return;
        if (this.size > 0 && this.size + this.pendingBytes > this.maxBytes) this.rotate();
        const data = Buffer.concat(this.pending, this.pendingBytes);
        this.pending = [];
        this.pendingBytes = 0;
        fs.writeSync(this.fd, data);
        this.size += data.length;
    }

    private rotate(): void {
        fs.closeSync(this.fd);
        // Renaming onto the oldest file replaces it: the set never holds more than `files`.
        for (let rank = this.files - 2; rank >= 0; rank--)
            if (fs.existsSync(this.file(rank))) fs.renameSync(this.file(rank), this.file(rank + 1));
        this.fd = fs.openSync(this.file(0), "a");
        this.size = 0;
        this.rotations++;
    }

    close(): void {
        this.flush();
        fs.closeSync(this.fd);
    }
}

const NEWLINE = Buffer.from("\n");

/** The text of a file set, oldest first (what the report parses); files of other names are ignored. */
export function readLogFiles(files: Array<{ name: string; content: Buffer }>): string {
    return files
        .map((f) => ({ rank: logFileRank(f.name), content: f.content }))
        .filter((f): f is { rank: number; content: Buffer } => f.rank !== undefined)
        .sort((a, b) => b.rank - a.rank)
        .map((f) => f.content.toString("utf8"))
        .join("");
}

/** The file set of a directory on this machine, oldest first. */
export function readLogDir(dir: string): string {
    const names = fs.existsSync(dir) ? fs.readdirSync(dir) : [];
    return readLogFiles(names.map((name) => ({ name, content: fs.readFileSync(path.join(dir, name)) })));
}
