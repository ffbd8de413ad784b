/**
 * Pure diff of a custom resource: old inputs vs new inputs, under the type's rules (resourceTypes.ts) and the
 * resource options the Pulumi engine applies (ignoreChanges before the diff, replaceOnChanges and init errors
 * after it, as pkg/resource/deploy/step_generator.go does). No Docker, no I/O: unit-testable.
 */
import { PathSegment, clone, parsePath, pathContains, resetPath } from "./propertyPath";
import { PropRule, assertSupportedInputs, rulesFor } from "./resourceTypes";
import { Json, JsonObject } from "./types";
import { UNKNOWN, canonicalJson, containsUnknown, isObject } from "./values";

export type DiffKind = "same" | "update" | "replace";

export interface DiffOptions {
    replaceOnChanges?: readonly string[];
    ignoreChanges?: readonly string[];
    /** The old resource recorded init errors (a create that failed half-way). */
    hasInitErrors?: boolean;
}

export interface DiffOutcome {
    kind: DiffKind;
    /** Top-level properties whose value changed. */
    changed: string[];
    /** Properties that force the replacement ("#initerror" when init errors do). */
    replaceKeys: string[];
    /** Leaf paths of the changes (Pulumi's detailed diff), e.g. `healthcheck.interval`, `envs[1]`. */
    detailed: string[];
    /** The new inputs after ignoreChanges: what the engine stores and hands to the provider. */
    inputs: JsonObject;
}

const INIT_ERROR_KEY = "#initerror";

/** Applies ignoreChanges: each listed path takes its old value (or is dropped when it had none). */
export function applyIgnoreChanges(
    newInputs: JsonObject,
    oldInputs: JsonObject,
    ignoreChanges: readonly string[],
): JsonObject {
    const result = clone(newInputs);
    const invalid: string[] = [];
    for (const p of ignoreChanges) {
        if (!resetPath(parsePath(p), oldInputs, result)) invalid.push(p);
    }
    if (invalid.length > 0) {
        throw new Error(
            `cannot ignore changes to the following properties because one or more elements of the path are missing: ${invalid
                .map((p) => JSON.stringify(p))
                .join(", ")}`,
        );
    }
    return result;
}

export function diffResource(
    type: string,
    oldInputs: JsonObject,
    newInputs: JsonObject,
    options: DiffOptions = {},
): DiffOutcome {
    const rules = rulesFor(type);
    assertSupportedInputs(type, newInputs);
    const inputs = applyIgnoreChanges(newInputs, oldInputs, options.ignoreChanges ?? []);

    const changed: string[] = [];
    const detailed: PathSegment[][] = [];
    const keys = [...new Set([...Object.keys(oldInputs), ...Object.keys(inputs)])].sort();
    for (const key of keys) {
        const rule: PropRule = rules.props[key] ?? { forceNew: true, shape: "value" };
        const before = normalize(oldInputs[key], rule);
        const after = normalize(inputs[key], rule);
        const paths = changedPaths([key], before, after, rule.shape === "set");
        if (paths.length > 0) {
            changed.push(key);
            detailed.push(...paths);
        }
    }

    const replaceKeys = new Set(changed.filter((k) => rules.props[k]?.forceNew ?? true));
    const roc = (options.replaceOnChanges ?? []).map(parsePath);
    for (const key of changed) {
        if (roc.some((p) => pathContains(p, [key]))) replaceKeys.add(key);
    }
    for (const path of detailed) {
        if (roc.some((p) => pathContains(p, path))) replaceKeys.add(String(path[0]));
    }
    if (options.hasInitErrors && roc.some((p) => pathContains(p, [INIT_ERROR_KEY]))) replaceKeys.add(INIT_ERROR_KEY);

    const kind: DiffKind =
        replaceKeys.size > 0 ? "replace" : changed.length > 0 || options.hasInitErrors ? "update" : "same";
    return {
        kind,
        changed,
        replaceKeys: [...replaceKeys].sort(),
        detailed: detailed.map(formatDetailed),
        inputs,
    };
}

/** Absent, null, empty collection and the provider default all mean "unset". */
function normalize(value: Json | undefined, rule: PropRule): Json | undefined {
    let v = value;
    if (v === null) v = undefined;
    if (Array.isArray(v) && v.length === 0) v = undefined;
    if (isObject(v) && Object.keys(v).length === 0) v = undefined;
    if (v === undefined && rule.default !== undefined) v = rule.default;
    return v === undefined ? undefined : stripNulls(v);
}

function stripNulls(v: Json): Json {
    if (Array.isArray(v)) return v.map(stripNulls);
    if (isObject(v)) {
        const out: JsonObject = {};
        for (const [k, e] of Object.entries(v)) {
            if (e === null) continue;
            if (Array.isArray(e) && e.length === 0) continue;
            out[k] = stripNulls(e);
        }
        return out;
    }
    return v;
}

/** Leaf paths where `before` and `after` differ; an unknown value always counts as a change. */
function changedPaths(
    prefix: PathSegment[],
    before: Json | undefined,
    after: Json | undefined,
    isSet: boolean,
): PathSegment[][] {
    if (after === UNKNOWN) return [prefix];
    if (isSet && Array.isArray(before) && Array.isArray(after)) {
        const oldKeys = before.map(canonicalJson);
        const newKeys = after.map(canonicalJson);
        const paths: PathSegment[][] = [];
        newKeys.forEach((k, i) => {
            if (!oldKeys.includes(k) || containsUnknown(after[i])) paths.push([...prefix, i]);
        });
        oldKeys.forEach((k, i) => {
            if (!newKeys.includes(k)) paths.push([...prefix, i]);
        });
        return dedupe(paths);
    }
    if (Array.isArray(before) && Array.isArray(after)) {
        const paths: PathSegment[][] = [];
        for (let i = 0; i < Math.max(before.length, after.length); i++) {
            paths.push(...changedPaths([...prefix, i], before[i], after[i], false));
        }
        return paths;
    }
    if (isObject(before) && isObject(after)) {
        const paths: PathSegment[][] = [];
        for (const k of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
            paths.push(...changedPaths([...prefix, k], before[k], after[k], false));
        }
        return paths;
    }
    if (containsUnknown(after)) return [prefix];
    return canonicalJson(before) === canonicalJson(after) ? [] : [prefix];
}

function dedupe(paths: PathSegment[][]): PathSegment[][] {
    const seen = new Set<string>();
    return paths.filter((p) => {
        const k = JSON.stringify(p);
        if (seen.has(k)) return false;
        seen.add(k);
        return true;
    });
}

function formatDetailed(path: PathSegment[]): string {
    return path.map((s, i) => (typeof s === "number" ? `[${s}]` : i === 0 ? s : `.${s}`)).join("");
}

/** A component resource (custom=false) has no provider: any input difference is an (no-op) update. */
export function diffComponent(oldInputs: JsonObject, newInputs: JsonObject): DiffKind {
    return canonicalJson(oldInputs) === canonicalJson(newInputs) ? "same" : "update";
}
