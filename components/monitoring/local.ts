import * as pulumi from "@pulumi/pulumi";
import type { LocalLoadBalancer } from "../loadBalancer/local";
import { Monitoring, MonitoringArgs } from "./index";

/** Arguments of {@link LocalMonitoring}. */
export interface LocalMonitoringArgs extends MonitoringArgs {
    /** Names of the nodes to watch. */
    nodes: string[];
    /** The balancer whose metrics to scrape. */
    balancer: LocalLoadBalancer;
}

/**
 * The local stack's monitoring: NOT BUILT YET. Declared so the architecture reads whole; it creates nothing and
 * `status` says so. What exists today: the balancer's stats page and /metrics, and each node's /metrics.
 */
export class LocalMonitoring extends Monitoring {
    public readonly status: pulumi.Output<string>;

    constructor(name: string, _args: LocalMonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
        super(name, opts);
        this.status = pulumi.output(
            "not built on the local stack yet: read the balancer's /stats and /metrics and each node's /metrics directly",
        );
        this.registerOutputs({ status: this.status });
    }
}
