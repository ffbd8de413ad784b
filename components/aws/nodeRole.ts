import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { StackNames } from "../shared/naming";
import { awsTags } from "./tags";

export interface NodeRoleSpec {
    names: StackNames;
    /** The app's repository: the only one the nodes may pull from. */
    repositoryArn: pulumi.Input<string>;
    /** The group whose lifecycle actions the nodes complete. */
    groupArn: pulumi.Input<string>;
    /** The log group the nodes write to: Docker the app's output, the CloudWatch agent the boot's. */
    logGroupArn: pulumi.Input<string>;
}

export interface NodeRole {
    profile: aws.iam.InstanceProfile;
    /** The role's policies: a node needs them from its first boot, the profile alone does not wait for them. */
    permissions: pulumi.Resource[];
}

/** What a node may do, as an IAM policy document (pure, so tests read it as JSON). */
export function nodePolicyDocument(repositoryArn: string, groupArn: string, logGroupArn: string): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            // The token call has no resource; pulls are limited to the app's repository.
            { Sid: "EcrToken", Effect: "Allow", Action: ["ecr:GetAuthorizationToken"], Resource: "*" },
            {
                Sid: "EcrPull",
                Effect: "Allow",
                Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"],
                Resource: repositoryArn,
            },
            // The boot script reports readiness to the launch lifecycle hook of its own group only.
            {
                Sid: "ReportReady",
                Effect: "Allow",
                Action: ["autoscaling:CompleteLifecycleAction"],
                Resource: groupArn,
            },
            // Docker's awslogs driver (the app) and the CloudWatch agent (the boot log): streams of the stack's log group
            // only. The agent needs no more: it creates its stream, and touches the group only when it is missing or
            // has a retention in the agent config (plugins/outputs/cloudwatchlogs/internal/pusher/target.go).
            {
                Sid: "AppLogs",
                Effect: "Allow",
                Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                Resource: `${logGroupArn}:*`,
            },
        ],
    });
}

/**
 * The nodes' identity: SSM Session Manager instead of SSH (no key pair, no port 22), ECR pulls of the app's
 * repository and nothing else, and the lifecycle call of the boot script.
 */
export function declareNodeRole(parent: pulumi.Resource, baseName: string, spec: NodeRoleSpec): NodeRole {
    const opts = { parent };
    const tags = awsTags(spec.names);
    const role = new aws.iam.Role(
        `${baseName}-role`,
        {
            description: `cloudlab ${spec.names.stack}: app nodes`,
            assumeRolePolicy: JSON.stringify({
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
            }),
            tags,
        },
        opts,
    );
    const ssm = new aws.iam.RolePolicyAttachment(
        `${baseName}-ssm`,
        { role: role.name, policyArn: aws.iam.ManagedPolicy.AmazonSSMManagedInstanceCore },
        opts,
    );
    const policy = new aws.iam.RolePolicy(
        `${baseName}-node`,
        {
            role: role.name,
            policy: pulumi
                .all([spec.repositoryArn, spec.groupArn, spec.logGroupArn])
                .apply(([repo, group, logs]) => nodePolicyDocument(repo, group, logs)),
        },
        opts,
    );
    const profile = new aws.iam.InstanceProfile(`${baseName}-profile`, { role: role.name, tags }, opts);
    return { profile, permissions: [ssm, policy] };
}
