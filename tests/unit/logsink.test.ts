/**
 * The access-log service (logsink/): the rotated, bounded file set it writes, the report's schedule, its
 * settings as the stack writes them, and the reports it keeps; and `npm run report` reading that file set (or,
 * for a stack without it, the balancer's Docker log).
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { LOG_BASENAME, RotatingLog, logFileNames, readLogDir, readLogFiles } from "../../logsink/src/rotatingLog";
import { LineStream } from "../../logsink/src/lineStream";
import { BatchClock, BatchedReads, realClock } from "../../logsink/src/batchedReads";
import { RING_SERVER_OPTIONS, RingConnections } from "../../logsink/src/ringConnections";
import { EventEmitter } from "events";
import * as net from "net";
import { nextRun, parseSchedule, timerStep } from "../../logsink/src/schedule";
import { ENV, logsinkEnvironment, readSettings } from "../../logsink/src/settings";
import { pruneReports, writeReport } from "../../logsink/src/report/write";
import { stackAccessLog } from "../../scripts/report/run";
import { tempDir } from "../support/tempDir";
import { SmtpSink } from "../support/smtpSink";

const FIXTURE = fs.readFileSync(path.join(__dirname, "..", "fixtures", "report", "haproxy-access.txt"), "utf8");
const tmp = () => tempDir("logsink");
const line = (i: number) => `line-${String(i).padStart(4, "0")} ${"x".repeat(40)}`;

describe("access-log files (rotated, bounded)", () => {
    it("drops the files a larger accessLogFiles left, and keeps the rest and anything else", () => {
        const dir = tmp();
        for (const name of [LOG_BASENAME, `${LOG_BASENAME}.2`, `${LOG_BASENAME}.3`, `${LOG_BASENAME}.9`, "notes.txt"])
            fs.writeFileSync(path.join(dir, name), "x\n");
        new RotatingLog(dir, 1000, 3).close();
        assert.deepEqual(fs.readdirSync(dir).sort(), [LOG_BASENAME, `${LOG_BASENAME}.2`, "notes.txt"]);
    });

    it("rotates before a file would pass maxBytes, keeps `files` files, every one ending on a whole line", () => {
        const dir = tmp();
        const log = new RotatingLog(dir, 1000, 3);
        for (let i = 0; i < 200; i++) {
            log.append(line(i));
            if (i % 5 === 4) log.flush();
        }
        log.close();
        const names = fs.readdirSync(dir).sort();
        assert.deepEqual(names, [LOG_BASENAME, `${LOG_BASENAME}.1`, `${LOG_BASENAME}.2`]);
        for (const n of names) {
            const content = fs.readFileSync(path.join(dir, n), "utf8");
            assert.ok(content.length <= 1000, `${n} is ${content.length} bytes`);
            assert.ok(content.endsWith("\n"));
        }
        // Oldest first and in order, the newest line last: the lines of the kept files, contiguous.
        const lines = readLogDir(dir).trimEnd().split("\n");
        assert.equal(lines[lines.length - 1], line(199));
        const first = Number(/^line-(\d+)/.exec(lines[0])![1]);
        assert.deepEqual(
            lines,
            Array.from({ length: 200 - first }, (_, k) => line(first + k)),
        );
        assert.ok(log.rotations > 2, "older files were dropped");
    });

    it("appends to the file a previous run left, one line per datagram (its trailing newline removed)", () => {
        const dir = tmp();
        fs.writeFileSync(path.join(dir, LOG_BASENAME), "old\n");
        const log = new RotatingLog(dir, 1 << 20, 2);
        log.append(Buffer.from("new one\n"));
        log.append("");
        log.close();
        assert.equal(fs.readFileSync(path.join(dir, LOG_BASENAME), "utf8"), "old\nnew one\n");
    });

    it("reads a file set oldest first and ignores other files", () => {
        assert.deepEqual(logFileNames(3), ["access.log.2", "access.log.1", "access.log"]);
        const text = readLogFiles([
            { name: "access.log", content: Buffer.from("c\n") },
            { name: "notes.txt", content: Buffer.from("x\n") },
            { name: "access.log.2", content: Buffer.from("a\n") },
            { name: "access.log.1", content: Buffer.from("b\n") },
        ]);
        assert.equal(text, "a\nb\nc\n");
    });
});

describe("access-log files: names, batches and bounds", () => {
    const read = (dir: string, name = LOG_BASENAME) => fs.readFileSync(path.join(dir, name), "utf8");

    it("drops only exact names of the set past `files`", () => {
        const dir = tmp();
        const keep = ["old-access.log.9", "access.log.9.bak", "access.log.0", "access.log.12345"];
        for (const name of [...keep, `${LOG_BASENAME}.12`, `${LOG_BASENAME}.5`])
            fs.writeFileSync(path.join(dir, name), "x\n");
        new RotatingLog(dir, 1000, 3).close();
        assert.deepEqual(fs.readdirSync(dir).sort(), [...keep, LOG_BASENAME].sort());
    });

    it("removes a trailing CR LF, LF or CR and counts the lines it keeps", () => {
        const dir = tmp();
        const log = new RotatingLog(dir, 1 << 20, 2);
        for (const l of ["a\r\n", "b\n", "c\r", "d", "\r\n", ""]) log.append(l);
        assert.equal(log.lines, 4);
        log.close();
        assert.equal(read(dir), "a\nb\nc\nd\n");
    });

    it("writes a batch after FLUSH_MS, or at once when it reaches 256 KiB", async () => {
        const dir = tmp();
        const log = new RotatingLog(dir, 1 << 20, 2);
        log.append("first");
        assert.equal(read(dir), "", "not written at once");
        await new Promise((r) => setTimeout(r, 400));
        assert.equal(read(dir), "first\n", "written by the timer");
        log.append("x".repeat(256 * 1024 - 2));
        assert.equal(read(dir).length, 6, "one byte short of 256 KiB: waits");
        log.append("y");
        assert.equal(read(dir).length, 6 + 256 * 1024 + 1, "past 256 KiB: written at once");
        const big = tmp();
        const log2 = new RotatingLog(big, 1 << 20, 2);
        log2.append("z".repeat(256 * 1024 - 1));
        assert.equal(read(big).length, 256 * 1024, "exactly 256 KiB: written at once");
        log.close();
        log2.close();
    });

    it("fills a file up to exactly maxBytes, never rotates an empty file or on an empty flush", () => {
        const dir = tmp();
        const log = new RotatingLog(dir, 4, 3);
        log.append("a");
        log.flush();
        log.append("b");
        log.flush();
        assert.equal(log.rotations, 0, "4 bytes of 4");
        assert.equal(read(dir), "a\nb\n");
        const one = tmp();
        const big = new RotatingLog(one, 4, 3);
        big.append("longer than four");
        big.flush();
        big.flush();
        big.close();
        assert.equal(big.rotations, 0);
        assert.deepEqual(fs.readdirSync(one), [LOG_BASENAME]);
        assert.equal(read(one), "longer than four\n");
        log.close();
    });

    it("reads a directory that does not exist as no log", () => {
        assert.equal(readLogDir(path.join(tmp(), "none")), "");
    });
});

describe("report schedule", () => {
    it("takes off or an interval of 10 s to 31 d, and names a bad value", () => {
        assert.equal(parseSchedule("off"), null);
        assert.equal(parseSchedule("24h"), 86_400_000);
        assert.equal(parseSchedule("10s"), 10_000);
        assert.equal(parseSchedule("90m"), 5_400_000);
        assert.equal(parseSchedule("31d"), 31 * 86_400_000);
        for (const bad of ["", "daily", "9s", "32d", "0h", "1.5h", "24H", " 24h", "24hx", "on"])
            assert.throws(
                () => parseSchedule(bad),
                new RegExp(`reportSchedule ${JSON.stringify(bad).replace(/[.]/g, "\\.")} is not a schedule`),
            );
    });

    it("runs at the next multiple of the interval since the epoch: 24h is 00:00 UTC", () => {
        const day = 86_400_000;
        const noon = Date.UTC(2026, 11, 1, 12, 0, 0);
        assert.equal(nextRun(noon, day), Date.UTC(2026, 11, 2));
        assert.equal(nextRun(Date.UTC(2026, 11, 2), day), Date.UTC(2026, 11, 3), "strictly after now");
        assert.equal(nextRun(Date.UTC(2026, 11, 1, 12, 7, 3), 3_600_000), Date.UTC(2026, 11, 1, 13));
        assert.equal(nextRun(Date.UTC(2026, 11, 1, 12, 0, 25), 30_000), Date.UTC(2026, 11, 1, 12, 0, 30));
    });

    it("waits out a 31 d schedule in timers Node can hold (2^31-1 ms at most), not at once", () => {
        const now = Date.UTC(2026, 11, 1);
        const target = now + 31 * 86_400_000;
        assert.deepEqual(timerStep(now, target), { delayMs: 2_147_483_647, last: false });
        assert.deepEqual(timerStep(now + 2_147_483_647, target), { delayMs: 530_916_353, last: true });
        assert.deepEqual(timerStep(now, now + 5000), { delayMs: 5000, last: true });
        assert.deepEqual(
            timerStep(now, now + 2_147_483_647),
            { delayMs: 2_147_483_647, last: true },
            "the most one holds",
        );
        assert.deepEqual(timerStep(now + 10, now), { delayMs: 0, last: true }, "a run already due: at once");
    });
});

describe("access-log service settings", () => {
    const settings = {
        stack: "cloudlab-local",
        port: 5140,
        maxBytes: 20 << 20,
        files: 5,
        reportSchedule: "24h",
        alertEmail: "ops@example.com",
        smtp: { host: "mail.lab", port: 587, tls: "starttls" as const, user: "u", password: "p=w", from: "a@b" },
    };

    it("reads back exactly what the stack writes", () => {
        const env = Object.fromEntries(logsinkEnvironment(settings).map((e) => e.split(/=(.*)/s, 2)));
        assert.deepEqual(readSettings(env), settings);
    });

    it("stops on a bad value, naming the variable and the value", () => {
        const env = Object.fromEntries(logsinkEnvironment(settings).map((e) => e.split(/=(.*)/s, 2)));
        assert.throws(() => readSettings({ ...env, [ENV.files]: "0" }), /LOGSINK_FILES="0"/);
        assert.throws(() => readSettings({ ...env, [ENV.reportSchedule]: "daily" }), /reportSchedule "daily"/);
        assert.throws(() => readSettings({ ...env, [ENV.smtpTls]: "tls" }), /LOGSINK_SMTP_TLS="tls"/);
        const noPort = { ...env };
        delete noPort[ENV.port];
        assert.throws(() => readSettings(noPort), /LOGSINK_PORT is not set/);
    });

    it("takes tls none and 1 as the least whole number; names what it expects", () => {
        const env = Object.fromEntries(logsinkEnvironment(settings).map((e) => e.split(/=(.*)/s, 2)));
        assert.deepEqual(readSettings({ ...env, [ENV.smtpTls]: "none", [ENV.files]: "1" }), {
            ...settings,
            files: 1,
            smtp: { ...settings.smtp, tls: "none" },
        });
        for (const bad of ["0", "x5", "5x", "-1", "1.5", ""])
            assert.throws(() => readSettings({ ...env, [ENV.files]: bad }), {
                message: `LOGSINK_FILES=${JSON.stringify(bad)}: expected a whole number >= 1`,
            });
        assert.throws(() => readSettings({ ...env, [ENV.smtpTls]: "tls" }), {
            message: 'LOGSINK_SMTP_TLS="tls": expected starttls or none',
        });
    });
});

describe("reports written and kept", () => {
    it("writes HTML and JSON of the window under the reports directory, named after the stack and the end", async () => {
        const out = tmp();
        const r = await writeReport({
            prefix: "cloudlab-local",
            log: FIXTURE,
            from: Date.UTC(2026, 11, 1, 11, 30),
            to: Date.UTC(2026, 11, 1, 11, 32),
            outDir: out,
            alertEmail: "",
        });
        assert.equal(path.basename(r.jsonFile), "access-report-cloudlab-local-2026-12-01T11-32-00-000Z.json");
        assert.deepEqual(JSON.parse(fs.readFileSync(r.jsonFile, "utf8")), JSON.parse(JSON.stringify(r.report)));
        assert.ok(r.report.total.requests > 0);
        assert.equal(r.mailed, undefined, "no SMTP, no mail");
    });

    it("keeps the newest reports of its stack only, and leaves every other file alone", () => {
        const out = tmp();
        for (const h of ["01", "02", "03", "04"])
            for (const ext of ["html", "json"])
                fs.writeFileSync(path.join(out, `access-report-x-2026-12-01T${h}.${ext}`), "");
        const others = ["mine.txt", "access-report-other-2026-11-01T00.json", "access-report-x-b-2026-11-01T00.json"];
        for (const f of others) fs.writeFileSync(path.join(out, f), "");
        pruneReports(out, "x", 2);
        assert.deepEqual(
            fs.readdirSync(out).sort(),
            [
                ...others,
                "access-report-x-2026-12-01T03.html",
                "access-report-x-2026-12-01T03.json",
                "access-report-x-2026-12-01T04.html",
                "access-report-x-2026-12-01T04.json",
            ].sort(),
        );
    });
});

describe("reports written, mailed and pruned", () => {
    const sink = new SmtpSink();
    let port = 0;
    before(async () => {
        port = await sink.listen(0, "127.0.0.1");
    });
    after(() => sink.close());
    const smtp = (host = "127.0.0.1") => ({
        host,
        port,
        tls: "none" as const,
        user: "",
        password: "",
        from: "lab@example.com",
    });
    const input = (extra: object) => ({
        prefix: "cloudlab-local",
        log: FIXTURE,
        from: Date.UTC(2026, 11, 1, 11, 30),
        to: Date.UTC(2026, 11, 1, 11, 32),
        outDir: tmp(),
        alertEmail: "ops@example.com",
        ...extra,
    });

    it("writes the HTML under its title and the JSON with a final newline, and mails them", async () => {
        const r = await writeReport(input({ smtp: smtp() }));
        const title = `cloudlab access report: cloudlab-local, ${r.report.from} to ${r.report.to}`;
        assert.equal(r.htmlFile, r.jsonFile.replace(/\.json$/, ".html"));
        assert.ok(fs.readFileSync(r.htmlFile, "utf8").includes(`<title>${title}</title>`));
        assert.equal(fs.readFileSync(r.jsonFile, "utf8"), JSON.stringify(r.report, null, 2) + "\n");
        assert.equal(typeof r.mailed, "string");
        assert.equal(sink.mails.length, 1);
        assert.deepEqual(sink.mails[0].to, ["ops@example.com"]);
        const data = sink.mails[0].data.replace(/\r?\n[ \t]+/g, " ");
        assert.ok(
            data.includes(`Subject: ${title}: ${r.report.total.requests} requests, ${r.report.total.errors} 5xx`),
            data.slice(0, 500),
        );
        assert.ok(data.includes(`filename=${path.basename(r.jsonFile)}`));
    });

    it("mails only with an SMTP host and an alertEmail", async () => {
        const before = sink.mails.length;
        for (const extra of [{ smtp: smtp("") }, { smtp: smtp(), alertEmail: "" }, {}])
            assert.equal((await writeReport(input(extra))).mailed, undefined);
        assert.equal(sink.mails.length, before);
    });

    it("prunes oldest first by exact name, and a report missing one of its two files", () => {
        const out = tmp();
        const x = "access-report-x-2026-12-01T";
        for (const h of ["04", "03", "02"])
            for (const ext of ["html", "json"]) fs.writeFileSync(path.join(out, `${x}${h}.${ext}`), "");
        fs.writeFileSync(path.join(out, `${x}01.html`), "");
        fs.writeFileSync(path.join(out, `${x}05.json.bak`), "");
        assert.deepEqual(pruneReports(out, "x", 2), [`${x}01`, `${x}02`]);
        assert.deepEqual(fs.readdirSync(out).sort(), [
            `${x}03.html`,
            `${x}03.json`,
            `${x}04.html`,
            `${x}04.json`,
            `${x}05.json.bak`,
        ]);
        // Oldest first whatever order the directory lists its files in.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const nodeFs = require("fs") as typeof fs;
        const readdir = nodeFs.readdirSync;
        const shuffled = tmp();
        for (const h of ["01", "02", "03"]) fs.writeFileSync(path.join(shuffled, `${x}${h}.json`), "");
        nodeFs.readdirSync = ((dir: string) => (readdir(dir) as string[]).sort().reverse()) as typeof readdir;
        try {
            assert.deepEqual(pruneReports(shuffled, "x", 1), [`${x}01`, `${x}02`]);
        } finally {
            nodeFs.readdirSync = readdir;
        }
        const odd = tmp();
        fs.writeFileSync(path.join(odd, `${x}09.json.html`), "");
        assert.deepEqual(pruneReports(odd, "x", 0), [`${x}09.json`]);
        assert.deepEqual(fs.readdirSync(odd), []);
    });
});

describe("npm run report's input", () => {
    it("reads the stack's access-log files when there are any", async () => {
        const dir = tmp();
        fs.writeFileSync(path.join(dir, "access.log.1"), "older\n");
        fs.writeFileSync(path.join(dir, "access.log"), "newer\n");
        assert.equal(await stackAccessLog("cloudlab-nosuchstack", 0, dir), "older\nnewer\n");
    });

    it("falls back to the balancer's Docker log without them, and says what it looked for", async () => {
        const dir = tmp();
        await assert.rejects(
            stackAccessLog("cloudlab-nosuchstack-0xb", 0, dir),
            /no access-log files in .* and no balancer container cloudlab-nosuchstack-0xb-lb/,
        );
    });
});

describe("lines of HAProxy's ring over TCP", () => {
    it("splits a stream on newlines whatever the chunks, keeps a partial line, ends with the last one", () => {
        const got: string[] = [];
        const s = new LineStream((l) => got.push(l.toString()));
        for (const chunk of ["cloud", "lab1 a\ncloudlab1 b\n", "\n", "cloudlab1 c"]) s.push(Buffer.from(chunk));
        assert.deepEqual(got, ["cloudlab1 a", "cloudlab1 b"]);
        s.end();
        assert.deepEqual(got, ["cloudlab1 a", "cloudlab1 b", "cloudlab1 c"]);
    });

    it("cuts a line longer than its bound instead of holding it", () => {
        const got: string[] = [];
        const s = new LineStream((l) => got.push(l.toString()), 4);
        s.push(Buffer.from("abcdefghij"));
        assert.deepEqual(got, ["abcd", "efgh"]);
    });

    it("holds a partial line of exactly its bound, which a newline then ends whole", () => {
        const got: string[] = [];
        const s = new LineStream((l) => got.push(l.toString()), 4);
        s.push(Buffer.from("abcd"));
        assert.deepEqual(got, []);
        s.push(Buffer.from("ef\n"));
        assert.deepEqual(got, ["abcdef"]);
    });
});

/** A clock run by hand: `io()` ends the current I/O turn, `elapse()` fires the pause timer. */
function manualClock() {
    let turn: Array<() => void> = [];
    let timer: { ms: number; fn: () => void } | undefined;
    const clock: BatchClock = {
        afterIo: (fn) => turn.push(fn),
        after: (ms, fn) => {
            timer = { ms, fn };
            return { cancel: () => (timer = undefined) };
        },
    };
    return {
        clock,
        io() {
            const fns = turn;
            turn = [];
            for (const fn of fns) fn();
        },
        elapse() {
            const t = timer;
            timer = undefined;
            t?.fn();
            return t?.ms;
        },
        get timerSet() {
            return timer !== undefined;
        },
    };
}

describe("ring connections read in batches", () => {
    const conn = () => {
        const calls: string[] = [];
        return { calls, pause: () => calls.push("pause"), resume: () => calls.push("resume") };
    };

    it("pauses once after the chunks of one read turn, for everyMs, then reads on", () => {
        const c = conn();
        const m = manualClock();
        const reads = new BatchedReads(c, 20, m.clock);
        for (let i = 0; i < 5; i++) reads.chunkRead();
        assert.deepEqual(c.calls, [], "not paused before the turn's chunks are all read");
        m.io();
        assert.deepEqual(c.calls, ["pause"]);
        reads.chunkRead(); // a chunk Node had read already arrives while paused: no second pause
        m.io();
        assert.equal(m.elapse(), 20);
        assert.deepEqual(c.calls, ["pause", "resume"]);
        reads.chunkRead();
        m.io();
        assert.deepEqual(c.calls, ["pause", "resume", "pause"], "the next batch pauses again");
    });

    it("stops pausing when stopped, and resumes a paused connection at once", () => {
        const c = conn();
        const m = manualClock();
        const reads = new BatchedReads(c, 20, m.clock);
        reads.chunkRead();
        m.io();
        reads.stop();
        assert.deepEqual(c.calls, ["pause", "resume"]);
        assert.equal(m.timerSet, false);
        reads.chunkRead();
        m.io();
        assert.deepEqual(c.calls, ["pause", "resume"]);
    });

    it("does not pause a connection stopped before its turn ended, nor one stopped before any read", () => {
        const c = conn();
        const m = manualClock();
        const reads = new BatchedReads(c, 20, m.clock);
        reads.chunkRead();
        reads.stop();
        m.io();
        assert.deepEqual(c.calls, ["resume"]);
        assert.equal(m.timerSet, false);
        const fresh = conn();
        const other = new BatchedReads(fresh, 20, m.clock);
        other.stop();
        other.chunkRead();
        m.io();
        assert.deepEqual(fresh.calls, ["resume"]);
    });

    it("cancels a real timer", async () => {
        let fired = false;
        realClock.after(10, () => (fired = true)).cancel();
        await new Promise((resolve) => setTimeout(resolve, 40));
        assert.equal(fired, false);
    });

    it("writes a connection's last partial line when it ends, forgets it when closed, passes on its errors", () => {
        const got: string[] = [];
        const errors: Error[] = [];
        const m = manualClock();
        const ring = new RingConnections(
            (l) => got.push(l.toString()),
            20,
            (e) => errors.push(e),
            m.clock,
        );
        const socket = () => {
            const calls: string[] = [];
            const c = Object.assign(new EventEmitter(), {
                calls,
                pause: () => calls.push("pause"),
                resume: () => calls.push("resume"),
            });
            return c as unknown as net.Socket & { calls: string[] };
        };
        const ended = socket();
        ring.accept(ended);
        ended.emit("data", Buffer.from("a\nlast"));
        ended.emit("end");
        assert.deepEqual(got, ["a", "last"]);
        const closed = socket();
        ring.accept(closed);
        closed.emit("data", Buffer.from("cut"));
        closed.emit("close");
        const boom = new Error("boom");
        closed.emit("error", boom);
        assert.deepEqual(errors, [boom]);
        ended.emit("close");
        let done = false;
        ring.drain(10, () => (done = true));
        m.elapse();
        assert.ok(done);
        assert.deepEqual(got, ["a", "last"], "a closed connection's partial line is not written");
        assert.deepEqual(closed.calls, [], "nor is a closed connection resumed");
    });

    it("loses no line of a stream written in many pieces while it pauses between reads", async () => {
        const lines = Array.from({ length: 3000 }, (_, i) => line(i));
        const got: string[] = [];
        let pauses = 0;
        const ring = new RingConnections(
            (l) => got.push(l.toString()),
            5,
            (err) => assert.fail(err),
        );
        const server = net.createServer(RING_SERVER_OPTIONS, (sock) => {
            const pause = sock.pause.bind(sock);
            sock.pause = () => (pauses++, pause());
            ring.accept(sock);
            sock.on("end", () => server.close());
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        const closed = new Promise((resolve) => server.on("close", resolve));
        const client = net.connect((server.address() as net.AddressInfo).port, "127.0.0.1");
        await new Promise((resolve) => client.once("connect", resolve));
        for (let i = 0; i < lines.length; i += 100) {
            client.write(lines.slice(i, i + 100).join("\n") + "\n");
            await new Promise((resolve) => setImmediate(resolve));
        }
        client.end();
        await closed;
        assert.deepEqual(got, lines);
        assert.ok(pauses > 0, "the connection was paused between reads");
    });

    it("leaves a paused connection's lines in the kernel, not in the process (Node's default reads on to 16 KiB)", async () => {
        let held: net.Socket | undefined;
        const server = net.createServer(RING_SERVER_OPTIONS, (sock) => {
            sock.pause();
            held = sock;
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        const client = net.connect((server.address() as net.AddressInfo).port, "127.0.0.1");
        await new Promise((resolve) => client.once("connect", resolve));
        // One KiB per turn of the event loop: each turn's read finds about one write (client and server share it).
        for (let i = 0; i < 64; i++) {
            client.write(`${"x".repeat(1023)}\n`);
            await new Promise((resolve) => setImmediate(resolve));
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
        try {
            assert.ok(held, "the server took the connection");
            assert.ok(
                held.readableLength < 16 * 1024,
                `the process buffered ${held.readableLength} bytes while paused`,
            );
        } finally {
            client.destroy();
            held?.destroy();
            await new Promise((resolve) => server.close(resolve));
        }
    });

    it("on stop, reads on what paused connections buffer for the drain time, then writes their last partial line", () => {
        const got: string[] = [];
        const m = manualClock();
        const ring = new RingConnections(
            (l) => got.push(l.toString()),
            20,
            () => undefined,
            m.clock,
        );
        const calls: string[] = [];
        const conn = Object.assign(new EventEmitter(), {
            pause: () => calls.push("pause"),
            resume: () => calls.push("resume"),
        }) as unknown as net.Socket;
        ring.accept(conn);
        conn.emit("data", Buffer.from("a\npart"));
        m.io();
        assert.deepEqual(calls, ["pause"]);
        let done = false;
        ring.drain(200, () => (done = true));
        assert.deepEqual(calls, ["pause", "resume"], "a paused connection is read at once");
        conn.emit("data", Buffer.from("ial\ntail"));
        assert.deepEqual(got, ["a", "partial"]);
        assert.equal(done, false);
        assert.equal(m.elapse(), 200);
        assert.deepEqual(got, ["a", "partial", "tail"], "the last partial line is written, not lost");
        assert.ok(done);
    });
});
