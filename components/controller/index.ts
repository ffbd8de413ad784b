import * as pulumi from "@pulumi/pulumi";
import type { CloudlabConfig } from "../config/validate";

/** The Pulumi type of both platforms' Controller (one token: URNs do not depend on the platform class). */
export const CONTROLLER_TYPE = "cloudlab:index:Controller";

/**
 * What every platform's {@link Controller} takes; each key means what its stack config key says
 * (components/config/schema.ts): between `nodeCount` and `nodeLimit` nodes, a check every `checkPeriod`
 * seconds, one node more when a node stays above `cpuHighPercent` for `evaluationPeriods` checks, one node
 * stopped when every node stays below `cpuLowPercent`, then `cooldownSeconds` (0: the window) before the next
 * action; deploys replace `rollingBatchSize` nodes at a time.
 */
export type ControllerArgs = Pick<
    CloudlabConfig,
    | "nodeCount"
    | "nodeLimit"
    | "rollingBatchSize"
    | "checkPeriod"
    | "cpuHighPercent"
    | "cpuLowPercent"
    | "evaluationPeriods"
    | "cooldownSeconds"
>;

/**
 * Keeps the nodes healthy (restarts a dead app, seed 000) and scales them between nodeCount and nodeLimit on
 * CPU (seed 004: scale-in stops a node, scale-out restarts stopped nodes before creating new ones).
 * `AwsController` (./aws.ts) is CloudWatch alarms and step scaling policies on the nodes' group;
 * `LocalController` (./local.ts) is a controller service in a container of the stack (controller/), which
 * reaches Docker only through a socket proxy.
 */
export abstract class Controller extends pulumi.ComponentResource {
    /** What the controller does on this stack right now, in a sentence. */
    public abstract readonly status: pulumi.Output<string>;

    protected constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
        super(CONTROLLER_TYPE, name, {}, opts);
    }
}
