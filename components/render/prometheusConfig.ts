import YAML from "yaml";
import { NodeLabelKeys, cadvisorLabel } from "./cadvisor";
import { JOBS, ScrapeTarget, targetAddress } from "./monitoringTargets";

/** Where Prometheus reads its files inside its container (the offline image and the official one alike). */
export const PROMETHEUS_FILES = {
    config: "/etc/cloudlab/prometheus.yml",
    rules: "/etc/cloudlab/alert-rules.yml",
    data: "/prometheus",
} as const;

/** Everything prometheus.yml depends on. */
export interface PrometheusConfigInput {
    scrapeIntervalSeconds: number;
    /**
     * Every declared node: its DNS name on the stack network and whether it is one of the nodeCount nodes that
     * always run (`floor`); the others are standby and down whenever the controller has them stopped.
     */
    nodes: Array<{ name: string; floor: boolean }>;
    appPort: number;
    /** The balancer's stats frontend (HAProxy's Prometheus exporter answers /metrics there). */
    balancer: ScrapeTarget;
    controller: ScrapeTarget;
    alertmanager: ScrapeTarget;
    /** Prometheus itself (its own health is worth a graph). */
    prometheus: ScrapeTarget;
    /**
     * Absent when cAdvisor is left out (cadvisorImage empty): no job at all, rather than one that is always down.
     * It sees every container of the host (other stacks', other people's): only this stack's are kept.
     */
    cadvisor?: { target: ScrapeTarget; stackPrefix: string; labels: NodeLabelKeys };
}

/**
 * Renders prometheus.yml. Targets are Docker DNS names on the stack network (static: a standby node is a target
 * that is down, which is the truth), each node labelled with its name and whether it belongs to the floor, so
 * that rules and panels speak of `node="node-2"` rather than of addresses.
 */
export function renderPrometheusConfig(input: PrometheusConfigInput): string {
    const interval = `${input.scrapeIntervalSeconds}s`;
    const job = (name: string, targets: ScrapeTarget[], extra: Record<string, unknown> = {}) => ({
        job_name: name,
        static_configs: [{ targets: targets.map(targetAddress) }],
        ...extra,
    });
    const scrapeConfigs: unknown[] = [
        {
            job_name: JOBS.nodes,
            static_configs: input.nodes.map((n) => ({
                targets: [`${n.name}:${input.appPort}`],
                labels: { node: n.name, floor: String(n.floor) },
            })),
        },
        job(JOBS.balancer, [input.balancer]),
        job(JOBS.controller, [input.controller]),
        job(JOBS.alertmanager, [input.alertmanager]),
        job(JOBS.prometheus, [input.prometheus]),
    ];
    if (input.cadvisor) {
        const stackLabel = cadvisorLabel(input.cadvisor.labels.stack);
        const nodeLabel = cadvisorLabel(input.cadvisor.labels.node);
        scrapeConfigs.push(
            job(JOBS.cadvisor, [input.cadvisor.target], {
                // cAdvisor stamps each sample with its housekeeping time: honoured, a stopped container's series
                // would get no staleness marker and stay current for Prometheus' 5 min lookback.
                honor_timestamps: false,
                metric_relabel_configs: [
                    // A container's series only of this stack's containers; cAdvisor's own (cadvisor_version_info,
                    // machine_*) whatever their labels.
                    {
                        source_labels: ["__name__", stackLabel],
                        regex: `container_[^;]*;${escapeRegex(input.cadvisor.stackPrefix)}|(cadvisor|machine)_[^;]*;.*`,
                        action: "keep",
                    },
                    // A node's series carry node="node-N", as the nodes' own and the controller's do.
                    { source_labels: [nodeLabel], regex: "(.+)", target_label: "node" },
                    { regex: `${stackLabel}|${nodeLabel}`, action: "labeldrop" },
                ],
            }),
        );
    }
    const config = {
        global: {
            scrape_interval: interval,
            // A scrape may take the whole interval, never more (Prometheus refuses a timeout above it).
            scrape_timeout: interval,
            evaluation_interval: interval,
        },
        rule_files: [PROMETHEUS_FILES.rules],
        alerting: { alertmanagers: [{ static_configs: [{ targets: [targetAddress(input.alertmanager)] }] }] },
        scrape_configs: scrapeConfigs,
    };
    return (
        "# Rendered by cloudlab (components/render/prometheusConfig.ts); do not edit in the container.\n" +
        YAML.stringify(config, { lineWidth: 0 })
    );
}

function escapeRegex(text: string): string {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
