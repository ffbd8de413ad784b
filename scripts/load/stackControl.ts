/**
 * How the bench runs a `pulumi up` with another imageTag (the deploy and rollback scenarios): the pulumi CLI on
 * a user's stack, or engine/ on the bench's own stack.
 */
import { spawn } from "child_process";
import type { RunResult } from "../../engine";

export interface UpOutcome {
    ok: boolean;
    wallMs: number;
    error?: string;
    /** Last lines of the run's output, for a failure report. */
    logTail?: string;
}

export interface StackControl {
    /** Shown in the header: what ran the `up`s. */
    readonly engine: string;
    /** Config value of appImage / nodeBaseImage the stack builds releases with. */
    readonly appImage: string;
    readonly nodeBaseImage: string;
    /** The tag the stack was at when the bench started. */
    readonly originalTag: string;
    /** Sets imageTag and runs `up`; `tag === originalTag` restores the stack's own setting. */
    setTag(tag: string): Promise<UpOutcome>;
}

export interface ExecResult {
    code: number | null;
    output: string;
}
export type Exec = (cmd: string, args: string[], timeoutMs: number) => Promise<ExecResult>;

/** Runs a command with its output captured; killed (SIGTERM, then SIGKILL) when it outlives `timeoutMs`. */
export const execCommand =
    (cwd: string): Exec =>
    (cmd, args, timeoutMs) =>
        new Promise((resolve) => {
            const child = spawn(cmd, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
            const chunks: Buffer[] = [];
            child.stdout.on("data", (b: Buffer) => chunks.push(b));
            child.stderr.on("data", (b: Buffer) => chunks.push(b));
            const term = setTimeout(() => child.kill("SIGTERM"), timeoutMs);
            const kill = setTimeout(() => child.kill("SIGKILL"), timeoutMs + 30_000);
            const finish = (code: number | null, extra = "") => {
                clearTimeout(term);
                clearTimeout(kill);
                resolve({ code, output: Buffer.concat(chunks).toString("utf8") + extra });
            };
            child.on("error", (e) => finish(null, `\n${e.message}`));
            child.on("close", (code) => finish(code));
        });

/**
 * The pulumi commands that put `tag` on the stack and apply it. Restoring a stack that had no imageTag set
 * removes the key again instead of pinning the default, so the bench leaves the config as it found it.
 */
export function pulumiSetTagCommands(stack: string, tag: string | undefined): string[][] {
    const config =
        tag === undefined ? ["config", "rm", "imageTag", "-s", stack] : ["config", "set", "imageTag", tag, "-s", stack];
    return [config, ["up", "--yes", "--non-interactive", "-s", stack]];
}

/** `pulumi config get <key>`: the value, or undefined when the key is not set (pulumi exits non-zero). */
export async function pulumiConfigGet(exec: Exec, stack: string, key: string): Promise<string | undefined> {
    const r = await exec("pulumi", ["config", "get", key, "-s", stack], 60_000);
    if (r.code !== 0) {
        if (/not found|no value/i.test(r.output)) return undefined;
        throw new Error(`pulumi config get ${key} -s ${stack} failed: ${tail(r.output, 10)}`);
    }
    return r.output.trim();
}

export const UP_TIMEOUT_MS = 20 * 60_000;

/** Milliseconds since some fixed point: how an `up` is timed (Date.now; a test passes a fake one). */
export type Clock = () => number;

export class PulumiCliControl implements StackControl {
    readonly engine = "pulumi CLI";

    private constructor(
        private readonly exec: Exec,
        private readonly stack: string,
        readonly originalTag: string,
        /** The stack's own setting: undefined when imageTag is not set (Pulumi.yaml's default applies). */
        private readonly originalSetting: string | undefined,
        readonly appImage: string,
        readonly nodeBaseImage: string,
        private readonly now: Clock,
    ) {}

    static async open(
        exec: Exec,
        stack: string,
        runningTag: string,
        defaults: { appImage: string; nodeBaseImage: string },
        now: Clock = Date.now,
    ): Promise<PulumiCliControl> {
        const setting = await pulumiConfigGet(exec, stack, "imageTag");
        const appImage = (await pulumiConfigGet(exec, stack, "appImage")) ?? defaults.appImage;
        const base = (await pulumiConfigGet(exec, stack, "nodeBaseImage")) ?? defaults.nodeBaseImage;
        return new PulumiCliControl(exec, stack, setting ?? runningTag, setting, appImage, base, now);
    }

    async setTag(tag: string): Promise<UpOutcome> {
        const started = this.now();
        const setting = tag === this.originalTag ? this.originalSetting : tag;
        let log = "";
        for (const args of pulumiSetTagCommands(this.stack, setting)) {
            const r = await this.exec("pulumi", args, args[0] === "up" ? UP_TIMEOUT_MS : 60_000);
            log += r.output;
            if (r.code !== 0) {
                return {
                    ok: false,
                    wallMs: this.now() - started,
                    error: `pulumi ${args.join(" ")} exited with ${r.code}`,
                    logTail: tail(log, 30),
                };
            }
        }
        return { ok: true, wallMs: this.now() - started };
    }
}

/** The bench's own stack, driven by engine/ (the engine the system tests run on too). */
export class EngineControl implements StackControl {
    constructor(
        readonly engine: string,
        private readonly up: (tag: string) => Promise<RunResult>,
        readonly originalTag: string,
        readonly appImage: string,
        readonly nodeBaseImage: string,
        private readonly now: Clock = Date.now,
    ) {}

    async setTag(tag: string): Promise<UpOutcome> {
        const started = this.now();
        const r = await this.up(tag);
        const wallMs = this.now() - started;
        return r.ok ? { ok: true, wallMs } : { ok: false, wallMs, error: r.error, logTail: tail(r.log ?? "", 30) };
    }
}

export function tail(text: string, lines: number): string {
    return text.trimEnd().split("\n").slice(-lines).join("\n");
}

/** True when `pulumi version` runs: the only way to `up` a user's stack from here. */
export async function pulumiOnPath(exec: Exec): Promise<boolean> {
    const r = await exec("pulumi", ["version"], 30_000);
    return r.code === 0;
}
