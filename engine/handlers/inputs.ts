/** Typed reads of plain JSON inputs, for the handlers. */
import { Json, JsonObject } from "../types";
import { isObject } from "../values";

export function str(v: Json | undefined): string | undefined {
    return typeof v === "string" ? v : v === undefined || v === null ? undefined : String(v);
}

export function num(v: Json | undefined): number | undefined {
    if (typeof v === "number") return v;
    if (typeof v === "string" && v.trim() !== "" && !Number.isNaN(Number(v))) return Number(v);
    return undefined;
}

export function bool(v: Json | undefined): boolean | undefined {
    return typeof v === "boolean" ? v : undefined;
}

export function list(v: Json | undefined): Json[] {
    return Array.isArray(v) ? v : [];
}

export function strings(v: Json | undefined): string[] {
    return list(v).map((e) => String(e));
}

export function objects(v: Json | undefined): JsonObject[] {
    return list(v).filter(isObject);
}

export function record(v: Json | undefined): Record<string, string> {
    const out: Record<string, string> = {};
    if (isObject(v)) for (const [k, e] of Object.entries(v)) if (e !== null) out[k] = String(e);
    return out;
}

/** Go duration string ("1s", "1m30s", "500ms") to nanoseconds, as the provider parses healthcheck times. */
export function durationNs(v: Json | undefined): number | undefined {
    const s = str(v);
    if (s === undefined) return undefined;
    if (s === "0") return 0;
    const units: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
    const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
    let total = 0;
    let matched = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(s)) !== null) {
        total += Number(m[1]) * units[m[2]];
        matched += m[0].length;
    }
    if (matched !== s.length || matched === 0) throw new Error(`time: invalid duration ${JSON.stringify(s)}`);
    return Math.round(total);
}
