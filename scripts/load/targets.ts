/**
 * Finds a stack's URLs from its Docker containers (the labels components/local/names.ts puts on them), so the bench
 * works against any local stack without Pulumi outputs: `pulumi up -s local` then `npm run bench -- --stack local`.
 * Pure: it reads the shape of dockerode's listContainers() answer.
 */
import { LABELS, ROLES } from "../../components/local/names";
import { HAPROXY_PORTS } from "../../components/render/haproxyConfig";
import { LOOPBACK, loopbackUrl } from "../../lib/loopback";

/** The part of dockerode's ContainerInfo the discovery reads. */
export interface ContainerDescription {
    Id: string;
    Names: string[];
    Labels: Record<string, string>;
    State: string;
    Ports: Array<{ IP?: string; PrivatePort: number; PublicPort?: number; Type: string }>;
}

export interface NodeTarget {
    name: string;
    /** N of node-N, for ordering. */
    index: number;
    containerId: string;
    containerName: string;
    running: boolean;
    tag?: string;
    /** Direct URL, only for a running node with a published port. */
    url?: string;
}

export interface StackTargets {
    prefix: string;
    balancer: { containerId: string; containerName: string; url: string; statsUrl: string };
    /** Every app node (running and standby), by index. */
    nodes: NodeTarget[];
}

export function discoverTargets(prefix: string, containers: ContainerDescription[]): StackTargets {
    const mine = containers.filter((c) => c.Labels?.[LABELS.stack] === prefix);
    const hint = "is the stack up? (`pulumi up -s <stack>`, or run the bench with --own-stack)";
    if (mine.length === 0) throw new Error(`no container labelled ${LABELS.stack}=${prefix}: ${hint}`);

    const balancers = mine.filter((c) => c.Labels[LABELS.role] === ROLES.balancer);
    if (balancers.length !== 1) {
        throw new Error(
            `expected one balancer container labelled ${LABELS.stack}=${prefix}, found ${balancers.length}: ${hint}`,
        );
    }
    const lb = balancers[0];
    if (lb.State !== "running") throw new Error(`the balancer ${nameOf(lb)} is ${lb.State}, not running`);
    const balancer = {
        containerId: lb.Id,
        containerName: nameOf(lb),
        url: loopbackUrl(publishedPort(lb, HAPROXY_PORTS.listen)),
        statsUrl: loopbackUrl(publishedPort(lb, HAPROXY_PORTS.stats), "/stats"),
    };

    const nodes: NodeTarget[] = mine
        .filter((c) => c.Labels[LABELS.role] === ROLES.app)
        .map((c) => {
            const name = c.Labels[LABELS.node];
            const m = /^node-([0-9]+)$/.exec(name ?? "");
            if (!m)
                throw new Error(
                    `app container ${nameOf(c)} has no cloudlab.node=node-N label (got ${JSON.stringify(name)})`,
                );
            const running = c.State === "running";
            const node: NodeTarget = {
                name,
                index: Number(m[1]),
                containerId: c.Id,
                containerName: nameOf(c),
                running,
            };
            if (c.Labels[LABELS.tag]) node.tag = c.Labels[LABELS.tag];
            // Only app ports are published on a node; a running node without one cannot be benchmarked directly.
            if (running) node.url = loopbackUrl(publishedPort(c));
            return node;
        })
        .sort((a, b) => a.index - b.index);
    if (!nodes.some((n) => n.running)) throw new Error(`no running app node in stack ${prefix}: ${hint}`);
    return { prefix, balancer, nodes };
}

export function runningNodes(t: StackTargets): NodeTarget[] {
    return t.nodes.filter((n) => n.running && n.url);
}

function nameOf(c: ContainerDescription): string {
    return (c.Names[0] ?? c.Id.slice(0, 12)).replace(/^\//, "");
}

/**
 * The host port a container port is published on. A binding on 127.0.0.1 is what the stack makes; one on all
 * interfaces is also reachable on 127.0.0.1; one on another address would make us send traffic elsewhere.
 */
export function publishedPort(c: ContainerDescription, privatePort?: number): number {
    const tcp = c.Ports.filter(
        (p) => p.Type === "tcp" && p.PublicPort && (privatePort === undefined || p.PrivatePort === privatePort),
    );
    const usable = tcp.filter((p) => p.IP === LOOPBACK || p.IP === "0.0.0.0" || p.IP === "::" || !p.IP);
    if (usable.length === 0) {
        const what = privatePort === undefined ? "its app port" : `port ${privatePort}`;
        const elsewhere = tcp.map((p) => `${p.IP}:${p.PublicPort}`).join(", ");
        throw new Error(
            `${nameOf(c)} does not publish ${what} on 127.0.0.1${elsewhere ? ` (only on ${elsewhere})` : ""}`,
        );
    }
    return usable[0].PublicPort as number;
}
