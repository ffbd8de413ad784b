import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import type { AwsAppNode } from "./appNode";
import { awsTags } from "./tags";
import { StackNames } from "../shared/naming";
import { CPU_STATISTIC } from "../../controller/src/alarm";
import { cooldownSecondsOf } from "../config/validate";
import { Controller, ControllerArgs } from "../shared/controller";

/** Arguments of {@link AwsController}. */
export interface AwsControllerArgs extends ControllerArgs {
    names: StackNames;
    /** The nodes: their auto scaling group does the starting and stopping, within its min and max. */
    nodes: Pick<AwsAppNode, "groupName">;
}

interface CpuScaling {
    highAlarm: aws.cloudwatch.MetricAlarm;
    lowAlarm: aws.cloudwatch.MetricAlarm;
}

/** The statistic both alarms read over the group's instances: one home for both stacks (controller/src/alarm.ts). */
export { CPU_STATISTIC };

/**
 * Seed 004's autoscaler on AWS: the group itself replaces unhealthy nodes, keeps the stopped ones in its warm
 * pool and rolls deploys by instance refresh; this adds the CPU alarms and the step policies they trigger.
 */
export class AwsController extends Controller {
    public readonly status: pulumi.Output<string>;
    /** The CPU alarms (the dashboard shows them). */
    public readonly alarmArns: pulumi.Output<string>[];

    constructor(name: string, args: AwsControllerArgs, opts?: pulumi.ComponentResourceOptions) {
        super(name, opts);
        const scaling = declareCpuScaling(this, name, args);
        this.alarmArns = [scaling.highAlarm.arn, scaling.lowAlarm.arn];
        const window = `${args.evaluationPeriods} x ${args.checkPeriod} s`;
        this.status = pulumi.interpolate`${args.nodes.groupName}: +1 node when a node's CPU (${CPU_STATISTIC.toLowerCase()} over the group) is above ${args.cpuHighPercent}% for ${window}, -1 (stopped into the warm pool) when below ${args.cpuLowPercent}%; ${args.nodeCount} to ${args.nodeLimit} nodes; deploys roll by instance refresh, ${args.rollingBatchSize} new node(s) in service before as many old ones leave`;
        this.registerOutputs({ status: this.status });
    }
}

/**
 * Seed 004's autoscaler, natively: two CloudWatch alarms on the group's CPU, each wired to a step scaling policy
 * that changes the group by exactly one node (target tracking could add several at once). While an alarm stays
 * in ALARM it fires again every period, so load that persists adds a node per warm-up, up to nodeLimit; the
 * group's min and max bound both directions, and scale-in returns nodes to the Stopped warm pool.
 */
function declareCpuScaling(parent: AwsController, baseName: string, spec: AwsControllerArgs): CpuScaling {
    const opts = { parent };
    const tags = awsTags(spec.names);
    const step = (name: string, adjustment: 1 | -1) =>
        new aws.autoscaling.Policy(
            `${baseName}-${name}`,
            {
                autoscalingGroupName: spec.nodes.groupName,
                policyType: "StepScaling",
                adjustmentType: "ChangeInCapacity",
                metricAggregationType: CPU_STATISTIC,
                // A launched node's CPU does not count toward the group's metric for this long (the local
                // controller's warm-up and cooldown: the same cooldownSeconds).
                estimatedInstanceWarmup: cooldownSecondsOf(spec),
                // Bounds are relative to the alarm's threshold: any breach, however large, is one node.
                stepAdjustments: [
                    adjustment > 0
                        ? { metricIntervalLowerBound: "0", scalingAdjustment: adjustment }
                        : { metricIntervalUpperBound: "0", scalingAdjustment: adjustment },
                ],
            },
            opts,
        );
    const scaleOut = step("scale-out", 1);
    const scaleIn = step("scale-in", -1);

    const alarm = (
        name: string,
        description: string,
        args: { threshold: number; comparisonOperator: string; policy: aws.autoscaling.Policy },
    ) =>
        new aws.cloudwatch.MetricAlarm(
            `${baseName}-${name}`,
            {
                alarmDescription: description,
                namespace: "AWS/EC2",
                metricName: "CPUUtilization",
                dimensions: { AutoScalingGroupName: spec.nodes.groupName },
                statistic: CPU_STATISTIC,
                period: spec.checkPeriod,
                evaluationPeriods: spec.evaluationPeriods,
                threshold: args.threshold,
                comparisonOperator: args.comparisonOperator,
                alarmActions: [args.policy.arn],
                tags,
            },
            opts,
        );
    const window = `${spec.evaluationPeriods} x ${spec.checkPeriod} s`;
    const highAlarm = alarm("cpu-high", `A node above ${spec.cpuHighPercent}% CPU for ${window}: add one node`, {
        threshold: spec.cpuHighPercent,
        comparisonOperator: "GreaterThanThreshold",
        policy: scaleOut,
    });
    // Both thresholds assume a loaded node's CPU can stay high: burstable nodes run on unlimited credits
    // (components/aws/appNode.ts, BURSTABLE_CREDITS); throttled at its baseline a node would read below cpuLowPercent.
    const lowAlarm = alarm("cpu-low", `Every node below ${spec.cpuLowPercent}% CPU for ${window}: stop one node`, {
        threshold: spec.cpuLowPercent,
        comparisonOperator: "LessThanThreshold",
        policy: scaleIn,
    });
    return { highAlarm, lowAlarm };
}
