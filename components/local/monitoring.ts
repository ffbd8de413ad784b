import * as pulumi from "@pulumi/pulumi";
import * as docker from "@pulumi/docker";
import * as random from "@pulumi/random";
import type { LocalConfig, SmtpConfig } from "../config/validate";
import type { StackNames } from "../shared/naming";
import {
    AddressPlan,
    BALANCER_HOST,
    CONTROLLER_CONTAINER_PORT,
    CONTROLLER_HOST,
    LABELS,
    MonitoringService,
    ROLES,
    dockerLabels,
    monitoringContainerName,
    monitoringTarget,
} from "./names";
import { alertRules, renderAlertRules } from "../render/alertRules";
import { ALERTMANAGER_FILES, mailEnabled, renderAlertmanagerConfig, smtpSettings } from "../render/alertmanagerConfig";
import { DASHBOARD_FILE, renderGrafanaProvisioning } from "../render/grafanaProvisioning";
import { cadvisorCommand } from "../render/cadvisor";
import { HAPROXY_PORTS } from "../render/haproxyConfig";
import { MONITORING_PORTS } from "../render/monitoringTargets";
import { PROMETHEUS_FILES, renderPrometheusConfig } from "../render/prometheusConfig";
import * as fs from "fs";
import { Monitoring, MonitoringArgs } from "../shared/monitoring";

/** Arguments of {@link LocalMonitoring}: the monitoring keys of the stack config, the network and the nodes. */
export interface LocalMonitoringArgs extends MonitoringArgs, SmtpConfig {
    /** Port of the app in a node: Prometheus scrapes each node's /metrics there. */
    appPort: LocalConfig["appPort"];
    /** Nodes that must be up: NodeDown fires when fewer are. */
    nodeCount: LocalConfig["nodeCount"];
    prometheusImage: LocalConfig["prometheusImage"];
    alertmanagerImage: LocalConfig["alertmanagerImage"];
    /** Empty leaves Grafana out. */
    grafanaImage: LocalConfig["grafanaImage"];
    /** Empty leaves cAdvisor out (the controller's per-node figures stand in). */
    cadvisorImage: LocalConfig["cadvisorImage"];
    /** Ports on 127.0.0.1. */
    prometheusPort: LocalConfig["prometheusPort"];
    alertmanagerPort: LocalConfig["alertmanagerPort"];
    grafanaPort: LocalConfig["grafanaPort"];
    cadvisorPort: LocalConfig["cadvisorPort"];
    /** Seconds between two scrapes; the alert rules' windows follow it. */
    scrapeIntervalSeconds: LocalConfig["scrapeIntervalSeconds"];
    /** Days Prometheus keeps its samples. */
    retentionDays: LocalConfig["retentionDays"];
    /** Alert thresholds: % of 5xx answers, p95 ms, restarts within 15 minutes. */
    alertErrorRatePercent: LocalConfig["alertErrorRatePercent"];
    alertLatencyMs: LocalConfig["alertLatencyMs"];
    alertRestarts: LocalConfig["alertRestarts"];
    names: StackNames;
    networkName: pulumi.Input<string>;
    addresses: AddressPlan;
    /** Names of every declared node (running and standby), in order: the first nodeCount always run. */
    nodes: string[];
}

/**
 * The local stack's monitoring: Prometheus (scrapes the nodes, the balancer's exporter, the controller and
 * cAdvisor through Docker DNS, evaluates the alert rules), Alertmanager (mails alertEmail through the SMTP
 * settings, or keeps alerts in its UI), and Grafana and cAdvisor when their images are configured. Every config
 * is rendered by a pure function (components/render/) and uploaded into its container, so a changed setting
 * replaces the container that reads it.
 */
export class LocalMonitoring extends Monitoring {
    public readonly status: pulumi.Output<string>;
    public readonly prometheusUrl: pulumi.Output<string>;
    public readonly alertmanagerUrl: pulumi.Output<string>;
    /** Only when grafanaImage is set. */
    public readonly grafanaUrl?: pulumi.Output<string>;
    /** cAdvisor's container list and /metrics, only when cadvisorImage is set. */
    public readonly cadvisorUrl?: pulumi.Output<string>;
    /** Grafana's admin password (a secret), only when Grafana is part of the stack. */
    public readonly grafanaAdminPassword?: pulumi.Output<string>;
    /** What this stack's monitoring leaves out, and what stands in for it. */
    public readonly notes: pulumi.Output<string[]>;

    constructor(name: string, args: LocalMonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
        super(name, opts);
        const container = (service: MonitoringService, spec: MonitoringContainer) =>
            monitoringContainer(this, name, args, service, spec);
        const withCadvisor = args.cadvisorImage !== "";
        const withGrafana = args.grafanaImage !== "";
        const smtp = smtpSettings(args);
        const mail = mailEnabled({ alertEmail: args.alertEmail, smtp });

        const alertmanagerConfig = renderAlertmanagerConfig({ alertEmail: args.alertEmail, smtp });
        container("alertmanager", {
            image: args.alertmanagerImage,
            hostPort: args.alertmanagerPort,
            command: [
                `--config.file=${ALERTMANAGER_FILES.config}`,
                `--storage.path=${ALERTMANAGER_FILES.data}`,
                `--web.listen-address=:${MONITORING_PORTS.alertmanager}`,
                // One instance: no gossip cluster to form.
                "--cluster.listen-address=",
            ],
            // The SMTP password is in the file: the whole upload is a secret then.
            uploads: [
                {
                    file: ALERTMANAGER_FILES.config,
                    content: smtp.password !== "" ? pulumi.secret(alertmanagerConfig) : alertmanagerConfig,
                },
            ],
        });

        if (withCadvisor) {
            // One cAdvisor for the Docker host sees every node container (the container-world form of one per VM).
            // It reads the host's cgroups, /proc and Docker's state through cAdvisor's documented mounts, all
            // read-only; the Docker socket under /var/run is for container names and labels.
            container("cadvisor", {
                image: args.cadvisorImage,
                hostPort: args.cadvisorPort,
                command: cadvisorCommand({ scrapeIntervalSeconds: args.scrapeIntervalSeconds, labels: LABELS }),
                volumes: [
                    { hostPath: "/", containerPath: "/rootfs", readOnly: true },
                    { hostPath: "/var/run", containerPath: "/var/run", readOnly: true },
                    { hostPath: "/sys", containerPath: "/sys", readOnly: true },
                    { hostPath: "/var/lib/docker", containerPath: "/var/lib/docker", readOnly: true },
                    { hostPath: "/dev/disk", containerPath: "/dev/disk", readOnly: true },
                ],
            });
            this.cadvisorUrl = pulumi.output(`http://127.0.0.1:${args.cadvisorPort}`);
        }

        container("prometheus", {
            image: args.prometheusImage,
            hostPort: args.prometheusPort,
            command: [
                `--config.file=${PROMETHEUS_FILES.config}`,
                `--storage.tsdb.path=${PROMETHEUS_FILES.data}`,
                `--storage.tsdb.retention.time=${args.retentionDays}d`,
                `--web.listen-address=:${MONITORING_PORTS.prometheus}`,
            ],
            uploads: [
                {
                    file: PROMETHEUS_FILES.config,
                    content: renderPrometheusConfig({
                        scrapeIntervalSeconds: args.scrapeIntervalSeconds,
                        nodes: args.nodes.map((n, i) => ({ name: n, floor: i < args.nodeCount })),
                        appPort: args.appPort,
                        balancer: { host: BALANCER_HOST, port: HAPROXY_PORTS.stats },
                        controller: { host: CONTROLLER_HOST, port: CONTROLLER_CONTAINER_PORT },
                        alertmanager: monitoringTarget("alertmanager"),
                        prometheus: monitoringTarget("prometheus"),
                        cadvisor: withCadvisor
                            ? { target: monitoringTarget("cadvisor"), stackPrefix: args.names.prefix, labels: LABELS }
                            : undefined,
                    }),
                },
                { file: PROMETHEUS_FILES.rules, content: renderAlertRules(ruleInput(args)) },
            ],
        });

        if (withGrafana) {
            // Declared only with Grafana: an offline stack has no password to keep.
            const password = new random.RandomPassword(
                `${name}-grafana-admin`,
                { length: 24, special: false },
                { parent: this },
            );
            const files = renderGrafanaProvisioning(
                fs.readFileSync(DASHBOARD_FILE, "utf8"),
                monitoringTarget("prometheus"),
            );
            container("grafana", {
                image: args.grafanaImage,
                hostPort: args.grafanaPort,
                envs: [
                    pulumi.interpolate`GF_SECURITY_ADMIN_PASSWORD=${password.result}`,
                    "GF_USERS_ALLOW_SIGN_UP=false",
                ],
                uploads: Object.entries(files).map(([file, content]) => ({ file, content })),
            });
            this.grafanaUrl = pulumi.output(`http://127.0.0.1:${args.grafanaPort}`);
            this.grafanaAdminPassword = pulumi.secret(password.result);
        }

        this.prometheusUrl = pulumi.output(`http://127.0.0.1:${args.prometheusPort}`);
        this.alertmanagerUrl = pulumi.output(`http://127.0.0.1:${args.alertmanagerPort}`);
        this.notes = pulumi.output(monitoringNotes({ withGrafana, withCadvisor, mail, alertEmail: args.alertEmail }));
        this.status = pulumi.output(
            `Prometheus scrapes ${args.nodes.length} nodes, the balancer and the controller every ${args.scrapeIntervalSeconds} s ` +
                `(${alertRules(ruleInput(args)).length} alert rules); Alertmanager ` +
                (mail ? `mails ${args.alertEmail}` : "keeps alerts in its UI (no smtpHost)") +
                (withGrafana ? "; Grafana with the cloudlab dashboard" : "; no Grafana") +
                (withCadvisor ? `, cAdvisor every ${args.scrapeIntervalSeconds} s` : ", no cAdvisor"),
        );
        this.registerOutputs({
            status: this.status,
            prometheusUrl: this.prometheusUrl,
            alertmanagerUrl: this.alertmanagerUrl,
            grafanaUrl: this.grafanaUrl,
            cadvisorUrl: this.cadvisorUrl,
            notes: this.notes,
        });
    }
}

const ruleInput = (args: LocalMonitoringArgs) => ({
    scrapeIntervalSeconds: args.scrapeIntervalSeconds,
    errorRatePercent: args.alertErrorRatePercent,
    latencyP95Ms: args.alertLatencyMs,
    restarts: args.alertRestarts,
});

/** What the stack outputs say the monitoring leaves out, and what stands in for it. */
export function monitoringNotes(what: {
    withGrafana: boolean;
    withCadvisor: boolean;
    mail: boolean;
    alertEmail: string;
}): string[] {
    const notes: string[] = [];
    if (!what.withGrafana)
        notes.push(
            "Grafana is left out (grafanaImage is empty: Debian does not package it and no registry is reachable offline); " +
                "the cloudlab dashboard (components/render/grafana/cloudlab-dashboard.json) is provisioned only with Grafana: query its panels in Prometheus meanwhile.",
        );
    if (!what.withCadvisor)
        notes.push(
            "cAdvisor is left out (cadvisorImage is empty); per-node CPU and memory come from the controller's metrics " +
                "(cloudlab_node_cpu_percent, cloudlab_node_memory_bytes), and per-container network is not measured.",
        );
    if (!what.mail)
        notes.push(
            what.alertEmail === ""
                ? "No alertEmail: alerts are visible in Alertmanager's UI only."
                : "No smtpHost: alerts are visible in Alertmanager's UI only, nothing is mailed.",
        );
    return notes;
}

interface MonitoringContainer {
    image: string;
    /** Published on 127.0.0.1, never on another address. */
    hostPort?: number;
    command?: string[];
    envs?: pulumi.Input<string>[];
    uploads?: Array<{ file: string; content: pulumi.Input<string> }>;
    volumes?: Array<{ hostPath: string; containerPath: string; readOnly: boolean }>;
}

function monitoringContainer(
    parent: LocalMonitoring,
    baseName: string,
    args: LocalMonitoringArgs,
    service: MonitoringService,
    spec: MonitoringContainer,
): docker.Container {
    const { host, port } = monitoringTarget(service);
    // keepLocally: shared with other stacks, and an offline image cannot be pulled again.
    const image = new docker.RemoteImage(
        `${baseName}-${service}-image`,
        { name: spec.image, keepLocally: true },
        { parent },
    );
    return new docker.Container(
        `${baseName}-${service}`,
        {
            name: monitoringContainerName(args.names.prefix, service),
            hostname: host,
            image: image.imageId,
            command: spec.command,
            envs: spec.envs,
            uploads: spec.uploads,
            volumes: spec.volumes,
            networksAdvanced: [
                { name: args.networkName, ipv4Address: args.addresses.monitoring(service), aliases: [host] },
            ],
            ports: spec.hostPort === undefined ? [] : [{ internal: port, external: spec.hostPort, ip: "127.0.0.1" }],
            restart: "unless-stopped",
            labels: dockerLabels(args.names, ROLES.monitoring, { [LABELS.service]: service }),
            // Named, not left to the daemon: a journald, syslog or local default driver rejects max-size and max-file.
            logDriver: "json-file",
            logOpts: { "max-size": "10m", "max-file": "3" },
        },
        // Fixed name, address and host port: the old container must be gone before the new one starts.
        { parent, deleteBeforeReplace: true },
    );
}
