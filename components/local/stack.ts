import * as pulumi from "@pulumi/pulumi";
import { LocalAppImage } from "./appImage";
import { LocalAppNode, NodeInfo } from "./appNode";
import { type LocalConfig, smtpConfigOf } from "../config/validate";
import { appNodeArgsOf } from "../shared/appNode";
import { controllerArgsOf } from "../shared/controller";
import { LocalController } from "./controller";
import { LocalLoadBalancer } from "./loadBalancer";
import { LocalMonitoring } from "./monitoring";
import type { StackNames } from "../shared/naming";
import { addressPlan, nodeNames } from "./names";
import { LabNetwork } from "./network";
import type { CommonStackOutputs } from "../shared/stackOutputs";

/** What `pulumi stack output` shows on the local stack. */
export interface LocalStackOutputs extends CommonStackOutputs<"local"> {
    /** The balancer's stats page and Prometheus metrics. */
    statsUrl: pulumi.Output<string>;
    metricsUrl: pulumi.Output<string>;
    /** Every declared node, running and standby. */
    nodes: pulumi.Output<NodeInfo[]>;
    /** Node name -> direct URL, for a quick `curl $(pulumi stack output nodeUrls ...)`. */
    nodeUrls: pulumi.Output<Record<string, string>>;
    /** The controller's API (GET /status, /metrics; POST /desired, /pause, /resume). */
    controllerUrl: pulumi.Output<string>;
    /** Bearer token of the controller's mutating calls (secret: `pulumi stack output --show-secrets`). */
    controllerToken: pulumi.Output<string>;
    /** Prometheus and Alertmanager on 127.0.0.1; Grafana (and its admin password, a secret) when grafanaImage is set. */
    prometheusUrl: pulumi.Output<string>;
    alertmanagerUrl: pulumi.Output<string>;
    grafanaUrl?: pulumi.Output<string>;
    grafanaAdminPassword?: pulumi.Output<string>;
    /** cAdvisor's page and /metrics on 127.0.0.1, when cadvisorImage is set. */
    cadvisorUrl?: pulumi.Output<string>;
    /** What the local monitoring leaves out (Grafana, cAdvisor, mail) and what stands in for it. */
    monitoringNotes: pulumi.Output<string[]>;
}

/** The local stack: Docker containers stand in for the VMs, HAProxy for the load balancer. */
export function defineLocalStack(config: LocalConfig, names: StackNames): LocalStackOutputs {
    const addresses = addressPlan(config.subnet);
    const nodeList = nodeNames(config.nodeLimit);

    const network = new LabNetwork("lab", { names, subnet: config.subnet });
    const images = new LocalAppImage("app-image", {
        appImage: config.appImage,
        imageBuild: config.imageBuild,
        nodeBaseImage: config.nodeBaseImage,
        tags: [config.imageTag, ...Object.values(config.nodeImageTags)],
    });
    const smtp = smtpConfigOf(config);
    const balancer = new LocalLoadBalancer("balancer", {
        names,
        appPort: config.appPort,
        balance: config.balance,
        lbImage: config.lbImage,
        lbPort: config.lbPort,
        lbStatsPort: config.lbStatsPort,
        nodeBaseImage: config.nodeBaseImage,
        accessLogMaxMb: config.accessLogMaxMb,
        accessLogFiles: config.accessLogFiles,
        reportSchedule: config.reportSchedule,
        alertEmail: config.alertEmail,
        ...smtp,
        nodes: nodeList,
        networkName: network.name,
        address: addresses.balancer,
        accessLogAddress: addresses.accessLog,
    });
    const fleet = new LocalAppNode("app", {
        names,
        ...appNodeArgsOf(config),
        nodeImageTags: config.nodeImageTags,
        nodePortBase: config.nodePortBase,
        nodeCpus: config.nodeCpus,
        nodeMemoryMb: config.nodeMemoryMb,
        networkName: network.name,
        addresses,
        images,
        balancer,
    });
    const controller = new LocalController("controller", {
        names,
        ...controllerArgsOf(config),
        controllerPort: config.controllerPort,
        lbImage: config.lbImage,
        nodeBaseImage: config.nodeBaseImage,
        networkName: network.name,
        addresses,
        balancer,
        nodes: fleet.containers,
    });
    const monitoring = new LocalMonitoring("monitoring", {
        names,
        alertEmail: config.alertEmail,
        ...smtp,
        appPort: config.appPort,
        nodeCount: config.nodeCount,
        prometheusImage: config.prometheusImage,
        alertmanagerImage: config.alertmanagerImage,
        grafanaImage: config.grafanaImage,
        cadvisorImage: config.cadvisorImage,
        prometheusPort: config.prometheusPort,
        alertmanagerPort: config.alertmanagerPort,
        grafanaPort: config.grafanaPort,
        cadvisorPort: config.cadvisorPort,
        scrapeIntervalSeconds: config.scrapeIntervalSeconds,
        retentionDays: config.retentionDays,
        alertErrorRatePercent: config.alertErrorRatePercent,
        alertLatencyMs: config.alertLatencyMs,
        alertRestarts: config.alertRestarts,
        networkName: network.name,
        addresses,
        nodes: nodeList,
    });

    return {
        platform: "local",
        balancerUrl: balancer.url,
        statsUrl: balancer.statsUrl,
        metricsUrl: balancer.metricsUrl,
        imageTag: config.imageTag,
        nodes: fleet.nodes,
        nodeUrls: fleet.nodes.apply((ns) => Object.fromEntries(ns.map((n) => [n.name, n.url]))),
        controller: controller.status,
        controllerUrl: controller.url,
        controllerToken: controller.token,
        monitoring: monitoring.status,
        prometheusUrl: monitoring.prometheusUrl,
        alertmanagerUrl: monitoring.alertmanagerUrl,
        ...(monitoring.grafanaUrl ? { grafanaUrl: monitoring.grafanaUrl } : {}),
        ...(monitoring.grafanaAdminPassword ? { grafanaAdminPassword: monitoring.grafanaAdminPassword } : {}),
        ...(monitoring.cadvisorUrl ? { cadvisorUrl: monitoring.cadvisorUrl } : {}),
        monitoringNotes: monitoring.notes,
    };
}
