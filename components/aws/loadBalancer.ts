import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { StackNames } from "../shared/naming";
import { awsTags } from "./tags";
import type { AwsConfig } from "../config/validate";
import { BALANCER_PORT, BALANCER_TLS_PORT } from "./network";
import { ACCESS_LOG_PREFIX, declareAccessLogs } from "./accessLogs";
import { LoadBalancer, LoadBalancerArgs } from "../shared/loadBalancer";

/** Arguments of {@link AwsLoadBalancer}. */
export interface AwsLoadBalancerArgs extends LoadBalancerArgs {
    /** Non-empty: an HTTPS listener on 443 with this certificate, and 80 redirects to it. */
    certificateArn: AwsConfig["certificateArn"];
    /** Days the access logs are kept in the stack's bucket; 0: no access logs. */
    accessLogDays: AwsConfig["accessLogDays"];
    /** Sources for which /load and /metrics are forwarded; everyone else gets 403. */
    loadCidrs: AwsConfig["loadCidrs"];
    names: StackNames;
    vpcId: pulumi.Input<string>;
    /** Subnets in at least two zones (an ALB requires it). */
    subnetIds: pulumi.Input<string[]>;
    /** The balancer's security group (open on 80 to the allowed CIDRs, out to the nodes only). */
    securityGroupId: pulumi.Input<string>;
    /** The app's stop bound: a leaving node keeps its in-flight requests at least that long. */
    stopBoundSeconds: number;
}

/**
 * The balancer's idle timeout: below the app's 65 s keep-alive (KEEP_ALIVE_TIMEOUT_MS, app/src/appServer.ts), so
 * the balancer closes idle connections before the app does (otherwise it reuses a closed one and answers 502).
 */
export const ALB_IDLE_TIMEOUT_SECONDS = 60;
/** The longest request the docs advertise through the balancer (a `/load?timeout=55`): inside the idle timeout. */
export const LONGEST_REQUEST_SECONDS = ALB_IDLE_TIMEOUT_SECONDS - 5;

/**
 * How long a deregistered node keeps its in-flight requests: the longest advertised request, or the app's whole
 * stop bound (drain + in-flight bound + kill slack) if that is longer. The group stops or terminates a node only
 * after this delay, so no request through the balancer is cut short by a scale-in or a refresh.
 */
export function deregistrationDelaySeconds(stopBoundSeconds: number): number {
    return Math.max(stopBoundSeconds, LONGEST_REQUEST_SECONDS);
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
 * The app's paths that are not for the public: /load burns a node's CPU for up to a minute per request (anyone
 * could hold the group at nodeLimit, and the bill with it), /metrics shows its internals. The app serves exactly
 * these paths (app/src/router.ts), and ALB path patterns match the path case-sensitively, query excluded.
 */
export const NON_PUBLIC_PATHS = ["/load", "/metrics"];
/** The rule that answers NON_PUBLIC_PATHS with 403 comes after every loadCidrs rule (lower number first). */
const NON_PUBLIC_PRIORITY = 1000;

/**
 * An Application Load Balancer: a listener on 80 forwarding to a target group on the app port, which the
 * nodes' auto scaling group fills and empties itself.
 */
export class AwsLoadBalancer extends LoadBalancer {
    public readonly url: pulumi.Output<string>;
    /** The listener: a group registering targets before it exists would serve nothing. */
    public readonly ready: aws.lb.Listener;
    /** The listener rules that keep NON_PUBLIC_PATHS off the public: no node takes traffic before they exist. */
    public readonly guards: aws.lb.ListenerRule[];
    /** The target group the nodes' group registers its instances in. */
    public readonly targetGroupArn: pulumi.Output<string>;
    /** ARN suffixes: the dimensions of the ALB's CloudWatch metrics. */
    public readonly loadBalancerArnSuffix: pulumi.Output<string>;
    public readonly targetGroupArnSuffix: pulumi.Output<string>;
    /** The S3 bucket of the access logs; "" with accessLogDays 0 (no logs, no bucket). */
    public readonly accessLogBucket: pulumi.Output<string> | string;

    constructor(name: string, args: AwsLoadBalancerArgs, opts?: pulumi.ComponentResourceOptions) {
        super(name, opts);
        const parent = { parent: this };
        const tags = awsTags(args.names);
        const logs =
            args.accessLogDays > 0 ? declareAccessLogs(this, name, { ...args, days: args.accessLogDays }) : undefined;
        const alb = new aws.lb.LoadBalancer(
            `${name}-alb`,
            {
                loadBalancerType: "application",
                internal: false,
                securityGroups: [args.securityGroupId],
                subnets: args.subnetIds,
                idleTimeout: ALB_IDLE_TIMEOUT_SECONDS,
                dropInvalidHeaderFields: true,
                ...(logs ? { accessLogs: { bucket: logs.bucket, prefix: ACCESS_LOG_PREFIX, enabled: true } } : {}),
                tags,
            },
            // ALB checks that it may write to the bucket when logging is turned on: the policy must be there.
            logs ? { parent: this, dependsOn: logs.ready } : parent,
        );
        const targets = new aws.lb.TargetGroup(
            `${name}-targets`,
            {
                vpcId: args.vpcId,
                targetType: "instance",
                protocol: "HTTP",
                port: args.appPort,
                healthCheck: HEALTH_CHECK,
                deregistrationDelay: deregistrationDelaySeconds(args.stopBoundSeconds),
                tags,
            },
            parent,
        );
        const forward = [{ type: "forward", targetGroupArn: targets.arn }];
        const http = new aws.lb.Listener(
            `${name}-http`,
            {
                loadBalancerArn: alb.arn,
                port: BALANCER_PORT,
                protocol: "HTTP",
                // With a certificate, plain HTTP only redirects to HTTPS.
                defaultActions: args.certificateArn
                    ? [
                          {
                              type: "redirect",
                              redirect: { protocol: "HTTPS", port: String(BALANCER_TLS_PORT), statusCode: "HTTP_301" },
                          },
                      ]
                    : forward,
                tags,
            },
            parent,
        );
        this.ready = args.certificateArn
            ? new aws.lb.Listener(
                  `${name}-https`,
                  {
                      loadBalancerArn: alb.arn,
                      port: BALANCER_TLS_PORT,
                      protocol: "HTTPS",
                      certificateArn: args.certificateArn,
                      // TLS 1.3 and 1.2 only (AWS's recommended policy).
                      sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
                      defaultActions: forward,
                      tags,
                  },
                  parent,
              )
            : http;
        // The forwarding listener answers NON_PUBLIC_PATHS only for loadCidrs (one rule per CIDR: path patterns and
        // one source IP are 3 of the 5 condition values a rule may hold), and 403 for everyone else.
        const operators = args.loadCidrs.map(
            ({ text: cidr }, i) =>
                new aws.lb.ListenerRule(
                    `${name}-operators-${cidr.replace(/[./]/g, "-")}`,
                    {
                        listenerArn: this.ready.arn,
                        priority: 10 + i,
                        conditions: [{ pathPattern: { values: NON_PUBLIC_PATHS } }, { sourceIp: { values: [cidr] } }],
                        actions: forward,
                        tags,
                    },
                    parent,
                ),
        );
        const nonPublic = new aws.lb.ListenerRule(
            `${name}-non-public`,
            {
                listenerArn: this.ready.arn,
                priority: NON_PUBLIC_PRIORITY,
                conditions: [{ pathPattern: { values: NON_PUBLIC_PATHS } }],
                actions: [
                    {
                        type: "fixed-response",
                        fixedResponse: {
                            statusCode: "403",
                            contentType: "text/plain",
                            messageBody: "not public on this stack (cloudlab:loadCidrs)\n",
                        },
                    },
                ],
                tags,
            },
            parent,
        );
        this.guards = [nonPublic, ...operators];
        this.url = args.certificateArn
            ? pulumi.interpolate`https://${alb.dnsName}`
            : pulumi.interpolate`http://${alb.dnsName}`;
        this.targetGroupArn = targets.arn;
        this.loadBalancerArnSuffix = alb.arnSuffix;
        this.targetGroupArnSuffix = targets.arnSuffix;
        this.accessLogBucket = logs?.bucket ?? "";
        this.registerOutputs({ url: this.url, targetGroupArn: this.targetGroupArn });
    }
}
