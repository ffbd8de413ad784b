/**
 * The sweep's HTML report: one self-contained file (inline CSS and SVG, no script) with throughput and
 * p50/p95/p99 against users (one line per instance count; dashed: cache off), failures, the knee per user
 * count, cache against one more node, the summary table and the record. Pure: record in, HTML out.
 */
import { cacheWinsFrom } from "./knee";
import { CellResult, requestCount, requestsPerSecond } from "../cell";
import { hitRatio } from "./outputs";
import type { SweepRecord } from "./record";
import { PALETTE, Series, escapeXml, lineChart } from "./svgChart";

type Metric = (c: CellResult) => number | undefined;

function seriesOf(record: SweepRecord, metric: Metric): { x: number[]; series: Series[] } {
    const x = [...new Set(record.cells.map((c) => c.users))].sort((a, b) => a - b);
    const instances = [...new Set(record.cells.map((c) => c.instances))].sort((a, b) => a - b);
    const arms = [...new Set(record.cells.map((c) => c.cache))];
    const series: Series[] = [];
    instances.forEach((i, n) => {
        for (const arm of arms) {
            const cells = record.cells.filter((c) => c.instances === i && c.cache === arm);
            if (!cells.length) continue;
            series.push({
                label: `${i} instance${i === 1 ? "" : "s"}${arm ? `, cache ${arm}` : ""}`,
                values: x.map((u) => {
                    const c = cells.find((cc) => cc.users === u);
                    return c ? metric(c) : undefined;
                }),
                color: PALETTE[n % PALETTE.length],
                dashed: arm === "off",
            });
        }
    });
    return { x, series };
}

function chart(record: SweepRecord, title: string, yLabel: string, metric: Metric): string {
    return lineChart({ title, xLabel: "users", yLabel, ...seriesOf(record, metric) });
}

const f1 = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? "–" : v.toFixed(1));
const pct = (v: number) => (Number.isFinite(v) ? `${(v * 100).toFixed(1)} %` : "–");

function table(head: string[], rows: string[][]): string {
    return `<table><thead><tr>${head.map((h) => `<th>${escapeXml(h)}</th>`).join("")}</tr></thead><tbody>${rows
        .map((r) => `<tr>${r.map((c) => `<td>${escapeXml(c)}</td>`).join("")}</tr>`)
        .join("")}</tbody></table>`;
}

/** One sentence per user count (and arm) naming the knee. */
export function kneeSentences(record: SweepRecord): string[] {
    const gain = `${(record.options.minGain * 100).toFixed(0)} %`;
    return record.knees.map((k) => {
        const who = `${k.users} users${k.cache ? ` (cache ${k.cache})` : ""}`;
        if (!k.steps.length) return `${who}: one instance count only, no knee to find`;
        if (k.knee === undefined)
            return `${who}: no knee up to ${k.steps[k.steps.length - 1].to} instances (every added node bought at least ${gain})`;
        return `${who}: knee at ${k.knee} instance${k.knee === 1 ? "" : "s"} (one more node buys less than ${gain} in p95 and in throughput)`;
    });
}

export function renderHtml(record: SweepRecord): string {
    const cells = [...record.cells].sort(
        (a, b) => a.instances - b.instances || (a.cache ?? "").localeCompare(b.cache ?? "") || a.users - b.users,
    );
    const p =
        (q: "p50Ms" | "p95Ms" | "p99Ms"): Metric =>
        (c) =>
            c.figures[q];
    const charts = [
        chart(record, "Throughput", "requests/s", (c) => requestsPerSecond(c.figures)),
        chart(record, "p50 latency", "ms", p("p50Ms")),
        chart(record, "p95 latency", "ms", p("p95Ms")),
        chart(record, "p99 latency", "ms", p("p99Ms")),
        chart(record, "Failed requests", "failed (non-2xx + errors)", (c) => c.figures.failed),
    ];
    const kneeRows = record.knees.flatMap((k) =>
        k.steps.map((s) => [
            String(k.users),
            k.cache ?? "",
            `${s.from} → ${s.to}`,
            pct(s.rpsGain),
            pct(s.p95Gain),
            s.pays ? "pays" : "does not pay",
            k.knee === s.from ? "← knee" : "",
        ]),
    );
    const cvn = record.cacheVsNode;
    const cacheSection = cvn.length
        ? `<h2>Cache against one more node</h2>
<p>${[...new Set(cvn.map((r) => r.instances))]
              .map((i) => {
                  const from = cacheWinsFrom(cvn, i);
                  return from === undefined
                      ? `At ${i} instance(s) the cache does not beat adding a node on p95 at the highest loads measured.`
                      : `At ${i} instance(s) the cache beats adding a node on p95 from ${from} users on.`;
              })
              .map(escapeXml)
              .join(" ")}</p>
${table(
    [
        "users",
        "cache on at",
        "p95 ms",
        "requests/s",
        "cache off at",
        "p95 ms",
        "requests/s",
        "p95 winner",
        "throughput winner",
    ],
    cvn.map((r) => [
        String(r.users),
        String(r.instances),
        f1(r.cacheP95Ms),
        f1(r.cacheRps),
        String(r.nodeInstances),
        f1(r.nodeP95Ms),
        f1(r.nodeRps),
        r.p95Winner,
        r.rpsWinner,
    ]),
)}`
        : "";
    const b = record.backend;
    return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>cloudlab sweep ${escapeXml(record.startedAt)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;max-width:1260px}
h1{font-size:20px}h2{font-size:16px;margin-top:28px}
.charts{display:flex;flex-wrap:wrap;gap:12px}
svg.chart{border:1px solid #ddd;background:#fff}
svg.chart text{font-size:11px;fill:#333}svg.chart .title{font-size:13px;font-weight:600}
svg.chart .grid{stroke:#eee}svg.chart .frame{fill:none;stroke:#999}
svg.chart path.series{fill:none;stroke-width:2}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}
th{background:#f4f4f4}.knee li{margin:2px 0}.warn{color:#b00;font-weight:600}
code,pre{background:#f6f6f6;padding:1px 4px}pre{padding:8px;overflow:auto}
</style></head><body>
<h1>cloudlab load sweep, ${escapeXml(record.startedAt)}</h1>
${record.incomplete ? `<p class="warn">Incomplete: ${escapeXml(record.incomplete)}</p>` : ""}
<p>Target ${escapeXml(record.target)}; instances ${escapeXml(record.instancesBy)}; ${escapeXml(record.load)}.<br>
Machine: ${escapeXml(record.machine)}.</p>
<h2>The knee</h2>
<ul class="knee">${kneeSentences(record)
        .map((s) => `<li>${escapeXml(s)}</li>`)
        .join("")}</ul>
<div class="charts">${charts.join("\n")}</div>
${kneeRows.length ? `<h2>Steps (gain per added node)</h2>${table(["users", "cache", "instances", "requests/s", "p95", "verdict", ""], kneeRows)}` : ""}
${cacheSection}
<h2>Cells</h2>
${table(
    [
        "users",
        "instances",
        "cache",
        "requests",
        "failed",
        "requests/s",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "max ms",
        "hit ratio",
        "client CPU",
        "file",
    ],
    cells.map((c) => {
        const h = hitRatio(c.figures);
        return [
            String(c.users),
            String(c.instances),
            c.cache ?? "",
            String(requestCount(c.figures)),
            String(c.figures.failed),
            f1(requestsPerSecond(c.figures)),
            f1(c.figures.p50Ms),
            f1(c.figures.p95Ms),
            f1(c.figures.p99Ms),
            f1(c.figures.maxMs),
            h === undefined ? "" : pct(h),
            `${c.figures.clientCpuPercent} %`,
            c.statsFile ?? "",
        ];
    }),
)}
<h2>Reproduce</h2>
<pre>${escapeXml(record.command)}</pre>
<p>Backend delay ${b.backendDelayMs === undefined ? "–" : `${b.backendDelayMs} ms`}; cache probe ${escapeXml(b.cacheProbe ?? "–")}${
        b.cacheSettings
            ? `; ${escapeXml(
                  Object.entries(b.cacheSettings)
                      .map(([k, v]) => `${k}=${v}`)
                      .join(" "),
              )}`
            : ""
    }; ${b.keys} keys, ${escapeXml(b.keyDistribution)}, seed ${b.seed}.</p>
<h2>Connectivity checks</h2>
${Object.entries(record.connectivity)
    .map(([i, lines]) => `<p><b>${escapeXml(i)}</b><br>${lines.map(escapeXml).join("<br>")}</p>`)
    .join("")}
</body></html>
`;
}
