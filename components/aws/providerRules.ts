/**
 * Rules of the AWS provider (the Terraform provider that @pulumi/aws bridges) the dev stack is designed around,
 * as data, so the unit tests check the program against them instead of restating them in comments.
 *
 * Source: hashicorp/terraform-provider-aws, internal/service/autoscaling/group.go and lifecycle_hook.go (read at
 * commits 00a919d1548e and 00a35305dc1b); pulumi-terraform-bridge pkg/tfbridge/schema.go
 * (nameRequiresDeleteBeforeReplace, at 59de6c661df1). Property names are @pulumi/aws's (camelCase).
 */

/**
 * Inputs of `aws.autoscaling.Group` marked ForceNew: any change replaces the group. `name` is set explicitly
 * (not auto-named), so the bridge replaces it delete-before-replace: every node and the warm pool go first.
 * initialLifecycleHooks is ForceNew as a whole set and in each of its fields.
 */
export const GROUP_FORCE_NEW: readonly string[] = ["name", "namePrefix", "initialLifecycleHooks"];

/** Inputs of `aws.autoscaling.LifecycleHook` marked ForceNew (its other fields update in place, PutLifecycleHook). */
export const LIFECYCLE_HOOK_FORCE_NEW: readonly string[] = ["name"];

/**
 * Group inputs whose change makes the provider's update wait for capacity (when waitForCapacityTimeout > 0):
 * it then wants EXACTLY max(minSize, desiredCapacity as last recorded in the state) in-service instances, so
 * after the alarms scaled the group out the wait can never succeed and `up` fails at the timeout.
 */
export const GROUP_UPDATE_WAITS_ON: readonly string[] = ["minSize", "desiredCapacity", "desiredCapacityType"];

/** The waits the provider skips: a timeout that parses to 0 ("0", "0s", "0m"). */
export function waitsForCapacity(waitForCapacityTimeout: string | undefined): boolean {
    // The provider's default is "10m" when the input is absent.
    if (waitForCapacityTimeout === undefined) return true;
    return !/^0+(\.0+)?[smh]?$/.test(waitForCapacityTimeout);
}

/**
 * The provider's defaults for `instanceRefresh.preferences` (group.go schema; expandRefreshPreferences sends each of
 * them on every StartInstanceRefresh, so AWS's own defaults never apply). Two differ from AWS's: AWS waits for
 * Standby and scale-in protected instances, the provider ignores them; and MaxHealthyPercentage is always sent
 * (100), which AWS documents as not equivalent to leaving it out (terraform-provider-aws#39872). The program sets
 * every one of them itself (components/aws/refresh.ts).
 */
export const REFRESH_PREFERENCE_DEFAULTS = {
    minHealthyPercentage: 90,
    maxHealthyPercentage: 100,
    skipMatching: false,
    scaleInProtectedInstances: "Ignore",
    standbyInstances: "Ignore",
} as const;

/**
 * On a launch template change the provider saves the new version on the group (UpdateAutoScalingGroup) before it
 * calls StartInstanceRefresh (group.go, resourceGroupUpdate; with autoRollback it sends that same version as the
 * DesiredConfiguration, expandStartInstanceRefreshInput). AWS rolls back to "the configuration that you last saved
 * on the Auto Scaling group before starting the instance refresh" (EC2 Auto Scaling User Guide, "Undo changes with a
 * manual or auto rollback"): the new version. hashicorp/terraform-provider-aws#34189 (open; #39007 closed unmerged).
 */
export const ROLLBACK_RESTORES_NEW_VERSION = true;
