/**
 * Where `npm run status` reads from: the URLs the stack's outputs name (controllerUrl, statsUrl, alertmanagerUrl,
 * and prometheusUrl for cAdvisor's series when there is a cadvisorUrl), so that a stack on ports of its own is
 * read where it is.
 */
import type { Decision } from "../../cli/engineChoice";
import { readStackOutputs } from "../../cli/stackOutputs";
import { CADVISOR_NODE_QUERIES } from "../../components/render/cadvisor";
import { assertLoopback } from "../../lib/loopback";
import type { NodeUsage } from "./view";

export interface StatusUrls {
    /** The controller's GET /status. */
    controller: string;
    /** The balancer's stats page (its CSV is `<stats>;csv`). */
    stats: string;
    /** Alertmanager's firing alerts. */
    alerts: string;
    /** Prometheus' instant queries, when the stack has cAdvisor (whose series they read). */
    containers?: string;
}

/** The URLs of the stack in the clone at `root`, from its outputs on `engine`. */
export async function stackStatusUrls(root: string, stack: string, engine: Decision): Promise<StatusUrls> {
    return statusUrls(stack, await readStackOutputs(root, stack, engine));
}

/** The URLs from the stack's outputs (pure); an error naming the stack when it is not up, or not a local stack. */
export function statusUrls(stack: string, outputs: Record<string, unknown>): StatusUrls {
    if (Object.keys(outputs).length === 0) {
        throw new Error(`stack ${stack} is not up (it has no outputs): \`npm run up -- -s ${stack}\` first`);
    }
    const url = (key: string): string => {
        const value = outputs[key];
        if (typeof value !== "string") {
            throw new Error(`stack ${stack} has no ${key} output: npm run status reads a local stack that is up`);
        }
        assertLoopback(value);
        return value;
    };
    return {
        controller: `${url("controllerUrl")}/status`,
        stats: url("statsUrl"),
        alerts: `${url("alertmanagerUrl")}/api/v2/alerts?active=true&silenced=false&inhibited=false`,
        ...(outputs.cadvisorUrl !== undefined ? { containers: `${url("prometheusUrl")}/api/v1/query` } : {}),
    };
}

/** cAdvisor's per-node queries as `npm run status` runs them: rates over the last minute. */
export const USAGE_QUERIES: Record<keyof NodeUsage, string[]> = {
    cpuPercent: [CADVISOR_NODE_QUERIES.cpuPercent],
    memoryBytes: [CADVISOR_NODE_QUERIES.memoryBytes],
    networkBytesPerSecond: [CADVISOR_NODE_QUERIES.receiveBytesPerSecond, CADVISOR_NODE_QUERIES.transmitBytesPerSecond],
};
export const usageQuery = (expr: string) => expr.replace(/\$__rate_interval/g, "1m");

/** Prometheus' instant-query results (one per query of {@link USAGE_QUERIES}, in order) as usage by node. */
export function nodeUsage(results: Record<keyof NodeUsage, PromVector[]>): Record<string, NodeUsage> {
    const out: Record<string, NodeUsage> = {};
    for (const [key, vectors] of Object.entries(results) as Array<[keyof NodeUsage, PromVector[]]>) {
        for (const vector of vectors)
            for (const sample of vector) {
                const node = sample.metric.node;
                const value = Number(sample.value[1]);
                if (node === undefined || !Number.isFinite(value)) continue;
                const usage = (out[node] = out[node] ?? {});
                usage[key] = (usage[key] ?? 0) + value;
            }
    }
    return out;
}

/** The `result` of a Prometheus instant query of type vector. */
export type PromVector = Array<{ metric: Record<string, string>; value: [number, string] }>;
