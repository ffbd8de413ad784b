/**
 * What the built-in engine prints, shaped like the Pulumi CLI's non-interactive display (pulumi/pulumi
 * pkg/backend/display): one line per step as it starts and ends, the providers' status lines, then the
 * outputs, the resource counts and the duration. Pure: every function returns lines.
 */
import type { EngineEvent, StepOp, StepRecord } from "../engine";
import { SECRET_SIG, SPECIAL_SIG_KEY } from "../engine/values";

/** The CLI's symbols (pkg/engine/diff.go / deploy.StepOp Prefix): + create, ~ update, +- replace, - delete. */
const SYMBOL: Record<StepOp, string> = { create: "+ ", update: "~ ", replace: "+-", delete: "- ", same: "  " };
const PRESENT: Record<StepOp, string> = {
    create: "creating",
    update: "updating",
    replace: "replacing",
    delete: "deleting",
    same: "",
};
const PAST: Record<StepOp, string> = {
    create: "created",
    update: "updated",
    replace: "replaced",
    delete: "deleted",
    same: "unchanged",
};
const PLANNED: Record<StepOp, string> = {
    create: "create",
    update: "update",
    replace: "replace",
    delete: "delete",
    same: "same",
};

/** The type as the CLI shows it: `docker:index/container:Container` -> `docker:index:Container`. */
export function typeLabel(type: string): string {
    const [pkg, mod, name] = type.split(":");
    if (name === undefined) return type;
    return `${pkg}:${mod.split("/")[0]}:${name}`;
}

/** The line an event prints during an `up` or `destroy` (none for unchanged resources). */
export function eventLine(event: EngineEvent, elapsedSeconds?: number): string | undefined {
    if (event.kind === "cancelling") {
        return "^C received; cancelling: operations under way finish and are recorded; press ^C again to terminate at once.";
    }
    const who = `${typeLabel(event.type)} ${event.name}`;
    const elapsed = elapsedSeconds === undefined ? "" : ` (${Math.round(elapsedSeconds)}s)`;
    if (event.kind === "status") return `    ${who}: ${statusText(event.message)}`;
    if (event.kind === "replacement-created") {
        return ` ++ ${who} created replacement${elapsed} (the original is deleted at the end of the run)`;
    }
    if (event.op === "same") return undefined;
    if (event.kind === "step-start") return ` ${SYMBOL[event.op]} ${who} ${PRESENT[event.op]}`;
    if (event.error) return ` ${SYMBOL[event.op]} ${who} ${PRESENT[event.op]} failed${elapsed}: ${event.error}`;
    return ` ${SYMBOL[event.op]} ${who} ${PAST[event.op]}${elapsed}${diffInfo(event)}`;
}

/** Fields of a pino line that say nothing to a user watching a run. */
const LOG_NOISE = new Set(["level", "time", "pid", "hostname", "name", "msg", "v"]);

/**
 * A status line as a user reads it: a JSON log line (pino, as the project's scripts write) becomes its message
 * and its other fields as key=value; any other line stays as it is.
 */
export function statusText(line: string): string {
    if (!line.startsWith("{")) return line;
    let record: unknown;
    try {
        record = JSON.parse(line);
    } catch {
        return line;
    }
    if (typeof record !== "object" || record === null || typeof (record as { msg?: unknown }).msg !== "string") {
        return line;
    }
    const fields = Object.entries(record as Record<string, unknown>)
        .filter(([k]) => !LOG_NOISE.has(k))
        .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`);
    return [(record as { msg: string }).msg, ...fields].join(" ");
}

/** A still-running step, every so often, as the live view's timer column. */
export function stillRunningLine(event: { type: string; name: string; op: StepOp }, elapsedSeconds: number): string {
    return `    ${typeLabel(event.type)} ${event.name} still ${PRESENT[event.op]} (${Math.round(elapsedSeconds)}s)`;
}

function diffInfo(step: { changed?: string[]; replaceKeys?: string[] }): string {
    const keys = step.changed ?? step.replaceKeys ?? [];
    return keys.length > 0 ? ` [diff: ${keys.map((k) => `~${k}`).join(", ")}]` : "";
}

/** `pulumi preview --diff`'s plan: every resource that changes, its plan and the keys that differ. */
export function planLines(steps: StepRecord[]): string[] {
    const changing = steps.filter((s) => s.op !== "same");
    const rows = changing.map((s) => [
        SYMBOL[s.op],
        typeLabel(s.type),
        s.name,
        PLANNED[s.op],
        `${diffInfo(s).trim()}${replaceInfo(s)}`,
    ]);
    const lines = rows.length > 0 ? table([["", "Type", "Name", "Plan", "Info"], ...rows]) : ["No changes."];
    return [...lines, "", ...countLines(steps, true)];
}

/** The keys that force the replacement, when they are not simply all the changed ones. */
function replaceInfo(s: StepRecord): string {
    const keys = s.replaceKeys ?? [];
    const changed = s.changed ?? [];
    if (keys.length === 0 || (keys.length === changed.length && keys.every((k) => changed.includes(k)))) return "";
    return ` (replaced for: ${keys.join(", ")})`;
}

/** The `Resources:` block: how many of each step, in the CLI's order. */
export function countLines(steps: StepRecord[], planned: boolean): string[] {
    const order: StepOp[] = ["create", "update", "replace", "delete"];
    const lines = ["Resources:"];
    // A failed step did not happen: it is not counted as done (its error is reported on its own).
    const counted = planned ? steps : steps.filter((s) => s.error === undefined);
    for (const op of order) {
        const n = counted.filter((s) => s.op === op).length;
        if (n > 0) lines.push(`    ${SYMBOL[op].trim().padEnd(2)}${n} ${planned ? `to ${PLANNED[op]}` : PAST[op]}`);
    }
    const same = counted.filter((s) => s.op === "same").length;
    if (same > 0) lines.push(`    ${same} unchanged`);
    if (lines.length === 1) lines.push("    none");
    return lines;
}

/** True for the SDK's wire form of a secret (`{ <sig key>: <secret sig>, value }`). */
function isSecret(v: unknown): v is { value: unknown } {
    return typeof v === "object" && v !== null && (v as Record<string, unknown>)[SPECIAL_SIG_KEY] === SECRET_SIG;
}

/** Stack outputs with secrets shown as `[secret]` (as `pulumi stack output`) unless showSecrets. */
export function revealed(value: unknown, showSecrets: boolean): unknown {
    if (isSecret(value)) return showSecrets ? revealed(value.value, showSecrets) : "[secret]";
    if (Array.isArray(value)) return value.map((v) => revealed(v, showSecrets));
    if (typeof value === "object" && value !== null) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, revealed(v, showSecrets)]));
    }
    return value;
}

/** `pulumi stack output`: "Current stack outputs (N):" and an OUTPUT / VALUE table, keys sorted. */
export function outputLines(outputs: Record<string, unknown>, showSecrets: boolean): string[] {
    const keys = Object.keys(outputs).sort();
    if (keys.length === 0) return ["No output values currently in this stack"];
    const rows = keys.map((k) => [k, valueText(revealed(outputs[k], showSecrets))]);
    return [`Current stack outputs (${keys.length}):`, ...table([["OUTPUT", "VALUE"], ...rows]).map((l) => `    ${l}`)];
}

/** `Outputs:` after an `up`: `name: value`, the values as JSON. */
export function upOutputLines(outputs: Record<string, unknown>): string[] {
    const keys = Object.keys(outputs).sort();
    if (keys.length === 0) return [];
    const width = Math.max(...keys.map((k) => k.length)) + 1;
    return [
        "Outputs:",
        ...keys.map((k) => `    ${`${k}:`.padEnd(width)} ${JSON.stringify(revealed(outputs[k], false))}`),
    ];
}

/** A plain value as text: strings as they are, everything else as JSON. */
export function valueText(value: unknown): string {
    return typeof value === "string" ? value : JSON.stringify(value);
}

/** `Duration: 1m5s`, the CLI's rounding to whole seconds. */
export function durationLine(ms: number): string {
    const s = Math.round(ms / 1000);
    return `Duration: ${s >= 60 ? `${Math.floor(s / 60)}m${s % 60}s` : `${s}s`}`;
}

function table(rows: string[][]): string[] {
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
    return rows.map((r) =>
        r
            .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i])))
            .join("  ")
            .trimEnd(),
    );
}
