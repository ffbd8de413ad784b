/**
 * What the balancer itself says (its stats CSV): whether a node is in rotation, and how many client connections
 * it holds. Every wait here is bounded in time and in attempts.
 */
import { fetchStatsCsv, inService, nodeStatus, parseStatsCsv } from "../../components/hooks/haproxyStats";
import { waitFor } from "../../lib/wait";

/** The balancer's public frontend (components/render/haproxyConfig.ts). */
export const FRONTEND = "web";

/** Client connections the public frontend holds now (scur). */
export function frontendSessions(csv: string): number {
    const row = parseStatsCsv(csv).find((r) => r.pxname === FRONTEND && r.svname === "FRONTEND");
    return Number(row?.scur ?? 0) || 0;
}

/** Waits until every named node is in service ({@link inService}) in the balancer. */
export function waitAllUp(statsUrl: string, nodes: string[], timeoutMs: number, signal?: AbortSignal): Promise<number> {
    return waitFor(
        `${nodes.join(", ")} UP in the balancer`,
        async () => {
            const csv = await fetchStatsCsv(statsUrl);
            const notUp = nodes.map((n) => [n, nodeStatus(csv, n)] as const).filter(([, s]) => !inService(s));
            return notUp.length === 0 ? true : notUp.map(([n, s]) => `${n} ${s}`).join(", ");
        },
        timeoutMs,
        { everyMs: 250, signal },
    );
}
