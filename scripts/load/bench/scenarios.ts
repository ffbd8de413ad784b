/**
 * The bench's scenarios. Each one returns its table row, its raw figures and, when it failed, why; a failed
 * scenario does not stop the others (the table says what happened), an interrupt does.
 */
import Docker from "dockerode";
import * as path from "path";
import { fetchNodeStatus, fetchStatsCsv } from "../../../components/hooks/haproxyStats";
import { assertLoopback } from "../../../lib/loopback";
import { sleep, waitFor } from "../../../lib/wait";
import { LOCUST_USERS, runLocust, startTrivialServer } from "./ceiling";
import { BENCH_PREFIX, SMALL_NODE_CPUS, ScenarioId } from "./flags";
import { runCell, statsFileName } from "../cell";
import type { Twin, TwinChange } from "./twin";
import { LoadFiguresWithClient, runLoad, startLoad } from "../run";
import { Row, formatSeconds, ratio } from "./report";
import { scaling } from "./scaling";
import { StackControl } from "../stackControl";
import { frontendSessions, waitAllUp } from "../stackStats";
import { CpuReading, CpuUse, cpuUse, describeCpuUse, readContainerCpu } from "../containerCpu";
import { describeFailures } from "../summary";
import { StackTargets, runningNodes } from "../targets";
import { BenchContext, ScenarioResult, skippedRow } from "./context";

// Re-exported: bench.ts and the tests take the scenarios and their context from here.
export type { BenchContext, ScenarioResult };

type Results = Partial<Record<ScenarioId, ScenarioResult>>;

/** Limits of the waits around disruptions: generous for a loaded 2-core host, yet a hang still ends. */
const NODE_DOWN_TIMEOUT_MS = 20_000;
const NODE_UP_TIMEOUT_MS = 120_000;
/** Background loads run until stopped, but never longer than this (a stuck `up` is bounded by its own timeout). */
const BACKGROUND_MAX_S = 30 * 60;

export async function runScenario(id: ScenarioId, ctx: BenchContext, done: Results): Promise<ScenarioResult> {
    const started = Date.now();
    ctx.log(`scenario ${id}...`);
    let result: ScenarioResult;
    try {
        result = await SCENARIO_FUNCTIONS[id](ctx, done);
    } catch (err) {
        const message = (err as Error).message;
        result = { id, row: { scenario: id, connections: "–", notes: `error: ${firstLine(message)}` }, error: message };
    }
    // Figures of a scenario cut short by Ctrl-C are not comparable with a whole run of it.
    if (ctx.signal.aborted) result.row.notes = `INTERRUPTED; ${result.row.notes}`;
    ctx.log(
        `scenario ${id}: ${formatSeconds(Date.now() - started)}${result.error ? ` (error: ${firstLine(result.error)})` : ""}`,
    );
    return result;
}

const SCENARIO_FUNCTIONS: Record<ScenarioId, (ctx: BenchContext, done: Results) => Promise<ScenarioResult>> = {
    ceiling,
    "direct-one": directOne,
    "direct-all": directAll,
    balancer,
    "balancer-no-log": balancerNoLog,
    "small-nodes": smallNodes,
    kill,
    deploy,
    rollback,
    scaling,
    many,
};

function fromLoad(load: LoadFiguresWithClient): Pick<Row, "rps" | "p50Ms" | "p99Ms" | "failed"> {
    return { rps: load.rps, p50Ms: load.p50Ms, p99Ms: load.p99Ms, failed: load.failed };
}

/** A steady load of the bench: which scenario (and part of it), where it goes, what stands behind. */
interface BenchCell {
    /** The scenario, or `<scenario>_<part>` where it measures more than one load; names its _stats.csv. */
    cell: string;
    /** Spread round robin. */
    urls: string[];
    /** The nodes behind `urls`. */
    nodes: string[];
    /** Default: the number of nodes. */
    instances?: number;
    /** Default: --connections. */
    users?: number;
    workers?: number;
}

/**
 * One steady load of the run's size: a cell of the sweep's machinery (../cell.ts) with fixed users, the running
 * instances and a fixed target, so it writes its Locust-shaped _stats.csv like a sweep's cell.
 */
async function measure(ctx: BenchContext, c: BenchCell): Promise<LoadFiguresWithClient> {
    const users = c.users ?? ctx.opts.connections;
    const instances = c.instances ?? c.nodes.length;
    const cell = await runCell(
        {
            urls: c.urls,
            users,
            instances,
            nodes: c.nodes,
            durationS: ctx.opts.durationS,
            timeoutS: ctx.opts.timeoutS,
            ...(c.workers ? { workers: c.workers } : {}),
            statsFile: statsFileName(`${BENCH_PREFIX}_${c.cell}`, { users, instances }),
        },
        { load: runLoad, signal: ctx.signal, outDir: ctx.opts.outDir },
    );
    if (cell.statsFile) ctx.log(`${c.cell}: ${path.join(ctx.opts.outDir, cell.statsFile)}`);
    return cell.figures;
}

/** CPU readings of containers (undefined where they cannot be read on this host). */
async function readCpu(ctx: BenchContext, ids: string[]): Promise<CpuReading[] | undefined> {
    const readings: CpuReading[] = [];
    for (const id of ids) {
        const pid = (await ctx.docker.getContainer(id).inspect()).State?.Pid;
        const r = pid ? readContainerCpu(pid) : undefined;
        if (!r) return undefined;
        readings.push(r);
    }
    return ids.length ? readings : undefined;
}

/** {@link measure}, with the CPU each group of containers used for it (scripts/load/containerCpu.ts). */
async function measureCpu<G extends string>(
    ctx: BenchContext,
    c: BenchCell,
    groups: Record<G, string[]>,
): Promise<{ load: LoadFiguresWithClient; cpu: Record<G, CpuUse | undefined> }> {
    const names = Object.keys(groups) as G[];
    const before = await Promise.all(names.map((g) => readCpu(ctx, groups[g])));
    const started = Date.now();
    const load = await measure(ctx, c);
    const wallS = (Date.now() - started) / 1000;
    const after = await Promise.all(names.map((g) => readCpu(ctx, groups[g])));
    const cpu = {} as Record<G, CpuUse | undefined>;
    names.forEach((g, i) => {
        const [b, a] = [before[i], after[i]];
        cpu[g] = b && a ? cpuUse(b, a, load.requests, wallS) : undefined;
    });
    return { load, cpu };
}

const nodeNames = (t: StackTargets): string[] => runningNodes(t).map((n) => n.name);

const cpuText = (u: CpuUse | undefined): string => (u ? describeCpuUse(u) : "not readable on this host");

/** A balancer twin with `change` for the length of `body`, always removed after. */
async function withTwin<T>(
    ctx: BenchContext,
    t: StackTargets,
    change: TwinChange,
    body: (twin: Twin) => Promise<T>,
): Promise<T> {
    const twin = await ctx.twin(t, runningNodes(t).length, change);
    try {
        return await body(twin);
    } finally {
        await twin.stop();
    }
}

/** Notes every load row carries: what failed, if anything, and whether the client may have been the limit. */
function loadNotes(load: LoadFiguresWithClient): string[] {
    const notes: string[] = [];
    if (load.failed) notes.push(`failed: ${describeFailures(load)}`);
    if (load.unanswered) notes.push(`${load.unanswered} requests sent but never answered`);
    notes.push(`client CPU ${load.clientCpuPercent}%`);
    return notes;
}

/** A load scenario's result: its row (`notes`, then the notes every load row carries) and its figures. */
function loadResult(
    ctx: BenchContext,
    id: ScenarioId,
    scenario: string,
    load: LoadFiguresWithClient,
    notes: string[],
    extra: Record<string, unknown>,
    connections = String(ctx.opts.connections),
): ScenarioResult {
    return {
        id,
        row: { scenario, connections, ...fromLoad(load), notes: [...notes, ...loadNotes(load)].join("; ") },
        load,
        extra,
    };
}

/**
 * The client's own ceiling beside Locust's, against one trivial local server (scripts/load/bench/ceiling.ts): one
 * autocannon process (this one), then one Locust process per user class, same connections, same duration.
 */
async function ceiling(ctx: BenchContext): Promise<ScenarioResult> {
    const server = await startTrivialServer();
    try {
        const c = ctx.opts.connections;
        const load = await measure(ctx, { cell: "ceiling", urls: [server.url], nodes: [], instances: 1 });
        const locust: Array<Awaited<ReturnType<typeof runLocust>> | { user: string; error: string }> = [];
        for (const user of LOCUST_USERS) {
            if (ctx.signal.aborted) break;
            locust.push(
                await runLocust(user, server.url, c, ctx.opts.durationS, ctx.signal).catch((e: Error) => ({
                    user,
                    error: firstLine(e.message),
                })),
            );
        }
        const fast = locust.find((l) => l.user === "FastHttpUser");
        const others = locust.map((l) =>
            "error" in l
                ? `Locust ${l.user}: ${l.error}`
                : `${l.version} ${l.user}: ${Math.round(l.rps)} req/s, ${l.failures} failed (autocannon ${ratio(load.rps, l.rps)} of it)`,
        );
        return loadResult(
            ctx,
            "ceiling",
            "client ceiling: autocannon, 1 process, vs a trivial local server",
            load,
            [...others, "server: a bare Node http server on the other core"],
            { locust, autocannonOverFastHttpUser: fast && !("error" in fast) ? load.rps / fast.rps : undefined },
        );
    } finally {
        await server.stop();
    }
}

/**
 * direct-all and the balancer, as the stack runs it, with the other balancing algorithm (a twin, log on) and
 * without its access log (a twin), again with every node's CPU quota cut
 * to SMALL_NODE_CPUS (`docker update --cpus`, the limit nodeCpus sets), so the nodes, not the balancer, should be
 * the limit; the quotas are restored after.
 */
async function smallNodes(ctx: BenchContext): Promise<ScenarioResult> {
    const t = await ctx.discover();
    const nodes = runningNodes(t);
    const before = await Promise.all(
        nodes.map(async (n) => (await ctx.docker.getContainer(n.containerId).inspect()).HostConfig.NanoCpus ?? 0),
    );
    try {
        for (const n of nodes)
            await ctx.docker.getContainer(n.containerId).update({ NanoCpus: Math.round(SMALL_NODE_CPUS * 1e9) });
        const ids = nodes.map((n) => n.containerId);
        const names = nodes.map((n) => n.name);
        const cell = (part: string, urls: string[]): BenchCell => ({ cell: `small-nodes_${part}`, urls, nodes: names });
        const throughTwin = (change: TwinChange, part: string) =>
            withTwin(ctx, t, change, async (twin) => ({
                changed: twin.changed,
                ...(await measureCpu(ctx, cell(part, [twin.url]), {
                    nodes: ids,
                    lb: twin.containerId ? [twin.containerId] : [],
                })),
            }));
        const runs = {
            direct: await measureCpu(
                ctx,
                cell(
                    "direct",
                    nodes.map((n) => n.url!),
                ),
                { nodes: ids },
            ),
            withLog: await measureCpu(ctx, cell("balancer", [t.balancer.url]), {
                nodes: ids,
                lb: [t.balancer.containerId],
            }),
            otherBalance: await throughTwin("other-balance", "other-balance"),
            noLog: await throughTwin("no-log", "no-log"),
        };
        const [direct, load, other, noLog] = [
            runs.direct.load,
            runs.withLog.load,
            runs.otherBalance.load,
            runs.noLog.load,
        ];
        const cpuNotes = [
            `nodes' CPU direct: ${cpuText(runs.direct.cpu.nodes)}`,
            `through the balancer: ${cpuText(runs.withLog.cpu.nodes)} (balancer ${cpuText(runs.withLog.cpu.lb)})`,
            `with ${runs.otherBalance.changed}: ${cpuText(runs.otherBalance.cpu.nodes)} (balancer ${cpuText(runs.otherBalance.cpu.lb)})`,
            `without its log: ${cpuText(runs.noLog.cpu.nodes)} (balancer ${cpuText(runs.noLog.cpu.lb)})`,
        ];
        return loadResult(
            ctx,
            "small-nodes",
            `through the balancer, nodes at ${SMALL_NODE_CPUS} CPU (${nodes.length} nodes)`,
            load,
            [
                `direct-all at ${SMALL_NODE_CPUS} CPU: ${Math.round(direct.rps)} req/s, p99 ${direct.p99Ms.toFixed(1)} ms, ${direct.failed} failed`,
                `balancer / direct-all: req/s ${ratio(load.rps, direct.rps)}, p99 ${ratio(load.p99Ms, direct.p99Ms)}`,
                `with ${runs.otherBalance.changed} (log on): ${Math.round(other.rps)} req/s, ${other.failed} failed, / direct-all ${ratio(other.rps, direct.rps)}`,
                `without the access log: ${Math.round(noLog.rps)} req/s, ${noLog.failed} failed, / direct-all ${ratio(noLog.rps, direct.rps)}`,
                ...cpuNotes,
            ],
            {
                cpus: SMALL_NODE_CPUS,
                direct,
                noLog,
                otherBalance: { changed: runs.otherBalance.changed, load: other },
                rpsRatio: load.rps / direct.rps,
                rpsRatioOtherBalance: other.rps / direct.rps,
                rpsRatioNoLog: noLog.rps / direct.rps,
                cpu: {
                    direct: runs.direct.cpu,
                    withLog: runs.withLog.cpu,
                    otherBalance: runs.otherBalance.cpu,
                    noLog: runs.noLog.cpu,
                },
            },
        );
    } finally {
        // Restored on failure too: the stack is left with the CPUs it was found with.
        await Promise.all(
            nodes.map((n, i) =>
                ctx.docker
                    .getContainer(n.containerId)
                    .update({ NanoCpus: before[i] })
                    .catch(() => undefined),
            ),
        );
    }
}

async function directOne(ctx: BenchContext): Promise<ScenarioResult> {
    const node = runningNodes(await ctx.discover())[0];
    const load = await measure(ctx, { cell: "direct-one", urls: [node.url!], nodes: [node.name] });
    return loadResult(ctx, "direct-one", `direct, one node (${node.name})`, load, [], {
        node: node.name,
        url: node.url,
    });
}

async function directAll(ctx: BenchContext): Promise<ScenarioResult> {
    const nodes = runningNodes(await ctx.discover());
    const c = ctx.opts.connections;
    const load = await measure(ctx, {
        cell: "direct-all",
        urls: nodes.map((n) => n.url!),
        nodes: nodes.map((n) => n.name),
    });
    const split = c % nodes.length === 0 ? `${c / nodes.length} × ${nodes.length}` : `over ${nodes.length}`;
    return loadResult(
        ctx,
        "direct-all",
        `direct, all ${nodes.length} nodes at once`,
        load,
        ["baseline of the balancer"],
        { nodes: nodes.map((n) => n.name) },
        `${c} (${split})`,
    );
}

async function balancer(ctx: BenchContext, done: Results): Promise<ScenarioResult> {
    const t = await ctx.discover();
    const load = await measure(ctx, { cell: "balancer", urls: [t.balancer.url], nodes: nodeNames(t) });
    const base = done["direct-all"]?.load;
    const notes = base
        ? [
              `balancer / direct-all: req/s ${ratio(load.rps, base.rps)}, p50 ${ratio(load.p50Ms, base.p50Ms)}, p99 ${ratio(load.p99Ms, base.p99Ms)}`,
          ]
        : ["no direct-all baseline in this run"];
    return loadResult(
        ctx,
        "balancer",
        `through the balancer (${runningNodes(t).length} nodes)`,
        load,
        notes,
        base
            ? { rpsRatio: load.rps / base.rps, p50Ratio: load.p50Ms / base.p50Ms, p99Ratio: load.p99Ms / base.p99Ms }
            : {},
    );
}

/** The balancer's twin without access log (same config otherwise), against this run's direct-all and balancer. */
async function balancerNoLog(ctx: BenchContext, done: Results): Promise<ScenarioResult> {
    const t = await ctx.discover();
    const load = await withTwin(ctx, t, "no-log", (twin) =>
        measure(ctx, { cell: "balancer-no-log", urls: [twin.url], nodes: nodeNames(t) }),
    );
    const base = done["direct-all"]?.load;
    const withLog = done.balancer?.load;
    return loadResult(
        ctx,
        "balancer-no-log",
        `through the balancer without its access log (${runningNodes(t).length} nodes)`,
        load,
        [
            base
                ? `no-log balancer / direct-all: req/s ${ratio(load.rps, base.rps)}`
                : "no direct-all baseline in this run",
            ...(withLog ? [`balancer with its log / without: req/s ${ratio(withLog.rps, load.rps)}`] : []),
            "a twin HAProxy: the stack's image, network, limits and haproxy.cfg with `no log` for `log global`",
        ],
        {
            ...(base ? { rpsRatio: load.rps / base.rps } : {}),
            ...(withLog ? { withLogOverWithout: withLog.rps / load.rps } : {}),
        },
    );
}

/** Background load through the balancer around `disrupt`, with a warm-up before and a settle time after. */
async function underLoad(ctx: BenchContext, url: string, disrupt: () => Promise<void>): Promise<LoadFiguresWithClient> {
    const load = startLoad({
        urls: [url],
        connections: ctx.opts.connections,
        durationS: BACKGROUND_MAX_S,
        timeoutS: ctx.opts.timeoutS,
    });
    try {
        await sleep(ctx.opts.quick ? 1000 : 2000, ctx.signal);
        await disrupt();
        await sleep(1500, ctx.signal);
    } finally {
        // Stopped on success and failure alike: a load must never outlive its scenario.
        await load.stop();
    }
    return load.done;
}

async function kill(ctx: BenchContext): Promise<ScenarioResult> {
    const t = await ctx.discover();
    const victim = runningNodes(t)[0];
    const container = ctx.docker.getContainer(victim.containerId);
    const timings: Record<string, number> = {};
    let revived = false;
    try {
        const load = await underLoad(ctx, t.balancer.url, async () => {
            await container.kill();
            timings.outOfRotationMs = await waitFor(
                `${victim.name} out of rotation`,
                async () => {
                    // "UP 1/2" (failing checks, going down) still gets traffic: only leaving UP* is out of rotation.
                    const s = await fetchNodeStatus(t.balancer.statsUrl, victim.name);
                    return s.startsWith("UP") ? s : true;
                },
                NODE_DOWN_TIMEOUT_MS,
                { everyMs: 100, signal: ctx.signal },
            );
            await sleep(1000, ctx.signal);
            const restart = Date.now();
            await startContainer(container);
            revived = true;
            await waitAllUp(t.balancer.statsUrl, [victim.name], NODE_UP_TIMEOUT_MS, ctx.signal);
            timings.backUpMs = Date.now() - restart;
        });
        return loadResult(
            ctx,
            "kill",
            `${victim.name} killed under load (balancer)`,
            load,
            [
                `docker kill: out of rotation after ${formatSeconds(timings.outOfRotationMs)}; docker start: UP after ${formatSeconds(timings.backUpMs)}`,
            ],
            { node: victim.name, ...timings },
        );
    } finally {
        // Whatever failed above, the stack is left with the node running.
        if (!revived) await startContainer(container).catch(() => undefined);
    }
}

async function startContainer(c: Docker.Container): Promise<void> {
    try {
        await c.start();
    } catch (err) {
        if ((err as { statusCode?: number }).statusCode !== 304) throw err; // 304: already running
    }
}

/** `up` with `tag` under load through the balancer: failed requests, wall time of the `up`, nodes replaced. */
async function upUnderLoad(
    ctx: BenchContext,
    control: StackControl,
    id: ScenarioId,
    tag: string,
    label: string,
): Promise<ScenarioResult> {
    const before = await ctx.discover();
    let outcome: Awaited<ReturnType<StackControl["setTag"]>> | undefined;
    const load = await underLoad(ctx, before.balancer.url, async () => {
        outcome = await control.setTag(tag);
    });
    const after = await ctx.discover().catch(() => before);
    const running = runningNodes(after).map((n) => n.name);
    await waitAllUp(after.balancer.statsUrl, running, NODE_UP_TIMEOUT_MS, ctx.signal).catch(() => undefined);
    const beforeIds = new Map(before.nodes.map((n) => [n.name, n.containerId]));
    const replaced = after.nodes.filter((n) => beforeIds.get(n.name) !== n.containerId).length;
    const onTag = runningNodes(after).filter((n) => n.tag === tag).length;
    const result = loadResult(
        ctx,
        id,
        label,
        load,
        [
            `up ${outcome?.ok ? "took" : "FAILED after"} ${formatSeconds(outcome?.wallMs ?? 0)} (${ctx.control?.engine})`,
            `${replaced}/${after.nodes.length} nodes replaced, ${onTag}/${running.length} running nodes on ${tag}`,
        ],
        { tag, upWallMs: outcome?.wallMs, upOk: outcome?.ok, nodesReplaced: replaced, nodes: after.nodes.length },
    );
    if (outcome && !outcome.ok) result.error = `${outcome.error ?? "up failed"}\n${outcome.logTail ?? ""}`;
    return result;
}

async function deploy(ctx: BenchContext): Promise<ScenarioResult> {
    const label = `deploy of every node (→ ${ctx.otherTag}) under load`;
    if (!ctx.control) return skippedRow("deploy", label, ctx.controlMissing ?? "no way to run `up`");
    const control = ctx.control;
    if (ctx.otherTag === control.originalTag)
        throw new Error(`--rollback-tag ${ctx.otherTag} is the tag the stack already runs; pick another`);
    const built = await ctx.ensureRelease(control, ctx.otherTag);
    const r = await upUnderLoad(ctx, control, "deploy", ctx.otherTag, label);
    if (built) r.row.notes += `; release ${ctx.otherTag} built beforehand (not timed)`;
    return r;
}

async function rollback(ctx: BenchContext): Promise<ScenarioResult> {
    const control = ctx.control;
    const target = control?.originalTag ?? "the previous release";
    const label = `rollback of every node (→ ${target}) under load`;
    if (!control)
        return skippedRow("rollback", "rollback of every node under load", ctx.controlMissing ?? "no way to run `up`");
    // A rollback needs something to roll back from: without the deploy scenario, get there first, unmeasured.
    const t = await ctx.discover();
    let prepared = "";
    if (!runningNodes(t).some((n) => n.tag === ctx.otherTag)) {
        await ctx.ensureRelease(control, ctx.otherTag);
        const first = await control.setTag(ctx.otherTag);
        if (!first.ok)
            throw new Error(
                `deploying ${ctx.otherTag} to roll back from failed: ${first.error}\n${first.logTail ?? ""}`,
            );
        await waitAllUp(
            t.balancer.statsUrl,
            runningNodes(t).map((n) => n.name),
            NODE_UP_TIMEOUT_MS,
            ctx.signal,
        );
        prepared = `; deployed ${ctx.otherTag} first (not measured)`;
    }
    const r = await upUnderLoad(ctx, control, "rollback", target, label);
    r.row.notes += prepared;
    return r;
}

async function many(ctx: BenchContext): Promise<ScenarioResult> {
    const t = await ctx.discover();
    const m = ctx.opts.manyConnections;
    const workers = ctx.opts.workers;
    // The balancer's own count of client connections shows whether the m sockets were really open at once.
    let maxSessions = 0;
    let sampling = true;
    const sampler = (async () => {
        const deadline = Date.now() + (ctx.opts.durationS + 30) * 1000;
        while (sampling && Date.now() < deadline && !ctx.signal.aborted) {
            maxSessions = Math.max(
                maxSessions,
                await fetchStatsCsv(t.balancer.statsUrl).then(frontendSessions, () => 0),
            );
            await sleep(500, ctx.signal);
        }
    })();
    const figures = await measure(ctx, {
        cell: "many",
        urls: [t.balancer.url],
        nodes: nodeNames(t),
        users: m,
        workers,
    }).finally(() => {
        sampling = false;
    });
    await sampler;
    const recovery = await recoverBalancer(ctx, t);
    const client = workers ? `autocannon in ${workers} worker threads` : "autocannon in 1 process";
    // autocannon gives each worker floor(m / workers) connections.
    const opened = workers ? Math.floor(m / workers) * workers : m;
    return {
        id: "many",
        row: {
            scenario: `${m} connections (balancer)`,
            connections: String(opened),
            ...fromLoad(figures),
            notes: [
                `errors ${figures.errors} (timeouts ${figures.timeouts}), non-2xx ${figures.non2xx}`,
                `balancer frontend peaked at ${maxSessions} client connections (stats sampled every 0.5 s)`,
                `p95 ${figures.p95Ms?.toFixed(1) ?? "–"} ms, max ${figures.maxMs.toFixed(1)} ms`,
                client,
                ...loadNotes(figures),
                ...(figures.errors > m
                    ? ["autocannon reconnects at once after an error, so errors count connection attempts"]
                    : []),
                ...recovery.notes,
            ].join("; "),
        },
        load: figures,
        extra: { maxFrontendSessions: maxSessions, workers, balancerStoppedAnswering: recovery.stoppedAnswering },
    };
}

/** One GET on a fresh connection; resolves to an error text, or undefined when it got any HTTP answer. */
async function probe(url: string): Promise<string | undefined> {
    assertLoopback(url);
    try {
        await fetch(url, { signal: AbortSignal.timeout(2000) }).then((r) => r.arrayBuffer());
        return undefined;
    } catch (err) {
        const cause = (err as { cause?: { code?: string } }).cause;
        return cause?.code ?? (err as Error).message;
    }
}

/**
 * A load can leave the balancer's published port dead while the container runs on (seen here: Docker's
 * userland proxy for the port hit its open-files limit and exited, and it never comes back by itself). Say
 * so, and restart the balancer container, so the stack is left serving as it was found.
 */
async function recoverBalancer(
    ctx: BenchContext,
    t: StackTargets,
): Promise<{ stoppedAnswering: boolean; notes: string[] }> {
    let failure: string | undefined;
    for (let attempt = 0; attempt < 3; attempt++) {
        failure = await probe(t.balancer.url);
        if (!failure) return { stoppedAnswering: false, notes: [] };
        await sleep(500, ctx.signal);
    }
    const notes = [`AFTER THE LOAD ${t.balancer.url} STOPPED ANSWERING (${failure})`];
    ctx.log(`${t.balancer.url} stopped answering after the load (${failure}); restarting ${t.balancer.containerName}`);
    await ctx.docker.getContainer(t.balancer.containerId).restart({ t: 10 });
    await waitFor(`${t.balancer.url} answering again`, async () => (await probe(t.balancer.url)) ?? true, 60_000, {
        everyMs: 500,
        signal: ctx.signal,
    });
    await waitAllUp(
        t.balancer.statsUrl,
        runningNodes(t).map((n) => n.name),
        NODE_UP_TIMEOUT_MS,
        ctx.signal,
    );
    notes.push(`${t.balancer.containerName} restarted to recover it`);
    return { stoppedAnswering: true, notes };
}

function firstLine(text: string): string {
    return text.split("\n")[0].slice(0, 200);
}
