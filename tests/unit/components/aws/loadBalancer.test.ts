import { strict as assert } from "assert";
import { AwsLoadBalancer } from "../../../../components/aws/loadBalancer";
import { parseCidr } from "../../../../components/config/parsers";
import { awsCalls, buildComponent, byType, valueOf } from "../../../support/mocks";
import { AWS_DEFAULTS, DEV_NAMES, childrenOf } from "../../../support/componentFixtures";

const CERTIFICATE = "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-0a1b-0a1b-0a1b-0a1b2c3d4e5f";

function buildBalancer(certificateArn: string, loadCidrs: string[], accessLogDays: number) {
    return buildComponent(
        () =>
            new AwsLoadBalancer("balancer", {
                names: DEV_NAMES,
                appPort: AWS_DEFAULTS.appPort,
                certificateArn,
                accessLogDays,
                loadCidrs: loadCidrs.map((c) => parseCidr(c)!),
                vpcId: "vpc-0123456789abcdef0",
                subnetIds: ["subnet-0a000000000000001", "subnet-0b000000000000002"],
                securityGroupId: "sg-balancer",
                stopBoundSeconds: 37,
            }),
        { stack: "dev", calls: awsCalls().calls },
    );
}

describe("AwsLoadBalancer, built alone under mocks", function () {
    this.timeout(60000);

    const cases = [
        { certificateArn: "", loadCidrs: [], accessLogDays: 0, scheme: "http", listeners: [80], operators: 0 },
        {
            certificateArn: CERTIFICATE,
            loadCidrs: ["203.0.113.0/24", "198.51.100.7/32"],
            accessLogDays: 7,
            scheme: "https",
            listeners: [80, 443],
            operators: 2,
        },
    ];
    for (const c of cases) {
        it(`with${c.certificateArn ? "" : "out"} a certificate, ${c.loadCidrs.length} load CIDRs and ${c.accessLogDays} days of access logs`, async () => {
            const { component, resources } = await buildBalancer(c.certificateArn, c.loadCidrs, c.accessLogDays);
            const listeners = childrenOf(byType(resources, "aws:lb/listener:Listener"), "balancer");
            assert.deepEqual(
                listeners.map((l) => l.inputs.port).sort((a, b) => a - b),
                c.listeners,
            );
            assert.match(
                await valueOf(component.url),
                new RegExp(`^${c.scheme}://balancer-alb-\\d+\\.eu-west-1\\.elb\\.amazonaws\\.com$`),
            );
            // Every guard rule: the operators' CIDRs, then 403 for everyone else; the nodes wait for all of them.
            assert.equal(component.guards.length, c.operators + 1);
            const bucket = await valueOf(component.accessLogBucket);
            assert.equal(bucket === "", c.accessLogDays === 0, `access log bucket: ${JSON.stringify(bucket)}`);
        });
    }

    it("keeps a deregistered node's requests for the longest request through the balancer", async () => {
        const { resources } = await buildBalancer("", [], 0);
        const [targets] = byType(resources, "aws:lb/targetGroup:TargetGroup");
        assert.equal(targets.inputs.deregistrationDelay, 55);
        assert.equal(targets.inputs.port, AWS_DEFAULTS.appPort);
    });
});
