/**
 * Test driver for the docker test engine: every call is one run of runProgram.ts in a fresh Node process
 * (ts-node, transpile-only), the way each `pulumi up` is a fresh process with the real CLI.
 */
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { EngineOptions, FlatConfig, TestEngine } from "./testEngine";
import { createInterface } from "readline";
import { CANCELED, EngineEvent, EngineOp, RunResult, TERMINATED_EXIT_CODE } from "./types";

const RUN_PROGRAM = path.join(__dirname, "runProgram.ts");

export class MockEngine implements TestEngine {
    readonly kind = "docker-test-engine" as const;
    private runs = 0;
    private child?: ChildProcess;
    private cancels = 0;

    constructor(private readonly options: EngineOptions) {}

    /** The state file of the stack (JSON; see types.ts StateFile). */
    get statePath(): string {
        return path.join(this.options.stateDir, `${this.options.stack}.state.json`);
    }

    /**
     * `pulumi up`: a preview first, in its own process (the CLI previews before it applies unless
     * --skip-preview; pulumi/pulumi pkg/cmd/pulumi/up.go), and no apply when the preview fails.
     */
    async up(config: FlatConfig = {}): Promise<RunResult> {
        if (!this.options.skipPreview) {
            const preview = await this.run("preview", config, "up-preview");
            if (!preview.ok || this.cancels > 0) {
                // A ^C after a preview that succeeded still means nothing was applied: the up failed.
                const error = preview.ok ? CANCELED : preview.error;
                return { ...preview, ok: false, error, op: "up", failedIn: "preview", timeline: [] };
            }
            const applied = await this.run("up", config);
            return { ...applied, durationMs: applied.durationMs + preview.durationMs, previewMs: preview.durationMs };
        }
        return this.run("up", config);
    }

    preview(config: FlatConfig = {}): Promise<RunResult> {
        return this.run("preview", config);
    }

    /** `pulumi refresh`: every resource read back through its provider (the program does not run). */
    refresh(): Promise<RunResult> {
        return this.run("refresh", {});
    }

    destroy(): Promise<RunResult> {
        return this.run("destroy", {});
    }

    cancel(): void {
        this.cancels++;
        // The first ^C asks the run to cancel (runProgram.ts handles it); the second one terminates it.
        this.child?.kill("SIGINT");
    }

    private async run(op: EngineOp, config: FlatConfig, label: string = op): Promise<RunResult> {
        const o = this.options;
        fs.mkdirSync(o.stateDir, { recursive: true });
        const logDir = o.logDir ?? o.stateDir;
        fs.mkdirSync(logDir, { recursive: true });
        const n = ++this.runs;
        const base = path.join(logDir, `${o.stack}.${n}-${label}`);
        const configPath = `${base}.config.json`;
        const outPath = `${base}.result.json`;
        fs.writeFileSync(configPath, JSON.stringify(config, null, 2));
        fs.rmSync(outPath, { force: true });
        const args = [
            "-r",
            require.resolve("ts-node/register/transpile-only"),
            RUN_PROGRAM,
            "--program",
            path.resolve(o.programModule),
            "--export",
            o.exportName ?? "defineStack",
            "--state",
            this.statePath,
            "--stack",
            o.stack,
            "--project",
            o.project,
            "--config",
            configPath,
            "--op",
            op,
            "--out",
            outPath,
            "--events-fd",
            "3",
        ];
        const started = Date.now();
        const { code, log } = await new Promise<{ code: number | null; log: string }>((resolve, reject) => {
            // Its own process group: a terminal's ^C reaches the driver, which decides what the run gets (cancel()).
            const child = spawn(process.execPath, args, {
                cwd: o.cwd ?? process.cwd(),
                env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "true", ...(o.env ?? {}) },
                // stdin stays open for the run's life: when the driver dies it closes, and the run cancels itself.
                stdio: ["pipe", "pipe", "pipe", "pipe"],
                detached: true,
            });
            this.child = child;
            if (this.cancels > 0) child.kill("SIGINT");
            const chunks: Buffer[] = [];
            child.stdout!.on("data", (b: Buffer) => chunks.push(b));
            child.stderr!.on("data", (b: Buffer) => chunks.push(b));
            const events = child.stdio[3] as NodeJS.ReadableStream;
            createInterface({ input: events }).on("line", (line) => {
                if (!o.onEvent || line.trim() === "") return;
                let event: EngineEvent;
                try {
                    event = JSON.parse(line) as EngineEvent;
                } catch {
                    return; // progress is best effort: a torn line is skipped, the run goes on
                }
                o.onEvent(event, op);
            });
            // timeoutMs 0: no bound (a user's run; they have ^C).
            const timeoutMs = o.timeoutMs ?? 15 * 60_000;
            const timer = timeoutMs > 0 ? setTimeout(() => child.kill("SIGKILL"), timeoutMs) : undefined;
            child.on("error", reject);
            child.on("close", (exitCode) => {
                if (timer) clearTimeout(timer);
                this.child = undefined;
                resolve({ code: exitCode, log: Buffer.concat(chunks).toString("utf8") });
            });
        });
        fs.writeFileSync(`${base}.log`, log);
        if (!fs.existsSync(outPath)) {
            const terminated = code === TERMINATED_EXIT_CODE && this.cancels > 1;
            // A ^C before the run installed its handler (while it loads) ends it by the signal's default action.
            const early = this.cancels > 0 && !terminated;
            return {
                ok: false,
                error: terminated
                    ? `${CANCELED}: terminated at once (a second ^C); operations under way were cut short`
                    : early
                      ? `${CANCELED} before the run started: nothing was changed`
                      : `runProgram exited with code ${code} without a result; output:\n${log.slice(-4000)}`,
                op,
                engine: this.kind,
                outputs: {},
                steps: [],
                timeline: [],
                durationMs: Date.now() - started,
                log,
            };
        }
        const result = JSON.parse(fs.readFileSync(outPath, "utf8")) as RunResult;
        return { ...result, log };
    }
}
