/**
 * The verbs on cloudlab's built-in engine (engine/: the project's program on real Docker, local stack only).
 * The state lives in a file of its own (.cloudlab/builtin/<stack>.state.json, never Pulumi's format); each run's
 * config, result and log are kept under .cloudlab/builtin/runs/ for a post-mortem.
 */
import * as fs from "fs";
import * as path from "path";
import { PROJECT } from "../components/shared/naming";
import { CANCELED, EngineEvent, MockEngine, RunResult, StepOp } from "../engine";
import { builtinDir, builtinOutputs } from "./builtinState";
import { CliError } from "./errors";
import {
    countLines,
    durationLine,
    eventLine,
    outputLines,
    planLines,
    revealed,
    stillRunningLine,
    upOutputLines,
    valueText,
} from "./display";
import { acquireLock } from "./lock";
import { assertPulumiStackGone } from "./modeGuard";
import { readStackConfig } from "./stackConfig";

/** Run directories kept under .cloudlab/builtin/runs (older ones are removed). */
const RUNS_KEPT = 20;
/** A step with nothing to say for this long gets a "still ..." line, as the live view's timer. */
const QUIET_SECONDS = 10;

export interface Console {
    print(line: string): void;
}

export class BuiltinStack {
    constructor(
        private readonly root: string,
        private readonly stack: string,
        private readonly out: Console,
    ) {}

    /** `pulumi up --yes`: a preview, then the update, with live progress. */
    async up(skipPreview: boolean): Promise<boolean> {
        const config = this.config();
        return this.withEngine("up", skipPreview, async (engine) => {
            this.out.print(`Updating (${this.stack}):`);
            return engine.up(config);
        });
    }

    /** `pulumi preview --diff`: the plan, nothing touched. */
    async preview(): Promise<boolean> {
        const config = this.config();
        return this.withEngine("preview", false, async (engine) => {
            this.out.print(`Previewing update (${this.stack}):`);
            return engine.preview(config);
        });
    }

    /** `pulumi destroy --yes`. */
    async destroy(): Promise<boolean> {
        this.config(); // an aws stack is refused here too: "destroyed" must never be said of a stack left running
        return this.withEngine("destroy", false, async (engine) => {
            this.out.print(`Destroying (${this.stack}):`);
            return engine.destroy();
        });
    }

    /** `pulumi refresh --yes`. */
    async refresh(): Promise<boolean> {
        this.config();
        return this.withEngine("refresh", false, async (engine) => {
            this.out.print(`Refreshing (${this.stack}):`);
            return engine.refresh();
        });
    }

    /** `pulumi stack output [name] [--json] [--show-secrets]`, from the state (no run). */
    outputs(name: string | undefined, json: boolean, showSecrets: boolean): void {
        this.config();
        const outputs = builtinOutputs(this.root, this.stack);
        if (name !== undefined) {
            // The CLI's words (pkg/cmd/pulumi/stack/stack_output.go).
            if (!(name in outputs)) throw new CliError(`current stack does not have output property '${name}'`);
            const value = revealed(outputs[name], showSecrets);
            this.out.print(json ? JSON.stringify(value, null, 2) : valueText(value));
            return;
        }
        if (json) this.out.print(JSON.stringify(revealed(outputs, showSecrets), null, 2));
        else outputLines(outputs, showSecrets).forEach((l) => this.out.print(l));
    }

    /** The program's config as the CLI would hand it; the built-in engine runs platform `local` only. */
    private config(): Record<string, string> {
        const config = readStackConfig(this.root, this.stack);
        const platform = config[`${PROJECT}:platform`] ?? "local";
        if (platform !== "local") {
            throw new CliError(
                `stack ${this.stack} has platform ${platform}: the built-in engine runs the local stack only; ` +
                    "install the Pulumi CLI (https://www.pulumi.com/docs/iac/download-install/) for it",
            );
        }
        return config;
    }

    private async withEngine(
        op: "up" | "preview" | "destroy" | "refresh",
        skipPreview: boolean,
        run: (engine: MockEngine) => Promise<RunResult>,
    ): Promise<boolean> {
        assertPulumiStackGone(this.root, this.stack);
        const release = acquireLock(path.join(builtinDir(this.root), `${this.stack}.lock`), this.stack);
        const progress = new Progress(this.out);
        const engine = new MockEngine({
            programModule: path.join(this.root, "components", "stack.ts"),
            stack: this.stack,
            project: PROJECT,
            stateDir: builtinDir(this.root),
            logDir: this.newRunDir(op),
            cwd: this.root,
            skipPreview,
            timeoutMs: 0, // no bound on a user's run (the CLI has none): ^C is theirs
            // A preview's events (also an up's preview pass) are its plan, printed once it is complete.
            onEvent: (e, runOp) => {
                if (runOp !== "preview" || e.kind === "cancelling") progress.event(e);
            },
        });
        // A closed terminal (SIGHUP) cancels like ^C: this process waits for the run instead of leaving it headless.
        const onSignal = (): void => engine.cancel();
        process.on("SIGINT", onSignal);
        process.on("SIGTERM", onSignal);
        process.on("SIGHUP", onSignal);
        try {
            const result = await run(engine);
            progress.stop();
            this.report(op, result, engine);
            return result.ok;
        } finally {
            progress.stop();
            process.off("SIGINT", onSignal);
            process.off("SIGTERM", onSignal);
            process.off("SIGHUP", onSignal);
            release();
        }
    }

    private report(op: string, result: RunResult, engine: MockEngine): void {
        const print = (l: string): void => this.out.print(l);
        print("");
        if (op === "preview") planLines(result.steps).forEach(print);
        else if (result.failedIn === "preview") print("Nothing was changed: the update stopped in its preview.");
        else {
            if (result.ok && op === "up") {
                upOutputLines(builtinOutputs(this.root, this.stack)).forEach(print);
                print("");
            }
            countLines(result.steps, false).forEach(print);
        }
        print("");
        print(durationLine(result.durationMs));
        if (!result.ok) {
            print("");
            print(`error: ${result.error ?? "the run failed"}`);
            if (result.error?.startsWith(CANCELED)) {
                print("What completed is in the state: `npm run up` continues from it.");
            }
            print(`Run files (config, result, program log): ${path.dirname(engine.statePath)}/runs/`);
        }
    }

    /** A fresh directory for this run's files; the oldest beyond RUNS_KEPT are removed. */
    private newRunDir(op: string): string {
        const runs = path.join(builtinDir(this.root), "runs");
        fs.mkdirSync(runs, { recursive: true });
        const stamp = new Date().toISOString().replace(/[:.]/g, "-");
        const dir = path.join(runs, `${stamp}-${this.stack}-${op}`);
        const old = fs.readdirSync(runs).sort();
        for (const name of old.slice(0, Math.max(0, old.length - RUNS_KEPT + 1))) {
            fs.rmSync(path.join(runs, name), { recursive: true, force: true });
        }
        fs.mkdirSync(dir, { recursive: true });
        return dir;
    }
}

/** The live part of the display: event lines, with elapsed times and "still ..." lines for quiet steps. */
class Progress {
    private readonly open = new Map<string, { type: string; name: string; op: StepOp; since: number; said: number }>();
    private readonly timer: NodeJS.Timeout;

    constructor(private readonly out: Console) {
        this.timer = setInterval(() => this.tick(), 1000);
        this.timer.unref();
    }

    event(e: EngineEvent): void {
        const now = Date.now();
        let elapsed: number | undefined;
        if (e.kind === "step-start") {
            this.open.set(e.urn, { type: e.type, name: e.name, op: e.op, since: now, said: now });
        } else if (e.kind === "replacement-created") {
            const started = this.open.get(e.urn);
            if (started) elapsed = (now - started.since) / 1000;
            this.open.delete(e.urn);
        } else if (e.kind === "step-end") {
            const started = this.open.get(e.urn);
            if (started) elapsed = (now - started.since) / 1000;
            this.open.delete(e.urn);
        } else if (e.kind === "status") {
            const step = this.open.get(e.urn);
            if (step) step.said = now;
        }
        const line = eventLine(e, elapsed);
        if (line !== undefined) this.out.print(line);
    }

    stop(): void {
        clearInterval(this.timer);
    }

    private tick(): void {
        const now = Date.now();
        for (const step of this.open.values()) {
            if (step.op === "same" || now - step.said < QUIET_SECONDS * 1000) continue;
            step.said = now;
            this.out.print(stillRunningLine(step, (now - step.since) / 1000));
        }
    }
}
