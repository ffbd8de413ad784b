/**
 * Validation of the query string of GET /load. Strict on purpose: /load burns
 * every CPU of the node, so "1e3" or "60s" silently turning into some other
 * duration (as Number()/parseInt() would do) is worse than a clear 400.
 */
import { quoteValue } from "./quote";

export const MIN_LOAD_SECONDS = 1;
export const MAX_LOAD_SECONDS = 600;

export type LoadTimeoutResult = { ok: true; seconds: number } | { ok: false; error: string };

const EXPECTED = `expected timeout=<integer seconds ${MIN_LOAD_SECONDS}..${MAX_LOAD_SECONDS}>, e.g. /load?timeout=30`;

/** @param query the raw query string after "?" (without it), or "" when there is none. */
export function parseLoadTimeout(query: string): LoadTimeoutResult {
    const params = new URLSearchParams(query);
    const names = [...new Set([...params.keys()])];

    const unexpected = names.filter((name) => name !== "timeout");
    if (unexpected.length > 0) {
        return {
            ok: false,
            error: `unexpected query parameter(s) ${unexpected.map((n) => quoteValue(n)).join(", ")}: only timeout is allowed; ${EXPECTED}`,
        };
    }

    const values = params.getAll("timeout");
    if (values.length === 0) return { ok: false, error: `missing query parameter timeout; ${EXPECTED}` };
    if (values.length > 1) {
        return {
            ok: false,
            error: `timeout given ${values.length} times (${values.map((v) => quoteValue(v)).join(", ")}); give it once; ${EXPECTED}`,
        };
    }

    const raw = values[0] as string;
    if (!/^[0-9]+$/.test(raw)) {
        return { ok: false, error: `timeout=${quoteValue(raw)} is not an integer number of seconds; ${EXPECTED}` };
    }
    // Leading zeros ("030") are still a plain integer; the length cap keeps Number() exact.
    const seconds = raw.length <= 15 ? Number(raw) : Infinity;
    if (seconds < MIN_LOAD_SECONDS || seconds > MAX_LOAD_SECONDS) {
        return { ok: false, error: `timeout=${quoteValue(raw)} is out of range; ${EXPECTED}` };
    }
    return { ok: true, seconds };
}
