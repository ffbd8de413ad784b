import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { StackNames } from "../naming";
import { renderDashboard } from "../render/dashboard";
import { awsTags } from "./tags";

/** The AWS platform's part of {@link MonitoringArgs}. */
export interface AwsMonitoringPlatform {
    kind: "aws";
    names: StackNames;
    groupName: pulumi.Input<string>;
    /** ARN suffixes of the balancer and its target group (the dimensions of the ALB's metrics). */
    loadBalancerArnSuffix: pulumi.Input<string>;
    targetGroupArnSuffix: pulumi.Input<string>;
    /** The controller's alarms, shown on the dashboard next to the health alarms. */
    scalingAlarmArns: pulumi.Input<string>[];
    /** Seconds per data point on the dashboard: the controller's check period. */
    periodSeconds: number;
    cpuHighPercent: number;
    cpuLowPercent: number;
}

export interface AwsMonitoring {
    topicArn: pulumi.Output<string>;
    dashboardName: string;
    dashboardUrl: pulumi.Output<string>;
}

/** Health alarms look at every minute and need two bad ones in a row: one blip is not worth a mail. */
const HEALTH_PERIOD_SECONDS = 60;
const HEALTH_EVALUATION_PERIODS = 2;
/** Share of requests answered 5xx (by the nodes or by the balancer itself) that raises the alarm. */
export const ERROR_RATE_PERCENT = 5;

/** CloudWatch dashboard names allow letters, digits, '-' and '_'. */
export function dashboardName(names: StackNames): string {
    return names.prefix.replace(/[^A-Za-z0-9_-]/g, "-");
}

/**
 * What seed 000's lab mailed by hand, on CloudWatch: a dashboard of the balancer, the nodes and the scaling, two
 * alarms (an unhealthy node, a 5xx rate) and the group's launch failures published to an SNS topic, with an
 * e-mail subscription when alertEmail is set (AWS mails a confirmation link first).
 */
export function declareCloudWatchMonitoring(
    parent: pulumi.Resource,
    baseName: string,
    spec: { alertEmail: string },
    platform: AwsMonitoringPlatform,
): AwsMonitoring {
    const opts = { parent };
    const tags = awsTags(platform.names);
    // Not KMS-encrypted: CloudWatch alarms cannot publish to a topic under the AWS-managed SNS key.
    const topic = new aws.sns.Topic(`${baseName}-alerts`, { displayName: `cloudlab ${platform.names.stack}`, tags }, opts);
    if (spec.alertEmail !== "") {
        new aws.sns.TopicSubscription(`${baseName}-mail`, { topic: topic.arn, protocol: "email", endpoint: spec.alertEmail }, opts);
    }
    new aws.autoscaling.Notification(
        `${baseName}-group-events`,
        {
            groupNames: [platform.groupName],
            notifications: ["autoscaling:EC2_INSTANCE_LAUNCH_ERROR", "autoscaling:EC2_INSTANCE_TERMINATE_ERROR"],
            topicArn: topic.arn,
        },
        opts,
    );

    const alb = (metricName: string, stat: string, dimensions: Record<string, pulumi.Input<string>>) => ({
        namespace: "AWS/ApplicationELB",
        metricName,
        dimensions,
        period: HEALTH_PERIOD_SECONDS,
        stat,
    });
    const health = {
        evaluationPeriods: HEALTH_EVALUATION_PERIODS,
        comparisonOperator: "GreaterThanThreshold",
        // No traffic, no data: that is not an outage.
        treatMissingData: "notBreaching",
        alarmActions: [topic.arn],
        okActions: [topic.arn],
        tags,
    };
    const unhealthy = new aws.cloudwatch.MetricAlarm(
        `${baseName}-unhealthy-nodes`,
        {
            ...health,
            alarmDescription: "A node fails the balancer's /health checks",
            namespace: "AWS/ApplicationELB",
            metricName: "UnHealthyHostCount",
            dimensions: { TargetGroup: platform.targetGroupArnSuffix, LoadBalancer: platform.loadBalancerArnSuffix },
            statistic: "Maximum",
            period: HEALTH_PERIOD_SECONDS,
            threshold: 0,
        },
        opts,
    );
    const lb = { LoadBalancer: platform.loadBalancerArnSuffix };
    const errors = new aws.cloudwatch.MetricAlarm(
        `${baseName}-5xx-rate`,
        {
            ...health,
            alarmDescription: `More than ${ERROR_RATE_PERCENT}% of requests answered 5xx (by the nodes or by the balancer)`,
            threshold: ERROR_RATE_PERCENT,
            // The 5xx metrics are absent while there are none, hence FILL; no requests is a rate of 0.
            metricQueries: [
                { id: "requests", metric: alb("RequestCount", "Sum", lb), returnData: false },
                { id: "node5xx", metric: alb("HTTPCode_Target_5XX_Count", "Sum", lb), returnData: false },
                { id: "balancer5xx", metric: alb("HTTPCode_ELB_5XX_Count", "Sum", lb), returnData: false },
                {
                    id: "errorRate",
                    label: "5xx % of requests",
                    expression:
                        "IF((FILL(requests, 0) + FILL(balancer5xx, 0)) > 0, " +
                        "100 * (FILL(node5xx, 0) + FILL(balancer5xx, 0)) / (FILL(requests, 0) + FILL(balancer5xx, 0)), 0)",
                    returnData: true,
                },
            ],
        },
        opts,
    );

    const region = aws.getRegionOutput({}, opts).region;
    const name = dashboardName(platform.names);
    new aws.cloudwatch.Dashboard(
        `${baseName}-dashboard`,
        {
            dashboardName: name,
            dashboardBody: pulumi
                .all([
                    region,
                    platform.loadBalancerArnSuffix,
                    platform.targetGroupArnSuffix,
                    platform.groupName,
                    pulumi.all([...platform.scalingAlarmArns, unhealthy.arn, errors.arn]),
                ])
                .apply(([region, loadBalancer, targetGroup, groupName, alarmArns]) =>
                    renderDashboard({
                        region,
                        loadBalancer,
                        targetGroup,
                        groupName,
                        periodSeconds: platform.periodSeconds,
                        cpuHighPercent: platform.cpuHighPercent,
                        cpuLowPercent: platform.cpuLowPercent,
                        alarmArns,
                    }),
                ),
        },
        opts,
    );
    return {
        topicArn: topic.arn,
        dashboardName: name,
        dashboardUrl: pulumi.interpolate`https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#dashboards/dashboard/${name}`,
    };
}
