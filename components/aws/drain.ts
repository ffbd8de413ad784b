/**
 * How long a stopping node may take, as the app defines it (app/src/drainBound.ts is the one home of these
 * numbers; this file only gives the AWS side its names for them).
 */
import { INFLIGHT_BOUND_MS, KILL_SLACK_MS, stopBoundSeconds } from "../../app/src/drainBound";

export { INFLIGHT_BOUND_MS, KILL_SLACK_MS, stopBoundSeconds };

/**
 * The app's drain plus its in-flight bound: after SIGTERM it serves DRAIN_SECONDS more, closes its listener and
 * gives requests still running INFLIGHT_BOUND_MS. The balancer's deregistration delay and the EC2 container's
 * stop timeout use it. (It leaves out the app's kill slack: see {@link stopBoundSeconds}.)
 */
export function drainBoundSeconds(drainSeconds: number): number {
    return Math.ceil(drainSeconds + INFLIGHT_BOUND_MS / 1000);
}
