import * as pulumi from "@pulumi/pulumi";

/** Arguments of {@link Controller}. */
export interface ControllerArgs {
    /** Names of the nodes it may start and stop. */
    nodes: string[];
    /** Nodes kept running at least (scale-in floor). */
    nodeCount: number;
    /** Most nodes running (seed 004's node_limit). */
    nodeLimit: number;
    /** Seconds between checks (seed 004's check_period). */
    checkPeriod: number;
    /** A node above this CPU % for `evaluationPeriods` checks makes the controller add a node. */
    cpuHighPercent: number;
    /** Below this CPU % the controller STOPS a node (kept for a quick restart, not deleted). */
    cpuLowPercent: number;
    evaluationPeriods: number;
    platform: { kind: "local" };
}

/**
 * Keeps the nodes healthy (restarts a dead app, seed 000) and scales them between nodeCount and nodeLimit on
 * CPU (seed 004: scale-in stops a node, scale-out restarts stopped nodes before creating new ones).
 *
 * Local stack: NOT BUILT YET. The component is declared so the architecture reads whole, but it creates nothing
 * and `status` says so; nodes above nodeCount stay stopped until it exists.
 */
export class Controller extends pulumi.ComponentResource {
    /** What the controller does on this stack right now. */
    public readonly status: pulumi.Output<string>;

    constructor(name: string, args: ControllerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cloudlab:index:Controller", name, {}, opts);
        this.status = pulumi.output(
            `not built on the ${args.platform.kind} stack yet: nothing restarts or scales the ${args.nodes.length} nodes`,
        );
        this.registerOutputs({ status: this.status });
    }
}
