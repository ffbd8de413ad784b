import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { StackNames } from "../naming";
import { renderUserData } from "../render/userData";
import { Architecture, al2023Ami } from "./ami";
import { drainBoundSeconds } from "./drain";
import { declareNodeRole } from "./nodeRole";
import { awsTags } from "./tags";
import type { AppNodeArgs } from "../appNode";

/** The AWS platform's part of {@link AppNodeArgs}. */
export interface AwsNodesPlatform {
    kind: "aws";
    names: StackNames;
    instanceType: string;
    architecture: Architecture;
    /** Subnets the group spreads its instances over (one per zone or more). */
    subnetIds: pulumi.Input<string[]>;
    /** The nodes' security group: reachable from the balancer only. */
    securityGroupId: pulumi.Input<string>;
    /** The balancer's target group the group registers its in-service instances in... */
    targetGroupArn: pulumi.Input<string>;
    /** ...once the balancer forwards to it (its listener exists). */
    balancerReady: pulumi.Resource;
    /** What the nodes run, `<repositoryUrl>:<tag>`; resolves once the release is in ECR. */
    image: pulumi.Input<string>;
    repositoryArn: pulumi.Input<string>;
    /**
     * 1-minute EC2 metrics (detailed monitoring, billed per instance): needed when the CPU alarms look more often
     * than every 5 minutes, EC2's basic resolution.
     */
    detailedMonitoring: boolean;
}

/** Everything {@link declareAwsNodes} needs besides the platform. */
export type AwsNodesSpec = Omit<AppNodeArgs, "nodeImageTags" | "platform">;

export interface AwsNodes {
    groupName: pulumi.Output<string>;
}

/** The launch hook every node completes from its boot script once its app answers /health. */
export const LIFECYCLE_HOOK = "cloudlab-node-ready";
/** Longest a boot may take (first boot: Docker install + pull) before the group gives up on the node. */
const BOOT_TIMEOUT_SECONDS = 600;
/** Longest the app may take to answer /health once its container runs. */
const READY_TIMEOUT_SECONDS = 300;
/**
 * A node is in service only once its app is healthy (the lifecycle hook), so the balancer's first checks
 * (2 x 10 s) are all the grace a node needs; the same minute is the time before its metrics count.
 */
const GRACE_SECONDS = 60;

/**
 * The group's name is fixed (`<project>-<stack>-nodes`): the boot script and the nodes' IAM policy need it
 * before the group exists, and it reads well in the console and in alarm mails.
 */
export function nodeGroupName(names: StackNames): string {
    return `${names.prefix}-nodes`;
}

/**
 * How an instance refresh rolls a deploy: the share of the group kept in service so that at most
 * rollingBatchSize of nodeCount nodes are replaced at a time (AWS rounds the kept capacity up). skipMatching:
 * a refresh restarted after an interrupted one does not replace the nodes that already run the new version.
 */
export function refreshPreferences(nodeCount: number, rollingBatchSize: number) {
    return {
        minHealthyPercentage: Math.max(0, Math.floor((100 * (nodeCount - rollingBatchSize)) / nodeCount)),
        skipMatching: true,
    };
}

/**
 * The nodes: a launch template and an auto scaling group between nodeCount and nodeLimit instances, with a
 * Stopped warm pool that holds the rest (seed 004: scale-in stops a node instead of deleting it, scale-out
 * restarts a stopped one first) and an instance refresh that rolls every imageTag change.
 */
export function declareAwsNodes(
    parent: pulumi.Resource,
    baseName: string,
    spec: AwsNodesSpec,
    platform: AwsNodesPlatform,
): AwsNodes {
    const opts = { parent };
    const tags = awsTags(platform.names);
    const groupName = nodeGroupName(platform.names);
    const region = aws.getRegionOutput({}, opts).region;
    const partition = aws.getPartitionOutput({}, opts).partition;
    const account = aws.getCallerIdentityOutput({}, opts).accountId;
    const groupArn = pulumi.interpolate`arn:${partition}:autoscaling:${region}:${account}:autoScalingGroup:*:autoScalingGroupName/${groupName}`;

    const role = declareNodeRole(parent, baseName, {
        names: platform.names,
        repositoryArn: platform.repositoryArn,
        groupArn,
    });
    const ami = al2023Ami(platform.architecture, opts);
    const userData = pulumi.all([platform.image, region]).apply(([image, region]) =>
        Buffer.from(
            renderUserData({
                image,
                imageTag: spec.imageTag,
                registry: image.split("/")[0],
                appPort: spec.appPort,
                drainSeconds: spec.drainSeconds,
                stopTimeoutSeconds: drainBoundSeconds(spec.drainSeconds),
                region,
                groupName,
                lifecycleHookName: LIFECYCLE_HOOK,
                readyTimeoutSeconds: READY_TIMEOUT_SECONDS,
            }),
        ).toString("base64"),
    );

    const template = new aws.ec2.LaunchTemplate(
        `${baseName}-template`,
        {
            description: `cloudlab ${platform.names.stack}: one app node`,
            imageId: ami.imageId,
            instanceType: platform.instanceType,
            iamInstanceProfile: { arn: role.profile.arn },
            vpcSecurityGroupIds: [platform.securityGroupId],
            // IMDSv2 only; one hop, so containers (one hop further) cannot read the instance role's credentials.
            metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
            monitoring: { enabled: platform.detailedMonitoring },
            blockDeviceMappings: [
                {
                    deviceName: ami.rootDeviceName,
                    ebs: { encrypted: "true", volumeType: "gp3", deleteOnTermination: "true" },
                },
            ],
            userData,
            updateDefaultVersion: true,
            // Instances get their tags from the group (propagateAtLaunch); volumes only from here.
            tagSpecifications: [{ resourceType: "volume", tags }],
            tags,
        },
        opts,
    );

    const group = new aws.autoscaling.Group(
        `${baseName}-group`,
        {
            name: groupName,
            vpcZoneIdentifiers: platform.subnetIds,
            minSize: spec.nodeCount,
            maxSize: spec.nodeLimit,
            // No desiredCapacity: AWS starts at minSize, and setting it on every `up` would undo what the scaling
            // alarms did since the last one.
            // The version number, not $Latest: only a changed version makes the provider start an instance refresh.
            launchTemplate: { id: template.id, version: template.latestVersion.apply((v) => String(v)) },
            targetGroupArns: [platform.targetGroupArn],
            healthCheckType: "ELB",
            healthCheckGracePeriod: GRACE_SECONDS,
            defaultInstanceWarmup: GRACE_SECONDS,
            // nodeLimit instances at most, running or stopped: the ones not in service wait Stopped (EBS only),
            // and scale-in returns a node to the pool instead of terminating it.
            warmPool: {
                poolState: "Stopped",
                maxGroupPreparedCapacity: spec.nodeLimit,
                instanceReusePolicy: { reuseOnScaleIn: true },
            },
            // Created with the group, so that even its first instances wait for their app. The boot script
            // completes it on every boot (leaving the pool pauses an instance again); a node that never gets
            // healthy is abandoned and replaced.
            initialLifecycleHooks: [
                {
                    name: LIFECYCLE_HOOK,
                    lifecycleTransition: "autoscaling:EC2_INSTANCE_LAUNCHING",
                    defaultResult: "ABANDON",
                    heartbeatTimeout: BOOT_TIMEOUT_SECONDS,
                },
            ],
            // In-service instances first, then the warm pool: a deploy reaches users before the standby nodes.
            instanceRefresh: {
                strategy: "Rolling",
                preferences: refreshPreferences(spec.nodeCount, spec.rollingBatchSize),
            },
            // Free at 1-minute granularity; the dashboard's scaling graph reads them.
            enabledMetrics: [
                "GroupDesiredCapacity",
                "GroupInServiceInstances",
                "GroupPendingInstances",
                "GroupTerminatingInstances",
                "GroupTotalInstances",
                "WarmPoolWarmedCapacity",
                "WarmPoolPendingCapacity",
            ],
            metricsGranularity: "1Minute",
            tags: [
                { key: "Name", value: `${platform.names.prefix}-node`, propagateAtLaunch: true },
                ...Object.entries(tags).map(([key, value]) => ({ key, value, propagateAtLaunch: true })),
            ],
            // The first `up` waits until nodeCount nodes passed their boot and the balancer's checks.
            waitForCapacityTimeout: `${BOOT_TIMEOUT_SECONDS + 300}s`,
        },
        // The nodes call CompleteLifecycleAction from their first boot: the permission must exist before.
        { parent, dependsOn: [...role.permissions, platform.balancerReady] },
    );
    return { groupName: group.name };
}
