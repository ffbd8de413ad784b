import * as pulumi from "@pulumi/pulumi";
import { AwsMonitoringPlatform, declareCloudWatchMonitoring } from "./aws/cloudwatch";

/** The local platform's part of {@link MonitoringArgs}. */
export interface LocalMonitoringPlatform {
    kind: "local";
    /** Names of the nodes to watch. */
    nodes: string[];
    /** Balancer metrics to scrape. */
    balancerMetricsUrl: pulumi.Input<string>;
}

/** Arguments of {@link Monitoring}. */
export interface MonitoringArgs {
    /** Who gets alarms and the daily report (seed 000's mailed report); empty for nobody. */
    alertEmail: string;
    platform: LocalMonitoringPlatform | AwsMonitoringPlatform;
}

/**
 * Metrics, alarms and the daily traffic report of the lab (seed 000: cAdvisor, a report parsed from the
 * balancer's access log and mailed).
 *
 * AWS: a CloudWatch dashboard, alarms on unhealthy nodes and on the 5xx rate, and an SNS topic (mailed to
 * alertEmail) that also receives the group's launch failures.
 *
 * Local stack: NOT BUILT YET. Declared so the architecture reads whole; it creates nothing and `status` says
 * so. What exists today: the balancer's stats page and /metrics, and each node's /metrics.
 */
export class Monitoring extends pulumi.ComponentResource {
    public readonly status: pulumi.Output<string>;
    /** AWS: the CloudWatch dashboard in the console. */
    public readonly dashboardUrl?: pulumi.Output<string>;
    /** AWS: the SNS topic alarms publish to. */
    public readonly topicArn?: pulumi.Output<string>;

    constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cloudlab:index:Monitoring", name, {}, opts);
        const p = args.platform;
        if (p.kind === "aws") {
            const cw = declareCloudWatchMonitoring(this, name, args, p);
            this.dashboardUrl = cw.dashboardUrl;
            this.topicArn = cw.topicArn;
            const mail = args.alertEmail === "" ? "no e-mail subscription (set alertEmail)" : `mailed to ${args.alertEmail} once confirmed`;
            this.status = pulumi.interpolate`dashboard ${cw.dashboardName}; alarms on unhealthy nodes and the 5xx rate to SNS ${cw.topicArn}, ${mail}`;
        } else {
            this.status = pulumi.output(
                `not built on the local stack yet: read the balancer's /stats and /metrics and each node's /metrics directly`,
            );
        }
        this.registerOutputs({ status: this.status, dashboardUrl: this.dashboardUrl });
    }
}
