import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import * as command from "@pulumi/command";
import { StackNames } from "../shared/naming";
import type { AwsAppImage } from "./appImage";
import { Architecture, NodeAmi, nodeAmi } from "./ami";
import { stopBoundSeconds } from "../../app/src/drainBound";
import { refreshCapacity, refreshPreferences, rolloutWaitSeconds } from "./refresh";
import { awsTags } from "./tags";
import type { AwsConfig } from "../config/validate";
import { deregistrationDelaySeconds, type AwsLoadBalancer } from "./loadBalancer";
import { LIFECYCLE_HOOK, healthAlarmNames, nodeGroupName, nodeInstanceName, nodeLogGroupName } from "./names";
import { renderUserData } from "../render/userData";
import { scriptCommand } from "../shared/scriptCommand";
import { declareNodeRole } from "./nodeRole";
import { APP_NODE_TYPE, AppNodeArgs } from "../shared/appNode";

/** Arguments of {@link AwsAppNode}: the fleet's settings and the instances'. */
export interface AwsAppNodeArgs extends AppNodeArgs {
    /** EC2 instance type of the nodes. */
    instanceType: AwsConfig["instanceType"];
    /** The CPU alarms' period: under 5 minutes, the instances need 1-minute (detailed) metrics. */
    checkPeriod: AwsConfig["checkPeriod"];
    /** Whether each node gets a public IPv4 to reach ECR and AWS. */
    nodeAddress: AwsConfig["nodeAddress"];
    /** The nodes' AMI; empty: the newest Amazon Linux 2023 at each up. */
    nodeAmi: AwsConfig["nodeAmi"];
    /** Days CloudWatch Logs keeps the nodes' output. */
    logRetentionDays: AwsConfig["logRetentionDays"];
    names: StackNames;
    architecture: Architecture;
    /** Subnets the group spreads its instances over (one per zone or more). */
    subnetIds: pulumi.Input<string[]>;
    /** The nodes' security group: reachable from the balancer only. */
    securityGroupId: pulumi.Input<string>;
    /** The balancer whose target group the group registers its in-service instances in, once it forwards. */
    balancer: Pick<AwsLoadBalancer, "ready" | "guards" | "targetGroupArn">;
    /** The ECR repository the nodes pull `imageTag` from (resolved once the release is in ECR). */
    images: Pick<AwsAppImage, "imageIds" | "repositoryArn">;
}

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
 * The group's desired capacity right now, for the refresh this `up` may start: AWS takes the batch as a percentage
 * of it, and the alarms may have scaled the group since the last `up`. Looked up by name through the groups list
 * (which answers an empty list, not an error, before the group exists); bounded by this `up`'s min and max.
 */
export function currentCapacity(
    groupName: string,
    nodeCount: number,
    nodeLimit: number,
    opts: pulumi.InvokeOutputOptions,
): pulumi.Output<number> {
    return aws.autoscaling
        .getAmiIdsOutput({ names: [groupName] }, opts)
        .names.apply((found) =>
            found.includes(groupName)
                ? aws.autoscaling
                      .getGroupOutput({ name: groupName }, opts)
                      .desiredCapacity.apply((current) => refreshCapacity(current, nodeCount, nodeLimit))
                : pulumi.output(refreshCapacity(undefined, nodeCount, nodeLimit)),
        );
}

/**
 * The nodes: a launch template and an auto scaling group between nodeCount and nodeLimit instances, with a
 * Stopped warm pool that holds the rest (seed 004: scale-in stops a node instead of deleting it, scale-out
 * restarts a stopped one first) and an instance refresh that rolls every imageTag change.
 */
export class AwsAppNode extends pulumi.ComponentResource {
    /** The auto scaling group, whose instances come and go. */
    public readonly groupName: pulumi.Output<string>;
    /** The AMI the nodes run (pin it with `pulumi config set nodeAmi <id>`). */
    public readonly amiId: pulumi.Output<string>;
    /** The CloudWatch Logs group of the app's and the boot's output. */
    public readonly logGroupName: string;

    constructor(name: string, args: AwsAppNodeArgs, opts?: pulumi.ComponentResourceOptions) {
        super(APP_NODE_TYPE, name, {}, opts);
        const { groupName, ami } = declareGroup(this, name, args);
        this.groupName = groupName;
        this.amiId = ami.imageId;
        this.logGroupName = nodeLogGroupName(args.names);
        this.registerOutputs({ groupName: this.groupName, amiId: this.amiId });
    }
}

/**
 * The credit mode of every burstable node: "unlimited", the one in which a node can stay above its baseline, so
 * that CPU > cpuHighPercent is reachable under sustained load (EC2 User Guide, "Unlimited mode for burstable
 * performance instances").
 */
export const BURSTABLE_CREDITS = "unlimited";

/** The T families, whose CPU is burstable on credits. */
export function isBurstable(instanceType: string): boolean {
    return /^t\d+[a-z]*\./.test(instanceType);
}

/** EC2 publishes CPU every 5 minutes unless detailed monitoring (billed per instance) is on. */
const BASIC_MONITORING_PERIOD_SECONDS = 300;

function declareGroup(
    parent: AwsAppNode,
    baseName: string,
    args: AwsAppNodeArgs,
): { groupName: pulumi.Output<string>; ami: pulumi.Output<NodeAmi> } {
    const opts = { parent };
    const image = args.images.imageIds[args.imageTag];
    const tags = awsTags(args.names);
    const groupName = nodeGroupName(args.names);
    const region = aws.getRegionOutput({}, opts).region;
    const partition = aws.getPartitionOutput({}, opts).partition;
    const account = aws.getCallerIdentityOutput({}, opts).accountId;
    const groupArn = pulumi.interpolate`arn:${partition}:autoscaling:${region}:${account}:autoScalingGroup:*:autoScalingGroupName/${groupName}`;

    // The app's and the boot's output outlive their instance: a failed node can be diagnosed after it is gone.
    const logs = new aws.cloudwatch.LogGroup(
        `${baseName}-logs`,
        { name: nodeLogGroupName(args.names), retentionInDays: args.logRetentionDays, tags },
        opts,
    );
    const role = declareNodeRole(parent, baseName, {
        names: args.names,
        repositoryArn: args.images.repositoryArn,
        groupArn,
        logGroupArn: logs.arn,
    });
    const ami = nodeAmi(args.architecture, args.nodeAmi, opts);
    const userData = pulumi.all([image, region]).apply(([image, region]) =>
        Buffer.from(
            renderUserData({
                image,
                imageTag: args.imageTag,
                registry: image.split("/")[0],
                appPort: args.appPort,
                drainSeconds: args.drainSeconds,
                stopTimeoutSeconds: stopBoundSeconds(args.drainSeconds),
                region,
                groupName,
                lifecycleHookName: LIFECYCLE_HOOK,
                readyTimeoutSeconds: READY_TIMEOUT_SECONDS,
                logGroup: nodeLogGroupName(args.names),
                backendDelayMs: args.backendDelayMs,
                cache: args.cache,
                cacheTtlSeconds: args.cacheTtlSeconds,
                cacheMaxEntries: args.cacheMaxEntries,
            }),
        ).toString("base64"),
    );

    const template = new aws.ec2.LaunchTemplate(
        `${baseName}-template`,
        {
            description: `cloudlab ${args.names.stack}: one app node`,
            imageId: ami.imageId,
            instanceType: args.instanceType,
            iamInstanceProfile: { arn: role.profile.arn },
            // The nodes' only way to ECR and the AWS APIs with nodeAddress public: their own public IPv4 (a
            // subnet's auto-assign setting is not relied on); private: the subnets' NAT gateway or endpoints.
            networkInterfaces: [
                {
                    deviceIndex: 0,
                    associatePublicIpAddress: String(args.nodeAddress === "public"),
                    securityGroups: [args.securityGroupId],
                    deleteOnTermination: "true",
                },
            ],
            // IMDSv2 only; one hop, so containers (one hop further) cannot read the instance role's credentials.
            metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
            // Stated for every T type (T2 defaults to standard). EC2 User Guide, "Standard mode concepts": T3, T3a
            // and T4g get no launch credits in standard mode, and a node out of credits runs at its baseline (10 %
            // on t3.micro), below cpuLowPercent: the high alarm could never fire and a first boot would crawl
            // towards the boot timeout. Unlimited bursts as long as the load lasts; surplus credits bill per
            // vCPU-hour, at most nodeLimit nodes at a time (docs/aws.md).
            ...(isBurstable(args.instanceType) ? { creditSpecification: { cpuCredits: BURSTABLE_CREDITS } } : {}),
            // 1-minute CPU metrics when the alarms look more often than EC2's basic 5 minutes.
            monitoring: { enabled: args.checkPeriod < BASIC_MONITORING_PERIOD_SECONDS },
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

    // The version number, not $Latest: only a changed version makes the provider start an instance refresh.
    const version = template.latestVersion.apply((v) => String(v));
    const launchHook = {
        name: LIFECYCLE_HOOK,
        lifecycleTransition: "autoscaling:EC2_INSTANCE_LAUNCHING",
        defaultResult: "ABANDON",
        heartbeatTimeout: BOOT_TIMEOUT_SECONDS,
    };
    const group = new aws.autoscaling.Group(
        `${baseName}-group`,
        {
            name: groupName,
            vpcZoneIdentifiers: args.subnetIds,
            minSize: args.nodeCount,
            maxSize: args.nodeLimit,
            // No desiredCapacity: AWS starts at minSize, and setting it on every `up` would undo what the scaling
            // alarms did since the last one.
            launchTemplate: { id: template.id, version },
            targetGroupArns: [args.balancer.targetGroupArn],
            healthCheckType: "ELB",
            healthCheckGracePeriod: GRACE_SECONDS,
            defaultInstanceWarmup: GRACE_SECONDS,
            // nodeLimit instances at most, running or stopped: the ones not in service wait Stopped (EBS only),
            // and scale-in returns a node to the pool instead of terminating it.
            warmPool: {
                poolState: "Stopped",
                maxGroupPreparedCapacity: args.nodeLimit,
                instanceReusePolicy: { reuseOnScaleIn: true },
            },
            // Created with the group, so that even its first instances wait for their app. The boot script
            // completes it on every boot (leaving the pool pauses an instance again); a node that never gets
            // healthy is abandoned and replaced. This copy only counts at creation: the field is ForceNew
            // (components/aws/providerRules.ts), so its changes are ignored and the hook resource below owns them.
            initialLifecycleHooks: [launchHook],
            // In-service instances first, then the warm pool: a deploy reaches users before the standby nodes.
            // rollingBatchSize nodes at a time at the size the group has now (components/aws/refresh.ts).
            instanceRefresh: {
                strategy: "Rolling",
                preferences: currentCapacity(groupName, args.nodeCount, args.nodeLimit, opts).apply((desired) =>
                    refreshPreferences(args.rollingBatchSize, desired, Object.values(healthAlarmNames(args.names))),
                ),
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
                { key: "Name", value: nodeInstanceName(args.names), propagateAtLaunch: true },
                ...Object.entries(tags).map(([key, value]) => ({ key, value, propagateAtLaunch: true })),
            ],
            // No capacity wait: on a minSize change the provider waits for EXACTLY max(minSize, the desired
            // capacity recorded at the last `up`) nodes, which fails once the alarms scaled the group
            // (components/aws/providerRules.ts). `up` returns when the group is declared; nodes enter service
            // once their boot hook completes (docs/aws.md).
            waitForCapacityTimeout: "0",
        },
        {
            parent,
            // The nodes call CompleteLifecycleAction from their first boot: the permission must exist before.
            dependsOn: [...role.permissions, args.balancer.ready, ...args.balancer.guards],
            ignoreChanges: ["initialLifecycleHooks"],
        },
    );
    // The same hook (same name) as its own resource: PutLifecycleHook updates it in place, so a new boot timeout
    // or default result never replaces the group.
    new aws.autoscaling.LifecycleHook(
        `${baseName}-ready-hook`,
        { ...launchHook, autoscalingGroupName: group.name },
        { parent },
    );
    // `up` ends when the group runs this version, and fails when its refresh fails: the provider starts the refresh
    // and returns (waitForCapacityTimeout 0, above), and AWS's own rollback would keep the bad version
    // (components/aws/refresh.ts). Replaced, so run again, on every new version; not run by a preview.
    new command.local.Command(
        `${baseName}-rollout`,
        {
            create: scriptCommand("wait-rollout.ts"),
            environment: {
                CLOUDLAB_REGION: region,
                CLOUDLAB_GROUP: group.name,
                CLOUDLAB_TEMPLATE_VERSION: version,
                CLOUDLAB_TIMEOUT_SECONDS: String(
                    rolloutWaitSeconds(
                        args.nodeLimit,
                        args.rollingBatchSize,
                        BOOT_TIMEOUT_SECONDS + deregistrationDelaySeconds(stopBoundSeconds(args.drainSeconds)),
                    ),
                ),
            },
            triggers: [version],
        },
        { parent, dependsOn: [group] },
    );
    return { groupName: group.name, ami };
}
