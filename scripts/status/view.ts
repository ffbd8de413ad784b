/**
 * The one-screen view of `npm run status`: pure, from what the controller's /status, the balancer's stats CSV,
 * Alertmanager's alerts and cAdvisor's series in Prometheus said (each may be missing: the view says which, and
 * shows the rest).
 */
import { BACKEND, FRONTEND } from "../../components/render/haproxyConfig";
import { isServerRow, type StatsRow } from "../../components/hooks/haproxyStats";

/** The part of the controller's GET /status the view shows (notes/controller-api.md). */
export interface ControllerStatus {
    paused: boolean;
    desired: number;
    floor: number;
    ceiling: number;
    nodes: Array<{
        name: string;
        state: string;
        healthy: boolean;
        cpuPercent: number | null;
        inBalancer: boolean;
        tag: string;
    }>;
    alarms: { high: string; low: string };
}

/** A node container as cAdvisor measures it (components/render/cadvisor.ts's queries); a value it lacks is absent. */
export interface NodeUsage {
    cpuPercent?: number;
    memoryBytes?: number;
    /** Received and sent. */
    networkBytesPerSecond?: number;
}

/** Each source, or why it could not be read. */
export interface StatusSources {
    stack: string;
    at: Date;
    controller: ControllerStatus | { error: string };
    balancer: StatsRow[] | { error: string };
    /** Names of the alerts firing in Alertmanager. */
    alerts: string[] | { error: string };
    /** cAdvisor's series by node name; undefined when the stack has no cAdvisor. */
    containers?: Record<string, NodeUsage> | { error: string };
}

const failed = <T>(v: T | { error: string }): v is { error: string } =>
    typeof v === "object" && v !== null && !Array.isArray(v) && "error" in v;

const pad = (text: string, width: number) =>
    text.length >= width ? text.slice(0, width) : text + " ".repeat(width - text.length);

const mib = (bytes: number) => `${Math.round(bytes / 2 ** 20)}M`;
const rate = (bytes: number) =>
    bytes < 1024
        ? `${Math.round(bytes)}B/s`
        : bytes < 2 ** 20
          ? `${(bytes / 1024).toFixed(1)}k/s`
          : `${(bytes / 2 ** 20).toFixed(1)}M/s`;

const byNodeNumber = (a: string, b: string) =>
    Number(/\d+$/.exec(a)?.[0] ?? 0) - Number(/\d+$/.exec(b)?.[0] ?? 0) || a.localeCompare(b);

/** The screen, as lines of at most 80 columns. */
export function renderStatus(s: StatusSources): string[] {
    const controller = failed(s.controller) ? undefined : s.controller;
    const rows = failed(s.balancer) ? [] : s.balancer;
    const servers = new Map(rows.filter((r) => isServerRow(r, BACKEND)).map((r) => [r.svname, r]));
    const frontend = rows.find((r) => r.pxname === FRONTEND && r.svname === "FRONTEND");
    const names = [...new Set([...(controller?.nodes.map((n) => n.name) ?? []), ...servers.keys()])].sort(byNodeNumber);

    const lines: string[] = [];
    lines.push(`cloudlab ${s.stack}  ${s.at.toISOString().replace(/\.\d+Z$/, "Z")}`);
    lines.push(
        controller
            ? `controller: ${controller.paused ? "PAUSED" : "autoscaling"}, desired ${controller.desired} (floor ${controller.floor}, ceiling ${controller.ceiling})`
            : `controller: unreachable (${failed(s.controller) ? s.controller.error : ""})`,
    );
    lines.push(
        frontend
            ? `balancer: ${frontend.rate || "0"} req/s now, ${frontend.stot || "0"} sessions since start`
            : `balancer: unreachable (${failed(s.balancer) ? s.balancer.error : "no frontend row"})`,
    );
    lines.push("");
    const usage = s.containers === undefined || failed(s.containers) ? undefined : s.containers;
    lines.push(
        `${pad("NODE", 8)}${pad("STATE", 10)}${pad("RELEASE", 10)}${pad("CPU", 6)}${pad("MEM", 7)}${pad("NET", 8)}${pad("REQ/S", 7)}BALANCER`,
    );
    for (const name of names) {
        const n = controller?.nodes.find((x) => x.name === name);
        const u = usage?.[name];
        const server = servers.get(name);
        // cAdvisor's CPU where it measures the node; the controller's (what it scales on) otherwise.
        const cpuPercent = u?.cpuPercent ?? n?.cpuPercent ?? undefined;
        const cpu = cpuPercent === undefined || cpuPercent === null ? "-" : `${Math.round(cpuPercent)}%`;
        const mem = u?.memoryBytes === undefined ? "-" : mib(u.memoryBytes);
        const net = u?.networkBytesPerSecond === undefined ? "-" : rate(u.networkBytesPerSecond);
        const inLb = server ? (server.status.trim() === "UP" ? "in (UP)" : `out (${server.status.trim()})`) : "-";
        lines.push(
            `${pad(name, 8)}${pad(n?.state ?? "?", 10)}${pad(n?.tag ?? "?", 10)}${pad(cpu, 6)}${pad(mem, 7)}${pad(net, 8)}${pad(server?.rate || (server ? "0" : "-"), 7)}${inLb}`,
        );
    }
    if (names.length === 0) lines.push("(no node known: neither the controller nor the balancer answered)");
    lines.push("");
    const alarms = controller
        ? `cpu-high ${controller.alarms.high}, cpu-low ${controller.alarms.low}`
        : "cpu alarms unknown";
    const alerts = failed(s.alerts)
        ? `alerts unknown (${s.alerts.error})`
        : s.alerts.length === 0
          ? "no alert firing"
          : `FIRING: ${[...new Set(s.alerts)].sort().join(", ")}`;
    lines.push(`alarms: ${alarms}; ${alerts}`);
    lines.push(
        s.containers === undefined
            ? "CPU: the controller's; MEM, NET: not measured (no cAdvisor in this stack)"
            : failed(s.containers)
              ? `CPU: the controller's; MEM, NET: unknown (${s.containers.error})`
              : "CPU, MEM, NET: cAdvisor (CPU: the controller's for a node cAdvisor has no series of)",
    );
    return lines.map((l) => (l.length > 80 ? l.slice(0, 79) + "…" : l));
}
