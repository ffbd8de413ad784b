import * as pulumi from "@pulumi/pulumi";
import { AppImage } from "./appImage";
import { AppNode, NodeInfo } from "./appNode";
import { CloudlabConfig } from "./config/validate";
import { loadConfig } from "./config/load";
import { Controller } from "./controller";
import { LoadBalancer } from "./loadBalancer";
import { LabNetwork } from "./local/labNetwork";
import { Monitoring } from "./monitoring";
import { StackNames, addressPlan, nodeNames, stackNames } from "./naming";

/** What `pulumi stack output` shows. */
export interface StackOutputs {
    platform: string;
    balancerUrl: pulumi.Output<string>;
    statsUrl: pulumi.Output<string>;
    metricsUrl: pulumi.Output<string>;
    imageTag: string;
    nodes: pulumi.Output<NodeInfo[]>;
    /** node name -> direct URL, for quick `curl $(pulumi stack output nodeUrls ...)`. */
    nodeUrls: pulumi.Output<Record<string, string>>;
    controller: pulumi.Output<string>;
    monitoring: pulumi.Output<string>;
}

/**
 * The whole program: validates config first (nothing is declared when it is wrong), then composes the four
 * components. A function, not top-level code, so tests can run it again with other config.
 */
export function defineStack(): StackOutputs {
    const config = loadConfig();
    const names = stackNames();
    return config.platform === "aws" ? defineAwsStack(config) : defineLocalStack(config, names);
}

/**
 * The AWS implementations of the components are not built yet: the dev stack validates its config and
 * previews, declares no resource, and every output says so (nothing pretends to work).
 */
function defineAwsStack(config: CloudlabConfig): StackOutputs {
    const notBuilt = pulumi.output("not built on the aws stack yet: `pulumi up -s dev` declares nothing");
    return {
        platform: config.platform,
        balancerUrl: notBuilt,
        statsUrl: notBuilt,
        metricsUrl: notBuilt,
        imageTag: config.imageTag,
        nodes: pulumi.output([]),
        nodeUrls: pulumi.output<Record<string, string>>({}),
        controller: notBuilt,
        monitoring: notBuilt,
    };
}

function defineLocalStack(config: CloudlabConfig, names: StackNames): StackOutputs {
    const addresses = addressPlan(config.subnet);
    const nodes = nodeNames(config.nodeLimit);

    const network = new LabNetwork("lab", { names, subnet: config.subnet });
    const image = new AppImage("app-image", {
        repository: config.appImage,
        tags: [config.imageTag, ...Object.values(config.nodeImageTags)],
        build: config.imageBuild,
        baseImage: config.nodeBaseImage,
    });
    const balancer = new LoadBalancer("balancer", {
        nodes,
        appPort: config.appPort,
        balance: config.balance,
        platform: {
            kind: "local",
            names,
            networkName: network.name,
            address: addresses.balancer,
            image: config.lbImage,
            port: config.lbPort,
            statsPort: config.lbStatsPort,
        },
    });
    const appNodes = new AppNode("app", {
        nodeCount: config.nodeCount,
        nodeLimit: config.nodeLimit,
        appPort: config.appPort,
        drainSeconds: config.drainSeconds,
        rollingBatchSize: config.rollingBatchSize,
        imageTag: config.imageTag,
        nodeImageTags: config.nodeImageTags,
        platform: {
            kind: "local",
            names,
            networkName: network.name,
            addresses,
            portBase: config.nodePortBase,
            cpus: config.nodeCpus,
            memoryMb: config.nodeMemoryMb,
            imageIds: image.imageIds,
            balancer: { statsUrl: balancer.statsUrl, resource: balancer.ready },
        },
    });
    const controller = new Controller("controller", {
        nodes,
        nodeCount: config.nodeCount,
        nodeLimit: config.nodeLimit,
        checkPeriod: config.checkPeriod,
        cpuHighPercent: config.cpuHighPercent,
        cpuLowPercent: config.cpuLowPercent,
        evaluationPeriods: config.evaluationPeriods,
        platform: { kind: "local" },
    });
    const monitoring = new Monitoring("monitoring", {
        nodes,
        balancerMetricsUrl: balancer.metricsUrl,
        alertEmail: config.alertEmail,
        platform: { kind: "local" },
    });

    return {
        platform: config.platform,
        balancerUrl: balancer.url,
        statsUrl: balancer.statsUrl,
        metricsUrl: balancer.metricsUrl,
        imageTag: config.imageTag,
        nodes: appNodes.nodes,
        nodeUrls: appNodes.nodes.apply((ns) => Object.fromEntries(ns.map((n) => [n.name, n.url]))),
        controller: controller.status,
        monitoring: monitoring.status,
    };
}
