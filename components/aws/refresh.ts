/**
 * How an instance refresh rolls a deploy, as AWS and the provider define the preferences (components/aws/
 * providerRules.ts has the provider's side; AWS's is the RefreshPreferences API reference).
 *
 * AWS takes percentages of the group's desired capacity, not node counts: MinHealthyPercentage 0-100,
 * MaxHealthyPercentage 100-200, at most 100 apart. With MinHealthyPercentage 100 no node leaves service before its
 * replacement is in service (launch before terminate); MaxHealthyPercentage sets how many extra nodes may run
 * meanwhile, which is the batch. The provider always sends MaxHealthyPercentage (default 100), and AWS documents
 * that an explicit value, when the two bounds leave no room for a replacement, still launches one new instance
 * before terminating an old one: the batch is never 0.
 */

/** Every node stays in service until its replacement is: the refresh never lowers capacity. */
export const KEPT_PERCENTAGE = 100;
/** MaxHealthyPercentage's range (RefreshPreferences) and the widest gap AWS allows between the two bounds. */
export const MAX_HEALTHY_RANGE = { min: 100, max: 200 } as const;
export const MAX_HEALTHY_GAP = 100;

/**
 * The upper bound that lets `batch` extra nodes run at a desired capacity of `desired`: 100 + batch/desired, in whole
 * percent rounded DOWN, capped at 200 (all at once). AWS does not document how it rounds the upper bound into
 * instances: rounded down, the batch is `batch` when batch x 100 / desired is whole (desired 1, 2, 4, 5, 10, ...)
 * and one less otherwise (never below one); rounded up, it is `batch`. Rounding the percentage up instead would
 * risk batch + 1 extra nodes: never more than the user asked for is the side to err on.
 */
export function surgePercentage(batch: number, desired: number): number {
    if (!Number.isInteger(batch) || batch < 1) throw new Error(`batch must be a whole number >= 1, got ${batch}`);
    if (!Number.isInteger(desired) || desired < 1)
        throw new Error(`desired capacity must be a whole number >= 1, got ${desired}`);
    return Math.min(MAX_HEALTHY_RANGE.max, MAX_HEALTHY_RANGE.min + Math.floor((100 * batch) / desired));
}

/**
 * The instance refresh's preferences for a deploy that replaces `batch` nodes at a time at the group's current
 * `desired` capacity:
 * - launch before terminate (min 100, max from {@link surgePercentage}): capacity never drops, even with one node;
 * - skipMatching: a refresh restarted after an interrupted one leaves nodes that already run the new version;
 * - the health alarms, without autoRollback: a release whose nodes fail their checks or answer 5xx fails the
 *   refresh (RefreshPreferences: alarms "fail the operation"), and `up` fails with it ({@link rolloutVerdict}).
 *   AWS's rollback would not help: it restores "the configuration you last saved on the group before starting
 *   the instance refresh", and the provider saves the new launch template version (UpdateAutoScalingGroup) before
 *   it calls StartInstanceRefresh with that same version as the desired configuration
 *   (terraform-provider-aws internal/service/autoscaling/group.go, resourceGroupUpdate and
 *   expandStartInstanceRefreshInput; hashicorp/terraform-provider-aws#34189). A rollback would put the bad release
 *   back and report RollbackSuccessful; the rollback is `imageTag` set back and an `up` (docs/aws.md);
 * - scaleInProtectedInstances Refresh: nothing here protects nodes, but one a person protected still gets the
 *   release (the provider's default, Ignore, would leave it on the old one while the refresh reports success);
 * - standbyInstances Wait (AWS's own default, which the provider replaces with Ignore): a node someone put in
 *   Standby is neither killed nor silently left behind; after an hour the refresh fails, and `up` with it.
 */
export function refreshPreferences(batch: number, desired: number, alarms: string[]) {
    return {
        minHealthyPercentage: KEPT_PERCENTAGE,
        maxHealthyPercentage: surgePercentage(batch, desired),
        skipMatching: true,
        autoRollback: false,
        alarmSpecification: { alarms },
        scaleInProtectedInstances: "Refresh",
        standbyInstances: "Wait",
    };
}

/**
 * The desired capacity a refresh started by this `up` works from: the group's current one when the group exists (the
 * alarms may have scaled it since the last `up`), bounded by the min and max this `up` sets (AWS moves it into
 * them); nodeCount for a group not created yet (AWS starts it at its minimum).
 */
export function refreshCapacity(current: number | undefined, nodeCount: number, nodeLimit: number): number {
    if (current === undefined) return nodeCount;
    return Math.max(nodeCount, Math.min(nodeLimit, current));
}

/**
 * How long a refresh may run before the rollout wait gives up: an hour (with auto rollback, a refresh whose
 * replacements keep failing tries for up to an hour before it fails: Amazon EC2 Auto Scaling User Guide, "Undo
 * changes with a manual or auto rollback"; without it AWS documents no bound, so this one ends the `up`; a Standby
 * node is waited for an hour too), plus one boot timeout and one deregistration delay per batch of the largest group.
 */
export function rolloutWaitSeconds(nodeLimit: number, batch: number, perBatchSeconds: number): number {
    return 3600 + Math.ceil(nodeLimit / batch) * perBatchSeconds;
}

/** Instance refresh statuses (DescribeInstanceRefreshes) of a refresh that has not ended yet. */
export const REFRESH_ACTIVE: readonly string[] = [
    "Pending",
    "InProgress",
    "Cancelling",
    "RollbackInProgress",
    "Baking",
];

/** What the rollout wait sees of the group: its latest instance refresh and its instances (warm pool excluded). */
export interface RolloutState {
    /** The group's most recent instance refresh (DescribeInstanceRefreshes answers newest first); none yet. */
    refresh?: { id: string; status: string; reason?: string; percentage?: number };
    desiredCapacity: number;
    instances: Array<{ id: string; lifecycleState: string; healthStatus: string; templateVersion?: string }>;
}

export type RolloutVerdict = { kind: "done" } | { kind: "waiting"; why: string } | { kind: "failed"; why: string };

/**
 * Whether the group runs `version` of its launch template, as `up` must know before it reports success: every
 * in-service instance on that version and healthy, at least the desired capacity of them, and no refresh running.
 * The latest refresh ended anything but Successful: failed, whatever the instances show (the alarms stopped it,
 * AWS gave up on it, or someone cancelled it). The rollout wait runs only after an `up` that
 * changed the version (which starts a refresh) or created the group (no refresh yet).
 */
export function rolloutVerdict(state: RolloutState, version: string): RolloutVerdict {
    const { refresh } = state;
    if (refresh && REFRESH_ACTIVE.includes(refresh.status))
        return {
            kind: "waiting",
            why: `instance refresh ${refresh.id} ${refresh.status}, ${refresh.percentage ?? 0}% done`,
        };
    if (refresh && refresh.status !== "Successful")
        return {
            kind: "failed",
            why:
                `instance refresh ${refresh.id} ended ${refresh.status}${refresh.reason ? `: ${refresh.reason}` : ""}. ` +
                `The group keeps launch template version ${version} (this release) for every new node. ` +
                `Roll back: pulumi config set imageTag <the previous release> && pulumi up (docs/aws.md)`,
        };
    const inService = state.instances.filter((i) => i.lifecycleState === "InService");
    const older = inService.filter((i) => i.templateVersion !== version);
    const ready = inService.filter((i) => i.templateVersion === version && i.healthStatus === "Healthy");
    if (older.length === 0 && ready.length >= state.desiredCapacity) return { kind: "done" };
    return {
        kind: "waiting",
        why: `${ready.length} of ${state.desiredCapacity} node(s) in service on version ${version}, ${older.length} on another`,
    };
}
