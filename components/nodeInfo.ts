/** What a user reads about one node (`pulumi stack output nodes`). */
export interface NodeInfo {
    name: string;
    /** Direct URL of the node, bypassing the balancer. */
    url: string;
    /** Address on the stack network. */
    address: string;
    imageTag: string;
    /** true for warm-standby nodes: declared but stopped until the controller starts them. */
    standby: boolean;
}
