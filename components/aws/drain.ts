/**
 * The app's own bound on in-flight requests after its drain (app/src/appServer.ts, DEFAULT_INFLIGHT_TIMEOUT_MS):
 * after SIGTERM it serves DRAIN_SECONDS more, closes its listener and gives requests still running 30 s.
 */
const APP_INFLIGHT_BOUND_SECONDS = 30;

/**
 * The whole time a stopping node may need: the balancer's deregistration delay and Docker's stop timeout both
 * use it, so neither cuts a request the app would still have finished.
 */
export function drainBoundSeconds(drainSeconds: number): number {
    return drainSeconds + APP_INFLIGHT_BOUND_SECONDS;
}
