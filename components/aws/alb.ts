import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { StackNames } from "../naming";
import { BALANCER_PORT } from "./network";
import { awsTags } from "./tags";

/** The AWS platform's part of {@link LoadBalancerArgs}. */
export interface AwsBalancerPlatform {
    kind: "aws";
    names: StackNames;
    vpcId: pulumi.Input<string>;
    /** Subnets in at least two zones (an ALB requires it). */
    subnetIds: pulumi.Input<string[]>;
    /** The balancer's security group (open on 80 to the allowed CIDRs, out to the nodes only). */
    securityGroupId: pulumi.Input<string>;
    /** How long a leaving node keeps its in-flight requests: the app's whole drain. */
    deregistrationDelaySeconds: number;
}

/** What the nodes and the monitoring attach to. */
export interface AwsBalancer {
    url: pulumi.Output<string>;
    targetGroupArn: pulumi.Output<string>;
    /** ARN suffixes: the dimensions of the ALB's CloudWatch metrics. */
    loadBalancerArnSuffix: pulumi.Output<string>;
    targetGroupArnSuffix: pulumi.Output<string>;
    /** The listener: a group registering targets before it exists would serve nothing. */
    listener: aws.lb.Listener;
}

/**
 * The app's checks on /health, as the local HAProxy does them: 200 only (the app answers 503 while it drains),
 * two failures out, two successes in.
 */
export const HEALTH_CHECK = {
    path: "/health",
    matcher: "200",
    protocol: "HTTP",
    port: "traffic-port",
    interval: 10,
    timeout: 5,
    healthyThreshold: 2,
    unhealthyThreshold: 2,
};

/**
 * An Application Load Balancer: a listener on 80 forwarding to a target group on the app port, which the
 * nodes' auto scaling group fills and empties itself.
 */
export function declareAlb(
    parent: pulumi.Resource,
    baseName: string,
    spec: { appPort: number },
    platform: AwsBalancerPlatform,
): AwsBalancer {
    const opts = { parent };
    const tags = awsTags(platform.names);
    const alb = new aws.lb.LoadBalancer(
        `${baseName}-alb`,
        {
            loadBalancerType: "application",
            internal: false,
            securityGroups: [platform.securityGroupId],
            subnets: platform.subnetIds,
            // Below the app's 65 s keep-alive (app/src/appServer.ts): the balancer must close idle connections
            // before the app does, or it reuses a closed one and answers 502.
            idleTimeout: 60,
            dropInvalidHeaderFields: true,
            tags,
        },
        opts,
    );
    const targets = new aws.lb.TargetGroup(
        `${baseName}-targets`,
        {
            vpcId: platform.vpcId,
            targetType: "instance",
            protocol: "HTTP",
            port: spec.appPort,
            healthCheck: HEALTH_CHECK,
            deregistrationDelay: platform.deregistrationDelaySeconds,
            tags,
        },
        opts,
    );
    const listener = new aws.lb.Listener(
        `${baseName}-http`,
        {
            loadBalancerArn: alb.arn,
            port: BALANCER_PORT,
            protocol: "HTTP",
            defaultActions: [{ type: "forward", targetGroupArn: targets.arn }],
            tags,
        },
        opts,
    );
    return {
        url: pulumi.interpolate`http://${alb.dnsName}`,
        targetGroupArn: targets.arn,
        loadBalancerArnSuffix: alb.arnSuffix,
        targetGroupArnSuffix: targets.arnSuffix,
        listener,
    };
}
