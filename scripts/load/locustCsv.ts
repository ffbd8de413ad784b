/**
 * Locust's `<prefix>_stats.csv`, column for column, so Locust tooling reads a sweep's cells. The shape is
 * locustio/locust locust/stats.py at 407343d0f5ab84a32f41f6f9a7c991188d10a55a:
 * - header: StatsCSV.__init__ `requests_csv_columns` (Type, Name, Request Count, ... Failures/s) followed by
 *   get_readable_percentiles(PERCENTILES_TO_REPORT) ("50%" ... "99.9%", "99.99%", "100%");
 * - rows: StatsCSV._requests_data_rows: one per (name, method) entry sorted by key, then `stats.total`, the
 *   entry RequestStats.__init__ makes as StatsEntry(self, "Aggregated", "") (name "Aggregated", method "");
 *   `min_response_time or 0`; percentiles `int(...)`, or "N/A" for each when the entry has no requests;
 * - written by Python's csv.writer (StatsCSVFileWriter): excel dialect, "\r\n" line ends, minimal quoting, and
 *   Python's str() of numbers (floats always with a decimal point: 0.0, 12.5).
 *
 * What differs on purpose: the percentiles come from an HDR histogram of exact times, not from Locust's
 * two-significant-digit buckets (bucket_response_time), so 147 ms stays 147, not 150. Response times are
 * only known for answered requests: a socket error or a timeout counts in Request Count and Failure Count but
 * not in the times (Locust times those too).
 */
import type { LatencySummary } from "./histogram";

/** PERCENTILES_TO_REPORT of locust/stats.py, in percent. */
export const LOCUST_PERCENTILES = [50, 66, 75, 80, 90, 95, 98, 99, 99.9, 99.99, 100] as const;

export const LOCUST_STATS_HEADER = [
    "Type",
    "Name",
    "Request Count",
    "Failure Count",
    "Median Response Time",
    "Average Response Time",
    "Min Response Time",
    "Max Response Time",
    "Average Content Size",
    "Requests/s",
    "Failures/s",
    ...LOCUST_PERCENTILES.map((p) => `${p}%`),
] as const;

/** One Locust StatsEntry's figures. */
export interface StatsEntry {
    /** Method ("GET"); "" for the Aggregated row. */
    method: string;
    name: string;
    /** Every finished request: answered or failed at the socket. */
    requests: number;
    failures: number;
    /** Body bytes of all answered requests. */
    contentBytes: number;
    /** Seconds the load ran (Locust: last request time - start time). */
    durationS: number;
    /** Times of the answered requests, with every percentile of LOCUST_PERCENTILES. */
    times: LatencySummary;
}

/** Python's str() of a float: "0.0", "12.5", "5e-05", "1e+16". */
export function pyFloat(x: number): string {
    if (!Number.isFinite(x)) return x > 0 ? "inf" : x < 0 ? "-inf" : "nan";
    if (x === 0) return "0.0";
    const abs = Math.abs(x);
    if (abs < 1e-4 || abs >= 1e16) {
        const [mantissa, exp] = x.toExponential().split("e");
        const n = Number(exp);
        return `${mantissa}e${n < 0 ? "-" : "+"}${String(Math.abs(n)).padStart(2, "0")}`;
    }
    const s = String(x);
    return Number.isInteger(x) ? `${s}.0` : s;
}

/** A csv.writer field: quoted (quotes doubled) only when it holds a comma, a quote or a line break. */
export function csvField(value: string): string {
    return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function csvLine(fields: Array<string | number>): string {
    return `${fields.map((f) => csvField(String(f))).join(",")}\r\n`;
}

export function statsRow(e: StatsEntry): Array<string | number> {
    const perSecond = (n: number) => (e.durationS > 0 ? pyFloat(n / e.durationS) : "0.0");
    const at = (p: number) => Math.trunc(e.times.percentilesMs[String(p)] ?? 0);
    const percentiles = e.requests ? LOCUST_PERCENTILES.map(at) : LOCUST_PERCENTILES.map(() => "N/A");
    return [
        e.method,
        e.name,
        e.requests,
        e.failures,
        at(50),
        pyFloat(e.times.meanMs),
        e.times.count ? pyFloat(e.times.minMs) : 0,
        e.times.count ? pyFloat(e.times.maxMs) : 0,
        e.requests ? pyFloat(e.contentBytes / e.requests) : 0,
        perSecond(e.requests),
        perSecond(e.failures),
        ...percentiles,
    ];
}

/** The whole file: header, the entries (sorted as Locust sorts its (name, method) keys), the Aggregated row. */
export function locustStatsCsv(entries: StatsEntry[], total: StatsEntry): string {
    const sorted = [...entries].sort((a, b) => (a.name === b.name ? cmp(a.method, b.method) : cmp(a.name, b.name)));
    return [LOCUST_STATS_HEADER as readonly string[], ...sorted.map(statsRow), statsRow(total)]
        .map((f) => csvLine([...f]))
        .join("");
}

function cmp(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}
