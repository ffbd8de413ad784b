/** One row of HAProxy's stats CSV (`/stats;csv`), by column name. */
export type StatsRow = Record<string, string>;

/** Parses HAProxy's stats CSV: the header line starts with "# pxname,svname,...". */
export function parseStatsCsv(csv: string): StatsRow[] {
    const lines = csv.split("\n").filter((l) => l.trim().length > 0);
    if (lines.length === 0 || !lines[0].startsWith("# ")) throw new Error("not HAProxy stats CSV: no '# pxname,...' header");
    const header = lines[0].slice(2).split(",");
    return lines.slice(1).map((line) => {
        const cells = line.split(",");
        return Object.fromEntries(header.map((h, i) => [h, cells[i] ?? ""]));
    });
}

/** Status ("UP", "DOWN", "MAINT (resolution)", "UP 1/2"...) of one server of a backend, or undefined if absent. */
export function serverStatus(csv: string, backend: string, server: string): string | undefined {
    return parseStatsCsv(csv).find((r) => r.pxname === backend && r.svname === server)?.status;
}
