/**
 * Where `npm run status` reads from: the URLs the stack's outputs name (controllerUrl, statsUrl, alertmanagerUrl),
 * so that a stack on ports of its own is read where it is.
 */
import type { Decision } from "../../cli/engineChoice";
import { readStackOutputs } from "../../cli/stackOutputs";
import { assertLoopback } from "../lib/loopback";

export interface StatusUrls {
    /** The controller's GET /status. */
    controller: string;
    /** The balancer's stats page (its CSV is `<stats>;csv`). */
    stats: string;
    /** Alertmanager's firing alerts. */
    alerts: string;
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
    };
}
