import type { AccessReport, GroupStats } from "./aggregate";

const escape = (text: string): string =>
    text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

const ms = (v: number | null): string => (v === null ? "-" : `${v}`);
const percent = (part: number, whole: number): string => (whole === 0 ? "-" : `${((100 * part) / whole).toFixed(1)}%`);

function table(title: string, keyName: string, groups: Record<string, GroupStats>): string {
    const rows = Object.entries(groups)
        .map(
            ([k, s]) =>
                `<tr><td>${escape(k)}</td><td>${s.requests}</td><td>${s.errors}</td><td>${percent(s.errors, s.requests)}</td>` +
                `<td>${ms(s.latencyMs.p50)}</td><td>${ms(s.latencyMs.p95)}</td><td>${ms(s.latencyMs.p99)}</td><td>${ms(s.latencyMs.max)}</td></tr>`,
        )
        .join("\n");
    return (
        `<h2>${escape(title)}</h2>\n<table>\n<tr><th>${escape(keyName)}</th><th>requests</th><th>5xx</th><th>5xx %</th>` +
        `<th>p50 ms</th><th>p95 ms</th><th>p99 ms</th><th>max ms</th></tr>\n${rows}\n</table>`
    );
}

/** Requests (bars) and 5xx (red bars) per minute as inline SVG: the mail and the file need nothing else. */
export function minuteChart(minutes: AccessReport["minutes"], width = 720, height = 160): string {
    if (minutes.length === 0) return "<p>No requests in this period.</p>";
    const top = Math.max(...minutes.map((m) => m.requests));
    const step = width / minutes.length;
    const bar = Math.max(1, step * 0.8);
    const y = (v: number) => height - (height * v) / top;
    const bars = minutes
        .map((m, i) => {
            const x = (i * step).toFixed(1);
            return (
                `<rect x="${x}" y="${y(m.requests).toFixed(1)}" width="${bar.toFixed(1)}" height="${(height - y(m.requests)).toFixed(1)}" fill="#4a78c2"><title>${m.minute}: ${m.requests} requests, ${m.errors} 5xx</title></rect>` +
                (m.errors > 0
                    ? `<rect x="${x}" y="${y(m.errors).toFixed(1)}" width="${bar.toFixed(1)}" height="${(height - y(m.errors)).toFixed(1)}" fill="#c24a4a"/>`
                    : "")
            );
        })
        .join("");
    return (
        `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height + 20}" role="img" aria-label="requests per minute">` +
        `${bars}<text x="0" y="${height + 15}" font-size="11">${escape(minutes[0].minute)}</text>` +
        `<text x="${width}" y="${height + 15}" font-size="11" text-anchor="end">${escape(minutes[minutes.length - 1].minute)} (peak ${top}/min)</text></svg>`
    );
}

/** The report as one self-contained HTML page (inline style and chart). */
export function renderReportHtml(report: AccessReport, title: string): string {
    const t = report.total;
    const busiest = report.busiestMinutes
        .map((m) => `<tr><td>${escape(m.minute)}</td><td>${m.requests}</td><td>${m.errors}</td></tr>`)
        .join("\n");
    const malformed =
        report.malformed.count === 0
            ? "<p>Malformed lines: 0.</p>"
            : `<p>Malformed lines: ${report.malformed.count} (skipped). First ones:</p><ul>` +
              report.malformed.examples
                  .map((m) => `<li>line ${m.line}: ${escape(m.reason)}: <code>${escape(m.text)}</code></li>`)
                  .join("") +
              "</ul>";
    return `<!doctype html>
<html><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>body{font-family:sans-serif;margin:1.5em}table{border-collapse:collapse;margin-bottom:1em}td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}td:first-child,th:first-child{text-align:left}</style>
</head><body>
<h1>${escape(title)}</h1>
<p>${escape(report.from)} to ${escape(report.to)}: <b>${t.requests}</b> requests, <b>${t.errors}</b> 5xx (${percent(t.errors, t.requests)}), latency p50 ${ms(t.latencyMs.p50)} ms, p95 ${ms(t.latencyMs.p95)} ms, p99 ${ms(t.latencyMs.p99)} ms (HAProxy's total time per request).</p>
<h2>Requests per minute (5xx in red)</h2>
${minuteChart(report.minutes)}
${table("Per node", "node", report.byNode)}
${table("Per status class", "status", report.byStatusClass)}
${table("Per path", "path", report.byPath)}
<h2>Busiest minutes</h2>
<table><tr><th>minute (UTC)</th><th>requests</th><th>5xx</th></tr>
${busiest}
</table>
${malformed}
</body></html>
`;
}
