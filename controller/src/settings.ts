/**
 * The controller's settings, from its container's environment. The stack (components/local/controller.ts) writes
 * that environment with {@link controllerEnvironment}, so the names live here only. A bad value stops the
 * controller at start with a message naming the variable and the value.
 */
import type { DecisionSettings } from "./decide";

export interface ControllerSettings {
    /** The stack prefix: only containers labelled cloudlab.stack=<it> are looked at. */
    stack: string;
    /** Docker API through the socket proxy, e.g. http://docker-proxy:2375. */
    dockerUrl: string;
    /** The balancer's stats CSV, e.g. http://lb:8404/stats;csv. */
    statsCsvUrl: string;
    /** The balancer's backend of the nodes in that CSV. */
    backend: string;
    /** Port the API listens on inside the container. */
    listenPort: number;
    token: string;
    decisions: DecisionSettings;
}

/** Environment variable -> meaning; the container gets exactly these. */
export const ENV = {
    stack: "CONTROLLER_STACK",
    dockerUrl: "CONTROLLER_DOCKER_URL",
    statsCsvUrl: "CONTROLLER_STATS_CSV_URL",
    backend: "CONTROLLER_BACKEND",
    listenPort: "CONTROLLER_PORT",
    token: "CONTROLLER_TOKEN",
    floor: "CONTROLLER_NODE_COUNT",
    ceiling: "CONTROLLER_NODE_LIMIT",
    checkPeriodSeconds: "CONTROLLER_CHECK_PERIOD",
    evaluationPeriods: "CONTROLLER_EVALUATION_PERIODS",
    cpuHighPercent: "CONTROLLER_CPU_HIGH_PERCENT",
    cpuLowPercent: "CONTROLLER_CPU_LOW_PERCENT",
    cooldownSeconds: "CONTROLLER_COOLDOWN_SECONDS",
    backoffCapSeconds: "CONTROLLER_BACKOFF_CAP_SECONDS",
} as const;

/** The controller's settings as its environment: what the stack declares on the container. */
export function controllerEnvironment(s: ControllerSettings): string[] {
    const d = s.decisions;
    const values: Record<keyof typeof ENV, string | number> = {
        stack: s.stack,
        dockerUrl: s.dockerUrl,
        statsCsvUrl: s.statsCsvUrl,
        backend: s.backend,
        listenPort: s.listenPort,
        token: s.token,
        floor: d.floor,
        ceiling: d.ceiling,
        checkPeriodSeconds: d.checkPeriodSeconds,
        evaluationPeriods: d.evaluationPeriods,
        cpuHighPercent: d.cpuHighPercent,
        cpuLowPercent: d.cpuLowPercent,
        cooldownSeconds: d.cooldownSeconds,
        backoffCapSeconds: d.backoff.capSeconds,
    };
    return (Object.keys(ENV) as Array<keyof typeof ENV>).map((k) => `${ENV[k]}=${values[k]}`);
}

/** Reads and checks the settings; throws one error listing every bad or missing variable. */
export function settingsFromEnv(env: NodeJS.ProcessEnv): ControllerSettings {
    const problems: string[] = [];
    const text = (k: keyof typeof ENV): string => {
        const v = env[ENV[k]];
        if (v === undefined || v === "") problems.push(`${ENV[k]} is not set`);
        return v ?? "";
    };
    const int = (k: keyof typeof ENV, min: number, max: number): number => {
        const v = text(k);
        const n = Number(v);
        if (v !== "" && (!/^\d+$/.test(v) || n < min || n > max))
            problems.push(`${ENV[k]} = ${JSON.stringify(v)} is not an integer from ${min} to ${max}`);
        return n;
    };
    const token = text("token");
    if (token !== "" && token.length < 16) problems.push(`${ENV.token} is shorter than 16 characters`);
    const checkPeriodSeconds = int("checkPeriodSeconds", 1, 3600);
    const s: ControllerSettings = {
        stack: text("stack"),
        dockerUrl: text("dockerUrl"),
        statsCsvUrl: text("statsCsvUrl"),
        backend: text("backend"),
        listenPort: int("listenPort", 1, 65535),
        token,
        decisions: {
            floor: int("floor", 1, 64),
            ceiling: int("ceiling", 1, 64),
            checkPeriodSeconds,
            evaluationPeriods: int("evaluationPeriods", 1, 100),
            cpuHighPercent: int("cpuHighPercent", 1, 100),
            cpuLowPercent: int("cpuLowPercent", 0, 99),
            cooldownSeconds: int("cooldownSeconds", 0, 86400),
            backoff: { baseSeconds: checkPeriodSeconds, capSeconds: int("backoffCapSeconds", 1, 86400) },
        },
    };
    if (problems.length === 0 && s.decisions.floor > s.decisions.ceiling)
        problems.push(`${ENV.floor} (${s.decisions.floor}) is above ${ENV.ceiling} (${s.decisions.ceiling})`);
    if (problems.length > 0) throw new Error(`controller settings: ${problems.join("; ")}`);
    return s;
}
