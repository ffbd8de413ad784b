/**
 * What the controller reads from and does to Docker, through the socket proxy (only container list, inspect,
 * stats, start, stop and restart get through it). It looks only at the app nodes of its own stack: containers
 * labelled cloudlab.stack=<stack> and cloudlab.role=app; everything else on the engine is invisible to it.
 */
import Docker from "dockerode";
import { CpuReading, DockerCpuStats, limitCpusOf, nodeCpuPercent } from "./cpuPercent";
import type { Action, ContainerStatus, HealthStatus, NodeObservation } from "./decide";

/** The Docker label keys (components/local/names.ts LABELS has the same values; a unit test keeps them equal). */
export const NODE_LABELS = {
    stack: "cloudlab.stack",
    role: "cloudlab.role",
    node: "cloudlab.node",
    tag: "cloudlab.tag",
};

/**
 * Whether a container is on a network of its own (NetworkSettings.Networks of its inspect): the docker provider
 * creates it on Docker's default bridge, then disconnects that and connects its networks (NodeObservation.wired).
 */
export function onOwnNetwork(networks: Record<string, unknown> | undefined): boolean {
    return Object.keys(networks ?? {}).some((name) => name !== "bridge");
}

export interface NodeReading extends Omit<NodeObservation, "inBalancer" | "busy"> {
    memoryBytes: number | null;
    memoryLimitBytes: number | null;
}

/** Docker's "never" (0001-01-01T00:00:00Z) and unparsable times are 0. */
export function dockerTime(text: string | undefined): number {
    const t = text ? Date.parse(text) : NaN;
    return Number.isFinite(t) && t > 0 ? t : 0;
}

interface MemoryStats {
    usage?: number;
    limit?: number;
    stats?: Record<string, number>;
}

/** Memory in use as `docker stats` shows it: the cgroup's usage minus its inactive page cache. */
export function memoryInUse(m: MemoryStats | undefined): number | null {
    if (!m || typeof m.usage !== "number") return null;
    const cache = m.stats?.inactive_file ?? m.stats?.total_inactive_file ?? 0;
    return Math.max(0, m.usage - cache);
}

export class DockerView {
    private readonly client: Docker;
    /** The last CPU reading per container id: the next check's percentage covers the whole period. */
    private readonly readings = new Map<string, CpuReading>();

    constructor(
        dockerUrl: string,
        private readonly stack: string,
        private readonly maxReadingAgeMs: number,
    ) {
        const url = new URL(dockerUrl);
        this.client = new Docker({
            protocol: url.protocol === "https:" ? "https" : "http",
            host: url.hostname,
            port: Number(url.port || 2375),
            timeout: 120_000,
        });
    }

    async nodes(): Promise<NodeReading[]> {
        const filters = JSON.stringify({
            label: [`${NODE_LABELS.stack}=${this.stack}`, `${NODE_LABELS.role}=app`],
        });
        const list = await this.client.listContainers({ all: true, filters });
        const seen = new Set<string>();
        const nodes = await Promise.all(
            list.map(async (c) => {
                seen.add(c.Id);
                return this.node(c.Id);
            }),
        );
        for (const id of this.readings.keys()) if (!seen.has(id)) this.readings.delete(id);
        return nodes.filter((n): n is NodeReading => n !== undefined);
    }

    private async node(id: string): Promise<NodeReading | undefined> {
        let info: Docker.ContainerInspectInfo;
        try {
            info = await this.client.getContainer(id).inspect();
        } catch (e) {
            if ((e as { statusCode?: number }).statusCode === 404) return undefined; // removed meanwhile
            throw e;
        }
        const labels = info.Config.Labels ?? {};
        // The filter ran on the engine's side; checked again here so a proxy or engine bug cannot widen it.
        if (labels[NODE_LABELS.stack] !== this.stack || labels[NODE_LABELS.role] !== "app") return undefined;
        const status = info.State.Status as ContainerStatus;
        const health = ((info.State as { Health?: { Status?: string } }).Health?.Status ?? "none") as HealthStatus;
        let cpuPercent: number | null = null;
        let memoryBytes: number | null = null;
        let memoryLimitBytes: number | null = null;
        if (status === "running") {
            try {
                // one-shot: the current counters at once, instead of waiting for Docker's next ~1 s sample (which
                // delayed every check, and so every decision, by up to a second); the previous check's reading
                // gives the period's CPU. Without one (the node's or the controller's first check), Docker's own
                // ~1 s window is the only value there is, so that read waits for it.
                const stats = (await this.client
                    .getContainer(id)
                    .stats({ stream: false, "one-shot": this.readings.has(id) })) as unknown as DockerCpuStats & {
                    memory_stats?: MemoryStats;
                };
                const limit = limitCpusOf(info.HostConfig.NanoCpus ?? 0, stats.cpu_stats.online_cpus);
                const r = nodeCpuPercent(this.readings.get(id), stats, limit, this.maxReadingAgeMs);
                cpuPercent = r.percent;
                if (r.reading) this.readings.set(id, r.reading);
                memoryBytes = memoryInUse(stats.memory_stats);
                memoryLimitBytes = stats.memory_stats?.limit ?? null;
            } catch {
                cpuPercent = null; // a missing sample: the check does not count for the alarms
            }
        } else {
            this.readings.delete(id);
        }
        return {
            name: labels[NODE_LABELS.node] ?? info.Name.replace(/^\//, ""),
            container: info.Name.replace(/^\//, ""),
            id,
            status,
            health,
            exitCode: info.State.ExitCode ?? 0,
            startedAt: dockerTime(info.State.StartedAt),
            finishedAt: dockerTime(info.State.FinishedAt),
            cpuPercent,
            tag: labels[NODE_LABELS.tag] ?? "",
            wired: onOwnNetwork(info.NetworkSettings?.Networks),
            memoryBytes,
            memoryLimitBytes,
        };
    }

    /**
     * Runs one action. A stop sends SIGTERM and lets Docker wait the container's own stop timeout (the app's
     * drain bound), so in-flight requests finish; a restart of a failed node does the same.
     */
    async act(action: Action): Promise<void> {
        const c = this.client.getContainer(action.container);
        const ignoreNotModified = (e: unknown) => {
            if ((e as { statusCode?: number }).statusCode !== 304) throw e;
        };
        if (action.kind === "start") await c.start().catch(ignoreNotModified);
        else if (action.kind === "stop") await c.stop().catch(ignoreNotModified);
        else await c.restart();
    }
}
