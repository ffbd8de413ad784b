/**
 * The one sleep and the one polling wait of the scripts, the engine and the tests. Every wait is bounded in
 * time and in attempts, and an AbortSignal ends it at once (an interrupted bench must get to its clean-up).
 */

/** Resolves after `ms`, or at once when `signal` aborts (it never rejects). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
        if (signal?.aborted) return resolve();
        const timer = setTimeout(done, ms);
        function done() {
            clearTimeout(timer);
            signal?.removeEventListener("abort", done);
            resolve();
        }
        signal?.addEventListener("abort", done, { once: true });
    });
}

export interface WaitOptions {
    /** Pause between two checks (default 250 ms). */
    everyMs?: number;
    /** Aborting it ends the wait with an "interrupted" error. */
    signal?: AbortSignal;
    /** The clock the time bound is measured on (default Date.now); the attempt bound holds even if it stands still. */
    now?: () => number;
}

/**
 * Calls `check` until it returns `true`; at most `timeoutMs` and timeoutMs/everyMs + 1 attempts. Anything else
 * is "not yet": a string says what was seen instead, and a throw counts as its message; the last of those is
 * in the timeout error, so a failure says what the wait was stuck on. Returns the ms it took.
 */
export async function waitFor(
    what: string,
    check: () => boolean | string | Promise<boolean | string>,
    timeoutMs: number,
    { everyMs = 250, signal, now = Date.now }: WaitOptions = {},
): Promise<number> {
    const started = now();
    const maxAttempts = Math.ceil(timeoutMs / everyMs) + 1;
    let last = "";
    for (let attempt = 0; attempt < maxAttempts && now() - started <= timeoutMs; attempt++) {
        if (signal?.aborted) throw new Error(`interrupted while waiting for ${what}`);
        try {
            const r = await check();
            if (r === true) return now() - started;
            if (typeof r === "string") last = r;
        } catch (err) {
            last = err instanceof Error ? err.message : String(err);
        }
        await sleep(everyMs, signal);
    }
    if (signal?.aborted) throw new Error(`interrupted while waiting for ${what}`);
    throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${last ? ` (last: ${last})` : ""}`);
}
