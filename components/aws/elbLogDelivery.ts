/**
 * Who writes an Application Load Balancer's access logs into S3, per region, and the bucket policy that lets it.
 *
 * AWS documents two principals: in the regions that existed before August 2022 the regional Elastic Load Balancing
 * account (by its id), in the newer ones the log delivery service principal. The ids below are
 * terraform-provider-aws's table (internal/service/elb/service_account_data_source.go, the aws_elb_service_account
 * data source behind aws.elb.getServiceAccount), copied because that data source FAILS for every other region
 * ("unsupported AWS Region") where this program must use the service principal instead. me-central-1 is
 * commented out of the provider's table: it gets the service principal here too.
 */
export const ELB_LOG_ACCOUNTS: Readonly<Record<string, string>> = {
    "af-south-1": "098369216593",
    "ap-east-1": "754344448648",
    "ap-northeast-1": "582318560864",
    "ap-northeast-2": "600734575887",
    "ap-northeast-3": "383597477331",
    "ap-south-1": "718504428378",
    "ap-southeast-1": "114774131450",
    "ap-southeast-2": "783225319266",
    "ap-southeast-3": "589379963580",
    "ca-central-1": "985666609251",
    "cn-north-1": "638102146993",
    "cn-northwest-1": "037604701340",
    "eu-central-1": "054676820928",
    "eu-north-1": "897822967062",
    "eu-south-1": "635631232127",
    "eu-west-1": "156460612806",
    "eu-west-2": "652711504416",
    "eu-west-3": "009996457667",
    "me-south-1": "076674570225",
    "sa-east-1": "507241528517",
    "us-east-1": "127311923021",
    "us-east-2": "033677994240",
    "us-gov-east-1": "190560391635",
    "us-gov-west-1": "048591011584",
    "us-west-1": "027434742980",
    "us-west-2": "797873946194",
};

/** The service principal of access log delivery in the regions without an ELB account. */
export const ELB_LOG_DELIVERY_SERVICE = "logdelivery.elasticloadbalancing.amazonaws.com";

/** The bucket policy's principal for the balancer's region. */
export function logDeliveryPrincipal(region: string, partition: string): { AWS: string } | { Service: string } {
    const account = ELB_LOG_ACCOUNTS[region];
    return account ? { AWS: `arn:${partition}:iam::${account}:root` } : { Service: ELB_LOG_DELIVERY_SERVICE };
}

/**
 * The access log bucket's policy: the region's log writer may put objects under `<prefix>/AWSLogs/<account>/` and
 * nowhere else (AWS's documented statement; ALB checks it when access logging is turned on, so the balancer waits
 * for this policy). Nobody else gets anything: reading the logs is the account's own IAM business.
 */
export function accessLogBucketPolicy(spec: {
    bucketArn: string;
    prefix: string;
    account: string;
    region: string;
    partition: string;
}): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "AlbAccessLogs",
                Effect: "Allow",
                Principal: logDeliveryPrincipal(spec.region, spec.partition),
                Action: "s3:PutObject",
                Resource: `${spec.bucketArn}/${spec.prefix}/AWSLogs/${spec.account}/*`,
            },
        ],
    });
}
