/**
 * The flags `npm run bench` and `npm run sweep` both take, checked one way (the grammar is ../lib/argv.ts).
 */
import { LIMITS } from "../../components/render/haproxyConfig";
import { FlagError, numberFlag } from "../lib/argv";
import { assertLoopback } from "../../lib/loopback";

/**
 * Client sockets are file descriptors: the hard open-files limit of this host is 20000 per process and the
 * balancer's frontend accepts LIMITS.frontendMaxconn clients, so more than that could only measure refusals.
 */
export const MAX_CONNECTIONS = LIMITS.frontendMaxconn;

/** Request timeout of every load unless --timeout says otherwise, seconds. */
export const DEFAULT_TIMEOUT_S = 10;

const STACK_RE = /^[A-Za-z0-9_.-]{1,100}$/;

/** --stack: a stack name (its containers carry the label cloudlab.stack=cloudlab-<name>). */
export function stackFlag(stack: string): string {
    if (!STACK_RE.test(stack))
        throw new FlagError(
            `--stack must be a stack name (letters, digits, '_', '.', '-'), not ${JSON.stringify(stack)}`,
        );
    return stack;
}

/** --timeout: a slower answer counts as failed. */
export function timeoutFlag(values: Map<string, string>): number {
    return numberFlag(values, "timeout", 1, 120, false, DEFAULT_TIMEOUT_S, "a number of seconds");
}

/** --out: the run's directory, or `fallback`. */
export function outFlag(values: Map<string, string>, fallback: string): string {
    const out = values.get("out");
    if (out !== undefined && out.trim() === "") throw new FlagError("--out needs a directory, got an empty one");
    return out ?? fallback;
}

/** A URL flag, only ever on 127.0.0.1; undefined when absent. */
export function loopbackFlag(values: Map<string, string>, name: string): string | undefined {
    const url = values.get(name);
    if (url === undefined) return undefined;
    try {
        assertLoopback(url);
    } catch (err) {
        throw new FlagError(`--${name}: ${(err as Error).message}`);
    }
    return url;
}
