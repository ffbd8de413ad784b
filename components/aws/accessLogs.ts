import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { accessLogBucketPolicy } from "./elbLogDelivery";
import { awsTags } from "./tags";
import { StackNames } from "../shared/naming";

/** Where the balancer writes in the bucket: `<prefix>/AWSLogs/<account>/elasticloadbalancing/<region>/...`. */
export const ACCESS_LOG_PREFIX = "alb";

export interface AccessLogSpec {
    names: StackNames;
    /** Days an access log file is kept (cloudlab:accessLogDays, > 0). */
    days: number;
}

export interface AccessLogs {
    /** The bucket's name, for the balancer's access_logs and the stack output. */
    bucket: pulumi.Output<string>;
    /** What the balancer waits for: ALB checks that it may write to the bucket when logging is turned on. */
    ready: pulumi.Resource[];
}

/**
 * The balancer's access logs, the AWS twin of the local access-log report: an S3 bucket of the stack's own, named
 * by Pulumi (bucket names are global: a fixed name could collide with any account's), private (every public access
 * blocked), encrypted with S3-managed keys (the only server-side encryption ALB access logs support), each file
 * expired after `days`. forceDestroy: the logs are the stack's diagnostics and go with it, so `pulumi destroy`
 * empties and deletes the bucket instead of failing on it (copy what you want to keep first: docs/aws.md).
 */
export function declareAccessLogs(parent: pulumi.Resource, baseName: string, spec: AccessLogSpec): AccessLogs {
    const opts = { parent };
    const bucket = new aws.s3.Bucket(
        `${baseName}-access-logs`,
        { forceDestroy: true, tags: awsTags(spec.names) },
        opts,
    );
    const privacy = new aws.s3.BucketPublicAccessBlock(
        `${baseName}-access-logs-private`,
        {
            bucket: bucket.id,
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        },
        opts,
    );
    const encryption = new aws.s3.BucketServerSideEncryptionConfiguration(
        `${baseName}-access-logs-sse`,
        { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] },
        opts,
    );
    new aws.s3.BucketLifecycleConfiguration(
        `${baseName}-access-logs-expiry`,
        {
            bucket: bucket.id,
            rules: [
                {
                    id: "expire-access-logs",
                    status: "Enabled",
                    filter: { prefix: `${ACCESS_LOG_PREFIX}/` },
                    expiration: { days: spec.days },
                },
            ],
        },
        opts,
    );
    const region = aws.getRegionOutput({}, opts).region;
    const partition = aws.getPartitionOutput({}, opts).partition;
    const account = aws.getCallerIdentityOutput({}, opts).accountId;
    const policy = new aws.s3.BucketPolicy(
        `${baseName}-access-logs-writer`,
        {
            bucket: bucket.id,
            policy: pulumi
                .all([bucket.arn, account, region, partition])
                .apply(([bucketArn, account, region, partition]) =>
                    accessLogBucketPolicy({ bucketArn, prefix: ACCESS_LOG_PREFIX, account, region, partition }),
                ),
        },
        // Changes of one bucket's settings made at the same time can be refused (OperationAborted): one at a time.
        { parent, dependsOn: [privacy] },
    );
    return { bucket: bucket.bucket, ready: [policy, encryption] };
}
