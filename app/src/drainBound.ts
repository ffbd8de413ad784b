/**
 * How long a stopping node may take, in one place. The app owns these numbers
 * (appServer.ts waits for in-flight requests, primary.ts kills stuck workers);
 * the infrastructure reads them from here (the local containers' and the EC2
 * nodes' stop timeouts, the balancer's deregistration delay) so Docker or AWS
 * never kills a node that is still finishing what it promised to finish.
 *
 * Pure and import-free: the root project compiles this file too.
 *
 * After SIGTERM: /health answers 503 and serving goes on for DRAIN_SECONDS;
 * then the listener closes and requests in flight get INFLIGHT_BOUND_MS; a
 * worker still alive KILL_SLACK_MS after that is stuck and the primary
 * SIGKILLs it, then exits.
 */

/** Requests in flight when the listener closes (a long /load included) get this long to finish. */
export const INFLIGHT_BOUND_MS = 30_000;

/** Workers bound their own drain; the primary kills one still alive this long after drain + in-flight bound. */
export const KILL_SLACK_MS = 5_000;

/**
 * The longest a node may need after SIGTERM before Docker or AWS may kill it:
 * drain + in-flight bound + kill slack, rounded up to whole seconds (Docker's
 * stop timeout is whole seconds). E.g. drain 2 s: 37 s.
 */
export function stopBoundSeconds(drainSeconds: number): number {
    if (!Number.isFinite(drainSeconds) || drainSeconds < 0) {
        throw new RangeError(`drainSeconds must be a finite number >= 0, got ${drainSeconds}`);
    }
    return Math.ceil(drainSeconds + (INFLIGHT_BOUND_MS + KILL_SLACK_MS) / 1000);
}
