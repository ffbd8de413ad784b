import * as pulumi from "@pulumi/pulumi";
import type { Platform } from "../config/schema";

/** The stack outputs every platform has; each platform's stack adds its own (localStack.ts, awsStack.ts). */
export interface CommonStackOutputs<P extends Platform> {
    platform: P;
    /** The URL users and load tests call. */
    balancerUrl: pulumi.Output<string>;
    /** The release the nodes run. */
    imageTag: string;
    /** What the controller and the monitoring do on this stack, in a sentence each. */
    controller: pulumi.Output<string>;
    monitoring: pulumi.Output<string>;
}
