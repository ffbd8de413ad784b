/**
 * Command-line flags of `npm run bench`. Pure: argv in, options out, and a bad value is an error that names the
 * flag and the value, so a typo never silently runs a different benchmark.
 */
import { IMAGE_TAG_RE } from "../../../components/config/parsers";
import { FlagError, numberFlag as number, tokenize } from "../../lib/argv";
import type { StackLayout } from "../../lib/engineStack";
import { defaultOutDir } from "../cell";
import { DEFAULT_TIMEOUT_S, MAX_CONNECTIONS, outFlag, stackFlag, timeoutFlag } from "../flags";
import type { OwnStackSpec } from "../ownStack";

export { FlagError, MAX_CONNECTIONS };

/** First part of every file the bench writes (`bench_<scenario>_u<connections>_i<nodes>_stats.csv`). */
export const BENCH_PREFIX = "bench";

/** Scenario ids, in the order they run and are printed. */
export const SCENARIOS = [
    "ceiling",
    "direct-one",
    "direct-all",
    "balancer",
    "balancer-no-log",
    "small-nodes",
    "kill",
    "deploy",
    "rollback",
    "scaling",
    "many",
] as const;
export type ScenarioId = (typeof SCENARIOS)[number];

export interface BenchOptions {
    /** Stack whose containers are benchmarked (labels cloudlab.stack=cloudlab-<stack>). */
    stack: string;
    /** Bring up (and destroy) a stack of our own instead of using an existing one. */
    ownStack: boolean;
    /** Seconds of load per throughput scenario. */
    durationS: number;
    /** Keep-alive connections of every scenario but `many`. */
    connections: number;
    /** Connections of the `many` scenario (5000 by the requirement). */
    manyConnections: number;
    /** autocannon worker threads for `many`; 0 = autocannon in this process. */
    workers: number;
    /** Request timeout of the load, seconds: a slower answer counts as failed. */
    timeoutS: number;
    /** Tag deployed and then rolled back from (an existing stack); the own stack always uses OWN_TAGS. */
    rollbackTag: string;
    scenarios: ScenarioId[];
    /** --own-stack only: the controller's checkPeriod and evaluationPeriods (the scaling scenario's window). */
    ownStackWindow?: { checkPeriod?: number; evaluationPeriods?: number };
    jsonPath?: string;
    /** Where each steady scenario's Locust-shaped `_stats.csv` goes. */
    outDir: string;
    quick: boolean;
    help: boolean;
}

/** `--own-stack`: a stack "bench" on ports and a subnet no other stack here uses (scripts/load/ownStack.ts). */
export const OWN_LAYOUT: StackLayout = {
    stack: "bench",
    lbPort: 28080,
    lbStatsPort: 28404,
    nodePortBase: 23001,
    subnet: "10.89.0.0/24",
    // Not the project's default 8090: a user's own local stack may hold it.
    controllerPort: 28090,
};
/** The own stack's releases: it comes up at `first`, deploys `second`, and rolls back to `first`. */
export const OWN_TAGS = { first: "bench-a", second: "bench-b" } as const;
export const BENCH_OWN_STACK: OwnStackSpec = { layout: OWN_LAYOUT, tags: OWN_TAGS };

/** CPUs of each node in the "small-nodes" scenario: small enough that the nodes, not the balancer, should be the limit. */
export const SMALL_NODE_CPUS = 0.25;

export const DEFAULTS = {
    stack: "local",
    durationS: 10,
    quickDurationS: 2,
    connections: 50,
    manyConnections: 5000,
    quickManyConnections: 200,
    workers: 0,
    timeoutS: DEFAULT_TIMEOUT_S,
    rollbackTag: OWN_TAGS.second,
} as const;

export const USAGE = `usage: npm run bench -- [--stack <name> | --own-stack] [options]

Benchmarks a running local stack (every target on 127.0.0.1) and prints one table.

  --stack <name>         stack to benchmark, found by its Docker labels (default: ${DEFAULTS.stack})
  --own-stack            bring up a stack "${OWN_LAYOUT.stack}" of its own (ports ${OWN_LAYOUT.lbPort}/${OWN_LAYOUT.lbStatsPort}/${OWN_LAYOUT.nodePortBase}+), run every
                         scenario on it, rollback included, and destroy it at the end
  --duration <s>         seconds of load per scenario, 1-600 (default ${DEFAULTS.durationS}; --quick: ${DEFAULTS.quickDurationS})
  --connections <n>      keep-alive connections per scenario, 1-${MAX_CONNECTIONS} (default ${DEFAULTS.connections})
  --many <n>             connections of the "many" scenario, 1-${MAX_CONNECTIONS} (default ${DEFAULTS.manyConnections}; --quick: ${DEFAULTS.quickManyConnections})
  --workers <n>          autocannon worker threads for "many", 0-16; 0 = in this process (default ${DEFAULTS.workers})
  --timeout <s>          a request slower than this counts as failed, 1-120 (default ${DEFAULTS.timeoutS})
  --rollback-tag <tag>   release deployed, then rolled back from, on an existing stack (default ${DEFAULTS.rollbackTag})
  --scenarios <list>     comma-separated subset of: ${SCENARIOS.join(", ")}
  --check-period <s>     with --own-stack: the controller's checkPeriod, 1-3600 (default: Pulumi.local.yaml's or the project's)
  --evaluation-periods <n>  with --own-stack: the controller's evaluationPeriods, 1-100 (same default)
  --json <file>          also write the raw figures as JSON
  --out <dir>            directory of the steady scenarios' Locust-shaped _stats.csv (default ${BENCH_PREFIX}-results/<UTC time>)
  --quick                smoke run: ${DEFAULTS.quickDurationS} s per scenario, ${DEFAULTS.quickManyConnections} instead of ${DEFAULTS.manyConnections} connections
  --help                 this text`;

/** Flags that take a value (--flag value or --flag=value). */
const VALUED = [
    "stack",
    "duration",
    "connections",
    "many",
    "workers",
    "timeout",
    "rollback-tag",
    "scenarios",
    "check-period",
    "evaluation-periods",
    "json",
    "out",
] as const;
const BOOLEAN = ["own-stack", "quick", "help"] as const;

export function parseFlags(argv: string[], now = new Date()): BenchOptions {
    const { values, switches } = tokenize(argv, VALUED, BOOLEAN);

    const quick = switches.has("quick");
    const ownStack = switches.has("own-stack");
    if (ownStack && values.has("stack")) {
        throw new FlagError(
            `--own-stack and --stack ${JSON.stringify(values.get("stack"))} exclude each other (the own stack is "bench")`,
        );
    }
    if (ownStack && values.has("rollback-tag")) {
        throw new FlagError(
            `--rollback-tag is for an existing stack; the own stack deploys ${OWN_TAGS.second} and rolls back to ${OWN_TAGS.first}`,
        );
    }
    const stack = ownStack ? "bench" : stackFlag(values.get("stack") ?? DEFAULTS.stack);
    const rollbackTag = values.get("rollback-tag") ?? DEFAULTS.rollbackTag;
    if (!IMAGE_TAG_RE.test(rollbackTag)) {
        throw new FlagError(
            `--rollback-tag must be a Docker tag (letters, digits, '_', '.', '-'; at most 128), not ${JSON.stringify(rollbackTag)}`,
        );
    }
    for (const flag of ["check-period", "evaluation-periods"] as const)
        if (values.has(flag) && !ownStack)
            throw new FlagError(`--${flag} sets the own stack's controller; it needs --own-stack`);
    const checkPeriod = values.has("check-period")
        ? number(values, "check-period", 1, 3600, true, 0, "a whole number of seconds")
        : undefined;
    const evaluationPeriods = values.has("evaluation-periods")
        ? number(values, "evaluation-periods", 1, 100, true, 0, "a whole number of checks")
        : undefined;
    const json = values.get("json");
    if (json !== undefined && json.trim() === "") throw new FlagError("--json needs a file name, got an empty one");

    return {
        stack,
        ownStack,
        durationS: number(
            values,
            "duration",
            1,
            600,
            false,
            quick ? DEFAULTS.quickDurationS : DEFAULTS.durationS,
            "a number of seconds",
        ),
        connections: number(
            values,
            "connections",
            1,
            MAX_CONNECTIONS,
            true,
            DEFAULTS.connections,
            "a whole number of connections",
        ),
        manyConnections: number(
            values,
            "many",
            1,
            MAX_CONNECTIONS,
            true,
            quick ? DEFAULTS.quickManyConnections : DEFAULTS.manyConnections,
            "a whole number of connections",
        ),
        workers: number(values, "workers", 0, 16, true, DEFAULTS.workers, "a whole number of worker threads"),
        timeoutS: timeoutFlag(values),
        rollbackTag,
        scenarios: scenarioList(values.get("scenarios")),
        ...(checkPeriod !== undefined || evaluationPeriods !== undefined
            ? { ownStackWindow: { checkPeriod, evaluationPeriods } }
            : {}),
        jsonPath: json,
        outDir: outFlag(values, defaultOutDir(BENCH_PREFIX, now)),
        quick,
        help: switches.has("help"),
    };
}

function scenarioList(raw: string | undefined): ScenarioId[] {
    if (raw === undefined) return [...SCENARIOS];
    const wanted = raw.split(",").map((s) => s.trim());
    for (const s of wanted) {
        if (!(SCENARIOS as readonly string[]).includes(s)) {
            throw new FlagError(`--scenarios: unknown scenario ${JSON.stringify(s)}; known: ${SCENARIOS.join(", ")}`);
        }
    }
    // Run order is fixed (the disruptive ones last but "many"), whatever order they were listed in.
    return SCENARIOS.filter((s) => wanted.includes(s));
}
