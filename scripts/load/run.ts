/**
 * The one load engine of `npm run bench` and `npm run sweep`: autocannon as a library, every response time
 * recorded into an HDR histogram (histogram.ts). Every load is loopback-only (checked before any socket
 * opens), bounded in time (autocannon's duration) and in count (maxOverallRequests), and ends by itself even
 * if nobody stops it.
 */
import autocannon from "autocannon";
import { assertLoopback } from "../../lib/loopback";
import { LatencyHistogram } from "./histogram";
import { LoadFigures, errorCode, summarise } from "./summary";

/** What each request looks like when it is not a plain GET of the URL's path. */
export interface RequestShape {
    /** Path (and query) of the next request, e.g. a key drawn from a distribution (keys.ts). */
    nextPath?: () => string;
    headers?: Record<string, string>;
    /** Count the answers' `X-Cache` header values (the app's GET /data says HIT, MISS, BYPASS or OFF). */
    countCacheHeader?: boolean;
}

export interface LoadSpec {
    /** One or more URLs; autocannon spreads the connections over them round robin, with one histogram. */
    urls: string[];
    /** Keep-alive connections, each sending its next request when the answer arrives (a sweep's "users"). */
    connections: number;
    /** Upper bound of the run in seconds; a background load is normally stopped earlier. */
    durationS: number;
    timeoutS: number;
    /** autocannon worker threads; 0 = in this process (only then are times and headers seen one by one). */
    workers?: number;
    request?: RequestShape;
    /** Called once a second with the requests answered in that second. */
    onSecond?: (answered: number) => void;
}

/** An answer's headers as autocannon's onResponse gets them: names as the server sent them, repeats in an array. */
export type ResponseHeaders = Record<string, string | string[]>;

/**
 * The body bytes of one answer: what Locust's Average Content Size averages (`len(response.content)`). Not
 * autocannon's `resBytes` nor its `throughput`: those count every byte the socket delivered, status line,
 * headers and chunk framing included (lib/httpClient.js: `addByteCount(chunk.length)` on each `data`). The
 * answer's Content-Length when it has one (the HTTP parser read exactly that many body bytes), else, for a
 * chunked answer, the UTF-8 length of the body autocannon collected (exact for ASCII; autocannon decodes each
 * chunk to a string on its own). No load here asks for compression, so the body is never a gzip of the content.
 */
export function bodyBytes(body: string | undefined, headers: ResponseHeaders | undefined): number {
    for (const [name, value] of Object.entries(headers ?? {})) {
        if (name.toLowerCase() !== "content-length") continue;
        const declared = Number(Array.isArray(value) ? value[0] : value);
        if (Number.isInteger(declared) && declared >= 0) return declared;
    }
    return Buffer.byteLength(body ?? "");
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
        const cache: Record<string, number> = {};
        const times = spec.workers ? undefined : new LatencyHistogram();
        let contentBytes = 0;
        const cpuBefore = process.cpuUsage();
        const started = process.hrtime.bigint();
        let settle!: (r: LoadFiguresWithClient) => void;
        let fail!: (e: Error) => void;
        this.result = new Promise((resolve, reject) => {
            settle = resolve;
            fail = reject;
        });
        const shape = spec.request ?? {};
        // In this process every answer goes through onResponse, shaped or not: it is where an answer's body is
        // seen, and the `_stats.csv`'s Average Content Size is measured there (worker threads report no bodies).
        const requests: autocannon.Request[] | undefined = spec.workers
            ? undefined
            : [
                  {
                      method: "GET",
                      ...(shape.nextPath
                          ? {
                                setupRequest: (req: autocannon.Request) => ({ ...req, path: shape.nextPath!() }),
                            }
                          : {}),
                      onResponse: (_status: number, body: string, _ctx: unknown, headers?: ResponseHeaders) => {
                          contentBytes += bodyBytes(body, headers);
                          if (shape.countCacheHeader) {
                              const v = headers?.["x-cache"] ?? headers?.["X-Cache"] ?? "none";
                              const key = Array.isArray(v) ? v.join(",") : v;
                              cache[key] = (cache[key] ?? 0) + 1;
                          }
                      },
                  } as autocannon.Request,
              ];
        this.instance = autocannon(
            {
                // autocannon accepts an array of URLs (lib/run.js); @types/autocannon only knows a string.
                url: (spec.urls.length === 1 ? spec.urls[0] : spec.urls) as string,
                connections: spec.connections,
                duration: spec.durationS,
                timeout: spec.timeoutS,
                maxOverallRequests: Math.ceil(spec.durationS * MAX_REQUESTS_PER_SECOND),
                ...(shape.headers ? { headers: shape.headers } : {}),
                ...(requests ? { requests } : {}),
                ...(spec.workers ? { workers: spec.workers } : {}),
            },
            (err, result) => {
                if (err) return fail(err instanceof Error ? err : new Error(String(err)));
                const cpu = process.cpuUsage(cpuBefore);
                const wallUs = Number(process.hrtime.bigint() - started) / 1000;
                settle({
                    ...summarise(result, codes, times && { times, contentBytes, cache }),
                    clientCpuPercent: cpuPercent(cpu, wallUs),
                });
            },
        );
        this.instance.on("reqError", (e: unknown) => {
            const code = errorCode(e);
            codes[code] = (codes[code] ?? 0) + 1;
        });
        if (times)
            this.instance.on("response", (_client: unknown, _status: number, _bytes: number, ms: number) =>
                times.record(ms),
            );
        if (spec.onSecond) {
            const onSecond = spec.onSecond;
            // "tick" (lib/run.js tickProgressBar: the answers of the last second) is missing from @types/autocannon.
            (this.instance as unknown as NodeJS.EventEmitter).on("tick", (t: { counter: number }) =>
                onSecond(t.counter),
            );
        }
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
 * stop() and may never report, and an interrupted run must still get to its clean-up.
 */
export async function stopAllLoads(waitMs = 3000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)));
    await Promise.race([Promise.allSettled([...active].map((l) => l.stop())), timeout]);
    clearTimeout(timer);
}
