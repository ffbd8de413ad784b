/**
 * The Docker connection used by the docker test engine and by tests (DOCKER_HOST etc. are honoured by
 * dockerode's defaults), plus the reachability probe suites use to skip or fail.
 */
import Docker from "dockerode";
import { errorMessage } from "./values";

let client: Docker | undefined;

export function docker(): Docker {
    client = client ?? new Docker();
    return client;
}

export interface DockerAvailability {
    ok: boolean;
    reason?: string;
}

/** Pings the engine (5 s budget). Never throws. */
export async function dockerAvailable(timeoutMs = 5000): Promise<DockerAvailability> {
    let timer: NodeJS.Timeout | undefined;
    try {
        const timeout = new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
        });
        await Promise.race([docker().ping(), timeout]);
        return { ok: true };
    } catch (e) {
        return { ok: false, reason: errorMessage(e) };
    } finally {
        if (timer) clearTimeout(timer);
    }
}

/** The message of a Docker API error (dockerode wraps it as "(HTTP code 409) unexpected - <message>"). */
export function dockerError(e: unknown): string {
    const json = (e as { json?: { message?: string } } | undefined)?.json;
    if (json && typeof json.message === "string") return `Error response from daemon: ${json.message}`;
    return errorMessage(e);
}

export function isNotFound(e: unknown): boolean {
    return (e as { statusCode?: number } | undefined)?.statusCode === 404;
}

/**
 * Force-removes every container, then every network, that `filters` select (a Docker API filter: by label, or by
 * name): what a crashed run or an interrupted destroy left. Returns what it removed.
 */
export async function removeDockerObjects(filters: Record<string, string[]>): Promise<string[]> {
    const removed: string[] = [];
    for (const c of await docker().listContainers({ all: true, filters })) {
        await docker()
            .getContainer(c.Id)
            .remove({ force: true, v: true })
            .catch(() => undefined);
        removed.push(`container ${c.Names.join(",")}`);
    }
    for (const n of await docker().listNetworks({ filters })) {
        await docker()
            .getNetwork(n.Id)
            .remove()
            .catch(() => undefined);
        removed.push(`network ${n.Name}`);
    }
    return removed;
}
