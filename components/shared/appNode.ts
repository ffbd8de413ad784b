import type { CommonConfig } from "../config/validate";

/** The Pulumi type of both platforms' AppNode (one token: URNs do not depend on the platform class). */
export const APP_NODE_TYPE = "cloudlab:index:AppNode";

/**
 * What both platforms' AppNode takes. The application nodes are the FLEET of machines that run the app, not one
 * machine: `LocalAppNode` (../local/appNode.ts) declares one container per node (a VM stand-in with a CPU and
 * memory size, a fixed address and a health check); `AwsAppNode` (../aws/appNode.ts) an EC2 auto scaling group
 * whose instances come and go.
 *
 * There is no shared AppNode class: the two fleets have no output in common (the local stack reads its node
 * list and containers, the AWS stack its group, AMI and log group), so the contract is these args and the type.
 */
export interface AppNodeArgs {
    /** Nodes running after `up`: the scaling floor. */
    nodeCount: CommonConfig["nodeCount"];
    /** Most nodes that may exist. */
    nodeLimit: CommonConfig["nodeLimit"];
    /** Port the app listens on in a node. */
    appPort: CommonConfig["appPort"];
    /** Seconds a stopping node keeps serving after it starts failing its health check. */
    drainSeconds: CommonConfig["drainSeconds"];
    /** Nodes a deploy replaces at a time. */
    rollingBatchSize: CommonConfig["rollingBatchSize"];
    /** Release every node runs (unless overridden per node, locally). */
    imageTag: CommonConfig["imageTag"];
    /** Milliseconds an uncached GET /data waits, as a database read would. */
    backendDelayMs: CommonConfig["backendDelayMs"];
    /** Whether each node process caches GET /data answers. */
    cache: CommonConfig["cache"];
    /** Seconds a cached answer stays fresh. */
    cacheTtlSeconds: CommonConfig["cacheTtlSeconds"];
    /** Most keys each node process's cache holds. */
    cacheMaxEntries: CommonConfig["cacheMaxEntries"];
}

/** The shared fleet settings out of either platform's config (both stacks take them alike). */
export function appNodeArgsOf(config: CommonConfig): AppNodeArgs {
    return {
        nodeCount: config.nodeCount,
        nodeLimit: config.nodeLimit,
        appPort: config.appPort,
        drainSeconds: config.drainSeconds,
        rollingBatchSize: config.rollingBatchSize,
        imageTag: config.imageTag,
        backendDelayMs: config.backendDelayMs,
        cache: config.cache,
        cacheTtlSeconds: config.cacheTtlSeconds,
        cacheMaxEntries: config.cacheMaxEntries,
    };
}
