/**
 * What the local balancer says about its servers (its stats CSV, `/stats;csv`): read by the rolling-deploy gate
 * (scripts/wait-in-service.ts), the bench and the system tests.
 */
import { BACKEND } from "../../components/render/haproxyConfig";
import { assertLoopback } from "./loopback";

/** One row of HAProxy's stats CSV (`/stats;csv`), by column name. */
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

/** Status ("UP", "DOWN", "MAINT (resolution)", "UP 1/2"...) of one server of a backend, or undefined if absent. */
export function serverStatus(csv: string, backend: string, server: string): string | undefined {
    return parseStatsCsv(csv).find((r) => r.pxname === backend && r.svname === server)?.status;
}

/** Status of an app node in the nodes' backend, or "absent" when the balancer's config has no such server. */
export function nodeStatus(csv: string, node: string): string {
    return serverStatus(csv, BACKEND, node) ?? "absent";
}

/**
 * In service means exactly "UP". HAProxy also says "UP 1/2" for a server that is failing its checks (going
 * down), and a node whose container was restarted or replaced comes back from "MAINT (resolution)" in the
 * state it left in, often "UP 1/2" before a single check of the new process: that is not in service yet.
 */
export function inService(status: string): boolean {
    return status.trim() === "UP";
}

/** GET `<statsUrl>;csv` (127.0.0.1 only, 2 s at most); a non-2xx answer is an error. */
export async function fetchStatsCsv(statsUrl: string): Promise<string> {
    const url = `${statsUrl};csv`;
    assertLoopback(url);
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    if (!res.ok) throw new Error(`GET ${url} -> ${res.status}`);
    return res.text();
}

/** {@link nodeStatus} as the balancer at `statsUrl` reports it now. */
export async function fetchNodeStatus(statsUrl: string, node: string): Promise<string> {
    return nodeStatus(await fetchStatsCsv(statsUrl), node);
}
