/** The interface tests drive a stack through, whichever engine runs it. */
import { EngineEvent, EngineOp, RunResult } from "./types";

/** Flat stack config, as `pulumi config` stores it: "project:key" -> string value. */
export type FlatConfig = Record<string, string>;

export type EngineKind = "pulumi-automation" | "docker-test-engine";

export interface TestEngine {
    readonly kind: EngineKind;
    /** `pulumi up` with this stack config (replaces the whole config): a preview, then the update. */
    up(config?: FlatConfig): Promise<RunResult>;
    /** `pulumi preview`: the plan, nothing touched. */
    preview(config?: FlatConfig): Promise<RunResult>;
    /** `pulumi refresh --yes`: the state read back from the providers; the program does not run. */
    refresh(): Promise<RunResult>;
    /** `pulumi destroy`. */
    destroy(): Promise<RunResult>;
    /**
     * Ctrl-C for the run under way: the first call cancels it (operations under way finish and are recorded,
     * the run ends with "update canceled"), a second terminates it at once.
     */
    cancel(): void;
}

export interface EngineOptions {
    /** Path of the program module (.ts or .js); it must export a function returning the stack outputs. */
    programModule: string;
    /** Name of that exported function (default "defineStack"). */
    exportName?: string;
    stack: string;
    project: string;
    /** Directory for the state, config and result files of this stack. */
    stateDir: string;
    /** Working directory of the run (local commands run here); default: process.cwd(). */
    cwd?: string;
    /** Extra environment for the run. */
    env?: Record<string, string>;
    /** Kill a run that takes longer (default 15 min). */
    timeoutMs?: number;
    /** `up` without its preview pass (`pulumi up --skip-preview`). */
    skipPreview?: boolean;
    /**
     * Live progress of each run (steps, providers' status lines), as the CLI's display shows it; `op` tells an
     * up's preview pass ("preview") from its apply ("up").
     */
    onEvent?: (event: EngineEvent, op: EngineOp) => void;
    /** Where each run's config, result and log files go (default: stateDir). */
    logDir?: string;
}
