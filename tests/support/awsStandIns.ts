import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

/** A listener and guard rule standing in for an AwsLoadBalancer's, so a test sees the edges to them by name. */
export function standInListener(): { ready: aws.lb.Listener; guards: aws.lb.ListenerRule[] } {
    const ready = new aws.lb.Listener("stand-in-listener", { loadBalancerArn: "stand-in-alb", defaultActions: [] });
    const guard = new aws.lb.ListenerRule("stand-in-guard", { listenerArn: ready.arn, actions: [], conditions: [] });
    return { ready, guards: [guard] };
}

/** The outputs of an AwsLoadBalancer that the nodes and the monitoring read, as plain values. */
export const BALANCER_OUTPUTS = {
    targetGroupArn: pulumi.output("arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/t/1"),
    targetGroupArnSuffix: pulumi.output("targetgroup/t/1"),
    loadBalancerArnSuffix: pulumi.output("app/b/2"),
};
