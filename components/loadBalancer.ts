import * as pulumi from "@pulumi/pulumi";
import { LocalBalancerPlatform, declareHaproxy } from "./local/haproxyContainer";
import { AwsBalancer, AwsBalancerPlatform, declareAlb } from "./aws/alb";

/** The local platform's part of {@link LoadBalancerArgs}: HAProxy finds the nodes by name. */
export interface LocalLoadBalancerPlatform extends LocalBalancerPlatform {
    /** DNS names of every node the balancer may send to (running or standby). */
    nodes: string[];
    /** roundrobin (seeds 002/003) or leastconn. */
    balance: "roundrobin" | "leastconn";
}

/** Arguments of {@link LoadBalancer}. */
export interface LoadBalancerArgs {
    /** Port the app listens on inside a node. */
    appPort: number;
    /** What differs per platform. */
    platform: LocalLoadBalancerPlatform | AwsBalancerPlatform;
}

/**
 * The single entry point of the app: finds live nodes by itself, health-checks them, balances across them and
 * moves a failed request to another node. Locally HAProxy; on AWS an Application Load Balancer.
 */
export class LoadBalancer extends pulumi.ComponentResource {
    /** URL users and load tests call. */
    public readonly url: pulumi.Output<string>;
    /** Local: stats page (per-node state, sessions, errors). */
    public readonly statsUrl?: pulumi.Output<string>;
    /** Local: Prometheus metrics of the balancer. */
    public readonly metricsUrl?: pulumi.Output<string>;
    /** AWS: the target group the nodes' group registers in, and the metric dimensions. */
    public readonly alb?: AwsBalancer;
    /** The resource nodes wait for before they register (the balancer must exist to report them UP). */
    public readonly ready: pulumi.Resource;

    constructor(name: string, args: LoadBalancerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cloudlab:index:LoadBalancer", name, {}, opts);
        const p = args.platform;
        if (p.kind === "aws") {
            this.alb = declareAlb(this, name, args, p);
            this.ready = this.alb.listener;
            this.url = this.alb.url;
        } else {
            const lb = declareHaproxy(this, name, { nodes: p.nodes, appPort: args.appPort, balance: p.balance }, p);
            this.ready = lb.container;
            this.url = pulumi.output(lb.url);
            this.statsUrl = pulumi.output(lb.statsUrl);
            this.metricsUrl = pulumi.output(lb.metricsUrl);
        }
        this.registerOutputs({ url: this.url, statsUrl: this.statsUrl, metricsUrl: this.metricsUrl });
    }
}
