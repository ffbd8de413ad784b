import { strict as assert } from "assert";
import { architectureOf, dockerPlatform } from "../../components/aws/ami";
import { dashboardName, nodeGroupName, stackRepositoryName } from "../../components/aws/names";
import { stopBoundSeconds } from "../../app/src/drainBound";
import { isRepositoryNotFound, missingReleaseMessage, planRelease } from "../../components/aws/appImage";
import { accessLogBucketPolicy, logDeliveryPrincipal } from "../../components/aws/elbLogDelivery";
import {
    MAX_HEALTHY_GAP,
    MAX_HEALTHY_RANGE,
    refreshCapacity,
    refreshPreferences,
    surgePercentage,
} from "../../components/aws/refresh";
import { nodePolicyDocument } from "../../components/aws/nodeRole";
import { renderDashboard } from "../../components/render/dashboard";
import { stackNames } from "../../components/shared/naming";
import { subnetProblem } from "../../components/aws/network";

describe("AWS stack decisions (pure)", () => {
    it("tells Graviton instance types from x86 ones", () => {
        for (const t of [
            "t4g.micro",
            "m7gd.large",
            "c6gn.xlarge",
            "im4gn.large",
            "is4gen.medium",
            "x2gd.metal",
            "g5g.xlarge",
            "a1.medium",
            "r8g.2xlarge",
        ]) {
            assert.equal(architectureOf(t), "arm64", t);
        }
        for (const t of [
            "t3.micro",
            "t3a.small",
            "m5zn.large",
            "g4dn.xlarge",
            "c6in.large",
            "m7i-flex.large",
            "p4d.24xlarge",
            "z1d.large",
            "hpc7a.96xlarge",
        ]) {
            assert.equal(architectureOf(t), "x86_64", t);
        }
        assert.equal(dockerPlatform("arm64"), "linux/arm64");
        assert.equal(dockerPlatform("x86_64"), "linux/amd64");
    });

    it("uses a release ECR has, builds a missing one, or refuses it when imageBuild is never", () => {
        assert.equal(planRelease("v1", ["v1", "v2"], "missing"), "use");
        assert.equal(planRelease("v1", ["v1", "v2"], "never"), "use");
        assert.equal(planRelease("v3", ["v1", "v2"], "missing"), "build");
        assert.equal(planRelease("v3", ["v1", "v2"], "never"), "refuse");
        assert.equal(planRelease("v1", [], "missing"), "build");
        const msg = missingReleaseMessage("cloudlab-app", "v3", ["v2", "v1"]);
        assert.match(msg, /cloudlab:imageTag = "v3" is not in the ECR repository cloudlab-app \(its tags: v1, v2\)/);
        assert.match(missingReleaseMessage("cloudlab-app", "v3", []), /its tags: none/);
    });

    it("refuses configured subnets that share a zone, leave the VPC or cover one zone only, naming the key", () => {
        const vpc = "vpc-0123456789abcdef0";
        const a = { id: "subnet-0aaaaaaaaaaaaaaa1", vpcId: vpc, availabilityZone: "eu-west-1a" };
        const b = { id: "subnet-0bbbbbbbbbbbbbbb2", vpcId: vpc, availabilityZone: "eu-west-1b" };
        assert.equal(subnetProblem([a, b], vpc), undefined);
        assert.equal(
            subnetProblem([a, { ...b, availabilityZone: "eu-west-1a" }], vpc),
            'cloudlab:subnetIds = ["subnet-0aaaaaaaaaaaaaaa1","subnet-0bbbbbbbbbbbbbbb2"] is not allowed: ' +
                "subnet-0aaaaaaaaaaaaaaa1 and subnet-0bbbbbbbbbbbbbbb2 are both in eu-west-1a, " +
                "and an Application Load Balancer takes one subnet per zone; give one per zone",
        );
        assert.equal(
            subnetProblem([a, { ...b, vpcId: "vpc-0fffffffffffffff0" }], vpc),
            'cloudlab:subnetIds = ["subnet-0aaaaaaaaaaaaaaa1","subnet-0bbbbbbbbbbbbbbb2"] is not allowed: ' +
                "subnet-0bbbbbbbbbbbbbbb2 is in vpc-0fffffffffffffff0, not in cloudlab:vpcId vpc-0123456789abcdef0",
        );
        assert.match(subnetProblem([a], vpc)!, /at least two zones/);
    });

    it("names the stack's repository after the stack, and tells a missing repository from other ECR errors", () => {
        assert.equal(stackRepositoryName(stackNames("cloudlab", "dev"), "cloudlab-app"), "cloudlab-dev/cloudlab-app");
        assert.equal(stackRepositoryName(stackNames("cloudlab", "Staging"), "app"), "cloudlab-staging/app");
        // What the engine reports for the provider's images data source on a repository that does not exist.
        assert.equal(
            isRepositoryNotFound(
                new Error(
                    "invocation of aws:ecr/getImages:getImages returned an error: invoking aws:ecr/getImages:getImages: " +
                        "1 error occurred:\n\t* reading ECR Images: couldn't find resource",
                ),
            ),
            true,
        );
        assert.equal(
            isRepositoryNotFound(new Error("AccessDeniedException: not authorized to perform ecr:ListImages")),
            false,
        );
    });

    it("replaces rollingBatchSize nodes at a time at the current size, launching each before retiring one", () => {
        // 100 + batch/desired in whole percent, rounded down, up to 200 (all at once).
        assert.equal(surgePercentage(1, 2), 150);
        assert.equal(surgePercentage(1, 3), 133);
        assert.equal(surgePercentage(2, 3), 166);
        assert.equal(surgePercentage(1, 4), 125);
        assert.equal(surgePercentage(2, 4), 150);
        assert.equal(surgePercentage(1, 1), 200);
        assert.equal(surgePercentage(4, 2), 200);
        assert.throws(() => surgePercentage(0, 2), /batch must be a whole number >= 1, got 0/);
        assert.throws(() => surgePercentage(1, 0), /desired capacity must be a whole number >= 1, got 0/);
        assert.deepEqual(refreshPreferences(1, 2, ["cloudlab-dev-unhealthy-nodes", "cloudlab-dev-5xx-rate"]), {
            minHealthyPercentage: 100,
            maxHealthyPercentage: 150,
            skipMatching: true,
            autoRollback: false,
            alarmSpecification: { alarms: ["cloudlab-dev-unhealthy-nodes", "cloudlab-dev-5xx-rate"] },
            scaleInProtectedInstances: "Refresh",
            standbyInstances: "Wait",
        });
    });

    it("keeps every refresh within AWS's bounds and never runs more than rollingBatchSize extra nodes", () => {
        for (let desired = 1; desired <= 16; desired++)
            for (let batch = 1; batch <= 16; batch++) {
                const p = refreshPreferences(batch, desired, []);
                const at = `batch ${batch} at ${desired}`;
                assert.ok(p.maxHealthyPercentage >= MAX_HEALTHY_RANGE.min, at);
                assert.ok(p.maxHealthyPercentage <= MAX_HEALTHY_RANGE.max, at);
                assert.ok(p.maxHealthyPercentage - p.minHealthyPercentage <= MAX_HEALTHY_GAP, at);
                assert.equal(p.minHealthyPercentage, 100, `${at}: no node leaves before its replacement is in`);
                // Extra nodes the bound allows, whichever way AWS rounds it into instances.
                const exact = (desired * p.maxHealthyPercentage) / 100 - desired;
                assert.ok(Math.ceil(exact - 1e-9) <= Math.min(batch, desired), `${at}: ${exact} extra`);
                if ((100 * batch) % desired === 0 || batch >= desired)
                    assert.equal(exact, Math.min(batch, desired), `${at}: exactly the batch`);
            }
    });

    it("takes the batch at the group's current size, within this up's min and max", () => {
        assert.equal(refreshCapacity(undefined, 2, 4), 2, "a group not created yet starts at nodeCount");
        assert.equal(refreshCapacity(3, 2, 4), 3, "scaled out by the alarms");
        assert.equal(refreshCapacity(2, 3, 4), 3, "a new nodeCount raises it");
        assert.equal(refreshCapacity(4, 2, 3), 3, "a new nodeLimit lowers it");
    });

    it("lets the region's log writer put access logs: the ELB account before August 2022, the service principal after", () => {
        assert.deepEqual(logDeliveryPrincipal("eu-west-1", "aws"), { AWS: "arn:aws:iam::156460612806:root" });
        assert.deepEqual(logDeliveryPrincipal("us-gov-west-1", "aws-us-gov"), {
            AWS: "arn:aws-us-gov:iam::048591011584:root",
        });
        // Regions the provider's aws_elb_service_account does not know (it fails there): the service principal.
        for (const region of ["eu-central-2", "ap-south-2", "me-central-1", "il-central-1"])
            assert.deepEqual(logDeliveryPrincipal(region, "aws"), {
                Service: "logdelivery.elasticloadbalancing.amazonaws.com",
            });
        const policy = JSON.parse(
            accessLogBucketPolicy({
                bucketArn: "arn:aws:s3:::logs",
                prefix: "alb",
                account: "123456789012",
                region: "eu-central-2",
                partition: "aws",
            }),
        );
        assert.deepEqual(policy.Statement, [
            {
                Sid: "AlbAccessLogs",
                Effect: "Allow",
                Principal: { Service: "logdelivery.elasticloadbalancing.amazonaws.com" },
                Action: "s3:PutObject",
                Resource: "arn:aws:s3:::logs/alb/AWSLogs/123456789012/*",
            },
        ]);
    });

    it("lets a stopping node finish what the app would finish: its drain, 30 s in flight and the 5 s kill slack", () => {
        assert.equal(stopBoundSeconds(2), 37);
        assert.equal(stopBoundSeconds(0), 35);
    });

    it("names the group and the dashboard after the stack", () => {
        const names = stackNames("cloudlab", "dev.eu");
        assert.equal(nodeGroupName(names), "cloudlab-dev.eu-nodes");
        assert.equal(dashboardName(names), "cloudlab-dev-eu");
    });

    it("grants nodes ECR pulls of one repository, lifecycle completion on one group, logs to one log group", () => {
        const doc = JSON.parse(
            nodePolicyDocument(
                "arn:aws:ecr:eu-west-1:1:repository/app",
                "arn:aws:autoscaling:eu-west-1:1:autoScalingGroup:*:autoScalingGroupName/g",
                "arn:aws:logs:eu-west-1:1:log-group:/cloudlab/cloudlab-dev",
            ),
        );
        assert.deepEqual(
            doc.Statement.map((s: any) => [s.Sid, s.Resource]),
            [
                ["EcrToken", "*"],
                ["EcrPull", "arn:aws:ecr:eu-west-1:1:repository/app"],
                ["ReportReady", "arn:aws:autoscaling:eu-west-1:1:autoScalingGroup:*:autoScalingGroupName/g"],
                ["AppLogs", "arn:aws:logs:eu-west-1:1:log-group:/cloudlab/cloudlab-dev:*"],
            ],
        );
        const actions = doc.Statement.flatMap((s: any) => s.Action);
        assert.ok(
            actions.every((a: string) => !a.includes("*")),
            "no wildcard action",
        );
        const ecr = actions.filter((a: string) => a.startsWith("ecr:"));
        assert.ok(!ecr.some((a: string) => /Put|Push|Upload|Delete/.test(a)), "read-only on ECR");
        assert.deepEqual(
            actions.filter((a: string) => a.startsWith("logs:")),
            ["logs:CreateLogStream", "logs:PutLogEvents"],
            "writes log events, never deletes or configures log groups",
        );
    });

    it("renders a dashboard of traffic, errors, latency, health, CPU against the thresholds and scaling", () => {
        const body = JSON.parse(
            renderDashboard({
                region: "eu-west-1",
                loadBalancer: "app/alb/1",
                targetGroup: "targetgroup/tg/2",
                groupName: "cloudlab-dev-nodes",
                periodSeconds: 120,
                cpuHighPercent: 70,
                cpuLowPercent: 20,
                alarmArns: ["arn:a", "arn:b"],
            }),
        );
        const titles = body.widgets.map((w: any) => w.properties.title);
        assert.deepEqual(titles, [
            "Requests",
            "5xx responses",
            "Target response time (s)",
            "Healthy hosts",
            "CPU of the group (%)",
            "Scaling activity (nodes)",
            "Problems",
        ]);
        const cpu = body.widgets[4].properties;
        assert.deepEqual(
            cpu.annotations.horizontal.map((a: any) => a.value),
            [70, 20],
        );
        assert.deepEqual(cpu.metrics[0].slice(0, 4), [
            "AWS/EC2",
            "CPUUtilization",
            "AutoScalingGroupName",
            "cloudlab-dev-nodes",
        ]);
        const healthy = body.widgets[3].properties.metrics[0];
        assert.deepEqual(healthy.slice(2, 6), ["TargetGroup", "targetgroup/tg/2", "LoadBalancer", "app/alb/1"]);
        for (const w of body.widgets.filter((w: any) => w.type === "metric")) {
            assert.equal(w.properties.period, 120);
            assert.equal(w.properties.region, "eu-west-1");
        }
        assert.deepEqual(body.widgets[6].properties.alarms, ["arn:a", "arn:b"]);
        // No two widgets overlap on CloudWatch's 24-column grid.
        const cells = new Set<string>();
        for (const w of body.widgets) {
            assert.ok(w.x + w.width <= 24);
            for (let x = w.x; x < w.x + w.width; x++)
                for (let y = w.y; y < w.y + w.height; y++) {
                    assert.ok(!cells.has(`${x},${y}`), `overlap at ${x},${y}`);
                    cells.add(`${x},${y}`);
                }
        }
    });
});
