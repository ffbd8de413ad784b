import * as pulumi from "@pulumi/pulumi";
import type { CommonConfig } from "../config/validate";

/** The Pulumi type of both platforms' Controller (one token: URNs do not depend on the platform class). */
export const CONTROLLER_TYPE = "cloudlab:index:Controller";

/** What every platform's {@link Controller} takes. */
export interface ControllerArgs {
    /** Fewest nodes running: the controller never stops one below it. */
    nodeCount: CommonConfig["nodeCount"];
    /** Most nodes: the controller never starts one beyond it. */
    nodeLimit: CommonConfig["nodeLimit"];
    /** Nodes a deploy replaces at a time. */
    rollingBatchSize: CommonConfig["rollingBatchSize"];
    /** Seconds between two checks. */
    checkPeriod: CommonConfig["checkPeriod"];
    /** One node more when a node stays above this CPU % for `evaluationPeriods` checks. */
    cpuHighPercent: CommonConfig["cpuHighPercent"];
    /** One node stopped when every node stays below this CPU % for `evaluationPeriods` checks. */
    cpuLowPercent: CommonConfig["cpuLowPercent"];
    /** Consecutive checks beyond a threshold before the controller acts. */
    evaluationPeriods: CommonConfig["evaluationPeriods"];
    /** Seconds after an action before the next one; 0: the alarm window (cooldownSecondsOf). */
    cooldownSeconds: CommonConfig["cooldownSeconds"];
}

/** The shared scaling settings out of either platform's config (both stacks take them alike). */
export function controllerArgsOf(config: CommonConfig): ControllerArgs {
    return {
        nodeCount: config.nodeCount,
        nodeLimit: config.nodeLimit,
        rollingBatchSize: config.rollingBatchSize,
        checkPeriod: config.checkPeriod,
        cpuHighPercent: config.cpuHighPercent,
        cpuLowPercent: config.cpuLowPercent,
        evaluationPeriods: config.evaluationPeriods,
        cooldownSeconds: config.cooldownSeconds,
    };
}

/**
 * Keeps the nodes healthy (restarts a dead app, seed 000) and scales them between nodeCount and nodeLimit on
 * CPU (seed 004: scale-in stops a node, scale-out restarts stopped nodes before creating new ones).
 * `AwsController` (../aws/controller.ts) is CloudWatch alarms and step scaling policies on the nodes' group;
 * `LocalController` (../local/controller.ts) is a controller service in a container of the stack (controller/),
 * which reaches Docker only through a socket proxy. The contract both honour: `status`, the stacks' `controller`
 * output (CommonStackOutputs).
 */
export abstract class Controller extends pulumi.ComponentResource {
    /** What the controller does on this stack right now, in a sentence. */
    public abstract readonly status: pulumi.Output<string>;

    protected constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
        super(CONTROLLER_TYPE, name, {}, opts);
    }
}
