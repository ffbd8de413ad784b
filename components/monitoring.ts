import * as pulumi from "@pulumi/pulumi";

/** Arguments of {@link Monitoring}. */
export interface MonitoringArgs {
    /** Names of the nodes to watch. */
    nodes: string[];
    /** Balancer metrics to scrape. */
    balancerMetricsUrl: pulumi.Input<string>;
    /** Who gets alarms and the daily report (seed 000's mailed report); empty for nobody. */
    alertEmail: string;
    platform: { kind: "local" };
}

/**
 * Metrics, alarms and the daily traffic report of the lab (seed 000: cAdvisor, a report parsed from the
 * balancer's access log and mailed).
 *
 * Local stack: NOT BUILT YET. Declared so the architecture reads whole; it creates nothing and `status` says
 * so. What exists today: the balancer's stats page and /metrics, and each node's /metrics.
 */
export class Monitoring extends pulumi.ComponentResource {
    public readonly status: pulumi.Output<string>;

    constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cloudlab:index:Monitoring", name, {}, opts);
        this.status = pulumi.output(
            `not built on the ${args.platform.kind} stack yet: read the balancer's /stats and /metrics and each node's /metrics directly`,
        );
        this.registerOutputs({ status: this.status });
    }
}
