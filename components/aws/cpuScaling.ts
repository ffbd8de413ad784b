import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { StackNames } from "../naming";
import { awsTags } from "./tags";

/** The AWS platform's part of {@link ControllerArgs}. */
export interface AwsControllerPlatform {
    kind: "aws";
    names: StackNames;
    /** The nodes' auto scaling group: it does the starting and stopping, within its min and max. */
    groupName: pulumi.Input<string>;
}

/** Everything {@link declareCpuScaling} needs besides the platform. */
export interface CpuScalingSpec {
    checkPeriod: number;
    cpuHighPercent: number;
    cpuLowPercent: number;
    evaluationPeriods: number;
}

export interface CpuScaling {
    scaleOut: aws.autoscaling.Policy;
    scaleIn: aws.autoscaling.Policy;
    highAlarm: aws.cloudwatch.MetricAlarm;
    lowAlarm: aws.cloudwatch.MetricAlarm;
}

/**
 * The statistic both alarms read over the group's instances: seed 004 raised an alarm per node, so one busy node
 * is enough to add a node, and a node is removed only when even the busiest one is idle.
 */
export const CPU_STATISTIC = "Maximum";

/**
 * Seed 004's autoscaler, natively: two CloudWatch alarms on the group's CPU, each wired to a step scaling policy
 * that changes the group by exactly one node (target tracking could add several at once). While an alarm stays
 * in ALARM it fires again every period, so load that persists adds a node per warm-up, up to nodeLimit; the
 * group's min and max bound both directions, and scale-in returns nodes to the Stopped warm pool.
 */
export function declareCpuScaling(
    parent: pulumi.Resource,
    baseName: string,
    spec: CpuScalingSpec,
    platform: AwsControllerPlatform,
): CpuScaling {
    const opts = { parent };
    const tags = awsTags(platform.names);
    const step = (name: string, adjustment: 1 | -1) =>
        new aws.autoscaling.Policy(
            `${baseName}-${name}`,
            {
                autoscalingGroupName: platform.groupName,
                policyType: "StepScaling",
                adjustmentType: "ChangeInCapacity",
                metricAggregationType: CPU_STATISTIC,
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

    const alarm = (name: string, description: string, args: { threshold: number; comparisonOperator: string; policy: aws.autoscaling.Policy }) =>
        new aws.cloudwatch.MetricAlarm(
            `${baseName}-${name}`,
            {
                alarmDescription: description,
                namespace: "AWS/EC2",
                metricName: "CPUUtilization",
                dimensions: { AutoScalingGroupName: platform.groupName },
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
    const lowAlarm = alarm("cpu-low", `Every node below ${spec.cpuLowPercent}% CPU for ${window}: stop one node`, {
        threshold: spec.cpuLowPercent,
        comparisonOperator: "LessThanThreshold",
        policy: scaleIn,
    });
    return { scaleOut, scaleIn, highAlarm, lowAlarm };
}
