/**
 * Command-line flags of `npm run sweep`. Pure: argv in, options out; a bad value is a FlagError naming the flag
 * and the value, and nothing runs.
 */
import { FlagError, numberFlag, tokenize } from "../../lib/argv";
import type { StackLayout } from "../../lib/engineStack";
import { CacheArm, defaultOutDir } from "../cell";
import { KeyDistribution } from "../keys";
import { DEFAULT_TIMEOUT_S, MAX_CONNECTIONS, loopbackFlag, outFlag, stackFlag, timeoutFlag } from "../flags";

export { FlagError };

export type { CacheArm };

export interface SweepOptions {
    /** Concurrent users (keep-alive connections without think time), in the order run. */
    users: number[];
    /** Instance counts to set through the controller; undefined: whatever runs now (fixed). */
    instances?: number[];
    /** The cache axis: GET /data read through the node's cache (on) or past it (off, Cache-Control: no-cache). */
    cache?: CacheArm[];
    durationS: number;
    warmupS: number;
    timeoutS: number;
    /** Any HTTP target on 127.0.0.1; instances are then fixed. */
    url?: string;
    /** Local stack whose balancer and nodes are found by their Docker labels (default local). */
    stack: string;
    /** The controller's API (issue 10), needed to set the instance count. */
    controllerUrl?: string;
    /** Bring up a stack of its own (SWEEP_OWN_LAYOUT, cache on), set each instance count by an up, destroy it. */
    ownStack: boolean;
    /** Path requested without --cache. */
    path: string;
    keys: number;
    keyDistribution: KeyDistribution;
    seed: number;
    /** Smallest relative gain per added node, in p95 or throughput, that counts as paying off (0.1 = 10 %). */
    minGain: number;
    outDir: string;
    prefix: string;
    help: boolean;
}

/** `--own-stack`: a stack "sweep" on ports and a subnet no other stack here uses. */
export const SWEEP_OWN_LAYOUT: StackLayout = {
    stack: "sweep",
    lbPort: 27080,
    lbStatsPort: 27404,
    nodePortBase: 27001,
    subnet: "10.87.0.0/24",
};
/** The own stack's one release, built from this checkout when it does not exist, removed at the end if it was. */
export const SWEEP_OWN_TAG = "sweep-a";

export const DEFAULTS = {
    stack: "local",
    durationS: 20,
    warmupS: 5,
    timeoutS: DEFAULT_TIMEOUT_S,
    path: "/",
    keys: 1000,
    keyDistribution: "zipf:1",
    seed: 1,
    gainPercent: 10,
    prefix: "sweep",
} as const;

export const USAGE = `usage: npm run sweep -- --users <list> [--instances <list>] [--cache on,off] [options]

For each instance count (set through the controller, autoscaling paused) checks that every running node answers
directly and through the balancer, warms up, then loads each user count; writes a Locust-shaped _stats.csv per
cell, a summary CSV, a record of the run (JSON) and an HTML report that names the knee. Targets: 127.0.0.1 only.

  --users <list>             concurrent users (keep-alive connections, no think time), e.g. 10,50,200 (1-${MAX_CONNECTIONS})
  --instances <list>         instance counts, e.g. 1,2,3,4 (needs --controller); default: the nodes running now
  --cache <on,off>           third axis: GET /data through the nodes' cache (on) or past it (off: Cache-Control: no-cache);
                             the stack needs cloudlab:cache on for "on"
  --duration <time>          per cell: 20s, 1m or seconds (default ${DEFAULTS.durationS}s)
  --warmup <time>            before the first cell of each instance count and cache arm (default ${DEFAULTS.warmupS}s; 0 for none)
  --url <url>                any HTTP target on 127.0.0.1 instead of a stack (instances fixed, no node check but its own)
  --stack <name>             local stack found by its Docker labels (default ${DEFAULTS.stack})
  --controller <url>         the controller's API, e.g. http://127.0.0.1:8090 (token: env CLOUDLAB_CONTROLLER_TOKEN)
  --own-stack                bring up a stack "${SWEEP_OWN_LAYOUT.stack}" of its own (ports ${SWEEP_OWN_LAYOUT.lbPort}/${SWEEP_OWN_LAYOUT.lbStatsPort}/${SWEEP_OWN_LAYOUT.nodePortBase}+, cache on),
                             set each instance count by an up of it (nodeCount), and destroy it at the end
  --path <path>              path requested without --cache (default ${DEFAULTS.path})
  --keys <n>                 distinct GET /data keys (default ${DEFAULTS.keys})
  --key-distribution <d>     uniform or zipf:<exponent> (default ${DEFAULTS.keyDistribution})
  --seed <n>                 seed of the key sequence (default ${DEFAULTS.seed})
  --gain <percent>           least gain per added node, in p95 or requests/s, that pays (default ${DEFAULTS.gainPercent})
  --timeout <s>              a slower answer counts as failed, 1-120 (default ${DEFAULTS.timeoutS})
  --out <dir>                output directory (default sweep-results/<UTC time>)
  --prefix <name>            file name prefix (default ${DEFAULTS.prefix})
  --help                     this text`;

const VALUED = [
    "users",
    "instances",
    "cache",
    "duration",
    "warmup",
    "timeout",
    "url",
    "stack",
    "controller",
    "path",
    "keys",
    "key-distribution",
    "seed",
    "gain",
    "out",
    "prefix",
] as const;
const BOOLEAN = ["help", "own-stack"] as const;

const PREFIX_RE = /^[A-Za-z0-9_.-]{1,64}$/;

export function parseFlags(argv: string[], now = new Date()): SweepOptions {
    const { values, switches } = tokenize(argv, VALUED, BOOLEAN);
    const help = switches.has("help");
    if (help) return { ...defaults(now), users: [], help };
    const usersRaw = values.get("users");
    if (usersRaw === undefined) throw new FlagError("--users is required, e.g. --users 10,50,200");
    const users = countList("users", usersRaw, MAX_CONNECTIONS);
    const url = loopbackFlag(values, "url");
    if (url !== undefined) {
        for (const f of ["stack", "controller", "instances"] as const)
            if (values.has(f))
                throw new FlagError(
                    `--url and --${f} ${JSON.stringify(values.get(f))} exclude each other (with --url the instances are fixed)`,
                );
    }
    const ownStack = switches.has("own-stack");
    if (ownStack)
        for (const f of ["url", "stack", "controller"] as const)
            if (values.has(f))
                throw new FlagError(
                    `--own-stack and --${f} ${JSON.stringify(values.get(f))} exclude each other (the own stack is "${SWEEP_OWN_LAYOUT.stack}")`,
                );
    const controllerUrl = loopbackFlag(values, "controller");
    const instancesRaw = values.get("instances");
    const instances = instancesRaw === undefined ? undefined : countList("instances", instancesRaw, 64);
    const stack = ownStack ? SWEEP_OWN_LAYOUT.stack : stackFlag(values.get("stack") ?? DEFAULTS.stack);
    const prefix = values.get("prefix") ?? DEFAULTS.prefix;
    if (!PREFIX_RE.test(prefix))
        throw new FlagError(
            `--prefix must be letters, digits, '_', '.', '-' (at most 64), not ${JSON.stringify(prefix)}`,
        );
    const path = values.get("path") ?? DEFAULTS.path;
    if (!/^\/[\x21-\x7e]*$/.test(path))
        throw new FlagError(`--path must start with / and hold no spaces, not ${JSON.stringify(path)}`);
    if (values.has("path") && values.has("cache"))
        throw new FlagError(`--path and --cache exclude each other (the cache axis reads GET /data?key=...)`);

    return {
        users,
        instances,
        cache: values.has("cache") ? cacheList(values.get("cache")!) : undefined,
        durationS: timeFlag("duration", values.get("duration"), DEFAULTS.durationS, 1),
        warmupS: timeFlag("warmup", values.get("warmup"), DEFAULTS.warmupS, 0),
        timeoutS: timeoutFlag(values),
        url,
        stack,
        controllerUrl,
        ownStack,
        path,
        keys: numberFlag(values, "keys", 1, 1_000_000, true, DEFAULTS.keys, "a whole number of keys"),
        keyDistribution: distribution(values.get("key-distribution") ?? DEFAULTS.keyDistribution),
        seed: numberFlag(values, "seed", 0, 2 ** 32 - 1, true, DEFAULTS.seed, "a whole number"),
        minGain: numberFlag(values, "gain", 0, 1000, false, DEFAULTS.gainPercent, "a percentage") / 100,
        outDir: outFlag(values, defaults(now).outDir),
        prefix,
        help,
    };
}

function defaults(now: Date): Omit<SweepOptions, "users" | "help"> {
    return {
        ownStack: false,
        durationS: DEFAULTS.durationS,
        warmupS: DEFAULTS.warmupS,
        timeoutS: DEFAULTS.timeoutS,
        stack: DEFAULTS.stack,
        path: DEFAULTS.path,
        keys: DEFAULTS.keys,
        keyDistribution: distribution(DEFAULTS.keyDistribution),
        seed: DEFAULTS.seed,
        minGain: DEFAULTS.gainPercent / 100,
        outDir: defaultOutDir("sweep", now),
        prefix: DEFAULTS.prefix,
    };
}

/** "10,50,200": distinct whole numbers from 1 to `max`, in the order given. */
export function countList(flag: string, raw: string, max: number): number[] {
    const items = raw.split(",").map((s) => s.trim());
    const out: number[] = [];
    for (const item of items) {
        const n = /^[0-9]+$/.test(item) ? Number(item) : NaN;
        if (!Number.isInteger(n) || n < 1 || n > max)
            throw new FlagError(
                `--${flag}: ${JSON.stringify(item)} is not a whole number from 1 to ${max} (in ${JSON.stringify(raw)})`,
            );
        if (out.includes(n)) throw new FlagError(`--${flag}: ${n} is given twice (in ${JSON.stringify(raw)})`);
        out.push(n);
    }
    return out;
}

function cacheList(raw: string): CacheArm[] {
    const out: CacheArm[] = [];
    for (const item of raw.split(",").map((s) => s.trim())) {
        if (item !== "on" && item !== "off")
            throw new FlagError(`--cache: ${JSON.stringify(item)} is neither on nor off (in ${JSON.stringify(raw)})`);
        if (out.includes(item)) throw new FlagError(`--cache: ${item} is given twice (in ${JSON.stringify(raw)})`);
        out.push(item);
    }
    return out;
}

/** "20s", "1m", "1.5m" or plain seconds "20"; at least `min`, at most an hour. */
export function timeFlag(flag: string, raw: string | undefined, fallback: number, min: number): number {
    if (raw === undefined) return fallback;
    const m = /^([0-9]+(?:\.[0-9]+)?)(s|m)?$/.exec(raw.trim());
    const s = m ? Number(m[1]) * (m[2] === "m" ? 60 : 1) : NaN;
    if (!Number.isFinite(s) || s < min || s > 3600)
        throw new FlagError(
            `--${flag} must be a time from ${min}s to 1h such as 20s, 1m or 20, not ${JSON.stringify(raw)}`,
        );
    return s;
}

function distribution(raw: string): KeyDistribution {
    if (raw === "uniform") return { kind: "uniform" };
    const m = /^zipf:([0-9]+(?:\.[0-9]+)?)$/.exec(raw);
    const exponent = m ? Number(m[1]) : NaN;
    if (!m || exponent <= 0 || exponent > 10)
        throw new FlagError(
            `--key-distribution must be uniform or zipf:<exponent above 0, at most 10>, not ${JSON.stringify(raw)}`,
        );
    return { kind: "zipf", exponent };
}
