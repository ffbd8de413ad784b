/**
 * The stack config the bench ran against, as the containers show it (labels, HostConfig, env) rather than as a
 * config file claims it: the figures belong to what was actually running.
 */

import type Docker from "dockerode";
import { LABELS } from "../../components/local/names";

/** The part of dockerode's ContainerInspectInfo read here. */
export interface InspectedContainer {
    Name: string;
    State: { Running: boolean };
    Config: { Labels: Record<string, string>; Env?: string[] | null; Image: string };
    HostConfig: { NanoCpus?: number; Memory?: number };
}

export interface StackDescription {
    prefix: string;
    nodeCount: number;
    nodeLimit: number;
    /** Distinct values over the running nodes; normally one. */
    nodeCpus: string;
    nodeMemoryMb: string;
    imageTags: string[];
    drainSeconds: string;
    balance: string;
    lbImage: string;
}

export function describeStack(
    prefix: string,
    nodes: InspectedContainer[],
    lb: { image: string; haproxyConfig?: string },
): StackDescription {
    const running = nodes.filter((n) => n.State.Running);
    const distinct = (values: string[]) => [...new Set(values)].sort().join("/") || "?";
    return {
        prefix,
        nodeCount: running.length,
        nodeLimit: nodes.length,
        nodeCpus: distinct(
            running.map((n) => (n.HostConfig.NanoCpus ? String(n.HostConfig.NanoCpus / 1e9) : "unlimited")),
        ),
        nodeMemoryMb: distinct(
            running.map((n) => (n.HostConfig.Memory ? String(n.HostConfig.Memory / 2 ** 20) : "unlimited")),
        ),
        imageTags: [...new Set(running.map((n) => n.Config.Labels[LABELS.tag] ?? "?"))].sort(),
        drainSeconds: distinct(running.map((n) => envOf(n, "DRAIN_SECONDS") ?? "?")),
        balance: lb.haproxyConfig === undefined ? "?" : (balanceOf(lb.haproxyConfig) ?? "?"),
        lbImage: lb.image,
    };
}

export function formatStack(d: StackDescription): string {
    return [
        `nodeCount ${d.nodeCount}`,
        `nodeLimit ${d.nodeLimit}`,
        `nodeCpus ${d.nodeCpus}`,
        `nodeMemoryMb ${d.nodeMemoryMb}`,
        `balance ${d.balance}`,
        `imageTag ${d.imageTags.join("+") || "?"}`,
        `drainSeconds ${d.drainSeconds}`,
        `lbImage ${d.lbImage}`,
    ].join(", ");
}

/** A container's environment as name -> value (a value may hold "="). */
export function envRecord(env: string[] | null | undefined): Record<string, string> {
    return Object.fromEntries((env ?? []).map((e) => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)]));
}

function envOf(c: InspectedContainer, name: string): string | undefined {
    const entry = (c.Config.Env ?? []).find((e) => e.startsWith(`${name}=`));
    return entry?.slice(name.length + 1);
}

/** The `balance` of the `nodes` backend in a rendered haproxy.cfg. */
export function balanceOf(haproxyConfig: string): string | undefined {
    let inBackend = false;
    for (const line of haproxyConfig.split("\n")) {
        if (/^\S/.test(line)) inBackend = /^backend\s+nodes\s*$/.test(line.trim());
        const m = inBackend ? /^\s+balance\s+(\S+)/.exec(line) : null;
        if (m) return m[1];
    }
    return undefined;
}

/**
 * The content of the first regular file in a tar archive (Docker's GET /containers/{id}/archive answers one
 * file as a tar). ustar: 512-byte header, size as octal at offset 124, type flag at 156, data padded to 512.
 */
export function firstFileInTar(tar: Buffer): string {
    let offset = 0;
    while (offset + 512 <= tar.length) {
        const header = tar.subarray(offset, offset + 512);
        if (header.every((b) => b === 0)) break;
        const size = parseInt(header.subarray(124, 136).toString("ascii").replace(/\0.*$/s, "").trim() || "0", 8);
        const type = String.fromCharCode(header[156]);
        const start = offset + 512;
        if (type === "0" || type === "\0") return tar.subarray(start, start + size).toString("utf8");
        offset = start + Math.ceil(size / 512) * 512;
    }
    throw new Error("no regular file in the archive");
}

/** One file of a container (GET /containers/{id}/archive): the balancer's haproxy.cfg as it runs. */
export async function readFileFromContainer(c: Docker.Container, file: string): Promise<string> {
    const stream = (await c.getArchive({ path: file })) as NodeJS.ReadableStream;
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
    return firstFileInTar(Buffer.concat(chunks));
}
