/**
 * The sweep itself: instance counts (outer), cache arms, user counts (inner). Everything it touches comes in
 * through SweepDeps, so unit tests run it against fake servers and a fake controller; scripts/load/sweep.ts wires
 * the real ones. The record is filled as cells finish: whatever stops the sweep, the caller writes what was
 * measured.
 */
import { CacheArm, CellPlan, requestCount, requestsPerSecond, runCell, statsFileName } from "../cell";
import { keySequence } from "../keys";
import type { LoadFiguresWithClient, LoadSpec } from "../run";
import { ConnectivityReport, checkConnectivity } from "./connectivity";
import type { Scaler } from "./controller";
import type { SweepOptions } from "./flags";
import { cacheVsNode, findKnees } from "./knee";
import { knee } from "./outputs";
import type { Progress } from "./progress";
import type { SweepRecord } from "./record";

export interface Target {
    /** Where the load goes: the balancer's URL or --url. */
    url: string;
    /** Running nodes with their direct URLs; empty with --url (nothing to check behind it). */
    nodes: Array<{ name: string; url: string }>;
    /** false with --url: the instance count is whatever stands behind it. */
    isStack: boolean;
}

export interface SweepDeps {
    target(): Promise<Target>;
    /** Sets the instance counts; without one only the count running now can be measured. */
    scaler?: Scaler;
    load(spec: LoadSpec): Promise<LoadFiguresWithClient>;
    connectivity?(nodes: Target["nodes"], balancerUrl: string): Promise<ConnectivityReport>;
    /** A GET with headers, for the cache probe. */
    probe?(url: string, headers: Record<string, string>): Promise<{ status: number; xCache?: string; body: string }>;
    signal: AbortSignal;
    log(msg: string): void;
    progress: Progress;
}

export class SweepRefused extends Error {}

/** Locust's Name of what the cells request. */
export const DATA_NAME = "/data?key=[key]";

/** GET /data's request target for each key of `keys`. */
export function dataPaths(keys: () => string): () => string {
    return () => `/data?key=${keys()}`;
}

export const defaultProbe: NonNullable<SweepDeps["probe"]> = async (url, headers) => {
    const res = await fetch(url, { headers, signal: AbortSignal.timeout(10_000) });
    return { status: res.status, xCache: res.headers.get("x-cache") ?? undefined, body: await res.text() };
};

export async function runSweep(opts: SweepOptions, deps: SweepDeps, record: SweepRecord): Promise<void> {
    const first = await deps.target();
    const instances = opts.instances ?? [first.isStack ? first.nodes.length : 1];
    if (!deps.scaler && first.isStack) {
        const running = first.nodes.length;
        const other = instances.filter((i) => i !== running);
        if (other.length)
            throw new SweepRefused(
                `--instances ${instances.join(",")}: ${running} node(s) run now and setting another count needs the controller (--controller http://127.0.0.1:<controllerPort>)`,
            );
    }
    record.instancesBy = deps.scaler
        ? deps.scaler.describe
        : first.isStack
          ? `fixed: the ${first.nodes.length} node(s) running`
          : "fixed: whatever stands behind --url (counted as 1)";
    const body = async () => {
        for (const i of instances) {
            if (deps.signal.aborted) return;
            if (deps.scaler) {
                deps.log(`setting ${i} instance(s)...`);
                await deps.scaler.set(i);
            }
            const target = await deps.target();
            await checkTarget(target, i, deps, record);
            if (opts.cache && record.backend.cacheProbe === undefined) await probeCache(opts, target, deps, record);
            for (const arm of opts.cache ?? [undefined]) {
                if (deps.signal.aborted) return;
                await runArm(opts, deps, record, target, i, arm);
            }
        }
    };
    if (deps.scaler) await deps.scaler.around(body);
    else await body();
}

/** Seed 001's check: refuse to measure unless every node answers directly and through the balancer. */
async function checkTarget(target: Target, instances: number, deps: SweepDeps, record: SweepRecord): Promise<void> {
    let report: ConnectivityReport;
    if (target.isStack) {
        if (target.nodes.length !== instances)
            throw new SweepRefused(
                `asked for ${instances} instance(s) but ${target.nodes.length} run (${target.nodes.map((n) => n.name).join(", ")})`,
            );
        report = await (deps.connectivity ?? checkConnectivity)(target.nodes, target.url);
    } else {
        const a = await (deps.probe ?? defaultProbe)(target.url, {}).catch((err: Error) => ({
            status: 0,
            error: err.message,
        }));
        const ok = a.status >= 200 && a.status < 300;
        const why = "error" in a ? a.error : `status ${a.status}`;
        report = { ok, lines: [`${target.url}: ${ok ? "ok" : `FAILED (${why})`}`] };
    }
    record.connectivity[`${instances} instance(s)`] = report.lines;
    for (const line of report.lines) deps.log(`  ${line}`);
    if (!report.ok)
        throw new SweepRefused(`connectivity check failed at ${instances} instance(s): ${report.lines.join("; ")}`);
}

/** Reads one key twice and records what the nodes' cache said; "on" needs a node cache that is on. */
async function probeCache(opts: SweepOptions, target: Target, deps: SweepDeps, record: SweepRecord): Promise<void> {
    const probe = deps.probe ?? defaultProbe;
    const url = new URL("/data?key=sweep-probe", target.url).toString();
    const answers = [await probe(url, {}), await probe(url, {})];
    const bad = answers.find((a) => a.status !== 200);
    if (bad)
        throw new SweepRefused(`GET ${url} -> ${bad.status}: ${bad.body.slice(0, 200)} (does the app have /data?)`);
    record.backend.cacheProbe = answers.map((a) => a.xCache ?? "none").join(", then ");
    try {
        const delay = (JSON.parse(answers[0].body) as { backendDelayMs?: unknown }).backendDelayMs;
        if (typeof delay === "number") record.backend.backendDelayMs = delay;
    } catch {
        // The delay is only recorded when the node says it.
    }
    if (opts.cache?.includes("on") && answers.some((a) => a.xCache === "OFF" || a.xCache === undefined))
        throw new SweepRefused(
            `--cache on: the nodes' cache is off (GET /data answered X-Cache ${record.backend.cacheProbe}); set cloudlab:cache on and up, or sweep --cache off only`,
        );
}

async function runArm(
    opts: SweepOptions,
    deps: SweepDeps,
    record: SweepRecord,
    target: Target,
    instances: number,
    arm: CacheArm | undefined,
): Promise<void> {
    const load = (durationS: number): Omit<CellPlan, "users" | "instances" | "nodes" | "statsFile"> => ({
        urls: [arm ? new URL("/data", target.url).toString() : target.url],
        durationS,
        timeoutS: opts.timeoutS,
        request: arm
            ? {
                  nextPath: dataPaths(keySequence(opts.keys, opts.keyDistribution, opts.seed)),
                  headers: arm === "off" ? { "Cache-Control": "no-cache" } : {},
                  countCacheHeader: true,
              }
            : {},
        onSecond: (n) => deps.progress.tick(n),
    });
    const where = `i=${instances}${arm ? ` cache=${arm}` : ""}`;
    if (opts.warmupS > 0) {
        deps.progress.cell(`warm-up ${where} u=${opts.users[0]}`, opts.warmupS);
        const w = await deps.load({ ...load(opts.warmupS), connections: opts.users[0] });
        record.warmups.push({
            instances,
            ...(arm ? { cache: arm } : {}),
            users: opts.users[0],
            requests: requestCount(w),
        });
        deps.progress.done("discarded");
    }
    for (const users of opts.users) {
        if (deps.signal.aborted) return;
        deps.progress.cell(`cell u=${users} ${where}`, opts.durationS);
        const cell = await runCell(
            {
                ...load(opts.durationS),
                users,
                instances,
                ...(arm ? { cache: arm, name: DATA_NAME } : {}),
                nodes: target.nodes.map((n) => n.name),
                statsFile: statsFileName(opts.prefix, { users, instances, cache: arm }),
            },
            { load: deps.load, signal: deps.signal, outDir: opts.outDir },
        );
        // A cell cut short by Ctrl-C is not comparable with whole ones: it is not recorded.
        if (deps.signal.aborted) return;
        const figures = cell.figures;
        record.cells.push(cell);
        record.knees = findKnees(record.cells.map(knee), opts.minGain);
        record.cacheVsNode = cacheVsNode(record.cells.map(knee));
        deps.progress.done(
            `${Math.round(requestsPerSecond(figures))} req/s, p95 ${figures.p95Ms?.toFixed(1)} ms, ${figures.failed} failed`,
        );
    }
}
