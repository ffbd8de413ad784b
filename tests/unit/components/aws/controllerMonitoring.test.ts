import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { AwsController } from "../../../../components/aws/controller";
import { controllerArgsOf } from "../../../../components/shared/controller";
import { AwsMonitoring } from "../../../../components/aws/monitoring";
import { awsCalls, buildComponent, byType, valueOf } from "../../../support/mocks";
import { AWS_DEFAULTS, DEV_NAMES, childrenOf } from "../../../support/componentFixtures";
import { BALANCER_OUTPUTS } from "../../../support/awsStandIns";

const NODES = { groupName: pulumi.output("cloudlab-dev-nodes") };

describe("AwsController, built alone under mocks", function () {
    this.timeout(60000);

    it("alarms on the group's CPU above cpuHighPercent and below cpuLowPercent, each adding or stopping one node", async () => {
        const { component, resources } = await buildComponent(
            () =>
                new AwsController("controller", {
                    names: DEV_NAMES,
                    ...controllerArgsOf({
                        ...AWS_DEFAULTS,
                        cpuHighPercent: 80,
                        cpuLowPercent: 15,
                        checkPeriod: 120,
                        evaluationPeriods: 3,
                    }),
                    nodes: NODES,
                }),
            { stack: "dev" },
        );
        const alarms = childrenOf(byType(resources, "aws:cloudwatch/metricAlarm:MetricAlarm"), "controller");
        assert.deepEqual(
            alarms.map((a) => [a.name, a.inputs.threshold, a.inputs.period, a.inputs.evaluationPeriods]).sort(),
            [
                ["controller-cpu-high", 80, 120, 3],
                ["controller-cpu-low", 15, 120, 3],
            ],
        );
        const policies = childrenOf(byType(resources, "aws:autoscaling/policy:Policy"), "controller");
        for (const p of policies) {
            assert.equal(p.inputs.autoscalingGroupName, "cloudlab-dev-nodes", p.name);
            // cooldownSeconds 0: the warm-up is the alarm window, 3 x 120 s.
            assert.equal(p.inputs.estimatedInstanceWarmup, 360, p.name);
        }
        assert.equal(component.alarmArns.length, 2);
        assert.match(await valueOf(component.status), /^cloudlab-dev-nodes: \+1 node .* above 80% for 3 x 120 s/);
    });
});

describe("AwsMonitoring, built alone under mocks", function () {
    this.timeout(60000);

    for (const alertEmail of ["", "ops@example.com"]) {
        it(`with alertEmail ${JSON.stringify(alertEmail)}, ${alertEmail ? "mails it" : "mails nobody"}`, async () => {
            const { component, resources } = await buildComponent(
                () =>
                    new AwsMonitoring("monitoring", {
                        names: DEV_NAMES,
                        alertEmail,
                        checkPeriod: AWS_DEFAULTS.checkPeriod,
                        cpuHighPercent: AWS_DEFAULTS.cpuHighPercent,
                        cpuLowPercent: AWS_DEFAULTS.cpuLowPercent,
                        nodes: NODES,
                        balancer: BALANCER_OUTPUTS,
                    }),
                { stack: "dev", calls: awsCalls().calls },
            );
            const subscriptions = childrenOf(
                byType(resources, "aws:sns/topicSubscription:TopicSubscription"),
                "monitoring",
            );
            assert.deepEqual(
                subscriptions.map((s) => s.inputs.endpoint),
                alertEmail ? [alertEmail] : [],
            );
            const [dashboard] = byType(resources, "aws:cloudwatch/dashboard:Dashboard");
            assert.match(dashboard.inputs.dashboardBody, /cloudlab-dev-nodes/);
            assert.match(await valueOf(component.dashboardUrl), /^https:\/\/.*console\.aws\.amazon\.com\/cloudwatch/);
        });
    }
});
