/** The controller's Prometheus metrics (GET /metrics): names and labels as docs/controller-api says. */
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { NodeState } from "./decide";

export const HEALING_ACTIONS = ["restart", "backoff"] as const;

export const NODE_STATES: readonly NodeState[] = ["running", "standby", "starting", "stopping", "unhealthy", "backoff"];

export class ControllerMetrics {
    readonly registry = new Registry();
    readonly nodes = new Gauge({
        name: "cloudlab_controller_nodes",
        help: "App nodes of the stack by state",
        labelNames: ["state"],
        registers: [this.registry],
    });
    readonly cpu = new Gauge({
        name: "cloudlab_node_cpu_percent",
        help: "CPU of each running node over the last check, % of the node's own CPU limit",
        labelNames: ["node"],
        registers: [this.registry],
    });
    readonly memory = new Gauge({
        name: "cloudlab_node_memory_bytes",
        help: "Memory in use by each running node (usage minus inactive page cache)",
        labelNames: ["node"],
        registers: [this.registry],
    });
    readonly memoryLimit = new Gauge({
        name: "cloudlab_node_memory_limit_bytes",
        help: "Memory limit of each running node",
        labelNames: ["node"],
        registers: [this.registry],
    });
    readonly info = new Gauge({
        name: "cloudlab_node_info",
        help: "1 per node, with the release it runs",
        labelNames: ["node", "tag"],
        registers: [this.registry],
    });
    readonly scaling = new Counter({
        name: "cloudlab_controller_scaling_actions_total",
        help: "Scaling decisions taken (out: +1 node, in: -1 node)",
        labelNames: ["direction"],
        registers: [this.registry],
    });
    readonly healing = new Counter({
        name: "cloudlab_controller_healing_actions_total",
        help: "Healing decisions per node (restart, backoff)",
        labelNames: ["node", "action"],
        registers: [this.registry],
    });
    readonly decisionSeconds = new Histogram({
        name: "cloudlab_controller_decision_seconds",
        help: "Time of one check: reading Docker and the balancer, and deciding",
        buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
        registers: [this.registry],
    });

    constructor() {
        for (const direction of ["out", "in"]) this.scaling.inc({ direction }, 0);
    }

    /**
     * Starts a node's healing series at 0, so a dashboard reads "no restarts" rather than "no data" and the first
     * restart is an increase (Prometheus's advice: initialise every label set you know of).
     */
    knowNode(node: string): void {
        for (const action of HEALING_ACTIONS) this.healing.inc({ node, action }, 0);
    }
}
