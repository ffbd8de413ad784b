/**
 * cAdvisor in the local stack: its command line (the official image and the offline one built from the Go
 * module take the same flags), and the PromQL that reads a node's CPU, memory and network from its series. The
 * dashboard JSON and `npm run status` use these expressions; tests/unit/monitoringConfig.test.ts keeps the
 * dashboard's panels equal to them.
 */
import { JOBS, MONITORING_PORTS } from "./monitoringTargets";

/** What cAdvisor collects: what the dashboard and the status view show, nothing that walks a container's files. */
export const CADVISOR_METRICS = ["cpu", "memory", "network", "diskIO"] as const;

/**
 * How often cAdvisor reads every container's cgroups: half a scrape interval (1 s at least, cAdvisor's own
 * default). cAdvisor waits between one and two intervals (it jitters each container's housekeeping by up to
 * 100 %), so at half a scrape a node's new CPU reaches the next scrape and a load shows within two scrapes; at
 * one scrape it took three (measured: 5.0 s at a 2 s scrape). Faster is spent on samples nobody reads.
 */
export const housekeepingMs = (scrapeIntervalSeconds: number) => Math.max(1000, scrapeIntervalSeconds * 500);

/**
 * The Docker label keys that say which stack a container belongs to and which node it is (the local stack's
 * LABELS, components/local/names.ts): the only labels Prometheus selects cAdvisor's series on.
 */
export interface NodeLabelKeys {
    stack: string;
    node: string;
}

/**
 * The flags. Dynamic housekeeping is off because it stretches an idle container's interval up to a minute, so a
 * node that starts working would show it late.
 */
export function cadvisorCommand(input: { scrapeIntervalSeconds: number; labels: NodeLabelKeys }): string[] {
    return [
        `--port=${MONITORING_PORTS.cadvisor}`,
        "--docker_only=true",
        `--housekeeping_interval=${housekeepingMs(input.scrapeIntervalSeconds)}ms`,
        "--allow_dynamic_housekeeping=false",
        `--enable_metrics=${CADVISOR_METRICS.join(",")}`,
        // Only the labels Prometheus selects on: every Docker label as a series label multiplies nothing useful.
        "--store_container_labels=false",
        `--whitelisted_container_labels=${input.labels.stack},${input.labels.node}`,
    ];
}

/** Docker's label as cAdvisor names it on a series (`container_label_` + the label, non-word characters `_`). */
export const cadvisorLabel = (dockerLabel: string) => `container_label_${dockerLabel.replace(/[^a-zA-Z0-9_]/g, "_")}`;

/** A node container's series (Prometheus' relabelling adds `node`; the balancer and the services have none). */
const NODE = `job="${JOBS.cadvisor}",node!=""`;

/**
 * Per node, from cAdvisor; `$__rate_interval` as in Grafana (npm run status and the system test put a window
 * there). CPU is a % of the node's own CPU limit, as the controller's cloudlab_node_cpu_percent is.
 */
export const CADVISOR_NODE_QUERIES = {
    cpuPercent:
        `100 * sum by (node) (rate(container_cpu_usage_seconds_total{${NODE}}[$__rate_interval])) ` +
        `/ on (node) (max by (node) (container_spec_cpu_quota{${NODE}}) / max by (node) (container_spec_cpu_period{${NODE}}))`,
    memoryBytes: `max by (node) (container_memory_working_set_bytes{${NODE}})`,
    memoryLimitBytes: `max by (node) (container_spec_memory_limit_bytes{${NODE}})`,
    receiveBytesPerSecond: `sum by (node) (rate(container_network_receive_bytes_total{${NODE}}[$__rate_interval]))`,
    transmitBytesPerSecond: `sum by (node) (rate(container_network_transmit_bytes_total{${NODE}}[$__rate_interval]))`,
} as const;

/** The controller's series that stand in for cAdvisor's, node by node, where cAdvisor has none (offline before, or down). */
export const CONTROLLER_FALLBACK = {
    cpuPercent: "cloudlab_node_cpu_percent",
    memoryBytes: "cloudlab_node_memory_bytes",
    memoryLimitBytes: "cloudlab_node_memory_limit_bytes",
} as const;

/** A dashboard query: cAdvisor's series per node, the controller's where cAdvisor has none for that node. */
export const withFallback = (key: keyof typeof CONTROLLER_FALLBACK) =>
    `${CADVISOR_NODE_QUERIES[key]} or on (node) ${CONTROLLER_FALLBACK[key]}`;
