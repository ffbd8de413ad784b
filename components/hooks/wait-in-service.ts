/**
 * Pulumi's local.Command runs this after a node container is (re)created: it returns once the balancer reports
 * the node UP, so a rolling deploy only takes the next node down when this one already takes traffic. Exactly
 * "UP": HAProxy shows "UP 1/2" for a node that restarted but has not passed a health check yet.
 * Env (all required; components/local/appNode.ts sets them): CLOUDLAB_STATS_URL (the balancer's stats
 * page), CLOUDLAB_NODE (server name), CLOUDLAB_TIMEOUT_SECONDS (IN_SERVICE_TIMEOUT_SECONDS).
 */
import { commandEnv } from "./commandEnv";
import { fetchNodeStatus, inService } from "./haproxyStats";
import { log } from "../../lib/log";
import { waitFor } from "../../lib/wait";

export interface InServiceGate {
    statsUrl: string;
    node: string;
    timeoutSeconds: number;
}

/** The gate's settings from its environment; a missing or bad variable is an error that names it. */
export function gateFromEnv(env: NodeJS.ProcessEnv): InServiceGate {
    const { values, timeoutSeconds } = commandEnv("wait-in-service", env, ["CLOUDLAB_STATS_URL", "CLOUDLAB_NODE"]);
    return { statsUrl: values.CLOUDLAB_STATS_URL, node: values.CLOUDLAB_NODE, timeoutSeconds };
}

/** Resolves with the ms it took once the node is exactly UP; polls every `everyMs` (250 by default). */
export function waitInService(gate: InServiceGate, everyMs = 250): Promise<number> {
    return waitFor(
        `${gate.node} UP in the balancer`,
        async () => {
            let status: string;
            try {
                status = await fetchNodeStatus(gate.statsUrl, gate.node);
            } catch (err) {
                return `stats page unreachable: ${(err as Error).message}`;
            }
            return inService(status) || status;
        },
        gate.timeoutSeconds * 1000,
        { everyMs },
    );
}

async function main(): Promise<void> {
    const gate = gateFromEnv(process.env);
    const ms = await waitInService(gate);
    log.info({ node: gate.node, seconds: ms / 1000 }, "node is in service");
    process.stdout.write("UP");
}

if (require.main === module) {
    main().catch((err: Error) => {
        process.stderr.write(`${err.message}\n`);
        process.exit(1);
    });
}
