/**
 * The access report's figures on a small hand-written log (entries built directly, out of time order), each
 * figure counted by hand: totals, 5xx, nearest-rank percentiles, per node / status class / path / minute, the
 * window's bounds, the path and busiest-minute limits, and the HTML's exact rows, chart and escaping.
 */
import { strict as assert } from "assert";
import type { AccessLogEntry, ParsedLog } from "../../logsink/src/report/accessLog";
import { aggregateAccessLog, GroupStats, MAX_PATHS, OTHER_PATHS } from "../../logsink/src/report/aggregate";
import { minuteChart, renderReportHtml } from "../../logsink/src/report/html";

const T0 = Date.UTC(2026, 11, 1, 10, 0, 0);
const FROM = T0;
const TO = T0 + 180_000;
const ODD_PATH = `/d&"'<>`;

function entry(at: number, server: string, status: number, total: number, path: string): AccessLogEntry {
    return {
        at,
        client: "10.0.0.9",
        backend: "nodes",
        server,
        timers: { request: 0, queue: 0, connect: 0, response: total, total },
        status,
        bytes: 1,
        termination: "----",
        method: "GET",
        path,
    };
}

/** Log order is not time order on purpose. */
const ENTRIES: AccessLogEntry[] = [
    entry(T0 + 150_000, "node-1", 100, 0, "/b"), // E1 10:02:30
    entry(T0, "node-1", 200, 10, "/z"), // E2 10:00:00 (= from, kept)
    entry(T0 + 2_000, "node-1", 500, 30, "/z"), // E3 10:00:02
    entry(T0 + 127_000, "node-2", 600, 100, "/z"), // E8 10:02:07
    entry(T0 + 61_000, "node-2", 404, 20, "/b"), // E4 10:01:01
    entry(T0 + 62_000, "<NOSRV>", 503, -1, ODD_PATH), // E5 10:01:02, never timed
    entry(T0 + 63_000, "node-2", 599, 40, "/z"), // E6 10:01:03
    entry(T0 + 126_000, "<NOSRV>", -1, 5, "/c"), // E7 10:02:06, no status
    entry(TO, "node-1", 200, 7, "/z"), // at `to`: left out
    entry(FROM - 1, "node-1", 200, 7, "/z"), // before `from`: left out
];
const MALFORMED = [
    { line: 3, text: "x <y>", reason: "bad & worse" },
    { line: 7, text: "z", reason: "r" },
];
const LOG: ParsedLog = { entries: ENTRIES, malformed: MALFORMED, otherLines: 4 };

type Row = [string, number, number, number | null, number | null, number | null, number | null];
const rows = (groups: Record<string, GroupStats>): Row[] =>
    Object.entries(groups).map(([k, s]) => [
        k,
        s.requests,
        s.errors,
        s.latencyMs.p50,
        s.latencyMs.p95,
        s.latencyMs.p99,
        s.latencyMs.max,
    ]);

describe("access report figures (hand-written log)", () => {
    const report = aggregateAccessLog(LOG, FROM, TO);

    it("keeps [from, to): the request at `from`, not the one at `to` nor before `from`", () => {
        assert.equal(report.total.requests, 8);
        assert.equal(report.from, "2026-12-01T10:00:00.000Z");
        assert.equal(report.to, "2026-12-01T10:03:00.000Z");
    });

    it("totals: 5xx are statuses >= 500 (500, 503, 599, 600); percentiles over timed requests (total >= 0)", () => {
        // timed totals sorted: 0 5 10 20 30 40 100 (E5's -1 left out)
        assert.deepEqual(report.total, {
            requests: 8,
            errors: 4,
            latencyMs: { p50: 20, p95: 100, p99: 100, max: 100 },
        });
    });

    it("per node, sorted by name; HAProxy's own answers under the balancer", () => {
        assert.deepEqual(rows(report.byNode), [
            ["balancer (no node)", 2, 1, 5, 5, 5, 5],
            ["node-1", 3, 1, 10, 30, 30, 30],
            ["node-2", 3, 2, 40, 100, 100, 100],
        ]);
    });

    it("per status class: 100 is 1xx, 599 is 5xx, -1 and 600 are no answer", () => {
        assert.deepEqual(rows(report.byStatusClass), [
            ["1xx", 1, 0, 0, 0, 0, 0],
            ["2xx", 1, 0, 10, 10, 10, 10],
            ["4xx", 1, 0, 20, 20, 20, 20],
            ["5xx", 3, 3, 30, 40, 40, 40],
            ["no answer", 2, 1, 5, 100, 100, 100],
        ]);
    });

    it("per path: busiest first, ties by name, no other-paths row under the limit; untimed path has null latency", () => {
        assert.deepEqual(rows(report.byPath), [
            ["/z", 4, 3, 30, 100, 100, 100],
            ["/b", 2, 0, 0, 20, 20, 20],
            ["/c", 1, 0, 5, 5, 5, 5],
            [ODD_PATH, 1, 1, null, null, null, null],
        ]);
    });

    it("per minute in time order (UTC minute keys), busiest minutes by requests then time", () => {
        assert.deepEqual(report.minutes, [
            { minute: "2026-12-01T10:00Z", requests: 2, errors: 1 },
            { minute: "2026-12-01T10:01Z", requests: 3, errors: 2 },
            { minute: "2026-12-01T10:02Z", requests: 3, errors: 1 },
        ]);
        assert.deepEqual(report.busiestMinutes, [
            { minute: "2026-12-01T10:01Z", requests: 3, errors: 2 },
            { minute: "2026-12-01T10:02Z", requests: 3, errors: 1 },
            { minute: "2026-12-01T10:00Z", requests: 2, errors: 1 },
        ]);
    });

    it("keeps the malformed lines and the count of other lines", () => {
        assert.deepEqual(report.malformed, { count: 2, examples: MALFORMED });
        assert.equal(report.otherLines, 4);
    });

    it("keeps the MAX_PATHS busiest paths and puts the rest under the other-paths row", () => {
        const names = Array.from({ length: MAX_PATHS + 2 }, (_, i) => `/p${String(i).padStart(2, "0")}`);
        const es = names.map((p, i) => entry(T0 + i, "node-1", 200, 1, p));
        es.push(entry(T0 + 100, "node-1", 200, 1, "/p21"), entry(T0 + 101, "node-1", 200, 1, "/p21"));
        const r = aggregateAccessLog({ entries: es, malformed: [], otherLines: 0 }, FROM, TO);
        const expected: Array<[string, number]> = [
            ["/p21", 3],
            ...names.slice(0, MAX_PATHS - 1).map((p): [string, number] => [p, 1]),
            [OTHER_PATHS, 2],
        ];
        assert.deepEqual(
            Object.entries(r.byPath).map(([k, s]) => [k, s.requests]),
            expected,
        );
    });

    it("lists only the 5 busiest minutes and at most 10 malformed examples", () => {
        const counts = [1, 3, 2, 3, 1, 2, 1];
        const es = counts.flatMap((n, m) =>
            Array.from({ length: n }, (_, j) => entry(T0 + m * 60_000 + j, "node-1", 200, 1, "/")),
        );
        const bad = Array.from({ length: 12 }, (_, i) => ({ line: i + 1, text: "t", reason: "r" }));
        const r = aggregateAccessLog({ entries: es, malformed: bad, otherLines: 0 }, FROM, T0 + 3_600_000);
        assert.deepEqual(
            r.busiestMinutes.map((m) => [m.minute.slice(11, 16), m.requests]),
            [
                ["10:01", 3],
                ["10:03", 3],
                ["10:02", 2],
                ["10:05", 2],
                ["10:00", 1],
            ],
        );
        assert.equal(r.malformed.count, 12);
        assert.deepEqual(r.malformed.examples, bad.slice(0, 10));
    });
});

describe("access report HTML (hand-written log)", () => {
    const report = aggregateAccessLog(LOG, FROM, TO);
    const html = renderReportHtml(report, `R&D's "report"`);
    const head = (title: string, key: string) =>
        `<h2>${title}</h2>\n<table>\n<tr><th>${key}</th><th>requests</th><th>5xx</th><th>5xx %</th>` +
        `<th>p50 ms</th><th>p95 ms</th><th>p99 ms</th><th>max ms</th></tr>\n`;
    const tr = (...cells: Array<string | number>) => `<tr>${cells.map((c) => `<td>${c}</td>`).join("")}</tr>`;

    it("escapes the title and gives the summary line", () => {
        assert.ok(html.includes("<title>R&amp;D&#39;s &quot;report&quot;</title>"));
        assert.ok(html.includes("<h1>R&amp;D&#39;s &quot;report&quot;</h1>"));
        assert.ok(
            html.includes(
                "<p>2026-12-01T10:00:00.000Z to 2026-12-01T10:03:00.000Z: <b>8</b> requests, <b>4</b> 5xx (50.0%), " +
                    "latency p50 20 ms, p95 100 ms, p99 100 ms (HAProxy's total time per request).</p>",
            ),
        );
    });

    it("renders the per-node, per-status and per-path tables row by row, '-' for no timed request", () => {
        const tables = [
            head("Per node", "node") +
                [
                    tr("balancer (no node)", 2, 1, "50.0%", 5, 5, 5, 5),
                    tr("node-1", 3, 1, "33.3%", 10, 30, 30, 30),
                    tr("node-2", 3, 2, "66.7%", 40, 100, 100, 100),
                ].join("\n") +
                "\n</table>",
            head("Per status class", "status") +
                [
                    tr("1xx", 1, 0, "0.0%", 0, 0, 0, 0),
                    tr("2xx", 1, 0, "0.0%", 10, 10, 10, 10),
                    tr("4xx", 1, 0, "0.0%", 20, 20, 20, 20),
                    tr("5xx", 3, 3, "100.0%", 30, 40, 40, 40),
                    tr("no answer", 2, 1, "50.0%", 5, 100, 100, 100),
                ].join("\n") +
                "\n</table>",
            head("Per path", "path") +
                [
                    tr("/z", 4, 3, "75.0%", 30, 100, 100, 100),
                    tr("/b", 2, 0, "0.0%", 0, 20, 20, 20),
                    tr("/c", 1, 0, "0.0%", 5, 5, 5, 5),
                    tr("/d&amp;&quot;&#39;&lt;&gt;", 1, 1, "100.0%", "-", "-", "-", "-"),
                ].join("\n") +
                "\n</table>",
        ];
        assert.ok(html.includes(tables.join("\n")), html);
    });

    it("renders the busiest minutes and the malformed lines, escaped", () => {
        assert.ok(
            html.includes(
                "<h2>Busiest minutes</h2>\n<table><tr><th>minute (UTC)</th><th>requests</th><th>5xx</th></tr>\n" +
                    [tr("2026-12-01T10:01Z", 3, 2), tr("2026-12-01T10:02Z", 3, 1), tr("2026-12-01T10:00Z", 2, 1)].join(
                        "\n",
                    ) +
                    "\n</table>\n" +
                    "<p>Malformed lines: 2 (skipped). First ones:</p><ul>" +
                    "<li>line 3: bad &amp; worse: <code>x &lt;y&gt;</code></li><li>line 7: r: <code>z</code></li></ul>\n</body></html>\n",
            ),
        );
    });

    it("renders the default-size chart of the report's minutes", () => {
        const blue = (x: string, y: string, h: string, t: string) =>
            `<rect x="${x}" y="${y}" width="192.0" height="${h}" fill="#4a78c2"><title>${t}</title></rect>`;
        const red = (x: string, y: string, h: string) =>
            `<rect x="${x}" y="${y}" width="192.0" height="${h}" fill="#c24a4a"/>`;
        const svg =
            `<svg xmlns="http://www.w3.org/2000/svg" width="720" height="180" role="img" aria-label="requests per minute">` +
            blue("0.0", "53.3", "106.7", "2026-12-01T10:00Z: 2 requests, 1 5xx") +
            red("0.0", "106.7", "53.3") +
            blue("240.0", "0.0", "160.0", "2026-12-01T10:01Z: 3 requests, 2 5xx") +
            red("240.0", "53.3", "106.7") +
            blue("480.0", "0.0", "160.0", "2026-12-01T10:02Z: 3 requests, 1 5xx") +
            red("480.0", "106.7", "53.3") +
            `<text x="0" y="175" font-size="11">2026-12-01T10:00Z</text>` +
            `<text x="720" y="175" font-size="11" text-anchor="end">2026-12-01T10:02Z (peak 3/min)</text></svg>`;
        assert.equal(minuteChart(report.minutes), svg);
        assert.ok(html.includes(`<h2>Requests per minute (5xx in red)</h2>\n${svg}\n<h2>Per node</h2>`));
    });

    it("draws no red bar for a minute without 5xx and escapes the axis labels", () => {
        const svg = minuteChart(
            [
                { minute: "a", requests: 4, errors: 0 },
                { minute: "b", requests: 2, errors: 1 },
            ],
            100,
            40,
        );
        assert.equal(
            svg,
            `<svg xmlns="http://www.w3.org/2000/svg" width="100" height="60" role="img" aria-label="requests per minute">` +
                `<rect x="0.0" y="0.0" width="40.0" height="40.0" fill="#4a78c2"><title>a: 4 requests, 0 5xx</title></rect>` +
                `<rect x="50.0" y="20.0" width="40.0" height="20.0" fill="#4a78c2"><title>b: 2 requests, 1 5xx</title></rect>` +
                `<rect x="50.0" y="30.0" width="40.0" height="10.0" fill="#c24a4a"/>` +
                `<text x="0" y="55" font-size="11">a</text>` +
                `<text x="100" y="55" font-size="11" text-anchor="end">b (peak 4/min)</text></svg>`,
        );
        // many minutes on a narrow chart: bars are at least 1 px wide
        const narrow = minuteChart(
            [0, 1, 2, 3].map((i) => ({ minute: `m<${i}>`, requests: 1, errors: 0 })),
            2,
            10,
        );
        assert.ok(narrow.includes(`<rect x="0.5" y="0.0" width="1.0" height="10.0"`), narrow);
        assert.ok(narrow.includes(`>m&lt;0&gt;</text>`) && narrow.includes(`>m&lt;3&gt; (peak 1/min)</text>`), narrow);
    });

    it("an empty window: '-' for the 5xx share and latencies, no chart, no malformed lines", () => {
        const empty = renderReportHtml(
            aggregateAccessLog({ entries: [], malformed: [], otherLines: 0 }, FROM, TO),
            "t",
        );
        assert.ok(
            empty.includes(
                "<b>0</b> requests, <b>0</b> 5xx (-), latency p50 - ms, p95 - ms, p99 - ms (HAProxy's total time per request).</p>\n" +
                    "<h2>Requests per minute (5xx in red)</h2>\n<p>No requests in this period.</p>\n",
            ),
            empty,
        );
        assert.ok(empty.includes(head("Per path", "path") + "\n</table>\n<h2>Busiest minutes</h2>"), empty);
        assert.ok(empty.endsWith("</table>\n<p>Malformed lines: 0.</p>\n</body></html>\n"), empty);
    });
});
