/**
 * Which engine runs a verb: the Pulumi CLI when there is one (on PATH, fetched by the npm package `pulumi`, or
 * built from Go modules with every plugin the verbs need), else cloudlab's built-in engine for the local stack.
 * CLOUDLAB_ENGINE=pulumi|builtin forces the choice.
 */
import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { BUILT_PULUMI_BIN, UNBUILDABLE_PLUGINS, builtPulumiEnv } from "../engine/realPulumi";
import { CliError } from "./errors";

export type EngineMode = "pulumi" | "builtin";

/** How to run the Pulumi CLI: a command and the arguments before the CLI's own. */
export interface PulumiCommand {
    command: string;
    prefix: string[];
    env: Record<string, string>;
    /** For the log: where this CLI comes from. */
    origin: string;
}

/**
 * The npm package `pulumi` downloads (once, into its cache) the CLI version PULUMI_VERSION names; 3.250.0 is its
 * oldest release. The CLI asked for is the SDK's own version, so CLI and SDK agree whatever npm's latest is.
 */
export const PULUMI_NPM_PACKAGE = "pulumi@3.250.0";

export const BUILTIN_LABEL =
    "built-in engine: local stack only, not Pulumi; install the Pulumi CLI for the full engine";

/** CLOUDLAB_ENGINE, checked: undefined when unset (choose by what is installed). */
export function requestedMode(env: NodeJS.ProcessEnv): EngineMode | undefined {
    const value = env.CLOUDLAB_ENGINE;
    if (value === undefined || value === "") return undefined;
    if (value === "pulumi" || value === "builtin") return value;
    throw new CliError(`CLOUDLAB_ENGINE must be pulumi or builtin, not '${value}'`);
}

export interface Probe {
    cli?: PulumiCommand;
    /** Why there is no CLI (each place looked at, and what it said). */
    reason?: string;
}

export type Decision = { mode: "pulumi"; cli: PulumiCommand } | { mode: "builtin"; notice?: string };

/** The choice, from what was asked and what was found. Pure. */
export function decide(requested: EngineMode | undefined, probe: () => Promise<Probe>): Promise<Decision> {
    if (requested === "builtin") return Promise.resolve({ mode: "builtin" });
    return probe().then((found): Decision => {
        if (found.cli) return { mode: "pulumi", cli: found.cli };
        if (requested === "pulumi")
            throw new CliError(`CLOUDLAB_ENGINE=pulumi, but there is no Pulumi CLI: ${found.reason ?? "not found"}`);
        return {
            mode: "builtin",
            notice: `no Pulumi CLI (${found.reason ?? "not found"}): running on cloudlab's built-in engine`,
        };
    });
}

/** The SDK's version: the CLI version the npm package `pulumi` is asked for. */
function sdkVersion(): string {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require("@pulumi/pulumi/package.json") as { version: string }).version;
}

/**
 * The CLI a parent process found, handed to the cli/main.ts calls it makes (scripts/up.sh makes up to eight):
 * with CLOUDLAB_ENGINE=pulumi they use it instead of looking again (a probe may download the CLI).
 */
export const HANDED_CLI = "CLOUDLAB_PULUMI_CLI";

/** The engine of this process: as CLOUDLAB_ENGINE asks (with the CLI a parent handed), else the CLI when found. */
export async function chooseEngine(env: NodeJS.ProcessEnv): Promise<Decision> {
    const requested = requestedMode(env);
    const handed = env[HANDED_CLI];
    if (requested === "pulumi" && handed) return { mode: "pulumi", cli: handedCli(handed) };
    return decide(requested, () => probePulumi(sdkVersion(), env));
}

/** Set where the built-in engine was already announced to the user (by cli/engineEnv.ts, once per npm run up). */
export const ANNOUNCED = "CLOUDLAB_ENGINE_ANNOUNCED";

/**
 * The lines that tell the user a verb runs on the built-in engine (why, then the label): none where a parent
 * process already said so. Pure.
 */
export function builtinAnnouncement(decision: { notice?: string }, env: NodeJS.ProcessEnv): string[] {
    if (env[ANNOUNCED]) return [];
    return decision.notice ? [decision.notice, BUILTIN_LABEL] : [BUILTIN_LABEL];
}

/** The environment in which a child process makes the same choice without a probe, or a second announcement. */
export function decisionEnv(decision: Decision): Record<string, string> {
    if (decision.mode === "builtin") return { CLOUDLAB_ENGINE: "builtin", [ANNOUNCED]: "1" };
    return { CLOUDLAB_ENGINE: "pulumi", [HANDED_CLI]: JSON.stringify(decision.cli) };
}

function handedCli(value: string): PulumiCommand {
    let cli: Partial<PulumiCommand> | undefined;
    try {
        cli = JSON.parse(value) as Partial<PulumiCommand>;
    } catch {
        cli = undefined;
    }
    const strings = (v: unknown): boolean =>
        typeof v === "object" && v !== null && Object.values(v).every((x) => typeof x === "string");
    if (
        typeof cli?.command !== "string" ||
        !Array.isArray(cli.prefix) ||
        !strings(cli.prefix) ||
        !strings(cli.env) ||
        typeof cli.origin !== "string"
    ) {
        throw new CliError(`${HANDED_CLI} must be a Pulumi command as cli/engineEnv.ts prints it, not '${value}'`);
    }
    return cli as PulumiCommand;
}

/**
 * The plugins `pulumi up -s local` starts: the language host that runs the program, and the stack's providers
 * (the local stack registers no aws resource, and the engine loads providers only as resources ask for them).
 */
export const LOCAL_STACK_PLUGINS = [
    "pulumi-language-nodejs",
    "pulumi-resource-docker",
    "pulumi-resource-command",
    "pulumi-resource-random",
] as const;

/**
 * The CLI built from Go modules (npm run build-pulumi), when it and every plugin the verbs need are there; else
 * why not, naming what is missing and, for what cannot be built here, the module the proxy refuses. Pure but for
 * the look at the folder (`exists`).
 */
export function builtCli(
    env: NodeJS.ProcessEnv,
    exists: (file: string) => boolean = fs.existsSync,
): { cli: PulumiCommand } | { why: string } {
    const where = path.relative(process.cwd(), BUILT_PULUMI_BIN) || BUILT_PULUMI_BIN;
    const missing = ["pulumi", ...LOCAL_STACK_PLUGINS].filter((b) => !exists(path.join(BUILT_PULUMI_BIN, b)));
    if (missing.length === 0)
        return {
            cli: {
                command: path.join(BUILT_PULUMI_BIN, "pulumi"),
                prefix: [],
                env: builtPulumiEnv(env),
                origin: `the CLI built from Go modules (${where})`,
            },
        };
    const refused = missing
        .map((b) => UNBUILDABLE_PLUGINS[b.replace(/^pulumi-(resource-)?/, "")])
        .filter((m): m is string => m !== undefined);
    return {
        why:
            `built from Go modules (${where}): no ${missing.join(", ")}` +
            (refused.length > 0 ? ` (the Go module proxy refuses ${refused.join(", ")})` : "") +
            (missing.includes("pulumi") ? "; npm run build-pulumi builds what can be built" : ""),
    };
}

/**
 * Looks for a working CLI: `pulumi` on PATH, the npm package (which downloads the CLI on first use), then the
 * one built from Go modules.
 */
export async function probePulumi(sdkVersion: string, env: NodeJS.ProcessEnv = process.env): Promise<Probe> {
    const onPath = await tryVersion({ command: "pulumi", prefix: [], env: {}, origin: "pulumi on PATH" });
    if (onPath.ok) return { cli: onPath.cli };
    const npx: PulumiCommand = {
        command: "npx",
        prefix: ["--yes", PULUMI_NPM_PACKAGE],
        env: { PULUMI_VERSION: sdkVersion },
        origin: `the npm package ${PULUMI_NPM_PACKAGE} (CLI v${sdkVersion})`,
    };
    const fetched = await tryVersion(npx);
    if (fetched.ok) return { cli: fetched.cli };
    const built = builtCli(env);
    if ("cli" in built) return { cli: built.cli };
    return { reason: `none on PATH; ${npx.origin}: ${fetched.why}; ${built.why}` };
}

async function tryVersion(cli: PulumiCommand): Promise<{ ok: true; cli: PulumiCommand } | { ok: false; why: string }> {
    const run = await captureCli(cli, ["version"], { env: { ...process.env, ...cli.env }, timeout: 180_000 });
    return run.ok ? { ok: true, cli } : { ok: false, why: run.why };
}

/** Runs the CLI with its output captured: stdout, or why it failed (the last line of its stderr). */
export function captureCli(
    cli: PulumiCommand,
    args: readonly string[],
    options: { env: NodeJS.ProcessEnv; cwd?: string; timeout?: number },
): Promise<{ ok: true; stdout: string } | { ok: false; why: string }> {
    return new Promise((resolve) => {
        execFile(cli.command, [...cli.prefix, ...args], options, (error, stdout, stderr) => {
            if (!error) return resolve({ ok: true, stdout: String(stdout) });
            const lines = String(stderr).trim().split("\n");
            resolve({ ok: false, why: lines[lines.length - 1] || error.message });
        });
    });
}
