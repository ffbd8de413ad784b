/**
 * A twin of the stack's balancer, beside it for one scenario: the same image, network, limits and haproxy.cfg
 * (read from the running balancer) with one thing changed (its access log off, or round robin for leastconn),
 * so the bench shows in one run what that one thing costs against direct-all. The stack's balancer itself is
 * never touched (the access-log report reads its log). The twin is labelled as the bench's, not as the stack's:
 * no discovery, controller or monitoring sees it. A twin that logs sends its lines to the stack's access-log
 * service like the balancer does.
 */
import Docker from "dockerode";
import * as net from "net";
import { addressPlan } from "../../../components/local/names";
import { parseCidr } from "../../../components/config/parsers";
import type { Balance } from "../../../components/config/schema";
import { HAPROXY_CONFIG_PATH, HAPROXY_PORTS } from "../../../components/render/haproxyConfig";
import { removeDockerObjects } from "../../../engine";
import { tarArchive } from "../../../engine/tarArchive";
import { LOOPBACK, loopbackUrl } from "../../../lib/loopback";
import { waitFor } from "../../../lib/wait";
import { readFileFromContainer } from "../stackConfig";
import type { StackTargets } from "../targets";

/** The label of every twin (a crashed run's is removed by the next one). */
export const TWIN_LABEL = "cloudlab.bench-twin";

export interface Twin {
    url: string;
    /** What differs from the stack's balancer, e.g. "balance roundrobin for leastconn". */
    changed: string;
    /** Its container, for the CPU it uses (undefined for a stand-in). */
    containerId?: string;
    stop(): Promise<void>;
}

/** What a twin changes: its access log off, or the backend's other balancing algorithm (leastconn <-> roundrobin). */
export type TwinChange = "no-log" | "other-balance";

/** The stack's haproxy.cfg with `change` made, and what was changed in words. */
export function changedConfig(haproxyCfg: string, change: TwinChange): { config: string; changed: string } {
    if (change === "no-log") return { config: withoutAccessLog(haproxyCfg), changed: "`no log` for `log global`" };
    const lines = haproxyCfg.split("\n");
    const at = lines.flatMap((l, i) => (/^ {4}balance \S+$/.test(l) ? [i] : []));
    if (at.length !== 1)
        throw new Error(`the balancer's haproxy.cfg has ${at.length} '    balance' lines, not one, to change`);
    const from = lines[at[0]].trim().split(" ")[1];
    const to: Balance = from === "leastconn" ? "roundrobin" : "leastconn";
    lines[at[0]] = `    balance ${to}`;
    return { config: lines.join("\n"), changed: `balance ${to} for ${from}` };
}

/**
 * What turns the rendered defaults' access log off: `log global` becomes `no log`, and its `log-format` goes
 * (HAProxy warns about a format with no log to write to); nothing else changes.
 */
export function withoutAccessLog(haproxyCfg: string): string {
    const lines = haproxyCfg.split("\n");
    const at = lines.indexOf("    log global");
    if (at < 0 || lines.indexOf("    log global", at + 1) >= 0)
        throw new Error("the balancer's haproxy.cfg has no single '    log global' line to turn the access log off");
    lines[at] = "    no log";
    return lines.filter((l) => !l.startsWith("    log-format ")).join("\n");
}

async function freeLoopbackPort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const s = net.createServer();
        s.once("error", reject);
        s.listen(0, LOOPBACK, () => {
            const { port } = s.address() as net.AddressInfo;
            s.close(() => resolve(port));
        });
    });
}

/** Starts the twin of `t`'s balancer with `change` and resolves once it answers from every running node. */
export async function startTwin(docker: Docker, t: StackTargets, nodes: number, change: TwinChange): Promise<Twin> {
    await removeDockerObjects({ label: [`${TWIN_LABEL}=${t.prefix}`] });
    const lb = docker.getContainer(t.balancer.containerId);
    const info = await lb.inspect();
    const { config, changed } = changedConfig(await readFileFromContainer(lb, HAPROXY_CONFIG_PATH), change);
    // The stack's network, which the engine attaches (HostConfig.NetworkMode may still say "default").
    const network = Object.keys(info.NetworkSettings.Networks ?? {}).find((n) => n !== "bridge");
    if (!network) throw new Error(`${t.balancer.containerName} is on no network of its stack`);
    const subnet = (await docker.getNetwork(network).inspect()).IPAM?.Config?.[0]?.Subnet;
    const cidr = subnet ? parseCidr(subnet) : undefined;
    if (!cidr) throw new Error(`network ${network} has no subnet to place the twin balancer in`);
    const port = await freeLoopbackPort();
    const listen = `${HAPROXY_PORTS.listen}/tcp`;
    const c = await docker.createContainer({
        name: `${t.prefix}-bench-lb-${change}`,
        Image: info.Config.Image,
        User: info.Config.User,
        Cmd: info.Config.Cmd,
        Labels: { [TWIN_LABEL]: t.prefix },
        ExposedPorts: { [listen]: {} },
        HostConfig: {
            NetworkMode: network,
            NanoCpus: info.HostConfig.NanoCpus,
            Ulimits: info.HostConfig.Ulimits,
            LogConfig: info.HostConfig.LogConfig,
            PortBindings: { [listen]: [{ HostIp: LOOPBACK, HostPort: String(port) }] },
        },
        NetworkingConfig: {
            EndpointsConfig: { [network]: { IPAMConfig: { IPv4Address: addressPlan(cidr).tool } } },
        },
    });
    const stop = () => c.remove({ force: true }).then(() => undefined);
    try {
        await c.putArchive(tarArchive([{ name: HAPROXY_CONFIG_PATH, content: Buffer.from(config), mode: 0o644 }]), {
            path: "/",
        });
        await c.start();
        const url = loopbackUrl(port);
        await waitFor(
            `the twin balancer on ${url} answering from ${nodes} nodes`,
            async () => {
                const seen = new Set<string>();
                for (let i = 0; i < nodes * 3; i++) {
                    const r = await fetch(url, { signal: AbortSignal.timeout(1000) }).catch(() => undefined);
                    if (r?.ok) seen.add(((await r.json()) as { node: string }).node);
                }
                return seen.size >= nodes;
            },
            60_000,
        );
        return { url, containerId: c.id, changed, stop };
    } catch (err) {
        await stop().catch(() => undefined);
        throw err;
    }
}
