/**
 * The sweep's side of the controller's HTTP API (issue 10, /work/notes/controller-api.md): read the status,
 * pause and resume autoscaling, set the desired node count, and wait until exactly that many nodes run, are
 * healthy and are in the balancer. Loopback only; mutating calls carry the stack's controllerToken.
 */
import { assertLoopback } from "../../../lib/loopback";
import { waitFor } from "../../../lib/wait";

export type NodeState = "running" | "standby" | "starting" | "stopping" | "unhealthy" | "backoff";

export interface ControllerNode {
    name: string;
    container: string;
    state: NodeState;
    healthy: boolean;
    inBalancer: boolean;
    tag: string;
}

export interface ControllerStatus {
    paused: boolean;
    desired: number;
    floor: number;
    ceiling: number;
    nodes: ControllerNode[];
}

export class ControllerError extends Error {}

export class ControllerClient {
    constructor(
        readonly baseUrl: string,
        private readonly token: string | undefined,
        private readonly timeoutMs = 10_000,
    ) {
        assertLoopback(baseUrl);
    }

    status(): Promise<ControllerStatus> {
        return this.call<ControllerStatus>("GET", "/status");
    }

    pause(): Promise<{ paused: boolean }> {
        return this.call("POST", "/pause");
    }

    resume(): Promise<{ paused: boolean }> {
        return this.call("POST", "/resume");
    }

    setDesired(count: number): Promise<{ desired: number }> {
        return this.call("POST", "/desired", { count });
    }

    private async call<T>(method: "GET" | "POST", path: string, body?: unknown): Promise<T> {
        if (method === "POST" && !this.token)
            throw new ControllerError(
                `POST ${path} needs the controller's token: set CLOUDLAB_CONTROLLER_TOKEN (pulumi stack output controllerToken --show-secrets)`,
            );
        const url = new URL(path, this.baseUrl).toString();
        let res: Response;
        try {
            res = await fetch(url, {
                method,
                headers: {
                    ...(this.token ? { Authorization: `Bearer ${this.token}` } : {}),
                    ...(body === undefined ? {} : { "Content-Type": "application/json" }),
                },
                body: body === undefined ? undefined : JSON.stringify(body),
                signal: AbortSignal.timeout(this.timeoutMs),
            });
        } catch (err) {
            throw new ControllerError(`${method} ${url}: ${(err as Error).message} (is the controller running?)`);
        }
        const text = await res.text();
        if (!res.ok) throw new ControllerError(`${method} ${url} -> ${res.status}: ${text.slice(0, 300)}`);
        try {
            return JSON.parse(text) as T;
        } catch {
            throw new ControllerError(`${method} ${url} -> ${res.status} but not JSON: ${text.slice(0, 300)}`);
        }
    }
}

/** What stands between `status` and "exactly `count` nodes serve": "" when nothing does. Pure. */
export function notYetServing(status: ControllerStatus, count: number): string {
    const serving = status.nodes.filter((n) => n.state === "running" && n.healthy && n.inBalancer);
    const moving = status.nodes.filter((n) => n.state === "starting" || n.state === "stopping");
    const problems: string[] = [];
    if (status.desired !== count) problems.push(`desired ${status.desired}, not ${count}`);
    if (serving.length !== count)
        problems.push(`${serving.length} nodes serving (${serving.map((n) => n.name).join(", ") || "none"})`);
    if (moving.length) problems.push(`${moving.map((n) => `${n.name} ${n.state}`).join(", ")}`);
    return problems.join("; ");
}

/** Sets `count` nodes and waits until exactly that many serve; returns their names. */
export async function setInstances(
    client: ControllerClient,
    count: number,
    timeoutMs: number,
    signal?: AbortSignal,
): Promise<string[]> {
    await client.setDesired(count);
    let names: string[] = [];
    await waitFor(
        `${count} nodes running, healthy and in the balancer`,
        async () => {
            const s = await client.status();
            const why = notYetServing(s, count);
            names = s.nodes.filter((n) => n.state === "running").map((n) => n.name);
            return why === "" ? true : why;
        },
        timeoutMs,
        { everyMs: 500, signal },
    );
    return names;
}

/**
 * Runs `body` with autoscaling paused and resumes it afterwards, whether `body` returned, threw or was
 * interrupted (an aborted sweep makes `body` return early): a sweep never leaves the stack unscaled.
 * A failed resume is reported through `log` and rethrown after `body`'s own error, if any.
 */
export async function withAutoscalingPaused<T>(
    client: Pick<ControllerClient, "baseUrl" | "pause" | "resume">,
    log: (msg: string) => void,
    body: () => Promise<T>,
): Promise<T> {
    await client.pause();
    log(`autoscaling paused (${client.baseUrl})`);
    let failed = false;
    try {
        return await body();
    } catch (err) {
        failed = true;
        throw err;
    } finally {
        try {
            await client.resume();
            log("autoscaling resumed");
        } catch (err) {
            log(
                `COULD NOT RESUME AUTOSCALING: ${(err as Error).message}; run: curl -X POST -H "Authorization: Bearer $CLOUDLAB_CONTROLLER_TOKEN" ${client.baseUrl}/resume`,
            );
            // eslint-disable-next-line no-unsafe-finally
            if (!failed) throw err;
        }
    }
}

/** How a sweep sets its instance counts: through the controller, or by an `up` of a stack of its own. */
export interface Scaler {
    /** For the record: how the counts were set. */
    describe: string;
    /** Runs the whole sweep (the controller's pauses autoscaling around it, whatever happens). */
    around<T>(body: () => Promise<T>): Promise<T>;
    /** Makes exactly `count` nodes serve. */
    set(count: number): Promise<void>;
}

export function controllerScaler(
    client: ControllerClient,
    log: (msg: string) => void,
    signal?: AbortSignal,
    timeoutMs = 180_000,
): Scaler {
    return {
        describe: `set through the controller at ${client.baseUrl} (autoscaling paused)`,
        around: (body) => withAutoscalingPaused(client, log, body),
        set: async (count) => {
            await setInstances(client, count, timeoutMs, signal);
        },
    };
}
