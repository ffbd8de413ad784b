/**
 * The controller service: every checkPeriod seconds it reads the stack's nodes (Docker, through the socket
 * proxy) and the balancer's view of them, runs the pure decision function (decide.ts), starts the actions it
 * returns and logs one JSON line per decision. It keeps nothing a restart would lose: the first check rebuilds
 * the desired count from what runs.
 */
import pino from "pino";
import { createApi } from "./api";
import { Action, ControllerState, DecisionResult, INITIAL_STATE, NodeObservation, Observation, decide } from "./decide";
import { DockerView, NodeReading } from "./dockerView";
import { serversInService } from "./haproxyStats";
import { ControllerMetrics, NODE_STATES } from "./metrics";
import { settingsFromEnv } from "./settings";

/** Decisions /status shows (the most recent ones). */
const KEPT_DECISIONS = 50;

const log = pino({
    base: { service: "cloudlab-controller" },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
});

async function main(): Promise<void> {
    const settings = settingsFromEnv(process.env);
    const d = settings.decisions;
    const view = new DockerView(settings.dockerUrl, settings.stack, 2 * d.checkPeriodSeconds * 1000 + 5000);
    const metrics = new ControllerMetrics();
    let state: ControllerState = INITIAL_STATE;
    let last: { result: DecisionResult; nodes: Array<NodeReading & { inBalancer: boolean }> } | undefined;
    const recent: Array<{ at: string; action: string; node?: string; reason: string }> = [];
    const busy = new Map<string, NonNullable<NodeObservation["busy"]>>();

    const api = createApi(
        settings.token,
        {
            floor: d.floor,
            ceiling: d.ceiling,
            status: () => ({
                paused: state.paused,
                desired: state.desired,
                floor: d.floor,
                ceiling: d.ceiling,
                nodes: (last?.nodes ?? []).map((n) => ({
                    name: n.name,
                    container: n.container,
                    state: last?.result.nodeStates[n.name] ?? "standby",
                    healthy: n.status === "running" && n.health === "healthy",
                    cpuPercent: n.cpuPercent,
                    inBalancer: n.inBalancer,
                    tag: n.tag,
                })),
                alarms: last?.result.alarms ?? { high: "INSUFFICIENT_DATA", low: "INSUFFICIENT_DATA" },
                decisions: [...recent].reverse(),
            }),
            metrics: async () => ({
                contentType: metrics.registry.contentType,
                body: await metrics.registry.metrics(),
            }),
            setDesired: (count) => {
                state = { ...state, desired: count, desiredChanged: true };
                record({ action: "desired", reason: `POST /desired: ${count}` });
            },
            setPaused: (paused) => {
                state = { ...state, paused };
                record({ action: paused ? "pause" : "resume", reason: `POST /${paused ? "pause" : "resume"}` });
            },
        },
        log,
    );

    function record(decision: { action: string; node?: string; reason: string }): void {
        const entry = { at: new Date().toISOString(), ...decision };
        log.info(
            { decision: entry },
            `${decision.action}${decision.node ? ` ${decision.node}` : ""}: ${decision.reason}`,
        );
        recent.push(entry);
        if (recent.length > KEPT_DECISIONS) recent.shift();
    }

    function run(action: Action): void {
        busy.set(
            action.node,
            action.kind === "stop" ? "stopping" : action.kind === "start" ? "starting" : "restarting",
        );
        view.act(action)
            .catch((e: Error) =>
                record({ action: "none", node: action.node, reason: `${action.kind} failed: ${e.message}` }),
            )
            .finally(() => busy.delete(action.node));
    }

    async function observe(): Promise<{
        observation: Observation;
        nodes: Array<NodeReading & { inBalancer: boolean }>;
    }> {
        const atMs = Date.now();
        // Taken BEFORE Docker is read: an action that ends while the check reads would otherwise look finished
        // next to a Docker state from before its end (and be started or stopped a second time).
        const busyNow = new Map(busy);
        let readings: NodeReading[];
        try {
            readings = await view.nodes();
        } catch (e) {
            return { observation: { atMs, reachable: false, error: (e as Error).message, nodes: [] }, nodes: [] };
        }
        let up = new Set<string>();
        try {
            const res = await fetch(settings.statsCsvUrl, { signal: AbortSignal.timeout(2000) });
            if (res.ok) up = serversInService(await res.text(), settings.backend);
        } catch {
            // The balancer's view is for /status only; the decisions do not depend on it.
        }
        const nodes = readings.map((r) => ({ ...r, inBalancer: up.has(r.name) }));
        return {
            observation: { atMs, reachable: true, nodes: nodes.map((n) => ({ ...n, busy: busyNow.get(n.name) })) },
            nodes,
        };
    }

    async function check(): Promise<void> {
        const stopTimer = metrics.decisionSeconds.startTimer();
        const { observation, nodes } = await observe();
        const before = state;
        const result = decide(observation, d, before);
        stopTimer();
        // A change made through the API while this check read Docker wins over the check's result.
        state =
            state === before
                ? result.state
                : {
                      ...result.state,
                      paused: state.paused,
                      ...(state.desiredChanged ? { desired: state.desired, desiredChanged: true } : {}),
                  };
        last = { result, nodes };
        for (const decision of result.decisions) {
            if (decision.action === "none") log.debug({ decision }, decision.reason);
            else record(decision);
            if (decision.action === "scale-out") metrics.scaling.inc({ direction: "out" });
            if (decision.action === "scale-in") metrics.scaling.inc({ direction: "in" });
            if ((decision.action === "restart" || decision.action === "backoff") && decision.node)
                metrics.healing.inc({ node: decision.node, action: decision.action });
            if (decision.action === "none" && !observation.reachable) log.warn({ decision }, decision.reason);
        }
        for (const action of result.actions) run(action);
        updateGauges(result, nodes);
    }

    function updateGauges(result: DecisionResult, nodes: Array<NodeReading & { inBalancer: boolean }>): void {
        metrics.nodes.reset();
        for (const s of NODE_STATES) metrics.nodes.set({ state: s }, 0);
        for (const s of Object.values(result.nodeStates)) metrics.nodes.inc({ state: s });
        for (const g of [metrics.cpu, metrics.memory, metrics.memoryLimit, metrics.info]) g.reset();
        for (const n of nodes) {
            metrics.knowNode(n.name);
            metrics.info.set({ node: n.name, tag: n.tag }, 1);
            if (n.cpuPercent !== null) metrics.cpu.set({ node: n.name }, n.cpuPercent);
            if (n.memoryBytes !== null) metrics.memory.set({ node: n.name }, n.memoryBytes);
            if (n.memoryLimitBytes !== null) metrics.memoryLimit.set({ node: n.name }, n.memoryLimitBytes);
        }
    }

    // One check at a time; the next one starts a period after the previous one started (or at once if it overran).
    // The API opens after the first check, so /status has a desired count (unless Docker did not answer).
    for (let first = true; ; first = false) {
        const started = Date.now();
        await check().catch((e: Error) => log.error({ err: e.message }, "check failed"));
        if (first)
            api.listen(settings.listenPort, () =>
                log.info({ port: settings.listenPort, settings: { ...d } }, "controller listening"),
            );
        await new Promise((r) => setTimeout(r, Math.max(0, d.checkPeriodSeconds * 1000 - (Date.now() - started))));
    }
}

process.on("SIGTERM", () => {
    log.info("SIGTERM: stopping (the nodes are left as they are)");
    process.exit(0);
});

main().catch((e: Error) => {
    log.fatal({ err: e.message }, "controller failed to start");
    process.exit(1);
});
