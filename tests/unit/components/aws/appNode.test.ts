import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { AwsAppNode, AwsAppNodeArgs } from "../../../../components/aws/appNode";
import { appNodeArgsOf } from "../../../../components/shared/appNode";
import { awsCalls, buildComponent, byType, valueOf } from "../../../support/mocks";
import { AWS_DEFAULTS, DEV_NAMES, childrenOf } from "../../../support/componentFixtures";
import { BALANCER_OUTPUTS, standInListener } from "../../../support/awsStandIns";

const GROUP = "aws:autoscaling/group:Group";
const TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";

function buildFleet(changes: Partial<AwsAppNodeArgs> = {}) {
    const c = AWS_DEFAULTS;
    return buildComponent(
        () =>
            new AwsAppNode("app", {
                names: DEV_NAMES,
                ...appNodeArgsOf(c),
                instanceType: c.instanceType,
                checkPeriod: c.checkPeriod,
                nodeAddress: c.nodeAddress,
                nodeAmi: c.nodeAmi,
                logRetentionDays: c.logRetentionDays,
                architecture: "x86_64",
                subnetIds: ["subnet-0a000000000000001", "subnet-0b000000000000002"],
                securityGroupId: "sg-nodes",
                balancer: { ...standInListener(), targetGroupArn: BALANCER_OUTPUTS.targetGroupArn },
                images: {
                    imageIds: { latest: pulumi.output("123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:latest") },
                    repositoryArn: pulumi.output("arn:aws:ecr:eu-west-1:123456789012:repository/app"),
                },
                ...changes,
            }),
        { stack: "dev", calls: awsCalls().calls },
    );
}

describe("AwsAppNode, built alone under mocks", function () {
    this.timeout(60000);

    it("sizes its group from nodeCount to nodeLimit, behind the balancer's target group, after its listener", async () => {
        const { component, resources } = await buildFleet({ nodeCount: 2, nodeLimit: 5 });
        const [group] = childrenOf(byType(resources, GROUP), "app");
        assert.equal(group.inputs.minSize, 2);
        assert.equal(group.inputs.maxSize, 5);
        assert.deepEqual(group.inputs.targetGroupArns, [await valueOf(BALANCER_OUTPUTS.targetGroupArn)]);
        assert.ok(group.options.dependsOn.includes("stand-in-listener"), group.options.dependsOn.join(", "));
        assert.ok(group.options.dependsOn.includes("stand-in-guard"), group.options.dependsOn.join(", "));
        assert.equal(await valueOf(component.groupName), group.inputs.name);
        assert.equal(await valueOf(component.amiId), "ami-0123456789abcdef0");
    });

    // CloudWatch's basic EC2 metrics come every 5 minutes: a shorter alarm period needs detailed monitoring.
    for (const [checkPeriod, detailed] of [
        [60, true],
        [240, true],
        [300, false],
        [600, false],
    ] as const) {
        it(`with checkPeriod ${checkPeriod}, ${detailed ? "turns on" : "leaves off"} detailed monitoring`, async () => {
            const { resources } = await buildFleet({ checkPeriod, instanceType: "m5.large" });
            const [template] = childrenOf(byType(resources, TEMPLATE), "app");
            assert.deepEqual(template.inputs.monitoring, { enabled: detailed });
            assert.equal(template.inputs.instanceType, "m5.large");
        });
    }
});
