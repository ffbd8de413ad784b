import { strict as assert } from "assert";
import { RolloutState, rolloutVerdict } from "../../components/aws/refresh";
import { rolloutGateFromEnv, waitRollout } from "../../components/hooks/wait-rollout";

const GATE = { region: "eu-west-1", group: "cloudlab-dev-nodes", version: "7", timeoutSeconds: 60 };
const node = (id: string, templateVersion: string, healthStatus = "Healthy", lifecycleState = "InService") => ({
    id,
    lifecycleState,
    healthStatus,
    templateVersion,
});
const state = (over: Partial<RolloutState>): RolloutState => ({ desiredCapacity: 2, instances: [], ...over });
const refresh = (status: string, reason?: string) => ({ id: "r-1", status, reason, percentage: 50 });

/** A clock that moves `stepMs` at each read, so the wait's time bound runs without real sleeps. */
function fakeClock(stepMs: number) {
    let t = 0;
    return () => (t += stepMs);
}

describe("the rollout wait: `up` ends when the group runs the release, and fails when its refresh fails", () => {
    it("reports a deploy done only once every in-service node runs the new version, healthy, at the desired size", () => {
        const on7 = [node("i-1", "7"), node("i-2", "7")];
        assert.deepEqual(rolloutVerdict(state({ refresh: refresh("Successful"), instances: on7 }), "7"), {
            kind: "done",
        });
        // The first up: no refresh yet, the nodes still booting.
        assert.equal(rolloutVerdict(state({ instances: [node("i-1", "7")] }), "7").kind, "waiting");
        assert.equal(rolloutVerdict(state({ instances: on7 }), "7").kind, "done");
        // An older node still in service, or a new one not healthy yet, is not done.
        assert.equal(rolloutVerdict(state({ instances: [...on7, node("i-0", "6")] }), "7").kind, "waiting");
        assert.equal(
            rolloutVerdict(state({ instances: [node("i-1", "7"), node("i-2", "7", "Unhealthy")] }), "7").kind,
            "waiting",
        );
        // Nodes in the warm pool or leaving do not count either way.
        assert.equal(
            rolloutVerdict(state({ instances: [...on7, node("i-0", "6", "Healthy", "Terminating")] }), "7").kind,
            "done",
        );
        assert.equal(rolloutVerdict(state({ refresh: refresh("InProgress"), instances: on7 }), "7").kind, "waiting");
    });

    it("fails on a refresh that ended any other way than Successful, with AWS's reason and the way back", () => {
        for (const status of ["Failed", "Cancelled", "RollbackSuccessful", "RollbackFailed"]) {
            const verdict = rolloutVerdict(
                state({
                    refresh: refresh(status, "alarm cloudlab-dev-5xx-rate in ALARM"),
                    instances: [node("i-1", "7")],
                }),
                "7",
            );
            assert.equal(verdict.kind, "failed", status);
            assert.match(
                (verdict as { why: string }).why,
                new RegExp(`ended ${status}: alarm cloudlab-dev-5xx-rate in ALARM`),
            );
            assert.match(
                (verdict as { why: string }).why,
                /pulumi config set imageTag <the previous release> && pulumi up/,
            );
        }
    });

    it("rejects at once when the refresh fails (the up fails), and resolves once the group runs the release", async () => {
        const seen = [
            state({ refresh: refresh("InProgress") }),
            state({ refresh: refresh("Failed", "instances failed to launch") }),
        ];
        await assert.rejects(
            waitRollout(GATE, async () => seen.shift()!, { everyMs: 0 }),
            /cloudlab-dev-nodes: instance refresh r-1 ended Failed: instances failed to launch/,
        );
        const good = [
            state({ refresh: refresh("InProgress") }),
            state({ refresh: refresh("Successful"), instances: [node("a", "7"), node("b", "7")] }),
        ];
        assert.ok((await waitRollout(GATE, async () => good.shift()!, { everyMs: 0 })) >= 0);
    });

    it("gives up after its time bound saying what it last saw, and after repeated AWS errors saying which", async () => {
        await assert.rejects(
            waitRollout(GATE, async () => state({ refresh: refresh("InProgress") }), {
                everyMs: 0,
                now: fakeClock(10_000),
            }),
            /not on launch template version 7 after 60 s \(last: instance refresh r-1 InProgress, 50% done\)/,
        );
        let calls = 0;
        await assert.rejects(
            waitRollout(
                GATE,
                async () => {
                    calls++;
                    throw new Error("aws autoscaling describe-instance-refreshes: Unable to locate credentials");
                },
                { everyMs: 0, now: fakeClock(1000) },
            ),
            /Unable to locate credentials/,
        );
        assert.equal(calls, 5, "a few transient errors are tolerated, a lasting one is not");
    });

    it("reads its settings from the environment, naming what is missing or bad", () => {
        assert.deepEqual(
            rolloutGateFromEnv({
                CLOUDLAB_REGION: "eu-west-1",
                CLOUDLAB_GROUP: "cloudlab-dev-nodes",
                CLOUDLAB_TEMPLATE_VERSION: "7",
                CLOUDLAB_TIMEOUT_SECONDS: "60",
            }),
            GATE,
        );
        assert.throws(
            () => rolloutGateFromEnv({ CLOUDLAB_REGION: "eu-west-1", CLOUDLAB_TIMEOUT_SECONDS: "soon" }),
            /CLOUDLAB_GROUP is required; CLOUDLAB_TEMPLATE_VERSION is required; CLOUDLAB_TIMEOUT_SECONDS must be a positive number of seconds, not "soon"/,
        );
    });
});
