/**
 * The `scaling` scenario: the stack's controller under /load. One long /load straight to each running node
 * (its CPU at its limit) until the first standby node is UP in the balancer, then the load is
 * cut (the app cancels a /load whose client went away) and the bench waits for that node to be stopped again.
 * Timestamps come from the balancer's stats, the node's own port, Docker and the controller's /status.
 */
import { LABELS, ROLES } from "../../../components/local/names";
import type { DecisionSettings } from "../../../controller/src/decide";
import { settingsFromEnv } from "../../../controller/src/settings";
import { fetchStatsCsv, serverStatus } from "../../../components/hooks/haproxyStats";
import { assertLoopback, loopbackUrl } from "../../../lib/loopback";
import { sleep, waitFor } from "../../../lib/wait";
import { BACKEND } from "../../../components/render/haproxyConfig";
import { BenchContext, ScenarioResult, skippedRow } from "./context";
import { envRecord } from "../stackConfig";
import { ScalingFigures, ScalingTimes, scalingFigures, scalingNotes } from "./scalingFigures";
import { ContainerDescription, NodeTarget, StackTargets, publishedPort, runningNodes } from "../targets";

/** How often the steps are sampled. */
const POLL_MS = 100;
/** Bounds of the waits, in windows: a stuck controller ends the scenario instead of hanging the bench. */
const WAIT_WINDOWS = 10;
const WAIT_SLACK_MS = 120_000;

interface Decision {
    at: string;
    action: string;
    node?: string;
}

async function getJson<T>(url: string): Promise<T> {
    assertLoopback(url);
    const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
    if (!res.ok) throw new Error(`GET ${url} -> ${res.status}`);
    return (await res.json()) as T;
}

async function answers(url: string): Promise<boolean> {
    try {
        const res = await fetch(url, { signal: AbortSignal.timeout(500) });
        await res.arrayBuffer();
        return res.ok;
    } catch {
        return false;
    }
}

/** The first decision of `action` at or after `since` (epoch ms), as epoch ms. */
function decidedAt(decisions: Decision[], action: string, since: number): number | undefined {
    const at = decisions
        .filter((d) => d.action === action)
        .map((d) => Date.parse(d.at))
        .filter((t) => t >= since - 1000)
        .sort((a, b) => a - b);
    return at[0];
}

/** Rounds of the scenario: the figures are noisy on a shared machine, so the table gives the median. */
export const SCALING_ROUNDS = 3;

interface Setup {
    t: StackTargets;
    api: string;
    d: DecisionSettings;
    running: NodeTarget[];
    standby: NodeTarget[];
    boundMs: number;
}

export async function scaling(ctx: BenchContext): Promise<ScenarioResult> {
    const label = "scaling (controller; /load on each running node)";
    const t = await ctx.discover();
    const [controller] = (await ctx.docker.listContainers({
        all: true,
        filters: { label: [`${LABELS.stack}=${t.prefix}`, `${LABELS.role}=${ROLES.controller}`] },
    })) as ContainerDescription[];
    if (!controller || controller.State !== "running")
        return skippedRow("scaling", label, `no running controller in stack ${t.prefix}`);
    const d = settingsFromEnv(envRecord((await ctx.docker.getContainer(controller.Id).inspect()).Config.Env)).decisions;
    const window = `${d.evaluationPeriods} x ${d.checkPeriodSeconds} s`;
    const running = runningNodes(t);
    const standby = t.nodes.filter((n) => !n.running);
    if (running.length !== d.floor || standby.length === 0)
        return skippedRow(
            "scaling",
            label,
            `needs nodeCount (${d.floor}) nodes running and a standby; ${running.length} run, ${standby.length} standby`,
        );
    const setup: Setup = {
        t,
        api: loopbackUrl(publishedPort(controller)),
        d,
        running,
        standby,
        boundMs: WAIT_WINDOWS * d.checkPeriodSeconds * d.evaluationPeriods * 1000 + WAIT_SLACK_MS,
    };
    const rounds: Array<{ node: string; times: ScalingTimes; figures: ScalingFigures }> = [];
    for (let r = 1; r <= SCALING_ROUNDS && !ctx.signal.aborted; r++) {
        const one = await round(ctx, setup);
        rounds.push(one);
        const f = one.figures;
        ctx.log(`scaling round ${r}: ${scalingNotes(f, one.node, window).join("; ")}`);
        // The next load must not start inside the controller's cooldown after this scale-in.
        await sleep(
            (d.cooldownSeconds || d.checkPeriodSeconds * d.evaluationPeriods) * 1000 + d.checkPeriodSeconds * 1000,
            ctx.signal,
        );
    }
    const median = rounds.map((x) => x.figures).sort((a, b) => a.outSeconds - b.outSeconds)[
        Math.floor(rounds.length / 2)
    ];
    const byIn = rounds.map((x) => x.figures.inSeconds).sort((a, b) => a - b);
    const each = (k: "outSeconds" | "inSeconds") => rounds.map((x) => x.figures[k].toFixed(1)).join(", ");
    return {
        id: "scaling",
        row: {
            scenario: label,
            connections: `${running.length} /load`,
            notes: [
                `${rounds.length} rounds, median round (by load start → serving) shown`,
                ...scalingNotes(median, rounds[0].node, window),
                `each round: out ${each("outSeconds")} s, in ${each("inSeconds")} s (median in ${byIn[Math.floor(byIn.length / 2)].toFixed(1)} s)`,
            ].join("; "),
        },
        extra: { window, rounds },
    };
}

async function round(
    ctx: BenchContext,
    s: Setup,
): Promise<{ node: string; times: ScalingTimes; figures: ScalingFigures }> {
    const { t, d, standby, boundMs } = s;
    // Straight to each node: the app cancels a /load whose client went away, which HAProxy (without
    // `option abortonclose`) would not pass on, so the load ends exactly when the bench says.
    const abort = new AbortController();
    const urls = s.running.map((n) => `${n.url}/load?timeout=${Math.min(600, Math.ceil(boundMs / 1000))}`);
    urls.forEach(assertLoopback);
    const times: Partial<ScalingTimes> = { loadStart: Date.now() };
    const loads = urls.map((url) =>
        fetch(url, { signal: abort.signal }).then(
            (r) => r.arrayBuffer(),
            () => undefined,
        ),
    );
    let node: NodeTarget | undefined;
    try {
        // The first standby the balancer reports UP, and on the way the moment its app first answers directly.
        await waitFor(
            "a standby node UP in the balancer",
            async () => {
                const csv = await fetchStatsCsv(t.balancer.statsUrl).catch(() => "");
                for (const n of standby) {
                    if (csv && serverStatus(csv, BACKEND, n.name) === "UP") {
                        node = n;
                        return true;
                    }
                }
                if (times.appAnswering === undefined) {
                    const now = await ctx.discover().catch(() => t);
                    for (const n of now.nodes.filter((x) => x.running && standby.some((y) => y.name === x.name)))
                        if (n.url && (await answers(`${n.url}/health`))) times.appAnswering = Date.now();
                }
                return "not yet";
            },
            boundMs,
            { everyMs: POLL_MS, signal: ctx.signal },
        );
        times.serving = Date.now();
    } finally {
        abort.abort();
        await Promise.all(loads);
        times.loadEnd = Date.now();
    }
    const target = node!;
    const container = ctx.docker.getContainer(target.containerName);
    times.containerStarted = Date.parse((await container.inspect()).State.StartedAt);
    await waitFor(
        `${target.name} stopped again`,
        async () => ((await container.inspect()).State.Running ? "running" : true),
        boundMs,
        { everyMs: POLL_MS, signal: ctx.signal },
    );
    times.stopped = Date.now();
    const decisions = (await getJson<{ decisions: Decision[] }>(`${s.api}/status`)).decisions;
    times.decidedOut = decidedAt(decisions, "scale-out", times.loadStart!);
    times.decidedIn = decidedAt(decisions, "scale-in", times.loadEnd);
    // The app's first answer is a figure only if it was seen while the node booted.
    if (times.appAnswering !== undefined && times.appAnswering < times.containerStarted) times.appAnswering = undefined;
    const full = times as ScalingTimes;
    return { node: target.name, times: full, figures: scalingFigures(full, d.checkPeriodSeconds, d.evaluationPeriods) };
}
