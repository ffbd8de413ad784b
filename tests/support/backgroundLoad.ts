import autocannon from "autocannon";
import { assertLoopback } from "../../lib/loopback";

/** What a background load saw: every request that was not a 2xx, or failed at the socket, is a failure. */
export interface LoadSummary {
    requests: number;
    non2xx: number;
    errors: number;
    timeouts: number;
    /** non-2xx + socket errors (timeouts included). */
    failed: number;
    maxLatencyMs: number;
    p99LatencyMs: number;
    statusCodes: Record<string, number>;
}

/**
 * A constant load through the balancer while a test disrupts the stack: a few keep-alive connections, bounded
 * by `maxSeconds` (it stops by itself), loopback only. `stop()` ends it and returns the counts.
 */
export class BackgroundLoad {
    private readonly instance: autocannon.Instance;
    private readonly done: Promise<autocannon.Result>;

    constructor(url: string, opts: { connections?: number; maxSeconds?: number; timeoutSeconds?: number } = {}) {
        assertLoopback(url);
        let settle: (err: Error | null, result: autocannon.Result) => void = () => undefined;
        this.done = new Promise((resolve, reject) => {
            settle = (err, result) => (err ? reject(err) : resolve(result));
        });
        // With a callback autocannon returns the running instance (without one, a promise of the result).
        this.instance = autocannon(
            {
                url,
                connections: opts.connections ?? 8,
                duration: opts.maxSeconds ?? 300,
                // A request slower than this counts as failed: the bound a frozen node may cost a client.
                timeout: opts.timeoutSeconds ?? 10,
            },
            (err, result) => settle(err, result),
        );
    }

    async stop(): Promise<LoadSummary> {
        this.instance.stop();
        const r = await this.done;
        const statusCodes: Record<string, number> = {};
        for (const k of ["1xx", "2xx", "3xx", "4xx", "5xx"] as const) if (r[k]) statusCodes[k] = r[k];
        return {
            requests: r.requests.total,
            non2xx: r.non2xx,
            errors: r.errors,
            timeouts: r.timeouts,
            failed: r.non2xx + r.errors,
            maxLatencyMs: r.latency.max,
            p99LatencyMs: r.latency.p99,
            statusCodes,
        };
    }
}

export function describeLoad(s: LoadSummary): string {
    return `${s.requests} requests, ${s.failed} failed (non-2xx ${s.non2xx}, errors ${s.errors}, timeouts ${s.timeouts}), p99 ${s.p99LatencyMs} ms, max ${s.maxLatencyMs} ms`;
}
