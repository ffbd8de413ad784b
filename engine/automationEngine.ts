/**
 * The same TestEngine interface on the real Pulumi engine, through the Automation API (LocalWorkspace, inline
 * program = the same module + exported function the docker test engine runs). The inline program is served by the
 * SDK's own language server (automation/server.ts), so no pulumi-language-nodejs plugin is needed. The CLI: a
 * `pulumi` on PATH, else the one scripts/build-pulumi.sh built (realPulumi.ts), with its plugins.
 *
 * - backend: a file backend under stateDir (`file://...`), fixed non-empty PULUMI_CONFIG_PASSPHRASE;
 * - workDir: a directory under stateDir, where LocalWorkspace writes Pulumi.yaml and the stack's settings file
 *   (never the repository's own); the project settings are those of cwd's Pulumi.yaml when it names this project
 *   (its config block's types and defaults apply as with `pulumi up`);
 * - steps/timeline are rebuilt from the engine events (resourcePreEvent / resOutputsEvent), with the time the
 *   events arrived.
 */
import * as fs from "fs";
import * as path from "path";
import {
    ConfigMap,
    EngineEvent,
    LocalWorkspace,
    OpType,
    ProjectSettings,
    PulumiCommand,
    Stack,
} from "@pulumi/pulumi/automation";
import { isDeepStrictEqual } from "util";
import { parse as parseYaml } from "yaml";
import { BUILT_PULUMI_BIN, builtPulumi, builtPulumiEnv, pulumiOnPath } from "./realPulumi";
import { EngineOptions, FlatConfig, TestEngine } from "./testEngine";
import { EngineOp, RunResult, StepOp, StepRecord, TimelineEvent } from "./types";
import { errorMessage } from "./values";

const PASSPHRASE = "cloudlab-test-engine";

export class AutomationEngine implements TestEngine {
    readonly kind = "pulumi-automation" as const;

    /** One abort for the driver's life: a cancelled driver starts no further run (as a ^C'd CLI). */
    private readonly abort = new AbortController();

    constructor(private readonly options: EngineOptions) {}

    /** The Automation API's `signal` (it stops the CLI, which cancels as on ^C); a second call changes nothing. */
    cancel(): void {
        this.abort.abort();
    }

    up(config: FlatConfig = {}): Promise<RunResult> {
        return this.run("up", config);
    }

    preview(config: FlatConfig = {}): Promise<RunResult> {
        return this.run("preview", config);
    }

    refresh(): Promise<RunResult> {
        return this.run("refresh", undefined);
    }

    destroy(): Promise<RunResult> {
        return this.run("destroy", undefined);
    }

    private async stack(): Promise<Stack> {
        const o = this.options;
        const backendDir = path.resolve(o.stateDir, "pulumi-backend");
        fs.mkdirSync(backendDir, { recursive: true });
        const workDir = path.resolve(o.stateDir, `automation-${o.stack}`);
        fs.mkdirSync(workDir, { recursive: true });
        const url = `file://${backendDir}`;
        const program = async (): Promise<Record<string, unknown> | void> => {
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            const mod = require(path.resolve(o.programModule)) as Record<string, unknown>;
            const fn = mod[o.exportName ?? "defineStack"];
            if (typeof fn !== "function")
                throw new Error(`${o.programModule} does not export ${o.exportName ?? "defineStack"}`);
            return (await (fn as () => unknown)()) as Record<string, unknown> | void;
        };
        const cli = await realCli();
        return LocalWorkspace.createOrSelectStack(
            { stackName: o.stack, projectName: o.project, program },
            {
                workDir,
                pulumiCommand: cli.command,
                envVars: {
                    ...cli.env,
                    PULUMI_BACKEND_URL: url,
                    PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
                    PULUMI_SKIP_UPDATE_CHECK: "true",
                    ...(o.env ?? {}),
                },
                projectSettings: { ...projectSettings(o.cwd ?? process.cwd(), o.project), backend: { url } },
            },
        );
    }

    private async run(op: EngineOp, config: FlatConfig | undefined): Promise<RunResult> {
        const started = Date.now();
        const events = new EventLog();
        const errors = new FirstError();
        const onEvent = (e: EngineEvent): void => {
            events.add(e, op === "preview");
            errors.add(e);
        };
        // Plain text: the CLI's colour markup would otherwise stand in every message.
        const common = { onEvent, signal: this.abort.signal, color: "never" as const };
        let outputs: Record<string, unknown> = {};
        let log = "";
        let failedIn: "preview" | undefined;
        try {
            const stack = await this.stack();
            if (config) {
                const current = Object.keys(await stack.getAllConfig());
                const stale = current.filter((k) => !(k in config));
                if (stale.length > 0) await stack.removeAllConfig(stale);
                const map: ConfigMap = {};
                for (const [k, value] of Object.entries(config)) map[k] = { value };
                await stack.setAllConfig(map);
            }
            if (op === "up") {
                // Stack.up runs `pulumi up --yes --skip-preview`; the CLI a user runs previews first.
                if (!this.options.skipPreview) {
                    failedIn = "preview";
                    await stack.preview({ ...common, onEvent: (e) => errors.add(e) });
                    failedIn = undefined;
                }
                const r = await stack.up(common);
                log = r.stdout + r.stderr;
                outputs = Object.fromEntries(Object.entries(r.outputs).map(([k, v]) => [k, v.value]));
            } else if (op === "refresh") {
                const r = await stack.refresh(common);
                log = r.stdout + r.stderr;
            } else if (op === "preview") {
                const r = await stack.preview(common);
                log = r.stdout + r.stderr;
            } else {
                const r = await stack.destroy(common);
                log = r.stdout + r.stderr;
            }
        } catch (e) {
            return {
                ok: false,
                error: errors.message ?? errorMessage(e),
                op,
                engine: this.kind,
                outputs,
                ...events.result(),
                durationMs: Date.now() - started,
                ...(failedIn ? { failedIn } : {}),
                log: log || errorMessage(e),
            };
        }
        return { ok: true, op, engine: this.kind, outputs, ...events.result(), durationMs: Date.now() - started, log };
    }
}

/**
 * The run's first error as the MockEngine words it: the message alone for the program's own (reported on the
 * stack), `<urn>: <message>` for a resource's.
 */
class FirstError {
    message: string | undefined;

    add(e: EngineEvent): void {
        const d = e.diagnosticEvent;
        if (this.message !== undefined || d?.severity !== "error") return;
        const text = d.message.trim();
        this.message = !d.urn || d.urn.includes("::pulumi:pulumi:Stack::") ? text : `${d.urn}: ${text}`;
    }
}

/** The CLI: `pulumi` on PATH, else the one scripts/build-pulumi.sh built, with its plugins on PATH. */
async function realCli(): Promise<{ command: PulumiCommand; env: Record<string, string> }> {
    if (pulumiOnPath()) return { command: await PulumiCommand.get(), env: {} };
    if (builtPulumi())
        return {
            command: await PulumiCommand.get({ root: path.dirname(BUILT_PULUMI_BIN) }),
            env: builtPulumiEnv(process.env),
        };
    throw new Error("no Pulumi CLI: none on PATH and none built (npm run build-pulumi)");
}

/** cwd's Pulumi.yaml when it declares this project (its runtime and config block), else a bare nodejs project. */
function projectSettings(cwd: string, project: string): ProjectSettings {
    const file = path.join(cwd, "Pulumi.yaml");
    const declared = fs.existsSync(file) ? (parseYaml(fs.readFileSync(file, "utf8")) as ProjectSettings) : undefined;
    // The config block is not in the SDK's ProjectSettings type, but LocalWorkspace writes the object out whole.
    return declared?.name === project ? declared : { name: project, runtime: "nodejs" };
}

/** Rebuilds StepRecords and the timeline from engine events. */
class EventLog {
    private seq = 0;
    private readonly steps = new Map<string, StepRecord>();
    private readonly open = new Map<string, TimelineEvent>();
    private readonly timeline: TimelineEvent[] = [];

    add(e: EngineEvent, preview: boolean): void {
        const pre = e.resourcePreEvent?.metadata;
        const done = e.resOutputsEvent?.metadata;
        const failed = e.resOpFailedEvent?.metadata;
        const at = new Date().toISOString();
        if (pre) {
            const op = logicalOp(pre.op);
            if (!op) return;
            const key = `${pre.urn}|${pre.op === "refresh" ? "refresh" : op}`;
            let step = this.steps.get(key);
            if (!step) {
                step = {
                    urn: pre.urn,
                    type: pre.type,
                    name: pre.urn.split("::").pop() ?? pre.urn,
                    op,
                    startedAt: at,
                    startSeq: ++this.seq,
                };
                if (pre.old?.id) step.oldId = pre.old.id;
                this.steps.set(key, step);
            }
            // A replacement is three events (delete-replaced, replace, create-replacement, in the order the engine
            // runs them): the first to carry the diff gives it; the order tells a delete-before-replace.
            if (pre.diffs && pre.diffs.length > 0 && !step.changed) step.changed = pre.diffs;
            if (pre.keys && op === "replace" && !step.replaceKeys) step.replaceKeys = pre.keys;
            if (op === "replace" && step.deleteBeforeReplace === undefined) {
                if (pre.op === "delete-replaced") step.deleteBeforeReplace = true;
                if (pre.op === "create-replacement") step.deleteBeforeReplace = false;
            }
            const action = providerAction(pre.op);
            if (action && !preview) {
                const event: TimelineEvent = {
                    seq: ++this.seq,
                    urn: pre.urn,
                    type: pre.type,
                    action,
                    reason: op === "replace" ? "replace" : action,
                    startedAt: at,
                };
                this.open.set(`${pre.urn}|${pre.op}`, event);
                this.timeline.push(event);
            }
        }
        const end = done ?? failed;
        if (end) {
            const op = logicalOp(end.op);
            if (!op) return;
            // A refresh's outcome (same, update, delete) is the op of its outputs event.
            const refreshed = this.steps.get(`${end.urn}|refresh`);
            const step = refreshed ?? this.steps.get(`${end.urn}|${op}`);
            if (step) {
                step.finishedAt = at;
                step.endSeq = ++this.seq;
                if (end.new?.id) step.newId = end.new.id;
                if (failed) step.error = "failed";
                if (refreshed) refreshOutcome(step, op, end.old?.outputs, end.new?.outputs);
            }
            const event = this.open.get(`${end.urn}|${end.op}`);
            if (event) {
                event.finishedAt = at;
                event.endSeq = ++this.seq;
                if (end.new?.id ?? end.old?.id) event.id = end.new?.id ?? end.old?.id;
                if (failed) event.error = "failed";
            }
        }
    }

    result(): { steps: StepRecord[]; timeline: TimelineEvent[] } {
        return { steps: [...this.steps.values()], timeline: this.timeline };
    }
}

/**
 * A refresh step as the MockEngine reports it: `delete` when its outputs event says so (the object is gone), else
 * `update` with the outputs that differ from the state's, or `same`. The event's own op does not tell these two
 * apart (it reads `refresh` for a changed resource).
 */
function refreshOutcome(
    step: StepRecord,
    outcome: StepOp,
    before: Record<string, unknown> | undefined,
    after: Record<string, unknown> | undefined,
): void {
    if (outcome === "delete") {
        step.op = "delete";
        return;
    }
    const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
    const changed = [...keys]
        .filter((k) => !k.startsWith("__") && !isDeepStrictEqual(orNothing(before?.[k]), orNothing(after?.[k])))
        .sort();
    step.op = changed.length > 0 ? "update" : "same";
    if (changed.length > 0) step.changed = changed;
}

/**
 * The bridge's Read fills in empty lists and maps for attributes its create left out (dns, tmpfs, sysctls, ...) and
 * keeps its own `__`-prefixed bookkeeping: neither is a change a user made or sees, so empty counts as absent.
 */
function orNothing(value: unknown): unknown {
    if (value === null || value === undefined) return undefined;
    if (Array.isArray(value) && value.length === 0) return undefined;
    if (typeof value === "object" && Object.keys(value).length === 0) return undefined;
    return value;
}

function logicalOp(op: OpType): StepOp | undefined {
    switch (op) {
        case "create":
        case "update":
        case "delete":
        case "same":
            return op;
        case "refresh":
            return "same"; // until its outputs event says (refreshOutcome)
        case "replace":
        case "create-replacement":
        case "delete-replaced":
            return "replace";
        default:
            return undefined;
    }
}

function providerAction(op: OpType): TimelineEvent["action"] | undefined {
    switch (op) {
        case "create":
        case "create-replacement":
            return "create";
        case "update":
            return "update";
        case "delete":
        case "delete-replaced":
            return "delete";
        default:
            return undefined;
    }
}
