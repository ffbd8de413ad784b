/**
 * The one table the bench prints (markdown, so it pastes into the README as it is) and its header lines. Pure.
 */
import { PROJECT } from "../../../components/shared/naming";
import type { RunHeader } from "../header";
import { describeMachine } from "../machine";

export interface Row {
    scenario: string;
    /** e.g. "50" or "50 (25 × 2 nodes)". */
    connections: string;
    rps?: number;
    p50Ms?: number;
    p99Ms?: number;
    /** non-2xx + errors (timeouts are counted among errors). */
    failed?: number;
    notes: string;
}

export interface ReportHeader extends RunHeader {
    stack: string;
    engine: string;
}

/** "1.23×" — how many times `a` is `b`; "n/a" when either side is missing or b is 0. */
export function ratio(a: number | undefined, b: number | undefined): string {
    if (a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b === 0) return "n/a";
    return `${(a / b).toFixed(2)}×`;
}

export function formatSeconds(ms: number): string {
    return `${(ms / 1000).toFixed(1)} s`;
}

const COLUMNS: Array<{ title: string; right: boolean; cell: (r: Row) => string }> = [
    { title: "scenario", right: false, cell: (r) => r.scenario },
    { title: "connections", right: true, cell: (r) => r.connections },
    { title: "requests/s", right: true, cell: (r) => (r.rps === undefined ? "–" : Math.round(r.rps).toString()) },
    { title: "p50 ms", right: true, cell: (r) => num(r.p50Ms) },
    { title: "p99 ms", right: true, cell: (r) => num(r.p99Ms) },
    { title: "failed", right: true, cell: (r) => (r.failed === undefined ? "–" : r.failed.toString()) },
    { title: "notes", right: false, cell: (r) => r.notes },
];

function num(v: number | undefined): string {
    if (v === undefined) return "–";
    return Number.isInteger(v) ? v.toString() : v.toFixed(1);
}

/** A `|` inside a cell would split the markdown column. */
function escapeCell(text: string): string {
    return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

export function renderTable(rows: Row[]): string {
    const cells = rows.map((r) => COLUMNS.map((c) => escapeCell(c.cell(r))));
    const widths = COLUMNS.map((c, i) => Math.max(c.title.length, 3, ...cells.map((row) => row[i].length)));
    const line = (values: string[]) =>
        `| ${values.map((v, i) => (COLUMNS[i].right ? v.padStart(widths[i]) : v.padEnd(widths[i]))).join(" | ")} |`;
    const rule = `|${widths.map((w, i) => (COLUMNS[i].right ? `${"-".repeat(w + 1)}:` : `:${"-".repeat(w + 1)}`)).join("|")}|`;
    return [line(COLUMNS.map((c) => c.title)), rule, ...cells.map(line)].join("\n");
}

export function renderReport(header: ReportHeader, rows: Row[]): string {
    return [
        `${PROJECT} bench, ${header.startedAt.toISOString()}`,
        "",
        `- machine: ${describeMachine(header.machine)}`,
        `- stack: ${header.stack}`,
        `- engine: ${header.engine}`,
        `- load: ${header.load}`,
        "",
        renderTable(rows),
        "",
    ].join("\n");
}
