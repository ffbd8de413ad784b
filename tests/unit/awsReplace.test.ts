import { strict as assert } from "assert";
import {
    GROUP_FORCE_NEW,
    GROUP_UPDATE_WAITS_ON,
    LIFECYCLE_HOOK_FORCE_NEW,
    REFRESH_PREFERENCE_DEFAULTS,
    ROLLBACK_RESTORES_NEW_VERSION,
    waitsForCapacity,
} from "../../components/aws/providerRules";
import { AWS_REGION, Registered, awsCalls, byType, runProgram } from "../support/mocks";

const GROUP = "aws:autoscaling/group:Group";
const HOOK = "aws:autoscaling/lifecycleHook:LifecycleHook";
const COMMAND = "command:local:Command";

async function dev(config: Record<string, string> = {}, stack = "dev") {
    const aws = awsCalls({ tags: ["latest", "v1", "v2"], repository: `cloudlab-${stack}/cloudlab-app` });
    aws.failure.catch(() => undefined);
    const { resources } = await Promise.race([
        runProgram({ platform: "aws", "aws:region": AWS_REGION, ...config }, { stack, calls: aws.calls }),
        aws.failure,
    ]);
    const one = (type: string): Registered => {
        const found = byType(resources, type);
        assert.equal(found.length, 1, `expected one ${type}`);
        return found[0];
    };
    return { resources, one };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The provider's inputs whose change replaces a resource, from the table in components/aws/providerRules.ts:
 * those that differ between two runs and that the program does not ignore.
 */
function replacingChanges(before: Registered, after: Registered, forceNew: readonly string[]): string[] {
    return forceNew.filter((k) => !after.options.ignoreChanges.includes(k) && !same(before.inputs[k], after.inputs[k]));
}

/** Routine edits of a running dev stack: none may replace the group. */
const ROUTINE: Array<Record<string, string>> = [
    { nodeCount: "3", nodeLimit: "6" },
    { nodeLimit: "8" },
    { imageTag: "v1" },
    { alertEmail: "ops@example.com" },
    { rollingBatchSize: "2", nodeLimit: "6" },
    { instanceType: "t3.small" },
    { drainSeconds: "10" },
    { cpuHighPercent: "80", checkPeriod: "120" },
];

describe("dev stack against the provider's replace and wait rules (mocks)", function () {
    this.timeout(120000);

    it("encodes the provider's rules as its source has them", () => {
        // hashicorp/terraform-provider-aws internal/service/autoscaling/group.go: name, name_prefix and
        // initial_lifecycle_hook (and each of its fields) are ForceNew; lifecycle_hook.go: only name is.
        assert.deepEqual(GROUP_FORCE_NEW, ["name", "namePrefix", "initialLifecycleHooks"]);
        assert.deepEqual(LIFECYCLE_HOOK_FORCE_NEW, ["name"]);
        assert.deepEqual(GROUP_UPDATE_WAITS_ON, ["minSize", "desiredCapacity", "desiredCapacityType"]);
        assert.equal(waitsForCapacity(undefined), true, "the provider's default is 10m");
        assert.equal(waitsForCapacity("10m"), true);
        assert.equal(waitsForCapacity("900s"), true);
        assert.equal(waitsForCapacity("0"), false);
        assert.equal(waitsForCapacity("0s"), false);
    });

    it("replaces the group on no routine edit (nodeCount, nodeLimit, imageTag, alertEmail, ...)", async () => {
        const base = (await dev()).one(GROUP);
        for (const change of ROUTINE) {
            const after = (await dev(change)).one(GROUP);
            assert.deepEqual(replacingChanges(base, after, GROUP_FORCE_NEW), [], JSON.stringify(change));
        }
    });

    it("renaming the stack replaces the group: its name is ForceNew and fixed", async () => {
        const before = (await dev()).one(GROUP);
        const after = (await dev({}, "staging")).one(GROUP);
        assert.deepEqual(replacingChanges(before, after, GROUP_FORCE_NEW), ["name"]);
    });

    it("keeps the launch hook's changes off the group: ignored there, owned by a LifecycleHook updated in place", async () => {
        const { one } = await dev();
        const group = one(GROUP);
        const hook = one(HOOK);
        assert.deepEqual(group.options.ignoreChanges, ["initialLifecycleHooks"]);
        const expected = {
            name: "cloudlab-node-ready",
            lifecycleTransition: "autoscaling:EC2_INSTANCE_LAUNCHING",
            defaultResult: "ABANDON",
            heartbeatTimeout: 600,
        };
        assert.deepEqual(group.inputs.initialLifecycleHooks, [expected]);
        assert.deepEqual(hook.inputs, { ...expected, autoscalingGroupName: "cloudlab-dev-nodes" });
        // A changed timeout or default result is an in-place update of the hook resource, not a replacement.
        const changed = { ...hook, inputs: { ...hook.inputs, heartbeatTimeout: 900, defaultResult: "CONTINUE" } };
        assert.deepEqual(replacingChanges(hook, changed, LIFECYCLE_HOOK_FORCE_NEW), []);
        // The same change inside the group would replace it, were the field not ignored.
        const groupChanged = {
            ...group,
            inputs: { ...group.inputs, initialLifecycleHooks: [{ ...expected, heartbeatTimeout: 900 }] },
            options: { ...group.options, ignoreChanges: [] },
        };
        assert.deepEqual(replacingChanges(group, groupChanged, GROUP_FORCE_NEW), ["initialLifecycleHooks"]);
    });

    it("changing nodeCount or nodeLimit never makes the provider wait for an exact capacity", async () => {
        const base = (await dev({ nodeCount: "2", nodeLimit: "4" })).one(GROUP);
        for (const change of [{ nodeCount: "3", nodeLimit: "4" }, { nodeCount: "2", nodeLimit: "6" }, ROUTINE[0]]) {
            const after = (await dev(change)).one(GROUP);
            const triggers = GROUP_UPDATE_WAITS_ON.filter((k) => !same(base.inputs[k], after.inputs[k]));
            if (triggers.length > 0)
                assert.equal(waitsForCapacity(after.inputs.waitForCapacityTimeout), false, JSON.stringify(change));
        }
        assert.equal(base.inputs.waitForCapacityTimeout, "0");
        assert.equal(base.inputs.desiredCapacity, undefined, "desiredCapacity would undo the alarms' decisions");
    });

    it("never counts on AWS's rollback, which would restore the release that failed, and makes the up fail instead", async () => {
        const { one } = await dev({ imageTag: "v2" });
        const { preferences } = one(GROUP).inputs.instanceRefresh;
        // The provider saves the new version on the group before it starts the refresh, and AWS rolls back to what
        // was saved before the refresh: a rollback would keep the bad release and report RollbackSuccessful.
        if (ROLLBACK_RESTORES_NEW_VERSION)
            assert.notEqual(preferences.autoRollback, true, "a rollback to the release that failed");
        // What stops a bad release instead: the health alarms fail the refresh, and the up waits for the refresh.
        assert.ok(preferences.alarmSpecification.alarms.length > 0, "nothing fails a release that answers 5xx");
        const rollout = one(COMMAND);
        assert.equal(rollout.inputs.environment.CLOUDLAB_TEMPLATE_VERSION, one(GROUP).inputs.launchTemplate.version);
        assert.ok(rollout.options.dependencies.includes("app-group"), "the wait starts after the group's update");
    });

    it("leaves none of the refresh preferences to the provider's defaults (which ignore Standby and protected nodes)", async () => {
        const { preferences } = (await dev()).one(GROUP).inputs.instanceRefresh;
        for (const [key, providerDefault] of Object.entries(REFRESH_PREFERENCE_DEFAULTS)) {
            assert.notEqual(preferences[key], undefined, `${key} left to the provider's ${providerDefault}`);
            assert.notEqual(preferences[key], providerDefault, `${key} is the provider's default`);
        }
    });
});
