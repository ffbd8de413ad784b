import * as pulumi from "@pulumi/pulumi";
import { LocalBalancerPlatform, declareHaproxy } from "./local/haproxyContainer";

/** Arguments of {@link LoadBalancer}. */
export interface LoadBalancerArgs {
    /** DNS names of every node the balancer may send to (running or standby). */
    nodes: string[];
    /** Port the app listens on inside a node. */
    appPort: number;
    /** roundrobin (seeds 002/003) or leastconn. */
    balance: "roundrobin" | "leastconn";
    /** What differs per platform. */
    platform: LocalBalancerPlatform;
}

/**
 * The single entry point of the app: finds live nodes by itself, health-checks them, balances across them and
 * moves a failed request to another node. Locally HAProxy; on AWS an Application Load Balancer.
 */
export class LoadBalancer extends pulumi.ComponentResource {
    /** URL users and load tests call. */
    public readonly url: pulumi.Output<string>;
    /** Stats page (per-node state, sessions, errors). */
    public readonly statsUrl: pulumi.Output<string>;
    /** Prometheus metrics of the balancer. */
    public readonly metricsUrl: pulumi.Output<string>;
    /** The resource nodes wait for before they register (the balancer must exist to report them UP). */
    public readonly ready: pulumi.Resource;

    constructor(name: string, args: LoadBalancerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cloudlab:index:LoadBalancer", name, {}, opts);
        const lb = declareHaproxy(this, name, args, args.platform);
        this.ready = lb.container;
        this.url = pulumi.output(lb.url);
        this.statsUrl = pulumi.output(lb.statsUrl);
        this.metricsUrl = pulumi.output(lb.metricsUrl);
        this.registerOutputs({ url: this.url, statsUrl: this.statsUrl, metricsUrl: this.metricsUrl });
    }
}
