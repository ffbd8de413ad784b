/**
 * The verbs on the real Pulumi CLI: a file backend inside the clone (no account needed), the stack selected
 * or created, then the CLI command the README shows beside each verb.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import { Verb } from "./args";
import { PulumiCommand } from "./engineChoice";
import { defaultBackendDir } from "./modeGuard";

/** The CLI arguments of a verb (what `npm run <verb> -- <rest>` means with the CLI). Pure. */
export function pulumiArgs(verb: Verb, stack: string, rest: readonly string[]): string[] {
    const s = ["--stack", stack];
    switch (verb) {
        case "up":
            return ["up", ...s, "--yes", ...rest];
        case "preview":
            return ["preview", ...s, "--diff", ...rest];
        case "destroy":
            return ["destroy", ...s, "--yes", ...rest];
        case "refresh":
            return ["refresh", ...s, "--yes", ...rest];
        case "outputs":
            return ["stack", "output", ...s, ...rest];
        case "config":
            return ["config", ...s, ...rest]; // before the rest: after a `--` the CLI takes everything as arguments
    }
}

/**
 * The environment of every CLI call: PULUMI_BACKEND_URL defaults to a file backend in the clone. The local stack
 * holds no secrets; the passphrase only satisfies the file backend's encryption (set your own to override it).
 */
export function pulumiEnv(root: string, env: NodeJS.ProcessEnv): Record<string, string> {
    return {
        PULUMI_BACKEND_URL: env.PULUMI_BACKEND_URL ?? `file://${defaultBackendDir(root)}`,
        PULUMI_CONFIG_PASSPHRASE: env.PULUMI_CONFIG_PASSPHRASE ?? "cloudlab-local",
    };
}

/** Runs the verb with the CLI (output straight to the terminal); resolves to its exit code. */
export async function runWithPulumi(
    cli: PulumiCommand,
    root: string,
    verb: Verb,
    stack: string,
    rest: readonly string[],
): Promise<number> {
    const env = { ...process.env, ...cli.env, ...pulumiEnv(root, process.env) };
    if (env.PULUMI_BACKEND_URL === `file://${defaultBackendDir(root)}`) {
        fs.mkdirSync(defaultBackendDir(root), { recursive: true });
    }
    const run = (args: string[]): Promise<number> =>
        new Promise((resolve, reject) => {
            const child = spawn(cli.command, [...cli.prefix, ...args], { cwd: root, env, stdio: "inherit" });
            child.on("error", reject);
            child.on("close", (code) => resolve(code ?? 1));
        });
    // `stack init` writes the passphrase's encryption salt into Pulumi.<stack>.yaml, the user's own file.
    const selected = await run(["stack", "select", "--create", stack]);
    if (selected !== 0) return selected;
    return run(pulumiArgs(verb, stack, rest));
}
