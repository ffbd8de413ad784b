/**
 * What the local balancer says about its servers (its stats CSV, `/stats;csv`): read by the rolling-deploy gate
 * (components/hooks/wait-in-service.ts), the bench and the system tests.
 */
import { BACKEND } from "../render/haproxyConfig";
import { assertLoopback } from "../../lib/loopback";
import { inService, isServerRow, parseStatsCsv, serversInService } from "../../controller/src/haproxyStats";

export { inService, isServerRow, parseStatsCsv, serversInService };
export type { StatsRow } from "../../controller/src/haproxyStats";

/** Status ("UP", "DOWN", "MAINT (resolution)", "UP 1/2"...) of one server of a backend, or undefined if absent. */
export function serverStatus(csv: string, backend: string, server: string): string | undefined {
    return parseStatsCsv(csv).find((r) => r.pxname === backend && r.svname === server)?.status;
}

/** Status of an app node in the nodes' backend, or "absent" when the balancer's config has no such server. */
export function nodeStatus(csv: string, node: string): string {
    return serverStatus(csv, BACKEND, node) ?? "absent";
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
