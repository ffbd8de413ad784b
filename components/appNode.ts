import * as pulumi from "@pulumi/pulumi";
import { NodeInfo } from "./nodeInfo";
import { LocalNodesPlatform, declareLocalNodes } from "./local/nodeContainers";
import { AwsNodesPlatform, declareAwsNodes } from "./aws/nodeGroup";

export type { NodeInfo } from "./nodeInfo";

/** Arguments of {@link AppNode}. */
export interface AppNodeArgs {
    /** Nodes running after `up`: the scaling minimum. */
    nodeCount: number;
    /** Most nodes that may exist (seed 004's node_limit). */
    nodeLimit: number;
    /** Port the app listens on inside a node. */
    appPort: number;
    /** Seconds a stopping node keeps serving after failing its health check. */
    drainSeconds: number;
    /** Nodes replaced at a time by a deploy or rollback. */
    rollingBatchSize: number;
    /** Release every node runs... */
    imageTag: string;
    /** ...except these (node name -> tag): a canary. Local only: an auto scaling group runs one release. */
    nodeImageTags: Record<string, string>;
    /** What differs per platform. */
    platform: LocalNodesPlatform | AwsNodesPlatform;
}

/**
 * The application nodes: every machine that runs the app. Locally a node is a container (a VM stand-in with a
 * CPU and memory size, a fixed address and a health check); on AWS the nodes are an auto scaling group.
 */
export class AppNode extends pulumi.ComponentResource {
    /** Local: the nodes declared by the stack, running and standby. */
    public readonly nodes?: pulumi.Output<NodeInfo[]>;
    /** AWS: the auto scaling group, whose instances come and go. */
    public readonly groupName?: pulumi.Output<string>;

    constructor(name: string, args: AppNodeArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cloudlab:index:AppNode", name, {}, opts);
        if (args.platform.kind === "aws") {
            this.groupName = declareAwsNodes(this, name, args, args.platform).groupName;
        } else {
            const tagOf = (node: string) => args.nodeImageTags[node] ?? args.imageTag;
            this.nodes = pulumi.output(declareLocalNodes(this, name, { ...args, tagOf }, args.platform));
        }
        this.registerOutputs({ nodes: this.nodes, groupName: this.groupName });
    }
}
