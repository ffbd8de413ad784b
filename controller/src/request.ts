/**
 * The API's checks, pure: who may change things (a bearer token) and what a request body may say. Every
 * refusal names the problem; nothing is changed by a refused request.
 */
import { timingSafeEqual } from "node:crypto";

/** Largest body the API reads (bytes): every valid body is a few bytes. */
export const MAX_BODY_BYTES = 1024;

/** Whether an Authorization header carries exactly `Bearer <token>` (compared in constant time). */
export function authorized(header: string | undefined, token: string): boolean {
    if (!header || token.length === 0) return false;
    const m = /^Bearer ([^\s]+)$/.exec(header.trim());
    if (!m) return false;
    const given = Buffer.from(m[1]);
    const expected = Buffer.from(token);
    return given.length === expected.length && timingSafeEqual(given, expected);
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

function parseObject(text: string): Parsed<Record<string, unknown>> {
    let body: unknown;
    try {
        body = JSON.parse(text);
    } catch (e) {
        return { ok: false, error: `the body is not JSON (${(e as Error).message})` };
    }
    if (body === null || typeof body !== "object" || Array.isArray(body))
        return { ok: false, error: `the body must be a JSON object, got ${JSON.stringify(body)}` };
    return { ok: true, value: body as Record<string, unknown> };
}

/** POST /desired: exactly {"count": n}, n an integer with floor <= n <= ceiling. */
export function parseDesiredBody(text: string, floor: number, ceiling: number): Parsed<number> {
    const parsed = parseObject(text);
    if (!parsed.ok) return parsed;
    const unknown = Object.keys(parsed.value).filter((k) => k !== "count");
    if (unknown.length > 0)
        return {
            ok: false,
            error: `unknown field(s) ${unknown.map((k) => JSON.stringify(k)).join(", ")}: only "count" is allowed`,
        };
    const count = parsed.value.count;
    if (count === undefined) return { ok: false, error: 'missing field "count"' };
    if (typeof count !== "number" || !Number.isInteger(count))
        return { ok: false, error: `"count" must be an integer, got ${JSON.stringify(count)}` };
    if (count < floor || count > ceiling)
        return {
            ok: false,
            error: `"count" = ${count} is outside ${floor}..${ceiling} (nodeCount..nodeLimit)`,
        };
    return { ok: true, value: count };
}

/** POST /pause and /resume take no parameters: an empty body or {}. */
export function parseEmptyBody(text: string): Parsed<null> {
    if (text.trim() === "") return { ok: true, value: null };
    const parsed = parseObject(text);
    if (!parsed.ok) return parsed;
    const keys = Object.keys(parsed.value);
    if (keys.length > 0)
        return {
            ok: false,
            error: `unknown field(s) ${keys.map((k) => JSON.stringify(k)).join(", ")}: this call takes none`,
        };
    return { ok: true, value: null };
}
