/**
 * The one-screen view of `npm run status`: pure, from what the controller's /status, the balancer's stats CSV
 * and Alertmanager's alerts said (each may be missing: the view says which, and shows the rest).
 */
import { BACKEND, FRONTEND } from "../../components/render/haproxyConfig";
import { isServerRow, type StatsRow } from "../lib/haproxyStats";

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

/** Each source, or why it could not be read. */
export interface StatusSources {
    stack: string;
    at: Date;
    controller: ControllerStatus | { error: string };
    balancer: StatsRow[] | { error: string };
    /** Names of the alerts firing in Alertmanager. */
    alerts: string[] | { error: string };
}

const failed = <T>(v: T | { error: string }): v is { error: string } =>
    typeof v === "object" && v !== null && !Array.isArray(v) && "error" in v;

const pad = (text: string, width: number) =>
    text.length >= width ? text.slice(0, width) : text + " ".repeat(width - text.length);

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
    lines.push(`${pad("NODE", 9)}${pad("STATE", 11)}${pad("RELEASE", 16)}${pad("CPU", 7)}${pad("REQ/S", 8)}BALANCER`);
    for (const name of names) {
        const n = controller?.nodes.find((x) => x.name === name);
        const server = servers.get(name);
        const cpu = n?.cpuPercent === null || n?.cpuPercent === undefined ? "-" : `${Math.round(n.cpuPercent)}%`;
        const inLb = server ? (server.status.trim() === "UP" ? "in (UP)" : `out (${server.status.trim()})`) : "-";
        lines.push(
            `${pad(name, 9)}${pad(n?.state ?? "?", 11)}${pad(n?.tag ?? "?", 16)}${pad(cpu, 7)}${pad(server?.rate || (server ? "0" : "-"), 8)}${inLb}`,
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
    return lines.map((l) => (l.length > 80 ? l.slice(0, 79) + "…" : l));
}
