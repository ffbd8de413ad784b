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
 * them and moves a failed request to another node. `LocalLoadBalancer` (../local/loadBalancer.ts) is HAProxy in a
 * container; `AwsLoadBalancer` (../aws/loadBalancer.ts) an Application Load Balancer. The contract both honour:
 * `url`, the stacks' `balancerUrl` output, and `ready`, what either platform's nodes (and the local controller)
 * wait for.
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
