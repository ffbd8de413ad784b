/**
 * Seed 001's connectivity check, before anything is measured: every running node answers GET / itself (as
 * the node it should be), and through the balancer every one of them is seen answering. The sweep refuses to
 * measure a cell otherwise: a figure for "3 instances" from a stack where one never served is a wrong figure.
 */
import { assertLoopback } from "../../../lib/loopback";

export interface Answer {
    status: number;
    /** The `node` field of the app's GET / answer, when there was one. */
    node?: string;
    error?: string;
}

export type Fetcher = (url: string) => Promise<Answer>;

/** GET `url` on a fresh connection; a refused or timed-out request is an answer with an error. */
export const fetchInfo: Fetcher = async (url) => {
    assertLoopback(url);
    try {
        const res = await fetch(url, { headers: { Connection: "close" }, signal: AbortSignal.timeout(5000) });
        const text = await res.text();
        let node: string | undefined;
        try {
            const body = JSON.parse(text) as { node?: unknown };
            if (typeof body.node === "string") node = body.node;
        } catch {
            // Not the app (a --url target may be anything): only the status counts then.
        }
        return { status: res.status, ...(node === undefined ? {} : { node }) };
    } catch (err) {
        return { status: 0, error: (err as Error).message };
    }
};

export interface ConnectivityReport {
    ok: boolean;
    /** One line per node and one for the balancer, each saying what was seen. */
    lines: string[];
}

/**
 * Judges the probes. Pure. `direct` has each node's own answer; `viaBalancer` the node names the balancer's
 * answers came from.
 */
export function judgeConnectivity(
    nodes: string[],
    direct: Record<string, Answer>,
    viaBalancer: Answer[],
): ConnectivityReport {
    const lines: string[] = [];
    let ok = nodes.length > 0;
    if (!ok) lines.push("no running node to check");
    for (const name of nodes) {
        const a = direct[name];
        const good = a !== undefined && a.status === 200 && a.node === name;
        ok &&= good;
        lines.push(
            `${name} direct: ${good ? "ok" : `FAILED (${a ? (a.error ?? `status ${a.status}, answered as ${JSON.stringify(a.node)}`) : "not probed"})`}`,
        );
    }
    const seen = new Set(viaBalancer.filter((a) => a.status === 200 && a.node).map((a) => a.node!));
    const missing = nodes.filter((n) => !seen.has(n));
    const strangers = [...seen].filter((n) => !nodes.includes(n));
    const failedAnswers = viaBalancer.filter((a) => a.status !== 200).length;
    const balancerOk = missing.length === 0 && strangers.length === 0 && failedAnswers === 0;
    ok &&= balancerOk;
    lines.push(
        `balancer: ${viaBalancer.length} requests, answered by ${[...seen].sort().join(", ") || "nobody"}` +
            (missing.length ? `; never by ${missing.join(", ")}` : "") +
            (strangers.length ? `; also by ${strangers.join(", ")}, which should not run` : "") +
            (failedAnswers ? `; ${failedAnswers} failed` : ""),
    );
    return { ok, lines };
}

/** Probes each node directly and the balancer until every node was seen (at most 4 rounds of the node count). */
export async function checkConnectivity(
    nodes: Array<{ name: string; url: string }>,
    balancerUrl: string,
    get: Fetcher = fetchInfo,
): Promise<ConnectivityReport> {
    const direct: Record<string, Answer> = {};
    for (const n of nodes) direct[n.name] = await get(n.url);
    const via: Answer[] = [];
    const names = nodes.map((n) => n.name);
    for (let i = 0; i < 4 * Math.max(1, nodes.length); i++) {
        via.push(await get(balancerUrl));
        if (names.every((n) => via.some((a) => a.node === n))) break;
    }
    return judgeConnectivity(names, direct, via);
}
