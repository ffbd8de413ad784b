/**
 * How often a failing node is restarted: the first restart at once, each further one after twice the previous
 * wait, starting at one check period, capped; a node that has stayed up since its last restart for the cap
 * counts as recovered and starts from scratch.
 */
export interface BackoffRule {
    /** The first wait (after the second failure), seconds: one check period. */
    baseSeconds: number;
    capSeconds: number;
}

/** Seconds to wait before restart number `attempt` (1 = the first one, which does not wait). */
export function backoffSeconds(attempt: number, rule: BackoffRule): number {
    if (attempt <= 1) return 0;
    return Math.min(rule.capSeconds, rule.baseSeconds * 2 ** (attempt - 2));
}

/** Whether a node last restarted at `lastRestartMs` that is healthy now has recovered (its count resets). */
export function recovered(lastRestartMs: number, nowMs: number, rule: BackoffRule): boolean {
    return nowMs - lastRestartMs >= rule.capSeconds * 1000;
}
