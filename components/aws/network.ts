import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import type { AwsConfig } from "../config/validate";
import { StackNames } from "../shared/naming";
import { awsTags } from "./tags";

/** Port the balancer listens on (the issue's design: plain HTTP on 80). */
export const BALANCER_PORT = 80;
/** The HTTPS listener's port, when cloudlab:certificateArn is set. */
export const BALANCER_TLS_PORT = 443;
/** The nodes only ever open HTTPS connections: ECR, the Amazon Linux repositories (on S3) and SSM. */
const HTTPS_PORT = 443;

/** Arguments of {@link AwsNetwork}. */
export interface AwsNetworkArgs {
    /** The stack's VPC; empty: the account's default VPC. */
    vpcId: AwsConfig["vpcId"];
    /** Subnets of the balancer and the nodes; empty: the VPC's default subnets, one per zone. */
    subnetIds: AwsConfig["subnetIds"];
    /** Sources that may reach the balancer on 80 (and 443). */
    allowedCidrs: AwsConfig["allowedCidrs"];
    /** The nodes' app port: the only one the balancer may reach them on. */
    appPort: AwsConfig["appPort"];
    /** Non-empty: the balancer also listens on 443. */
    certificateArn: AwsConfig["certificateArn"];
    names: StackNames;
}

/** What the stack needs to know of a configured subnet. */
export interface SubnetFacts {
    id: string;
    vpcId: string;
    availabilityZone: string;
}

/**
 * Why configured subnets cannot carry the stack, or undefined: an ALB takes at most one subnet per zone (and needs
 * two zones), and every subnet must be in cloudlab:vpcId. Checked on the subnets' lookups, so a preview fails.
 */
export function subnetProblem(subnets: readonly SubnetFacts[], vpcId: string): string | undefined {
    const ids = JSON.stringify(subnets.map((s) => s.id));
    const outside = subnets.find((s) => s.vpcId !== vpcId);
    if (outside)
        return `cloudlab:subnetIds = ${ids} is not allowed: ${outside.id} is in ${outside.vpcId}, not in cloudlab:vpcId ${vpcId}`;
    const byZone = new Map<string, string>();
    for (const s of subnets) {
        const other = byZone.get(s.availabilityZone);
        if (other)
            return (
                `cloudlab:subnetIds = ${ids} is not allowed: ${other} and ${s.id} are both in ${s.availabilityZone}, ` +
                `and an Application Load Balancer takes one subnet per zone; give one per zone`
            );
        byZone.set(s.availabilityZone, s.id);
    }
    if (byZone.size < 2)
        return `cloudlab:subnetIds = ${ids} is not allowed: an Application Load Balancer needs subnets in at least two zones`;
    return undefined;
}

/**
 * Where the dev stack lives (the AWS counterpart of the local LabNetwork): the VPC and subnets, found or given,
 * and the two security groups with the only paths between them: the world (allowedCidrs) to the balancer on
 * 80, the balancer to the nodes on the app port, the nodes out on 443. No rule opens 22: nodes are reached
 * through SSM Session Manager.
 */
export class AwsNetwork extends pulumi.ComponentResource {
    public readonly vpcId: pulumi.Output<string>;
    public readonly subnetIds: pulumi.Output<string[]>;
    public readonly balancerSecurityGroupId: pulumi.Output<string>;
    public readonly nodeSecurityGroupId: pulumi.Output<string>;

    constructor(name: string, args: AwsNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cloudlab:aws:Network", name, {}, opts);
        const parent = { parent: this };
        const usesDefaultVpc = args.vpcId === "";
        this.vpcId = usesDefaultVpc ? aws.ec2.getVpcOutput({ default: true }, parent).id : pulumi.output(args.vpcId);
        this.subnetIds =
            args.subnetIds.length > 0
                ? checkedSubnets(args.subnetIds, args.vpcId, parent)
                : aws.ec2
                      .getSubnetsOutput(
                          {
                              filters: [
                                  { name: "vpc-id", values: [this.vpcId] },
                                  // The default VPC has one default subnet per zone: exactly what the balancer needs.
                                  ...(usesDefaultVpc ? [{ name: "default-for-az", values: ["true"] }] : []),
                              ],
                          },
                          parent,
                      )
                      .ids.apply((ids) => [...ids].sort());

        const tags = awsTags(args.names);
        const balancerSg = new aws.ec2.SecurityGroup(
            `${name}-balancer`,
            { vpcId: this.vpcId, description: `cloudlab ${args.names.stack}: the load balancer`, tags },
            parent,
        );
        const nodeSg = new aws.ec2.SecurityGroup(
            `${name}-nodes`,
            { vpcId: this.vpcId, description: `cloudlab ${args.names.stack}: the app nodes`, tags },
            parent,
        );

        // Standalone rules (one per CIDR), not inline ones: each is its own resource, so changing one source
        // does not rewrite the whole group, and the two groups can reference each other without a cycle.
        // With a certificate, 443 too (80 stays open: it redirects to 443).
        const ports = args.certificateArn ? [BALANCER_PORT, BALANCER_TLS_PORT] : [BALANCER_PORT];
        args.allowedCidrs.forEach(({ text: cidr }) => {
            for (const port of ports) {
                new aws.vpc.SecurityGroupIngressRule(
                    `${name}-balancer-from-${cidr.replace(/[./]/g, "-")}${port === BALANCER_PORT ? "" : `-${port}`}`,
                    {
                        securityGroupId: balancerSg.id,
                        description: "users to the balancer",
                        ipProtocol: "tcp",
                        fromPort: port,
                        toPort: port,
                        cidrIpv4: cidr,
                        tags,
                    },
                    parent,
                );
            }
        });
        new aws.vpc.SecurityGroupEgressRule(
            `${name}-balancer-to-nodes`,
            {
                securityGroupId: balancerSg.id,
                description: "requests and health checks to the nodes",
                ipProtocol: "tcp",
                fromPort: args.appPort,
                toPort: args.appPort,
                referencedSecurityGroupId: nodeSg.id,
                tags,
            },
            parent,
        );
        new aws.vpc.SecurityGroupIngressRule(
            `${name}-nodes-from-balancer`,
            {
                securityGroupId: nodeSg.id,
                description: "only the balancer reaches the app",
                ipProtocol: "tcp",
                fromPort: args.appPort,
                toPort: args.appPort,
                referencedSecurityGroupId: balancerSg.id,
                tags,
            },
            parent,
        );
        new aws.vpc.SecurityGroupEgressRule(
            `${name}-nodes-https-out`,
            {
                securityGroupId: nodeSg.id,
                description: "ECR, Amazon Linux repositories, SSM",
                ipProtocol: "tcp",
                fromPort: HTTPS_PORT,
                toPort: HTTPS_PORT,
                cidrIpv4: "0.0.0.0/0",
                tags,
            },
            parent,
        );

        this.balancerSecurityGroupId = balancerSg.id;
        this.nodeSecurityGroupId = nodeSg.id;
        this.registerOutputs({
            vpcId: this.vpcId,
            subnetIds: this.subnetIds,
            balancerSecurityGroupId: this.balancerSecurityGroupId,
            nodeSecurityGroupId: this.nodeSecurityGroupId,
        });
    }
}

/** The configured subnets, once their lookups show that they fit the balancer (or the run fails, naming the key). */
function checkedSubnets(ids: string[], vpcId: string, opts: pulumi.InvokeOutputOptions): pulumi.Output<string[]> {
    const facts = ids.map((id) => aws.ec2.getSubnetOutput({ id }, opts));
    return pulumi.all(facts.map((f) => pulumi.all([f.id, f.vpcId, f.availabilityZone]))).apply((found) => {
        const problem = subnetProblem(
            found.map(([id, vpc, zone]) => ({ id, vpcId: vpc, availabilityZone: zone })),
            vpcId,
        );
        if (problem) throw new pulumi.RunError(problem);
        return ids;
    });
}
