/**
 * Helpers for the JSON values the Pulumi SDK sends over its resource-monitor protocol: the unknown sentinel
 * (a preview's computed value), secret wrappers, and deep comparison.
 */
import { Json, JsonObject } from "./types";

/** How the SDK encodes an unknown (computed) value on the wire (see @pulumi/pulumi runtime/rpc.js). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** Key that marks a special (secret, asset, resource reference) value on the wire. */
export const SPECIAL_SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export function isObject(v: unknown): v is JsonObject {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function containsUnknown(v: unknown): boolean {
    if (v === UNKNOWN) return true;
    if (Array.isArray(v)) return v.some(containsUnknown);
    if (isObject(v)) return Object.values(v).some(containsUnknown);
    return false;
}

/**
 * Unwraps secret markers (the engine keeps the plain value; secrecy is re-applied on the way back) and rejects
 * the special values the docker test engine does not model (assets, archives, resource references).
 * Returns the plain value and whether a secret was seen.
 */
export function unwrapWire(v: unknown, where: string): { value: Json; secret: boolean } {
    if (Array.isArray(v)) {
        let secret = false;
        const out = v.map((e, i) => {
            const r = unwrapWire(e, `${where}[${i}]`);
            secret = secret || r.secret;
            return r.value;
        });
        return { value: out, secret };
    }
    if (isObject(v)) {
        const sig = v[SPECIAL_SIG_KEY];
        if (sig !== undefined) {
            if (sig === SECRET_SIG) {
                const inner = unwrapWire(v.value, where);
                return { value: inner.value, secret: true };
            }
            throw new Error(
                `docker test engine: ${where}: special value ${String(sig)} (asset, archive or resource reference) is not supported`,
            );
        }
        let secret = false;
        const out: JsonObject = {};
        for (const [k, e] of Object.entries(v)) {
            if (e === undefined) continue;
            const r = unwrapWire(e, `${where}.${k}`);
            secret = secret || r.secret;
            out[k] = r.value;
        }
        return { value: out, secret };
    }
    if (v === undefined) return { value: null, secret: false };
    return { value: v as Json, secret: false };
}

/** Wraps a value the way the SDK expects a secret output on the wire. */
export function wrapSecret(v: Json): Json {
    return { [SPECIAL_SIG_KEY]: SECRET_SIG, value: v };
}

/** JSON with object keys sorted: equal values give equal strings. */
export function canonicalJson(v: unknown): string {
    if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
    if (isObject(v)) {
        const keys = Object.keys(v)
            .filter((k) => v[k] !== undefined)
            .sort();
        return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k])}`).join(",")}}`;
    }
    return JSON.stringify(v === undefined ? null : v);
}

export function deepEqual(a: unknown, b: unknown): boolean {
    return canonicalJson(a) === canonicalJson(b);
}

/** Replaces the wire unknown sentinel by a readable marker, for results handed to tests. */
export function readableUnknowns(v: unknown, marker: string): unknown {
    if (v === UNKNOWN) return marker;
    if (Array.isArray(v)) return v.map((e) => readableUnknowns(e, marker));
    if (isObject(v)) {
        if (v[SPECIAL_SIG_KEY] === SECRET_SIG) return readableUnknowns(v.value, marker);
        const out: Record<string, unknown> = {};
        for (const [k, e] of Object.entries(v)) out[k] = readableUnknowns(e, marker);
        return out;
    }
    return v;
}

export function errorMessage(e: unknown): string {
    if (e instanceof Error) return e.message;
    return String(e);
}
