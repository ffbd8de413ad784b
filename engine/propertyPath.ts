/**
 * Pulumi property paths (`a.b[0]`, `a["x.y"]`, `a[*]`, `*`), as used by replaceOnChanges and ignoreChanges,
 * with the two operations the engine needs: Contains (replaceOnChanges) and Reset (ignoreChanges).
 */
import { Json, JsonObject } from "./types";
import { isObject } from "./values";

export type PathSegment = string | number;
export const WILDCARD = "*";

export function parsePath(path: string): PathSegment[] {
    const segments: PathSegment[] = [];
    let i = 0;
    const fail = (): never => {
        throw new Error(`docker test engine: invalid property path ${JSON.stringify(path)}`);
    };
    while (i < path.length) {
        if (path[i] === "[") {
            const close = path.indexOf("]", i);
            if (close < 0) fail();
            const inner = path.slice(i + 1, close);
            if (inner === WILDCARD) segments.push(WILDCARD);
            else if (/^\d+$/.test(inner)) segments.push(Number(inner));
            else if (/^".*"$/.test(inner)) segments.push(JSON.parse(inner) as string);
            else fail();
            i = close + 1;
            if (path[i] === ".") i++;
            continue;
        }
        let j = i;
        while (j < path.length && path[j] !== "." && path[j] !== "[") j++;
        const name = path.slice(i, j);
        if (name === "") fail();
        segments.push(name);
        i = path[j] === "." ? j + 1 : j;
    }
    if (segments.length === 0) fail();
    return segments;
}

export function formatPath(segments: readonly PathSegment[]): string {
    let out = "";
    for (const s of segments) {
        if (typeof s === "number") out += `[${s}]`;
        else if (/^[A-Za-z_$#][\w$]*$/.test(s) || s === WILDCARD) out += out === "" ? s : `.${s}`;
        else out += `[${JSON.stringify(s)}]`;
    }
    return out;
}

/** Pulumi's PropertyPath.Contains: `pattern` is a (wildcard-aware) prefix of `path`. */
export function pathContains(pattern: readonly PathSegment[], path: readonly PathSegment[]): boolean {
    if (pattern.length > path.length) return false;
    return pattern.every((seg, i) => seg === WILDCARD || String(seg) === String(path[i]));
}

/**
 * Pulumi's PropertyPath.Reset, used for ignoreChanges: sets the value at `path` in `target` to its value in
 * `source`, or deletes it from `target` when `source` has none. Returns false when a parent is missing.
 */
export function resetPath(path: readonly PathSegment[], source: JsonObject, target: JsonObject): boolean {
    if (path.some((s) => s === WILDCARD)) {
        throw new Error(`docker test engine: wildcards in ignoreChanges (${formatPath(path)}) are not supported`);
    }
    let src: Json | undefined = source;
    let dst: Json | undefined = target;
    for (let i = 0; i < path.length - 1; i++) {
        const seg = path[i];
        src = step(src, seg);
        dst = step(dst, seg);
        if (dst === undefined || dst === null) return src === undefined || src === null;
    }
    const last = path[path.length - 1];
    const value = step(src, last);
    if (Array.isArray(dst) && typeof last === "number") {
        if (value === undefined) dst.splice(last, 1);
        else dst[last] = clone(value);
        return true;
    }
    if (isObject(dst)) {
        if (value === undefined) delete dst[String(last)];
        else dst[String(last)] = clone(value);
        return true;
    }
    return false;
}

function step(value: Json | undefined, seg: PathSegment): Json | undefined {
    if (value === undefined || value === null) return undefined;
    if (Array.isArray(value)) return typeof seg === "number" ? value[seg] : undefined;
    if (isObject(value)) return value[String(seg)];
    return undefined;
}

export function clone<T extends Json>(value: T): T {
    return JSON.parse(JSON.stringify(value)) as T;
}
