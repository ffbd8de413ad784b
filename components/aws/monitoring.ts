import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import type { AwsAppNode } from "./appNode";
import { awsTags } from "./tags";
import type { AwsConfig } from "../config/validate";
import type { AwsLoadBalancer } from "./loadBalancer";
import { StackNames } from "../shared/naming";
import { dashboardName, healthAlarmNames } from "./names";
import { renderDashboard } from "../render/dashboard";
import { Monitoring, MonitoringArgs } from "../shared/monitoring";

/** Arguments of {@link AwsMonitoring}. */
export interface AwsMonitoringArgs extends MonitoringArgs {
    /** The CPU graph's period. */
    checkPeriod: AwsConfig["checkPeriod"];
    /** The thresholds marked on the CPU graph. */
    cpuHighPercent: AwsConfig["cpuHighPercent"];
    cpuLowPercent: AwsConfig["cpuLowPercent"];
    names: StackNames;
    /** The nodes' group: its launch failures are mailed, its CPU and scaling graphed. */
    nodes: Pick<AwsAppNode, "groupName">;
    /** The balancer: its requests, errors and healthy hosts are graphed and alarmed on. */
    balancer: Pick<AwsLoadBalancer, "loadBalancerArnSuffix" | "targetGroupArnSuffix">;
}

/** Health alarms look at every minute and need two bad ones in a row: one blip is not worth a mail. */
const HEALTH_PERIOD_SECONDS = 60;
const HEALTH_EVALUATION_PERIODS = 2;
/** Share of requests answered 5xx (by the nodes or by the balancer itself) that raises the alarm. */
export const ERROR_RATE_PERCENT = 5;

/**
 * What seed 000's lab mailed by hand, on CloudWatch: a dashboard of the balancer, the nodes and the scaling, two
 * alarms (an unhealthy node, a 5xx rate) and the group's launch failures published to an SNS topic, with an
 * e-mail subscription when alertEmail is set (AWS mails a confirmation link first).
 */
export class AwsMonitoring extends Monitoring {
    public readonly status: pulumi.Output<string>;
    /** The CloudWatch dashboard in the console. */
    public readonly dashboardUrl: pulumi.Output<string>;

    constructor(name: string, args: AwsMonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
        super(name, opts);
        const { topicArn, dashboardName, dashboardUrl } = declareCloudWatch(this, name, args);
        const mail =
            args.alertEmail === ""
                ? "no e-mail subscription (set alertEmail)"
                : `mailed to ${args.alertEmail} once confirmed`;
        this.status = pulumi.interpolate`dashboard ${dashboardName}; alarms on unhealthy nodes and the 5xx rate to SNS ${topicArn}, ${mail}`;
        this.dashboardUrl = dashboardUrl;
        this.registerOutputs({ status: this.status, dashboardUrl: this.dashboardUrl });
    }
}

function declareCloudWatch(
    parent: AwsMonitoring,
    baseName: string,
    args: AwsMonitoringArgs,
): { topicArn: pulumi.Output<string>; dashboardName: string; dashboardUrl: pulumi.Output<string> } {
    const opts = { parent };
    const tags = awsTags(args.names);
    // Not KMS-encrypted: CloudWatch alarms cannot publish to a topic under the AWS-managed SNS key.
    const topic = new aws.sns.Topic(`${baseName}-alerts`, { displayName: `cloudlab ${args.names.stack}`, tags }, opts);
    if (args.alertEmail !== "") {
        new aws.sns.TopicSubscription(
            `${baseName}-mail`,
            { topic: topic.arn, protocol: "email", endpoint: args.alertEmail },
            opts,
        );
    }
    new aws.autoscaling.Notification(
        `${baseName}-group-events`,
        {
            groupNames: [args.nodes.groupName],
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
    const alarmNames = healthAlarmNames(args.names);
    const unhealthy = new aws.cloudwatch.MetricAlarm(
        `${baseName}-unhealthy-nodes`,
        {
            ...health,
            name: alarmNames.unhealthyNodes,
            alarmDescription: "A node fails the balancer's /health checks",
            namespace: "AWS/ApplicationELB",
            metricName: "UnHealthyHostCount",
            dimensions: {
                TargetGroup: args.balancer.targetGroupArnSuffix,
                LoadBalancer: args.balancer.loadBalancerArnSuffix,
            },
            statistic: "Maximum",
            period: HEALTH_PERIOD_SECONDS,
            threshold: 0,
        },
        opts,
    );
    const lb = { LoadBalancer: args.balancer.loadBalancerArnSuffix };
    const errors = new aws.cloudwatch.MetricAlarm(
        `${baseName}-5xx-rate`,
        {
            ...health,
            name: alarmNames.errorRate,
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
    const name = dashboardName(args.names);
    new aws.cloudwatch.Dashboard(
        `${baseName}-dashboard`,
        {
            dashboardName: name,
            dashboardBody: pulumi
                .all([
                    region,
                    args.balancer.loadBalancerArnSuffix,
                    args.balancer.targetGroupArnSuffix,
                    args.nodes.groupName,
                    // Problems only: cpu-low is in ALARM whenever the group idles at its minimum, and the CPU
                    // alarms are the controller's inputs, graphed with their thresholds on the CPU widget.
                    pulumi.all([unhealthy.arn, errors.arn]),
                ])
                .apply(([region, loadBalancer, targetGroup, groupName, alarmArns]) =>
                    renderDashboard({
                        region,
                        loadBalancer,
                        targetGroup,
                        groupName,
                        periodSeconds: args.checkPeriod,
                        cpuHighPercent: args.cpuHighPercent,
                        cpuLowPercent: args.cpuLowPercent,
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
