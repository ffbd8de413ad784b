import * as pulumi from "@pulumi/pulumi";
import type { CommonConfig } from "../config/validate";

/** The Pulumi type of both platforms' LoadBalancer (one token: URNs do not depend on the platform class). */
export const LOAD_BALANCER_TYPE = "cloudlab:index:LoadBalancer";

/** What every platform's {@link LoadBalancer} takes. */
export interface LoadBalancerArgs {
    /** Port the app listens on in a node: where the balancer sends requests and health checks. */
    appPort: CommonConfig["appPort"];
}

/**
 * The single entry point of the app: finds live nodes by itself, health-checks them on /health, balances across
 * them and moves a failed request to another node. `LocalLoadBalancer` (./local.ts) is HAProxy in a container;
 * `AwsLoadBalancer` (./aws.ts) an Application Load Balancer.
 */
export abstract class LoadBalancer extends pulumi.ComponentResource {
    /** URL users and load tests call. */
    public abstract readonly url: pulumi.Output<string>;
    /** What the nodes wait for before they register: the balancer must exist to send them traffic. */
    public abstract readonly ready: pulumi.Resource;

    protected constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
        super(LOAD_BALANCER_TYPE, name, {}, opts);
    }
}
