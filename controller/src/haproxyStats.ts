/**
 * HAProxy's stats CSV (`/stats;csv`): the one parser, used by the controller (is a node in the balancer?) and by
 * the scripts and tests on the host (components/hooks/haproxyStats.ts re-exports it).
 */

/** One row of HAProxy's stats CSV, by column name. */
export type StatsRow = Record<string, string>;

/** Parses HAProxy's stats CSV: the header line starts with "# pxname,svname,...". */
export function parseStatsCsv(csv: string): StatsRow[] {
    const lines = csv.split("\n").filter((l) => l.trim().length > 0);
    if (lines.length === 0 || !lines[0].startsWith("# "))
        throw new Error("not HAProxy stats CSV: no '# pxname,...' header");
    const header = lines[0].slice(2).split(",");
    return lines.slice(1).map((line) => {
        const cells = line.split(",");
        return Object.fromEntries(header.map((h, i) => [h, cells[i] ?? ""]));
    });
}

/**
 * In service means exactly "UP". HAProxy also says "UP 1/2" for a server that is failing its checks (going
 * down), and a node whose container was restarted or replaced comes back from "MAINT (resolution)" in the
 * state it left in, often "UP 1/2" before a single check of the new process: that is not in service yet.
 */
export function inService(status: string): boolean {
    return status.trim() === "UP";
}

/**
 * A row of one of `backend`'s servers. HAProxy adds a totals row per proxy (svname FRONTEND / BACKEND; the
 * management guide's "type" column 0 / 1), and a backend's BACKEND row says "UP" while any one server is.
 */
export function isServerRow(r: StatsRow, backend: string): boolean {
    return r.pxname === backend && r.svname !== "BACKEND" && r.svname !== "FRONTEND";
}

/** The servers of `backend` that are in service. */
export function serversInService(csv: string, backend: string): Set<string> {
    return new Set(
        parseStatsCsv(csv)
            .filter((r) => isServerRow(r, backend) && inService(r.status ?? ""))
            .map((r) => r.svname),
    );
}
