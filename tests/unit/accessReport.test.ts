/**
 * The access-log report: the parser on real HAProxy lines (captured from HAProxy 2.6 running the balancer's
 * rendered log format in front of an app node, plus HAProxy's own messages and two malformed lines), and the
 * report's numbers on that known log, counted by hand.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { parseAccessLine, parseAccessLog } from "../../logsink/src/report/accessLog";
import { aggregateAccessLog, percentile } from "../../logsink/src/report/aggregate";
import { demuxDockerLog } from "../../scripts/report/dockerLog";
import { minuteChart, renderReportHtml } from "../../logsink/src/report/html";
import { parseSince } from "../../scripts/report/since";

const FIXTURE = fs.readFileSync(path.join(__dirname, "..", "fixtures", "report", "haproxy-access.txt"), "utf8");
/** 2026-12-01T11:30:00Z .. 11:32:00Z: every request of the fixture. */
const FROM = Date.UTC(2026, 11, 1, 11, 30, 0);
const TO = Date.UTC(2026, 11, 1, 11, 32, 0);

describe("access log parser", () => {
    it("reads every field of a real line, the path without its query", () => {
        const r = parseAccessLine(
            'cloudlab1 1796124622.738 127.0.0.1 nodes node-1 0 0 0 1 1 404 249 ---- "GET /nothere?x=1 HTTP/1.1"',
        );
        assert.deepEqual(r, {
            kind: "entry",
            entry: {
                at: 1796124622738,
                client: "127.0.0.1",
                backend: "nodes",
                server: "node-1",
                timers: { request: 0, queue: 0, connect: 0, response: 1, total: 1 },
                status: 404,
                bytes: 249,
                termination: "----",
                method: "GET",
                path: "/nothere",
            },
        });
    });

    it("reads HAProxy's own answers: no server (503) and a request it could not parse (400)", () => {
        const log = parseAccessLog(FIXTURE);
        const own = log.entries.filter((e) => e.server === "<NOSRV>");
        assert.deepEqual(
            own.map((e) => [e.status, e.path, e.timers.response, e.termination]),
            [
                [503, "/after-kill", -1, "SC--"],
                [400, "<BADREQ>", -1, "PR--"],
            ],
        );
    });

    it("counts malformed lines with their number and reason, skips HAProxy's messages, never throws", () => {
        const log = parseAccessLog(FIXTURE);
        assert.equal(log.entries.length, 9);
        assert.equal(log.otherLines, 4);
        assert.deepEqual(
            log.malformed.map((m) => m.line),
            [14, 15],
        );
        assert.match(log.malformed[0].reason, /does not have the fields/);
        assert.equal(parseAccessLine("[WARNING]  (1) : Server nodes/node-1 is DOWN").kind, "other");
        assert.equal(parseAccessLine('cloudlab1 1.000 c b s 0 0 0 0 0 200 1 ---- "GET"').kind, "malformed");
        assert.equal(parseAccessLine('cloudlab1 1.000 c b s 0 0 0 0 0 200 1 ---- "get / HTTP/1.1"').kind, "malformed");
    });
});

describe("access log parser: line ends, request lines, statuses, targets", () => {
    const at = (status: string, request: string) => `cloudlab1 1.000 c b s 0 0 0 0 0 ${status} 1 ---- "${request}"`;
    const entry = (raw: string) => {
        const r = parseAccessLine(raw);
        assert.equal(r.kind, "entry", JSON.stringify(r));
        return (r as { kind: "entry"; entry: { status: number; method: string; path: string } }).entry;
    };

    it("takes a line with its trailing LF or CR LF, not one with a newline inside", () => {
        for (const end of ["", "\n", "\r\n"]) assert.equal(entry(at("200", "GET /a HTTP/1.1") + end).path, "/a");
        assert.equal(parseAccessLine(at("200", "GET /a\nb HTTP/1.1")).kind, "malformed");
    });

    it("names a request line without method and path, and a status out of range", () => {
        const cases: Array<[string, string, string]> = [
            ["200", "GET ", 'request line "GET " has no method and path'],
            ["200", "GET", 'request line "GET" has no method and path'],
            ["1000", "GET / HTTP/1.1", "status 1000 is not an HTTP status"],
            ["-2", "GET / HTTP/1.1", "status -2 is not an HTTP status"],
        ];
        for (const [status, request, reason] of cases)
            assert.deepEqual(parseAccessLine(at(status, request)), { kind: "malformed", reason });
        for (const status of [-1, 0, 1, 999]) assert.equal(entry(at(String(status), "GET / HTTP/1.1")).status, status);
    });

    it("keeps the path of an absolute-form target only, / when it has none", () => {
        const cases: Array<[string, string]> = [
            ["http://example.com/a/b?x=1", "/a/b"],
            ["HTTPS://example.com:8443/a", "/a"],
            ["http://example.com", "/"],
            ["http://example.com?x", "/"],
            ["http://e/", "/"],
            ["/x/http://y/z", "/x/http://y/z"],
            ["1http://y/z", "1http://y/z"],
            ["/plain", "/plain"],
        ];
        for (const [target, path] of cases) assert.equal(entry(at("200", `GET ${target} HTTP/1.1`)).path, path, target);
    });

    it("skips blank lines, and keeps the first 300 characters of a malformed one", () => {
        const long = "cloudlab1 " + "x".repeat(400);
        const log = parseAccessLog(`  \n\t\n${long}\n \r\n`);
        assert.equal(log.otherLines, 0);
        assert.deepEqual(log.malformed, [
            { line: 3, text: long.slice(0, 300), reason: "does not have the fields of the access log format" },
        ]);
    });
});

describe("access report", () => {
    const report = aggregateAccessLog(parseAccessLog(FIXTURE), FROM, TO);

    it("counts requests and 5xx per node, per status class and per path", () => {
        assert.equal(report.total.requests, 9);
        assert.equal(report.total.errors, 1);
        assert.deepEqual(
            Object.fromEntries(Object.entries(report.byNode).map(([k, s]) => [k, [s.requests, s.errors]])),
            { "balancer (no node)": [2, 1], "node-1": [7, 0] },
        );
        assert.deepEqual(Object.fromEntries(Object.entries(report.byStatusClass).map(([k, s]) => [k, s.requests])), {
            "2xx": 5,
            "4xx": 3,
            "5xx": 1,
        });
        assert.deepEqual(Object.fromEntries(Object.entries(report.byPath).map(([k, s]) => [k, s.requests])), {
            "/": 3,
            "/after-kill": 1,
            "/health": 1,
            "/load": 1,
            "/metrics": 1,
            "/nothere": 1,
            "<BADREQ>": 1,
        });
    });

    it("gives latency percentiles of HAProxy's total time (nearest rank)", () => {
        // node-1's totals sorted: 0 1 1 2 6 20 1008; the two own answers took 0 ms.
        assert.deepEqual(report.byNode["node-1"].latencyMs, { p50: 2, p95: 1008, p99: 1008, max: 1008 });
        assert.deepEqual(report.total.latencyMs, { p50: 1, p95: 1008, p99: 1008, max: 1008 });
        assert.equal(percentile([], 50), null);
        assert.equal(percentile([10, 20, 30, 40], 50), 20);
        assert.equal(percentile([10, 20, 30, 40], 51), 30);
    });

    it("finds the busiest minutes and keeps only the window's requests", () => {
        // 11:30:22-11:30:33 UTC (unix 1796124622..633) is one minute.
        assert.deepEqual(report.busiestMinutes, [{ minute: "2026-12-01T11:30Z", requests: 9, errors: 1 }]);
        const late = aggregateAccessLog(parseAccessLog(FIXTURE), 1796124627_000, TO);
        assert.equal(late.total.requests, 2);
    });

    it("renders HTML with the tables, an inline chart and the malformed lines, escaped", () => {
        const html = renderReportHtml(report, "report <test>");
        assert.match(html, /<svg /);
        assert.match(html, /<title>report &lt;test&gt;<\/title>/);
        assert.match(html, /<td>&lt;BADREQ&gt;<\/td><td>1<\/td>/);
        assert.match(html, /Malformed lines: 2 \(skipped\)/);
        assert.match(minuteChart([]), /No requests/);
    });
});

describe("report inputs", () => {
    it("--since takes a whole number and a unit, and names a bad value", () => {
        assert.equal(parseSince("24h"), 86_400_000);
        assert.equal(parseSince("90m"), 5_400_000);
        assert.equal(parseSince("7d"), 604_800_000);
        assert.equal(parseSince("30s"), 30_000);
        for (const bad of ["24", "1.5h", "0h", "-1h", "yesterday", "", "24H"])
            assert.throws(() => parseSince(bad), new RegExp(`--since ${JSON.stringify(bad)} is not a duration`));
    });

    it("demultiplexes Docker's log stream (8-byte frame headers)", () => {
        const frame = (type: number, text: string) => {
            const payload = Buffer.from(text);
            const header = Buffer.alloc(8);
            header[0] = type;
            header.writeUInt32BE(payload.length, 4);
            return Buffer.concat([header, payload]);
        };
        const stream = Buffer.concat([frame(1, "line one\n"), frame(2, "[WARNING] x\n"), frame(1, "line two\n")]);
        assert.equal(demuxDockerLog(stream), "line one\n[WARNING] x\nline two\n");
        assert.equal(demuxDockerLog(Buffer.from("plain text log\n")), "plain text log\n");
    });
});
