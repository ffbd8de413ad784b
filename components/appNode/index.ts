import * as pulumi from "@pulumi/pulumi";
import type { CloudlabConfig } from "../config/validate";

/** The Pulumi type of both platforms' AppNode (one token: URNs do not depend on the platform class). */
export const APP_NODE_TYPE = "cloudlab:index:AppNode";

/**
 * What every platform's {@link AppNode} takes; each key means what its stack config key says
 * (components/config/schema.ts): `nodeCount` nodes run after `up` (the scaling floor), at most `nodeLimit`
 * exist, the app listens on `appPort`, a stopping node serves `drainSeconds` more, a deploy replaces
 * `rollingBatchSize` nodes at a time, and every node runs release `imageTag`; GET /data waits `backendDelayMs`
 * behind an optional cache (`cache`, `cacheTtlSeconds`, `cacheMaxEntries`).
 */
export type AppNodeArgs = Pick<
    CloudlabConfig,
    | "nodeCount"
    | "nodeLimit"
    | "appPort"
    | "drainSeconds"
    | "rollingBatchSize"
    | "imageTag"
    | "backendDelayMs"
    | "cache"
    | "cacheTtlSeconds"
    | "cacheMaxEntries"
>;

/**
 * The application nodes: the FLEET of machines that run the app, not one machine. `LocalAppNode` (./local.ts)
 * declares one container per node (a VM stand-in with a CPU and memory size, a fixed address and a health
 * check); `AwsAppNode` (./aws.ts) an EC2 auto scaling group whose instances come and go.
 */
export abstract class AppNode extends pulumi.ComponentResource {
    protected constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
        super(APP_NODE_TYPE, name, {}, opts);
    }
}
