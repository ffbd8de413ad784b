/**
 * A line chart as inline SVG, rendered here (no script, no CDN: the report opens offline and prints). Users on
 * an evenly spaced axis (the sweep's user counts are usually far apart: 10, 50, 200, 1000), values on a linear
 * axis from 0. Pure: series in, SVG text out.
 */

export interface Series {
    label: string;
    /** One value per x label; undefined where the cell was not measured. */
    values: Array<number | undefined>;
    color: string;
    dashed?: boolean;
}

export interface ChartSpec {
    title: string;
    xLabel: string;
    yLabel: string;
    x: number[];
    series: Series[];
}

const W = 600;
const H = 300;
const M = { left: 64, right: 190, top: 32, bottom: 44 };

export const PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"];

export function escapeXml(s: string): string {
    return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** A round axis maximum at or above `v`: 1, 2 or 5 times a power of ten. */
export function niceMax(v: number): number {
    if (!(v > 0)) return 1;
    const p = 10 ** Math.floor(Math.log10(v));
    for (const m of [1, 2, 5, 10]) if (m * p >= v) return m * p;
    return 10 * p;
}

function fmt(v: number): string {
    if (v >= 10_000) return `${Math.round(v / 1000)}k`;
    if (v >= 1000) return `${(v / 1000).toFixed(1)}k`;
    return String(Number(v.toPrecision(3)));
}

export function lineChart(spec: ChartSpec): string {
    const plotW = W - M.left - M.right;
    const plotH = H - M.top - M.bottom;
    const all = spec.series.flatMap((s) => s.values.filter((v): v is number => v !== undefined && Number.isFinite(v)));
    const yMax = niceMax(Math.max(0, ...all));
    const xAt = (i: number) => M.left + (spec.x.length === 1 ? plotW / 2 : (i * plotW) / (spec.x.length - 1));
    const yAt = (v: number) => M.top + plotH - (v / yMax) * plotH;
    const parts: string[] = [];
    parts.push(
        `<text x="${W / 2 - M.right / 2}" y="18" text-anchor="middle" class="title">${escapeXml(spec.title)}</text>`,
    );
    for (let t = 0; t <= 4; t++) {
        const v = (yMax * t) / 4;
        const y = yAt(v);
        parts.push(`<line x1="${M.left}" x2="${M.left + plotW}" y1="${y}" y2="${y}" class="grid"/>`);
        parts.push(`<text x="${M.left - 6}" y="${y + 4}" text-anchor="end">${fmt(v)}</text>`);
    }
    spec.x.forEach((x, i) =>
        parts.push(`<text x="${xAt(i)}" y="${M.top + plotH + 16}" text-anchor="middle">${x}</text>`),
    );
    parts.push(
        `<text x="${M.left + plotW / 2}" y="${H - 6}" text-anchor="middle">${escapeXml(spec.xLabel)}</text>`,
        `<text transform="translate(14 ${M.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escapeXml(spec.yLabel)}</text>`,
        `<rect x="${M.left}" y="${M.top}" width="${plotW}" height="${plotH}" class="frame"/>`,
    );
    spec.series.forEach((s, n) => {
        const pts = s.values
            .map((v, i) => (v === undefined || !Number.isFinite(v) ? undefined : ([xAt(i), yAt(v)] as const)))
            .filter((p): p is readonly [number, number] => p !== undefined);
        const dash = s.dashed ? ` stroke-dasharray="6 4"` : "";
        if (pts.length)
            parts.push(
                `<path class="series" data-label="${escapeXml(s.label)}" d="${pts.map(([x, y], i) => `${i ? "L" : "M"}${x.toFixed(1)} ${y.toFixed(1)}`).join(" ")}" stroke="${s.color}"${dash}/>`,
                ...pts.map(([x, y]) => `<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="3" fill="${s.color}"/>`),
            );
        const ly = M.top + 10 + n * 18;
        parts.push(
            `<line x1="${W - M.right + 12}" x2="${W - M.right + 36}" y1="${ly}" y2="${ly}" stroke="${s.color}" stroke-width="2"${dash}/>`,
            `<text x="${W - M.right + 42}" y="${ly + 4}">${escapeXml(s.label)}</text>`,
        );
    });
    return `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${escapeXml(spec.title)}">${parts.join("")}</svg>`;
}
