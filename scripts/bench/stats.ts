/**
 * What the balancer itself says (its stats CSV): whether a node is in rotation, and how many client connections
 * it holds. Every wait here is bounded in time and in attempts.
 */
import { parseStatsCsv, serverStatus } from "../lib/haproxyStats";
import { assertLoopback } from "../lib/loopback";
import { waitFor } from "../lib/wait";

export const BACKEND = "nodes";
export const FRONTEND = "web";

export async function fetchStatsCsv(statsUrl: string): Promise<string> {
    const url = `${statsUrl};csv`;
    assertLoopback(url);
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    if (!res.ok) throw new Error(`GET ${url} -> ${res.status}`);
    return res.text();
}

export async function nodeStatus(statsUrl: string, node: string): Promise<string> {
    return serverStatus(await fetchStatsCsv(statsUrl), BACKEND, node) ?? "absent";
}

/** Client connections the public frontend holds now (scur). */
export function frontendSessions(csv: string): number {
    const row = parseStatsCsv(csv).find((r) => r.pxname === FRONTEND && r.svname === "FRONTEND");
    return Number(row?.scur ?? 0) || 0;
}

/**
 * In service means exactly "UP". HAProxy also says "UP 1/2" for a server that is failing its checks (going
 * down), and a node whose container was restarted or replaced comes back from "MAINT (resolution)" in the
 * state it left in, often "UP 1/2" before a single check of the new process: that is not in service yet.
 */
export function inService(status: string): boolean {
    return status.trim() === "UP";
}

/** Waits until every named node is in service ({@link inService}) in the balancer. */
export function waitAllUp(statsUrl: string, nodes: string[], timeoutMs: number, signal?: AbortSignal): Promise<number> {
    return waitFor(
        `${nodes.join(", ")} UP in the balancer`,
        async () => {
            const csv = await fetchStatsCsv(statsUrl);
            const notUp = nodes
                .map((n) => [n, serverStatus(csv, BACKEND, n) ?? "absent"] as const)
                .filter(([, s]) => !inService(s));
            return notUp.length === 0 ? true : notUp.map(([n, s]) => `${n} ${s}`).join(", ");
        },
        timeoutMs,
        { everyMs: 250, signal },
    );
}
