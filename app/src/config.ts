/**
 * Environment parsing. Pure: takes the env object and the hostname, returns a
 * typed config or throws ConfigError listing every bad variable at once, so a
 * misconfigured container fails on its first start with one clear message
 * instead of a crash loop that reveals problems one by one.
 *
 * An unset OR empty variable means "use the default": Docker, compose and
 * Pulumi all make it easy to pass `VAR=` for an optional setting.
 */
import type { BackendOptions } from "./backendRead";
import { quoteValue } from "./quote";

// Kept here too: the modules and tests that take it from config.ts.
export { quoteValue };

export type LogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";

export interface AppConfig {
    port: number;
    nodeId: string;
    imageTag: string;
    /** Seconds between /health turning 503 and the listener closing. */
    drainSeconds: number;
    /** WORKERS override; undefined = one worker per CPU of the container. */
    workersOverride: number | undefined;
    logLevel: LogLevel;
    /** GET /data: the slow backend's delay and the optional cache in front of it (backendRead.ts). */
    backend: BackendOptions;
}

export const DEFAULT_PORT = 3000;
export const DEFAULT_IMAGE_TAG = "unknown";
export const DEFAULT_DRAIN_SECONDS = 2;
export const MAX_DRAIN_SECONDS = 300;
export const MAX_WORKERS = 256;
export const DEFAULT_BACKEND_DELAY_MS = 20;
export const MAX_BACKEND_DELAY_MS = 60_000;
export const DEFAULT_CACHE_TTL_SECONDS = 60;
export const MAX_CACHE_TTL_SECONDS = 86_400;
export const DEFAULT_CACHE_MAX_ENTRIES = 10_000;
export const MAX_CACHE_MAX_ENTRIES = 1_000_000;
const LOG_LEVELS: readonly LogLevel[] = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

export class ConfigError extends Error {
    constructor(readonly problems: string[]) {
        super(`invalid environment: ${problems.join("; ")}`);
        this.name = "ConfigError";
    }
}

type Env = Readonly<Record<string, string | undefined>>;

function present(env: Env, name: string): string | undefined {
    const raw = env[name];
    return raw === undefined || raw.trim() === "" ? undefined : raw;
}

/** Strict decimal integer: rejects "1e3", "0x10", " 5", "5.0", "+5" that Number() would accept. */
export function parseStrictInt(raw: string, min: number, max: number): number | undefined {
    if (!/^[0-9]{1,15}$/.test(raw)) return undefined;
    const n = Number(raw);
    return n >= min && n <= max ? n : undefined;
}

function portProblem(raw: string): string {
    return `PORT=${quoteValue(raw)} is not valid: expected an integer 1..65535`;
}

/** Free-text identifiers end up in JSON, logs and metric labels: forbid whitespace/control chars. */
function isPrintableToken(value: string, maxLength: number): boolean {
    return value.length <= maxLength && /^[\x21-\x7e]+$/.test(value);
}

export function parseConfig(env: Env, hostname: string): AppConfig {
    const problems: string[] = [];

    let port = DEFAULT_PORT;
    const rawPort = present(env, "PORT");
    if (rawPort !== undefined) {
        const parsed = parseStrictInt(rawPort, 1, 65535);
        if (parsed === undefined) problems.push(portProblem(rawPort));
        else port = parsed;
    }

    const nodeId = present(env, "NODE_ID") ?? hostname;
    if (!isPrintableToken(nodeId, 128)) {
        problems.push(
            `NODE_ID=${quoteValue(nodeId)} is not valid: expected 1..128 printable characters without spaces`,
        );
    }

    const imageTag = present(env, "IMAGE_TAG") ?? DEFAULT_IMAGE_TAG;
    if (!isPrintableToken(imageTag, 256)) {
        problems.push(
            `IMAGE_TAG=${quoteValue(imageTag)} is not valid: expected 1..256 printable characters without spaces`,
        );
    }

    let drainSeconds = DEFAULT_DRAIN_SECONDS;
    const rawDrain = present(env, "DRAIN_SECONDS");
    if (rawDrain !== undefined) {
        // Fractions are allowed so tests and local runs can use short drains (e.g. 0.2).
        const ok = /^[0-9]{1,4}(\.[0-9]{1,3})?$/.test(rawDrain) && Number(rawDrain) <= MAX_DRAIN_SECONDS;
        if (ok) drainSeconds = Number(rawDrain);
        else {
            problems.push(
                `DRAIN_SECONDS=${quoteValue(rawDrain)} is not valid: expected a number of seconds 0..${MAX_DRAIN_SECONDS} (up to 3 decimals)`,
            );
        }
    }

    let workersOverride: number | undefined;
    const rawWorkers = present(env, "WORKERS");
    if (rawWorkers !== undefined) {
        workersOverride = parseStrictInt(rawWorkers, 1, MAX_WORKERS);
        if (workersOverride === undefined) {
            problems.push(`WORKERS=${quoteValue(rawWorkers)} is not valid: expected an integer 1..${MAX_WORKERS}`);
        }
    }

    let logLevel: LogLevel = "info";
    const rawLevel = present(env, "LOG_LEVEL");
    if (rawLevel !== undefined) {
        if ((LOG_LEVELS as readonly string[]).includes(rawLevel)) logLevel = rawLevel as LogLevel;
        else problems.push(`LOG_LEVEL=${quoteValue(rawLevel)} is not valid: expected one of ${LOG_LEVELS.join(", ")}`);
    }

    const int = (name: string, fallback: number, min: number, max: number): number => {
        const raw = present(env, name);
        if (raw === undefined) return fallback;
        const n = parseStrictInt(raw, min, max);
        if (n !== undefined) return n;
        problems.push(`${name}=${quoteValue(raw)} is not valid: expected an integer ${min}..${max}`);
        return fallback;
    };
    const delayMs = int("BACKEND_DELAY_MS", DEFAULT_BACKEND_DELAY_MS, 0, MAX_BACKEND_DELAY_MS);
    const ttlSeconds = int("CACHE_TTL_SECONDS", DEFAULT_CACHE_TTL_SECONDS, 1, MAX_CACHE_TTL_SECONDS);
    const maxEntries = int("CACHE_MAX_ENTRIES", DEFAULT_CACHE_MAX_ENTRIES, 1, MAX_CACHE_MAX_ENTRIES);
    let cacheEnabled = false;
    const rawCache = present(env, "CACHE");
    if (rawCache !== undefined) {
        if (rawCache === "on" || rawCache === "off") cacheEnabled = rawCache === "on";
        else problems.push(`CACHE=${quoteValue(rawCache)} is not valid: expected on or off`);
    }

    if (problems.length > 0) throw new ConfigError(problems);
    return {
        port,
        nodeId,
        imageTag,
        drainSeconds,
        workersOverride,
        logLevel,
        backend: { delayMs, cache: { enabled: cacheEnabled, ttlSeconds, maxEntries } },
    };
}
