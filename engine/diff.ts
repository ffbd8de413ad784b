/**
 * Pure diff of a custom resource, the way pulumi-terraform-bridge's Diff does it: the NEW INPUTS against the
 * OLD OUTPUTS (the provider's state, i.e. what it read back), not against the old inputs - pulumi/pulumi
 * sdk/go/common/resource/plugin/provider_plugin.go Diff sends `Olds` = the old outputs, and
 * pulumi-terraform-bridge pkg/tfbridge/provider.go Diff builds the Terraform state from them and the config from
 * the news. Per property, terraform-plugin-sdk v2's schemaMap.diff rules (resourceTypes.ts flags):
 *   - a Default fills an absent input;
 *   - an absent Optional+Computed property keeps the state's value (no diff);
 *   - an absent plain Optional property is compared with its zero value: a non-zero read-back is "removed";
 *   - sets are unordered, nested fields have their own Default/Computed.
 * Around it, the Pulumi engine's resource options (pkg/resource/deploy/step_generator.go): ignoreChanges paths
 * take their OLD INPUT value before the diff, replaceOnChanges and init errors after it. No Docker, no I/O.
 */
import { PathSegment, clone, parsePath, pathContains, resetPath } from "./propertyPath";
import { PropRule, assertSupportedInputs, rulesFor, withFieldDefaults } from "./resourceTypes";
import { Json, JsonObject } from "./types";
import { UNKNOWN, canonicalJson, containsUnknown, isObject } from "./values";

export type DiffKind = "same" | "update" | "replace";

export interface DiffOptions {
    replaceOnChanges?: readonly string[];
    ignoreChanges?: readonly string[];
    /** The old resource recorded init errors (a create that failed half-way). */
    hasInitErrors?: boolean;
    /** The old INPUTS, where ignoreChanges takes its values from (default: the olds given). */
    oldInputs?: JsonObject;
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

/**
 * @param olds the old OUTPUTS (the provider's state); only the type's input properties are compared.
 * @param newInputs the new inputs as the program registered them.
 */
export function diffResource(
    type: string,
    olds: JsonObject,
    newInputs: JsonObject,
    options: DiffOptions = {},
): DiffOutcome {
    const rules = rulesFor(type);
    assertSupportedInputs(type, newInputs);
    const inputs = applyIgnoreChanges(newInputs, options.oldInputs ?? olds, options.ignoreChanges ?? []);

    // The bridge also hands ignoreChanges to the Terraform diff, which drops the attribute diffs under those
    // paths (pulumi-terraform-bridge v3.136 pkg/tfbridge/provider.go Diff: shim.DiffOptions{IgnoreChanges: ic}):
    // an ignored property does not change even when the old input and the read-back state differ.
    const ignored = (options.ignoreChanges ?? []).map(parsePath);
    const changed: string[] = [];
    const detailed: PathSegment[][] = [];
    for (const key of Object.keys(rules.props).sort()) {
        const paths = propertyChanges(key, olds[key], inputs[key], rules.props[key]).filter(
            (path) => !ignored.some((p) => pathContains(p, path)),
        );
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

/** The changes of one top-level property, old state value vs new input value, under its schema rule. */
function propertyChanges(key: string, oldValue: Json | undefined, newValue: Json | undefined, rule: PropRule) {
    const before = normalize(oldValue, rule);
    const after = normalize(newValue, rule);
    // DiffSuppressFunc of user / working_dir: an empty (or absent) new value is a no-op.
    if (rule.emptyNewIsNoop && (after === undefined || after === "")) return [];
    if (after === undefined) {
        // Absent from the inputs: Computed keeps the state's value, otherwise it is compared with the zero value.
        if (rule.computed || before === undefined || isZero(before)) return [];
        return [[key]];
    }
    if (rule.fieldRules && rule.shape === "object") return objectChanges([key], before, after, rule);
    if (rule.fieldRules && rule.shape === "list") {
        const paths = listOfObjectChanges([key], before, after, rule);
        // ports' DiffSuppressFunc (suppressIfPortsDidNotChangeForMigrationV0ToV1): same ports in another order.
        if (paths.length > 0 && key === "ports" && portsUnchanged(before, after)) return [];
        return paths;
    }
    return changedPaths([key], before, after, rule.shape === "set");
}

/** Zero value of a Terraform primitive (what an absent plain Optional attribute is compared with). */
function isZero(v: Json): boolean {
    return v === 0 || v === "" || v === false;
}

/** Nested fields: absent + Computed keeps the old value, absent + Default is the default, else zero. */
function objectChanges(prefix: PathSegment[], before: Json | undefined, after: Json, rule: PropRule): PathSegment[][] {
    if (!isObject(before) || !isObject(after)) return changedPaths(prefix, before, after, false);
    const paths: PathSegment[][] = [];
    for (const field of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
        const b = before[field];
        const a = after[field];
        if (a === undefined) {
            if (rule.fieldRules?.[field]?.computed || b === undefined || isZero(b)) continue;
            paths.push([...prefix, field]);
            continue;
        }
        paths.push(...changedPaths([...prefix, field], b, a, false));
    }
    return paths;
}

function listOfObjectChanges(
    prefix: PathSegment[],
    before: Json | undefined,
    after: Json,
    rule: PropRule,
): PathSegment[][] {
    if (!Array.isArray(before) || !Array.isArray(after)) return changedPaths(prefix, before, after, false);
    const paths: PathSegment[][] = [];
    for (let i = 0; i < Math.max(before.length, after.length); i++) {
        if (i >= before.length || i >= after.length) paths.push([...prefix, i]);
        else paths.push(...objectChanges([...prefix, i], before[i], after[i], rule));
    }
    return paths;
}

/**
 * terraform-provider-docker v4.5.0 resource_docker_container.go suppressIfPortsDidNotChangeForMigrationV0ToV1:
 * a ports diff is suppressed when both lists are as long and every old port has a new one with the same
 * internal port, protocol, external port and ip. A new port without `external` never matches a read-back one
 * here (stricter than the provider, whose comparison of an unset computed field we did not model).
 */
function portsUnchanged(before: Json | undefined, after: Json): boolean {
    if (!Array.isArray(before) || !Array.isArray(after) || before.length !== after.length) return false;
    const olds = before.filter(isObject);
    const news = after.filter(isObject);
    for (const o of olds) {
        let found = false;
        for (const n of news) {
            if (n.internal !== o.internal) continue;
            if (n.protocol !== o.protocol) {
                if (news.some((p) => p.internal === o.internal && p.protocol === o.protocol)) continue;
                return false;
            }
            if (n.external !== o.external || n.ip !== o.ip) return false;
            found = true;
            break;
        }
        if (!found) return false;
    }
    return true;
}

/** Absent, null and empty collection mean "unset"; the provider default (and nested defaults) fill it. */
function normalize(value: Json | undefined, rule: PropRule): Json | undefined {
    let v = value;
    if (v === null) v = undefined;
    if (Array.isArray(v) && v.length === 0) v = undefined;
    if (isObject(v) && Object.keys(v).length === 0) v = undefined;
    if (v === undefined && rule.default !== undefined) v = rule.default;
    if (v === undefined) return undefined;
    return stripNulls(withFieldDefaults(v, rule));
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

/** Top-level keys whose value differs between two output sets (a refresh's changes). */
export function changedKeys(before: JsonObject, after: JsonObject): string[] {
    return [...new Set([...Object.keys(before), ...Object.keys(after)])]
        .filter((k) => canonicalJson(before[k] ?? null) !== canonicalJson(after[k] ?? null))
        .sort();
}

/** A component resource (custom=false) has no provider: any input difference is an (no-op) update. */
export function diffComponent(oldInputs: JsonObject, newInputs: JsonObject): DiffKind {
    return canonicalJson(oldInputs) === canonicalJson(newInputs) ? "same" : "update";
}
