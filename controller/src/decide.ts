/**
 * The controller's decisions: ONE pure function of (what Docker and the balancer show now, the settings, the
 * previous state) -> (the next state, the actions to take, the decisions to report). main.ts does the I/O.
 *
 * Semantics are the dev stack's (components/aws/controller.ts): a CPU statistic per check over the nodes that
 * count (running, healthy, past their warm-up), two alarms over `evaluationPeriods` consecutive checks, each
 * alarm moving the desired count by one within [floor, ceiling], then no further scaling for `cooldownSeconds`
 * (the step policy's estimated warm-up), during which a started node's CPU does not count. Scale-in STOPS a
 * node (its app drains on SIGTERM), scale-out starts a stopped one, the most recently stopped first.
 * Healing (seed 000): a node that died or fails its health check is restarted, with a capped exponential
 * backoff when it keeps failing; pausing stops the scaling, never the healing.
 */
import { AlarmState, alarmState, cpuStatistic } from "./alarm";
import { BackoffRule, backoffSeconds, recovered } from "./backoff";

/** Docker's container states (State.Status). */
export type ContainerStatus = "created" | "running" | "paused" | "restarting" | "removing" | "exited" | "dead";
/** Docker's health (State.Health.Status), "none" without a check. */
export type HealthStatus = "healthy" | "unhealthy" | "starting" | "none";

/** One node as Docker and the balancer show it at a check. */
export interface NodeObservation {
    /** node-N */
    name: string;
    /** Docker container name. */
    container: string;
    /** Docker container id: a replaced node (a deploy) is a new container. */
    id: string;
    status: ContainerStatus;
    health: HealthStatus;
    exitCode: number;
    /** ms since the epoch; 0 when never started (Docker's 0001-01-01). */
    startedAt: number;
    finishedAt: number;
    /** CPU % of the node's own limit over the last check; null when there is no fresh sample. */
    cpuPercent: number | null;
    inBalancer: boolean;
    tag: string;
    /** An action of the controller on it is still running (a stop drains for seconds). */
    busy?: "starting" | "stopping" | "restarting";
    /**
     * On a network other than Docker's default bridge. The docker provider creates a container on the bridge,
     * moves it to its networks and only then starts it (or not): before that, its create is still under way and
     * it is no node to start (a start would race the provider's own, and its network).
     */
    wired: boolean;
}

export interface Observation {
    atMs: number;
    /** false when the Docker engine (through the socket proxy) did not answer: nothing is decided then. */
    reachable: boolean;
    /** Why it was unreachable. */
    error?: string;
    nodes: NodeObservation[];
}

export interface DecisionSettings {
    /** nodeCount: never fewer running. */
    floor: number;
    /** nodeLimit: never more. */
    ceiling: number;
    checkPeriodSeconds: number;
    evaluationPeriods: number;
    cpuHighPercent: number;
    cpuLowPercent: number;
    /** After a scaling action: no further one, and a started node's CPU does not count, for this long. */
    cooldownSeconds: number;
    backoff: BackoffRule;
}

/** What the controller remembers of a node it restarted. */
export interface HealingMemory {
    /** Restarts since the node last recovered. */
    attempts: number;
    lastRestartMs: number;
    /** No restart before this. */
    notBeforeMs: number;
    /** The wait until notBeforeMs was reported (once per wait, not once per check). */
    reported?: boolean;
}

export interface ControllerState {
    /** Nodes that should run; null until the first check rebuilds it from what runs. */
    desired: number | null;
    paused: boolean;
    /** The statistic of each check since the last scaling action, oldest first (at most evaluationPeriods). */
    history: Array<number | null>;
    lastScaleMs: number | null;
    /** desired changed outside a check (POST /desired) since the last one: act on it at once. */
    desiredChanged: boolean;
    /** Consecutive checks with fewer nodes meant to run than desired and no decision explaining it. */
    shortfallChecks: number;
    healing: Record<string, HealingMemory>;
    /** Container ids the controller stopped: their exit code is the stop's, not a failure. */
    stoppedByController: string[];
    /**
     * Node name -> the container id that was meant to run at the last check; a node no longer meant to run stays
     * here only while the count is short. A name that comes back with a NEW id and not running was replaced by
     * a deploy (the program declares nodes above nodeCount stopped): it is started again at once.
     */
    runningIds: Record<string, string>;
}

export const INITIAL_STATE: ControllerState = {
    desired: null,
    paused: false,
    history: [],
    lastScaleMs: null,
    desiredChanged: false,
    shortfallChecks: 0,
    healing: {},
    stoppedByController: [],
    runningIds: {},
};

/**
 * A shortfall nobody decided (a node stopped or deleted from outside, e.g. a deploy replacing it) is made up
 * only after this many checks in a row: the engine's own replacement gets that long before a standby is started.
 */
export const SHORTFALL_CHECKS = 2;

export type NodeState = "running" | "standby" | "starting" | "stopping" | "unhealthy" | "backoff";

export type Action =
    | { kind: "start"; node: string; container: string }
    | { kind: "stop"; node: string; container: string }
    | { kind: "restart"; node: string; container: string };

export interface Decision {
    action: "scale-out" | "scale-in" | "start" | "stop" | "restart" | "backoff" | "rebuild" | "none";
    node?: string;
    reason: string;
}

export interface DecisionResult {
    state: ControllerState;
    actions: Action[];
    decisions: Decision[];
    alarms: { high: AlarmState; low: AlarmState };
    /** Each observed node's state as /status reports it. */
    nodeStates: Record<string, NodeState>;
}

/** What a node is, for the decisions. */
export function classify(
    node: NodeObservation,
    state: ControllerState,
    settings: DecisionSettings,
    nowMs: number,
): NodeState {
    if (node.busy === "stopping") return "stopping";
    if (node.busy) return "starting";
    const failed = failure(node, state) !== undefined;
    if (failed) {
        const memory = state.healing[node.name];
        return memory && nowMs < memory.notBeforeMs ? "backoff" : "unhealthy";
    }
    if (node.status === "running") {
        if (node.health === "starting") return "starting";
        if (nowMs - node.startedAt < settings.cooldownSeconds * 1000) return "starting";
        return "running";
    }
    if (node.status === "restarting") return "starting";
    return "standby";
}

/** Why a node needs healing, or undefined when it does not. */
export function failure(node: NodeObservation, state: ControllerState): string | undefined {
    if (node.busy) return undefined;
    if (node.status === "running" && node.health === "unhealthy") return "its health check fails";
    if (node.status === "paused") return "it is paused";
    if (node.status === "dead") return "its container is dead";
    if (node.status === "exited" && node.finishedAt > 0 && !state.stoppedByController.includes(node.id)) {
        // An app stopped on purpose (docker stop, SIGTERM) drains and exits 0; a kill or a crash does not.
        if (node.exitCode !== 0) return `it exited with code ${node.exitCode}`;
    }
    return undefined;
}

/** The nodes a check counts as meant to run: serving, starting, or failed (being healed). */
function meantToRun(s: NodeState): boolean {
    return s === "running" || s === "starting" || s === "unhealthy" || s === "backoff";
}

function nodeIndex(name: string): number {
    const m = /(\d+)$/.exec(name);
    return m ? Number(m[1]) : Number.MAX_SAFE_INTEGER;
}

export function clamp(n: number, floor: number, ceiling: number): number {
    return Math.min(ceiling, Math.max(floor, n));
}

/** One check. Never throws for any observation; it only reads its arguments. */
export function decide(
    observation: Observation,
    settings: DecisionSettings,
    previous: ControllerState,
): DecisionResult {
    const now = observation.atMs;
    const decisions: Decision[] = [];
    const actions: Action[] = [];
    const state: ControllerState = {
        ...previous,
        history: [...previous.history],
        healing: { ...previous.healing },
        stoppedByController: [...previous.stoppedByController],
        runningIds: { ...previous.runningIds },
    };
    const rule = (comparison: "GreaterThanThreshold" | "LessThanThreshold", threshold: number) => ({
        comparison,
        threshold,
        evaluationPeriods: settings.evaluationPeriods,
    });

    if (!observation.reachable) {
        // Nothing is known: no action, and the gap is missing data for the alarms.
        state.history = [...state.history, null].slice(-settings.evaluationPeriods);
        return {
            state,
            actions,
            decisions: [{ action: "none", reason: `Docker engine unreachable: ${observation.error ?? "no answer"}` }],
            alarms: {
                high: alarmState(state.history, rule("GreaterThanThreshold", settings.cpuHighPercent)),
                low: alarmState(state.history, rule("LessThanThreshold", settings.cpuLowPercent)),
            },
            nodeStates: {},
        };
    }

    const nodes = [...observation.nodes].sort((a, b) => nodeIndex(a.name) - nodeIndex(b.name));
    // Forget what no longer exists, so the lists cannot grow without bound.
    const ids = new Set(nodes.map((n) => n.id));
    state.stoppedByController = state.stoppedByController.filter((id) => ids.has(id));
    // A container the controller stopped that runs again (started by anyone) is no longer "stopped by it".
    state.stoppedByController = state.stoppedByController.filter(
        (id) => !nodes.some((n) => n.id === id && n.status === "running" && !n.busy),
    );
    const names = new Set(nodes.map((n) => n.name));
    for (const name of Object.keys(state.healing)) if (!names.has(name)) delete state.healing[name];

    const nodeStates: Record<string, NodeState> = {};
    for (const n of nodes) nodeStates[n.name] = classify(n, state, settings, now);

    if (state.desired === null) {
        const running = nodes.filter((n) => meantToRun(nodeStates[n.name])).length;
        state.desired = clamp(running, settings.floor, settings.ceiling);
        decisions.push({
            action: "rebuild",
            reason: `started: ${running} node(s) meant to run, desired ${state.desired} (floor ${settings.floor}, ceiling ${settings.ceiling})`,
        });
    }

    // Healing first: it runs paused or not.
    for (const n of nodes) {
        const why = failure(n, state);
        const memory = state.healing[n.name];
        if (why === undefined) {
            if (memory && nodeStates[n.name] === "running" && recovered(memory.lastRestartMs, now, settings.backoff))
                delete state.healing[n.name];
            continue;
        }
        if (memory && now < memory.notBeforeMs) {
            if (memory.reported) continue;
            state.healing[n.name] = { ...memory, reported: true };
            const wait = Math.ceil((memory.notBeforeMs - now) / 1000);
            decisions.push({
                action: "backoff",
                node: n.name,
                reason: `${why}; restarted ${memory.attempts} time(s) already, next restart in ${wait} s`,
            });
            continue;
        }
        const attempts = (memory?.attempts ?? 0) + 1;
        const wait = backoffSeconds(attempts + 1, settings.backoff);
        state.healing[n.name] = { attempts, lastRestartMs: now, notBeforeMs: now + wait * 1000 };
        actions.push({ kind: "restart", node: n.name, container: n.container });
        decisions.push({
            action: "restart",
            node: n.name,
            reason: `${why} (restart ${attempts}${attempts > 1 ? `, next one no sooner than ${wait} s` : ""})`,
        });
    }

    // The alarms: one statistic per check over the nodes that count.
    const counted = nodes.filter((n) => nodeStates[n.name] === "running");
    state.history = [...state.history, cpuStatistic(counted.map((n) => n.cpuPercent))].slice(
        -settings.evaluationPeriods,
    );
    const high = alarmState(state.history, rule("GreaterThanThreshold", settings.cpuHighPercent));
    const low = alarmState(state.history, rule("LessThanThreshold", settings.cpuLowPercent));
    const value = state.history[state.history.length - 1];
    const window = `${settings.evaluationPeriods} x ${settings.checkPeriodSeconds} s`;
    const coolingDown = state.lastScaleMs !== null && now - state.lastScaleMs < settings.cooldownSeconds * 1000;

    let desiredChanged = state.desiredChanged;
    state.desiredChanged = false;
    if (!state.paused && !coolingDown && high === "ALARM") {
        if (state.desired < settings.ceiling) {
            state.desired += 1;
            desiredChanged = true;
            state.history = [];
            state.lastScaleMs = now;
            decisions.push({
                action: "scale-out",
                reason: `max node CPU ${fmt(value)} % > ${settings.cpuHighPercent} % for ${window}: desired ${state.desired}`,
            });
        } else {
            decisions.push({
                action: "none",
                reason: `max node CPU ${fmt(value)} % > ${settings.cpuHighPercent} % for ${window}, but already at the ceiling (${settings.ceiling})`,
            });
        }
    } else if (!state.paused && !coolingDown && low === "ALARM") {
        if (state.desired > settings.floor) {
            state.desired -= 1;
            desiredChanged = true;
            state.history = [];
            state.lastScaleMs = now;
            decisions.push({
                action: "scale-in",
                reason: `max node CPU ${fmt(value)} % < ${settings.cpuLowPercent} % for ${window}: desired ${state.desired}`,
            });
        }
    }

    // Converge the nodes meant to run on the desired count.
    const active = nodes.filter((n) => meantToRun(nodeStates[n.name]));
    const started = new Set<string>();
    if (active.length < state.desired) {
        // A deploy replaced a node that ran (new container, created stopped): back at once, before anything else,
        // so the count is restored within one check and no other standby is started (and later stopped) instead.
        // Only above the floor: the program declares node-1..node-floor running, so the deploy starts those itself.
        const replaced = nodes.filter(
            (n) =>
                nodeStates[n.name] === "standby" &&
                n.wired &&
                nodeIndex(n.name) > settings.floor &&
                previous.runningIds[n.name] !== undefined &&
                previous.runningIds[n.name] !== n.id,
        );
        for (const n of replaced.slice(0, state.desired - active.length)) {
            started.add(n.name);
            actions.push({ kind: "start", node: n.name, container: n.container });
            decisions.push({
                action: "start",
                node: n.name,
                reason: `${n.name} ran before its container was replaced (a deploy): started again`,
            });
        }
    }
    const short = state.desired - active.length - started.size;
    if (short > 0) {
        state.shortfallChecks = desiredChanged ? 0 : state.shortfallChecks + 1;
        if (desiredChanged || state.shortfallChecks >= SHORTFALL_CHECKS) {
            const standby = nodes
                .filter((n) => nodeStates[n.name] === "standby" && n.wired && !started.has(n.name))
                // The most recently stopped first (seed 004: start what exists, newest first); never-started last.
                .sort((a, b) => b.finishedAt - a.finishedAt || nodeIndex(a.name) - nodeIndex(b.name));
            for (const n of standby.slice(0, short)) {
                started.add(n.name);
                actions.push({ kind: "start", node: n.name, container: n.container });
                decisions.push({
                    action: "start",
                    node: n.name,
                    reason: `${active.length} node(s) meant to run, desired ${state.desired}`,
                });
            }
            if (standby.length < short) {
                decisions.push({
                    action: "none",
                    reason: `desired ${state.desired} but only ${state.desired - short + standby.length} node(s) can run`,
                });
            }
            state.shortfallChecks = 0;
        }
    } else {
        state.shortfallChecks = 0;
        if (active.length > state.desired) {
            // Stop the highest-numbered healthy ones: node-1..node-floor stay the stable base.
            const stoppable = active
                .filter((n) => nodeStates[n.name] === "running" || nodeStates[n.name] === "starting")
                .sort((a, b) => nodeIndex(b.name) - nodeIndex(a.name));
            for (const n of stoppable.slice(0, active.length - state.desired)) {
                actions.push({ kind: "stop", node: n.name, container: n.container });
                state.stoppedByController.push(n.id);
                decisions.push({
                    action: "stop",
                    node: n.name,
                    reason: `${active.length} node(s) meant to run, desired ${state.desired}: drained, then stopped (kept)`,
                });
            }
        }
    }
    // Remember what runs; what does not is kept only while the count is short (it may be a replacement under way).
    const stillShort = active.length + started.size < state.desired;
    for (const n of nodes) {
        if (meantToRun(nodeStates[n.name]) || started.has(n.name)) state.runningIds[n.name] = n.id;
        else if (!stillShort) delete state.runningIds[n.name];
    }
    if (!stillShort)
        for (const name of Object.keys(state.runningIds)) if (!names.has(name)) delete state.runningIds[name];
    if (decisions.length === 0) {
        decisions.push({
            action: "none",
            reason: `${state.paused ? "paused; " : ""}${coolingDown ? "cooling down; " : ""}max node CPU ${fmt(value)} %, alarms high ${high} low ${low}`,
        });
    }
    return { state, actions, decisions, alarms: { high, low }, nodeStates };
}

function fmt(v: number | null | undefined): string {
    return v === null || v === undefined ? "n/a" : v.toFixed(1);
}
