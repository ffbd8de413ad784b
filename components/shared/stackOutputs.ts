import type { Platform } from "../config/schema";
import type { Controller } from "./controller";
import type { LoadBalancer } from "./loadBalancer";
import type { Monitoring } from "./monitoring";

/**
 * The stack outputs every platform has; each platform's stack adds its own (../local/stack.ts, ../aws/stack.ts).
 * The component outputs among them are typed from the concept classes: what both platforms' classes must have.
 */
export interface CommonStackOutputs<P extends Platform> {
    platform: P;
    /** The URL users and load tests call. */
    balancerUrl: LoadBalancer["url"];
    /** The release the nodes run. */
    imageTag: string;
    /** What the controller and the monitoring do on this stack, in a sentence each. */
    controller: Controller["status"];
    monitoring: Monitoring["status"];
}
