/**
 * A stack's outputs as `npm run outputs -- --json` prints them (secrets shown as "[secret]"), on the engine that
 * holds the stack: the built-in engine's state file, or `pulumi stack output --json` with the CLI. For the
 * scripts that run beside a stack (npm run status).
 */
import { builtinOutputs } from "./builtinState";
import { revealed } from "./display";
import { Decision, captureCli } from "./engineChoice";
import { CliError } from "./errors";
import { pulumiArgs, pulumiEnv } from "./pulumiCli";

export async function readStackOutputs(
    root: string,
    stack: string,
    engine: Decision,
): Promise<Record<string, unknown>> {
    if (engine.mode === "builtin") return revealed(builtinOutputs(root, stack), false) as Record<string, unknown>;
    const cli = engine.cli;
    const run = await captureCli(cli, pulumiArgs("outputs", stack, ["--json"]), {
        cwd: root,
        env: { ...process.env, ...cli.env, ...pulumiEnv(root, process.env) },
    });
    if (!run.ok) throw new CliError(`stack ${stack}: no outputs from the Pulumi CLI (${cli.origin}): ${run.why}`);
    try {
        return JSON.parse(run.stdout) as Record<string, unknown>;
    } catch {
        throw new CliError(
            `stack ${stack}: \`pulumi stack output --json\` printed no JSON: ${run.stdout.slice(0, 200)}`,
        );
    }
}
