/**
 * autocannon as a library: a fixed-duration run, or a background load that a disruption scenario stops. Every
 * load is loopback-only (checked before any socket opens), bounded in time (autocannon's duration) and in
 * count (maxOverallRequests), and ends by itself even if nobody stops it.
 */
import autocannon from "autocannon";
import { assertLoopback } from "../lib/loopback";
import { LoadFigures, errorCode, summarise } from "./summary";

export interface LoadSpec {
    /** One or more URLs; autocannon spreads the connections over them round robin, with one histogram. */
    urls: string[];
    connections: number;
    /** Upper bound of the run in seconds; a background load is normally stopped earlier. */
    durationS: number;
    timeoutS: number;
    /** autocannon worker threads; 0 = in this process. */
    workers?: number;
}

/** Far above what 2 cores serve (~10^4 req/s), so it never cuts a real run short; it only bounds a runaway. */
export const MAX_REQUESTS_PER_SECOND = 200_000;

export interface LoadFiguresWithClient extends LoadFigures {
    /** CPU this process (autocannon, worker threads included) used, in % of one core: ~100 means the client is the limit. */
    clientCpuPercent: number;
}

/** CPU time (user + system, µs) over wall time (µs), in whole % of one core: 150 = one and a half cores busy. */
export function cpuPercent(cpu: NodeJS.CpuUsage, wallUs: number): number {
    return Math.round(((cpu.user + cpu.system) / wallUs) * 100);
}

export class RunningLoad {
    private readonly instance: autocannon.Instance;
    private readonly result: Promise<LoadFiguresWithClient>;
    private stopped = false;

    constructor(readonly spec: LoadSpec) {
        if (spec.urls.length === 0) throw new Error("a load needs at least one URL");
        for (const url of spec.urls) assertLoopback(url);
        const codes: Record<string, number> = {};
        const cpuBefore = process.cpuUsage();
        const started = process.hrtime.bigint();
        let settle!: (r: LoadFiguresWithClient) => void;
        let fail!: (e: Error) => void;
        this.result = new Promise((resolve, reject) => {
            settle = resolve;
            fail = reject;
        });
        this.instance = autocannon(
            {
                // autocannon accepts an array of URLs (lib/run.js); @types/autocannon only knows a string.
                url: (spec.urls.length === 1 ? spec.urls[0] : spec.urls) as string,
                connections: spec.connections,
                duration: spec.durationS,
                timeout: spec.timeoutS,
                maxOverallRequests: Math.ceil(spec.durationS * MAX_REQUESTS_PER_SECOND),
                ...(spec.workers ? { workers: spec.workers } : {}),
            },
            (err, result) => {
                if (err) return fail(err instanceof Error ? err : new Error(String(err)));
                const cpu = process.cpuUsage(cpuBefore);
                const wallUs = Number(process.hrtime.bigint() - started) / 1000;
                settle({ ...summarise(result, codes), clientCpuPercent: cpuPercent(cpu, wallUs) });
            },
        );
        this.instance.on("reqError", (e: unknown) => {
            const code = errorCode(e);
            codes[code] = (codes[code] ?? 0) + 1;
        });
    }

    /** Ends the load early (idempotent); autocannon finishes its current one-second sample first. */
    stop(): Promise<LoadFiguresWithClient> {
        if (!this.stopped) {
            this.stopped = true;
            this.instance.stop();
        }
        return this.result;
    }

    get done(): Promise<LoadFiguresWithClient> {
        return this.result;
    }
}

/** Loads that are running, so a SIGINT can stop them before the stack is torn down. */
const active = new Set<RunningLoad>();

export function startLoad(spec: LoadSpec): RunningLoad {
    const load = new RunningLoad(spec);
    active.add(load);
    void load.done.finally(() => active.delete(load)).catch(() => undefined);
    return load;
}

/** A load for its whole duration. */
export function runLoad(spec: LoadSpec): Promise<LoadFiguresWithClient> {
    return startLoad(spec).done;
}

/**
 * Stops every running load, waiting at most `waitMs`: autocannon's worker-thread mode forgets its workers on
 * stop() and may never report, and an interrupted bench must still get to tearing its stack down.
 */
export async function stopAllLoads(waitMs = 3000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)));
    await Promise.race([Promise.allSettled([...active].map((l) => l.stop())), timeout]);
    clearTimeout(timer);
}
