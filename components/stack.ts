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
import { architectureOf } from "./aws/ami";
import { drainBoundSeconds } from "./aws/drain";
import { AwsNetwork } from "./aws/network";

/** What `pulumi stack output` shows. */
export interface StackOutputs {
    platform: string;
    balancerUrl: pulumi.Output<string>;
    imageTag: string;
    controller: pulumi.Output<string>;
    monitoring: pulumi.Output<string>;
    /** Local: the balancer's stats page and Prometheus metrics. */
    statsUrl?: pulumi.Output<string>;
    metricsUrl?: pulumi.Output<string>;
    /** Local: every declared node (on AWS the group's instances come and go). */
    nodes?: pulumi.Output<NodeInfo[]>;
    /** Local: node name -> direct URL, for quick `curl $(pulumi stack output nodeUrls ...)`. */
    nodeUrls?: pulumi.Output<Record<string, string>>;
    /** AWS: the nodes' auto scaling group. */
    groupName?: pulumi.Output<string>;
    /** AWS: the CloudWatch dashboard in the console. */
    dashboardUrl?: pulumi.Output<string>;
    /** AWS: the ECR repository of the releases. */
    repositoryUrl?: pulumi.Output<string>;
}

/**
 * The whole program: validates config first (nothing is declared when it is wrong), then composes the four
 * components. A function, not top-level code, so tests can run it again with other config.
 */
export function defineStack(): StackOutputs {
    const config = loadConfig();
    const names = stackNames();
    return config.platform === "aws" ? defineAwsStack(config, names) : defineLocalStack(config, names);
}

/** An output only one platform's component has: its absence is a bug, not a config error. */
function must<T>(value: T | undefined, what: string): T {
    if (value === undefined) throw new Error(`cloudlab: ${what} is missing on this platform`);
    return value;
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
        platform: { kind: "local" },
    });
    const balancer = new LoadBalancer("balancer", {
        appPort: config.appPort,
        platform: {
            kind: "local",
            nodes,
            balance: config.balance,
            names,
            networkName: network.name,
            address: addresses.balancer,
            image: config.lbImage,
            port: config.lbPort,
            statsPort: config.lbStatsPort,
        },
    });
    const appNodes = new AppNode("app", {
        ...nodesOf(config),
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
            balancer: { statsUrl: must(balancer.statsUrl, "the balancer's stats URL"), resource: balancer.ready },
        },
    });
    const controller = new Controller("controller", {
        ...scalingOf(config),
        platform: { kind: "local", nodes },
    });
    const monitoring = new Monitoring("monitoring", {
        alertEmail: config.alertEmail,
        platform: { kind: "local", nodes, balancerMetricsUrl: must(balancer.metricsUrl, "the balancer's metrics URL") },
    });

    const declared = must(appNodes.nodes, "the local nodes");
    return {
        platform: config.platform,
        balancerUrl: balancer.url,
        statsUrl: balancer.statsUrl,
        metricsUrl: balancer.metricsUrl,
        imageTag: config.imageTag,
        nodes: declared,
        nodeUrls: declared.apply((ns) => Object.fromEntries(ns.map((n) => [n.name, n.url]))),
        controller: controller.status,
        monitoring: monitoring.status,
    };
}

/** The node settings, the same on both stacks. */
function nodesOf(config: CloudlabConfig) {
    return {
        nodeCount: config.nodeCount,
        nodeLimit: config.nodeLimit,
        appPort: config.appPort,
        drainSeconds: config.drainSeconds,
        rollingBatchSize: config.rollingBatchSize,
        imageTag: config.imageTag,
    };
}

/** The controller's settings, the same on both stacks. */
function scalingOf(config: CloudlabConfig) {
    return {
        nodeCount: config.nodeCount,
        nodeLimit: config.nodeLimit,
        rollingBatchSize: config.rollingBatchSize,
        checkPeriod: config.checkPeriod,
        cpuHighPercent: config.cpuHighPercent,
        cpuLowPercent: config.cpuLowPercent,
        evaluationPeriods: config.evaluationPeriods,
    };
}

/**
 * The dev stack: the same four components on EC2 auto scaling, an Application Load Balancer and CloudWatch,
 * with the app's releases in ECR. Seed 004's hand-written autoscaler becomes alarms, step scaling policies and a
 * Stopped warm pool; a deploy is an instance refresh.
 */
function defineAwsStack(config: CloudlabConfig, names: StackNames): StackOutputs {
    const architecture = architectureOf(config.instanceType);
    const network = new AwsNetwork("network", {
        names,
        vpcId: config.vpcId,
        subnetIds: config.subnetIds,
        allowedCidrs: config.allowedCidrs.map((c) => c.text),
        appPort: config.appPort,
    });
    const image = new AppImage("app-image", {
        repository: config.appImage,
        tags: [config.imageTag],
        build: config.imageBuild,
        baseImage: config.nodeBaseImage,
        platform: { kind: "aws", names, architecture },
    });
    const balancer = new LoadBalancer("balancer", {
        appPort: config.appPort,
        platform: {
            kind: "aws",
            names,
            vpcId: network.vpcId,
            subnetIds: network.subnetIds,
            securityGroupId: network.balancerSecurityGroupId,
            deregistrationDelaySeconds: drainBoundSeconds(config.drainSeconds),
        },
    });
    const alb = must(balancer.alb, "the Application Load Balancer");
    const appNodes = new AppNode("app", {
        ...nodesOf(config),
        // Per-node tags are a local-only canary: an auto scaling group runs one launch template.
        nodeImageTags: {},
        platform: {
            kind: "aws",
            names,
            instanceType: config.instanceType,
            architecture,
            subnetIds: network.subnetIds,
            securityGroupId: network.nodeSecurityGroupId,
            targetGroupArn: alb.targetGroupArn,
            balancerReady: balancer.ready,
            image: image.imageIds[config.imageTag],
            repositoryArn: must(image.repositoryArn, "the ECR repository"),
            // EC2 publishes CPU every 5 minutes unless detailed monitoring is on.
            detailedMonitoring: config.checkPeriod < 300,
        },
    });
    const groupName = must(appNodes.groupName, "the auto scaling group");
    const controller = new Controller("controller", {
        ...scalingOf(config),
        platform: { kind: "aws", names, groupName },
    });
    const monitoring = new Monitoring("monitoring", {
        alertEmail: config.alertEmail,
        platform: {
            kind: "aws",
            names,
            groupName,
            loadBalancerArnSuffix: alb.loadBalancerArnSuffix,
            targetGroupArnSuffix: alb.targetGroupArnSuffix,
            scalingAlarmArns: must(controller.alarmArns, "the scaling alarms"),
            periodSeconds: config.checkPeriod,
            cpuHighPercent: config.cpuHighPercent,
            cpuLowPercent: config.cpuLowPercent,
        },
    });

    return {
        platform: config.platform,
        balancerUrl: balancer.url,
        imageTag: config.imageTag,
        controller: controller.status,
        monitoring: monitoring.status,
        groupName,
        dashboardUrl: must(monitoring.dashboardUrl, "the dashboard"),
        repositoryUrl: must(image.repositoryUrl, "the ECR repository"),
    };
}
