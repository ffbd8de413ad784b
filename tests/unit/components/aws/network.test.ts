import { strict as assert } from "assert";
import { AwsNetwork } from "../../../../components/aws/network";
import { parseCidr } from "../../../../components/config/parsers";
import { awsCalls, buildComponent, byType, valueOf } from "../../../support/mocks";
import { AWS_DEFAULTS, DEV_NAMES, childrenOf } from "../../../support/componentFixtures";

const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";

describe("AwsNetwork, built alone under mocks", function () {
    this.timeout(60000);

    it("without vpcId, takes the default VPC and its default subnets", async () => {
        const { component } = await buildComponent(
            () =>
                new AwsNetwork("network", {
                    names: DEV_NAMES,
                    vpcId: "",
                    subnetIds: [],
                    allowedCidrs: AWS_DEFAULTS.allowedCidrs,
                    appPort: AWS_DEFAULTS.appPort,
                    certificateArn: "",
                }),
            { stack: "dev", calls: awsCalls().calls },
        );
        assert.equal(await valueOf(component.vpcId), "vpc-0d3fa017a5c0c1000");
        assert.deepEqual(await valueOf(component.subnetIds), ["subnet-0a000000000000001", "subnet-0b000000000000002"]);
    });

    const cases = [
        { certificateArn: "", allowed: ["0.0.0.0/0"], rules: ["0.0.0.0/0:80"] },
        {
            certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-0a1b-0a1b-0a1b-0a1b2c3d4e5f",
            allowed: ["203.0.113.0/24", "198.51.100.0/24"],
            rules: ["198.51.100.0/24:443", "198.51.100.0/24:80", "203.0.113.0/24:443", "203.0.113.0/24:80"],
        },
    ];
    for (const c of cases) {
        it(`opens the balancer to ${c.allowed.join(", ")} on ${c.certificateArn ? "80 and 443" : "80"} only`, async () => {
            const { resources } = await buildComponent(
                () =>
                    new AwsNetwork("network", {
                        names: DEV_NAMES,
                        vpcId: "",
                        subnetIds: [],
                        allowedCidrs: c.allowed.map((a) => parseCidr(a)!),
                        appPort: AWS_DEFAULTS.appPort,
                        certificateArn: c.certificateArn,
                    }),
                { stack: "dev", calls: awsCalls().calls },
            );
            const fromUsers = childrenOf(byType(resources, INGRESS), "network").filter((r) => r.inputs.cidrIpv4);
            assert.deepEqual(fromUsers.map((r) => `${r.inputs.cidrIpv4}:${r.inputs.fromPort}`).sort(), c.rules);
        });
    }
});
