import * as pulumi from "@pulumi/pulumi";
import { AwsAppImage } from "./appImage";
import { AwsAppNode } from "./appNode";
import { architectureOf } from "./ami";
import { stopBoundSeconds } from "../../app/src/drainBound";
import type { AwsConfig } from "../config/validate";
import { appNodeArgsOf } from "../shared/appNode";
import { controllerArgsOf } from "../shared/controller";
import { AwsController } from "./controller";
import { AwsLoadBalancer } from "./loadBalancer";
import { AwsMonitoring } from "./monitoring";
import type { CommonStackOutputs } from "../shared/stackOutputs";
import type { StackNames } from "../shared/naming";
import { AwsNetwork } from "./network";

/** What `pulumi stack output` shows on the dev (AWS) stack. */
export interface AwsStackOutputs extends CommonStackOutputs<"aws"> {
    /** The nodes' auto scaling group (its instances come and go, so there is no node list). */
    groupName: pulumi.Output<string>;
    /** The CloudWatch dashboard in the console. */
    dashboardUrl: pulumi.Output<string>;
    /** The ECR repository of the releases. */
    repositoryUrl: pulumi.Output<string>;
    /** The AMI the nodes run: pinned by cloudlab:nodeAmi, or the newest Amazon Linux 2023 while that is empty. */
    nodeAmi: pulumi.Output<string>;
    /** The CloudWatch Logs group of the nodes' output (streams `<instance id>/app` and `<instance id>/boot`). */
    logGroup: string;
    /** The S3 bucket of the balancer's access logs; "" while cloudlab:accessLogDays is 0. */
    accessLogBucket: pulumi.Output<string> | string;
}

/**
 * The dev stack: the same four components on EC2 auto scaling, an Application Load Balancer and CloudWatch,
 * with the app's releases in ECR. Seed 004's hand-written autoscaler becomes alarms, step scaling policies and a
 * Stopped warm pool; a deploy is an instance refresh.
 */
export function defineAwsStack(config: AwsConfig, names: StackNames): AwsStackOutputs {
    const architecture = architectureOf(config.instanceType);
    const network = new AwsNetwork("network", {
        names,
        vpcId: config.vpcId,
        subnetIds: config.subnetIds,
        allowedCidrs: config.allowedCidrs,
        appPort: config.appPort,
        certificateArn: config.certificateArn,
    });
    // Per-node tags are a local-only canary (an aws config has none): a group runs one launch template.
    const images = new AwsAppImage("app-image", {
        names,
        appImage: config.appImage,
        imageBuild: config.imageBuild,
        nodeBaseImage: config.nodeBaseImage,
        ecrRepository: config.ecrRepository,
        instanceType: config.instanceType,
        architecture,
        tags: [config.imageTag],
    });
    const balancer = new AwsLoadBalancer("balancer", {
        names,
        appPort: config.appPort,
        certificateArn: config.certificateArn,
        accessLogDays: config.accessLogDays,
        loadCidrs: config.loadCidrs,
        vpcId: network.vpcId,
        subnetIds: network.subnetIds,
        securityGroupId: network.balancerSecurityGroupId,
        stopBoundSeconds: stopBoundSeconds(config.drainSeconds),
    });
    const fleet = new AwsAppNode("app", {
        names,
        ...appNodeArgsOf(config),
        instanceType: config.instanceType,
        checkPeriod: config.checkPeriod,
        nodeAddress: config.nodeAddress,
        nodeAmi: config.nodeAmi,
        logRetentionDays: config.logRetentionDays,
        architecture,
        subnetIds: network.subnetIds,
        securityGroupId: network.nodeSecurityGroupId,
        balancer,
        images,
    });
    const controller = new AwsController("controller", { names, ...controllerArgsOf(config), nodes: fleet });
    const monitoring = new AwsMonitoring("monitoring", {
        names,
        alertEmail: config.alertEmail,
        checkPeriod: config.checkPeriod,
        cpuHighPercent: config.cpuHighPercent,
        cpuLowPercent: config.cpuLowPercent,
        nodes: fleet,
        balancer,
    });

    return {
        platform: "aws",
        balancerUrl: balancer.url,
        imageTag: config.imageTag,
        controller: controller.status,
        monitoring: monitoring.status,
        groupName: fleet.groupName,
        dashboardUrl: monitoring.dashboardUrl,
        repositoryUrl: images.repositoryUrl,
        nodeAmi: fleet.amiId,
        logGroup: fleet.logGroupName,
        accessLogBucket: balancer.accessLogBucket,
    };
}
