/**
 * The same TestEngine interface on the real Pulumi engine, through the Automation API (LocalWorkspace, inline
 * program = the same module + exported function the docker test engine runs). Needs the `pulumi` CLI on PATH;
 * it is not installable where this was written, so this driver type-checks but has never run there.
 *
 * - backend: a file backend under stateDir (`file://...`), fixed non-empty PULUMI_CONFIG_PASSPHRASE;
 * - workDir: the project directory (cwd option) when it has a Pulumi.yaml, else a directory under stateDir
 *   (LocalWorkspace writes a Pulumi.yaml into the workDir of an inline program that has none);
 * - steps/timeline are rebuilt from the engine events (resourcePreEvent / resOutputsEvent), with the time the
 *   events arrived.
 */
import * as fs from "fs";
import * as path from "path";
import { ConfigMap, EngineEvent, LocalWorkspace, OpType, Stack } from "@pulumi/pulumi/automation";
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
        const projectDir = path.resolve(o.cwd ?? process.cwd());
        const hasProject = ["Pulumi.yaml", "Pulumi.yml", "Pulumi.json"].some((f) =>
            fs.existsSync(path.join(projectDir, f)),
        );
        const workDir = hasProject ? projectDir : path.resolve(o.stateDir, `automation-${o.stack}`);
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
        return LocalWorkspace.createOrSelectStack(
            { stackName: o.stack, projectName: o.project, program },
            {
                workDir,
                envVars: {
                    PULUMI_BACKEND_URL: url,
                    PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
                    PULUMI_SKIP_UPDATE_CHECK: "true",
                    ...(o.env ?? {}),
                },
                ...(hasProject ? {} : { projectSettings: { name: o.project, runtime: "nodejs", backend: { url } } }),
            },
        );
    }

    private async run(op: EngineOp, config: FlatConfig | undefined): Promise<RunResult> {
        const started = Date.now();
        const events = new EventLog();
        const onEvent = (e: EngineEvent): void => events.add(e, op === "preview");
        let outputs: Record<string, unknown> = {};
        let log = "";
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
                if (!this.options.skipPreview) await stack.preview({ signal: this.abort.signal });
                const r = await stack.up({ onEvent, signal: this.abort.signal });
                log = r.stdout + r.stderr;
                outputs = Object.fromEntries(Object.entries(r.outputs).map(([k, v]) => [k, v.value]));
            } else if (op === "refresh") {
                const r = await stack.refresh({ onEvent, signal: this.abort.signal });
                log = r.stdout + r.stderr;
            } else if (op === "preview") {
                const r = await stack.preview({ onEvent, signal: this.abort.signal });
                log = r.stdout + r.stderr;
            } else {
                const r = await stack.destroy({ onEvent, signal: this.abort.signal });
                log = r.stdout + r.stderr;
            }
        } catch (e) {
            return {
                ok: false,
                error: errorMessage(e),
                op,
                engine: this.kind,
                outputs,
                ...events.result(),
                durationMs: Date.now() - started,
                log,
            };
        }
        return { ok: true, op, engine: this.kind, outputs, ...events.result(), durationMs: Date.now() - started, log };
    }
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
            const key = `${pre.urn}|${op}`;
            if (!this.steps.has(key)) {
                const step: StepRecord = {
                    urn: pre.urn,
                    type: pre.type,
                    name: pre.urn.split("::").pop() ?? pre.urn,
                    op,
                    startedAt: at,
                    startSeq: ++this.seq,
                };
                if (pre.diffs) step.changed = pre.diffs;
                if (pre.keys && op === "replace") step.replaceKeys = pre.keys;
                if (pre.old?.id) step.oldId = pre.old.id;
                this.steps.set(key, step);
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
            const step = this.steps.get(`${end.urn}|${op}`);
            if (step) {
                step.finishedAt = at;
                step.endSeq = ++this.seq;
                if (end.new?.id) step.newId = end.new.id;
                if (failed) step.error = "failed";
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

function logicalOp(op: OpType): StepOp | undefined {
    switch (op) {
        case "create":
        case "update":
        case "delete":
        case "same":
            return op;
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
