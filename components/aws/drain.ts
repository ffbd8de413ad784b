/**
 * How long a stopping node may take, as the app defines it (app/src/drainBound.ts is the one home of these
 * numbers; this file only gives the AWS side its names for them).
 */
import { INFLIGHT_BOUND_MS, KILL_SLACK_MS, stopBoundSeconds } from "../../app/src/drainBound";

export { INFLIGHT_BOUND_MS, KILL_SLACK_MS, stopBoundSeconds };

/**
 * The whole time a stopping node may need after SIGTERM: drain, in-flight bound and the app's kill slack, in whole
 * seconds ({@link stopBoundSeconds}; drain 2 s: 37 s). The balancer's deregistration delay (at least this) and the EC2
 * container's stop timeout both use it, so neither cuts a request the app would still have finished.
 */
export const drainBoundSeconds = stopBoundSeconds;
