import * as pulumi from "@pulumi/pulumi";
import { AwsControllerPlatform, CPU_STATISTIC, declareCpuScaling } from "./aws/cpuScaling";
import { refreshPreferences } from "./aws/nodeGroup";

/** Arguments of {@link Controller}. */
export interface ControllerArgs {
    /** Nodes kept running at least (scale-in floor). */
    nodeCount: number;
    /** Most nodes running (seed 004's node_limit). */
    nodeLimit: number;
    /** Nodes replaced at a time by a deploy or rollback. */
    rollingBatchSize: number;
    /** Seconds between checks (seed 004's check_period). */
    checkPeriod: number;
    /** A node above this CPU % for `evaluationPeriods` checks makes the controller add a node. */
    cpuHighPercent: number;
    /** Below this CPU % the controller STOPS a node (kept for a quick restart, not deleted). */
    cpuLowPercent: number;
    evaluationPeriods: number;
    /** Local: the names of the nodes it may start and stop. AWS: the nodes' auto scaling group. */
    platform: { kind: "local"; nodes: string[] } | AwsControllerPlatform;
}

/**
 * Keeps the nodes healthy (restarts a dead app, seed 000) and scales them between nodeCount and nodeLimit on
 * CPU (seed 004: scale-in stops a node, scale-out restarts stopped nodes before creating new ones).
 *
 * AWS: CloudWatch alarms and step scaling policies on the nodes' group; the group itself replaces unhealthy
 * nodes, keeps the stopped ones in its warm pool and rolls deploys by instance refresh.
 *
 * Local stack: NOT BUILT YET. The component is declared so the architecture reads whole, but it creates nothing
 * and `status` says so; nodes above nodeCount stay stopped until it exists.
 */
export class Controller extends pulumi.ComponentResource {
    /** What the controller does on this stack right now. */
    public readonly status: pulumi.Output<string>;
    /** AWS: the CPU alarms (the dashboard shows them). */
    public readonly alarmArns?: pulumi.Output<string>[];

    constructor(name: string, args: ControllerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cloudlab:index:Controller", name, {}, opts);
        const p = args.platform;
        if (p.kind === "aws") {
            const scaling = declareCpuScaling(this, name, args, p);
            this.alarmArns = [scaling.highAlarm.arn, scaling.lowAlarm.arn];
            const window = `${args.evaluationPeriods} x ${args.checkPeriod} s`;
            const kept = refreshPreferences(args.nodeCount, args.rollingBatchSize).minHealthyPercentage;
            this.status = pulumi.interpolate`${p.groupName}: +1 node when a node's CPU (${CPU_STATISTIC.toLowerCase()} over the group) is above ${args.cpuHighPercent}% for ${window}, -1 (stopped into the warm pool) when below ${args.cpuLowPercent}%; ${args.nodeCount} to ${args.nodeLimit} nodes; deploys roll by instance refresh keeping ${kept}% in service`;
        } else {
            this.status = pulumi.output(
                `not built on the local stack yet: nothing restarts or scales the ${p.nodes.length} nodes`,
            );
        }
        this.registerOutputs({ status: this.status });
    }
}
