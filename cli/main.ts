/**
 * `npm run up | preview | destroy | refresh | outputs | config -- [-s <stack>] [args]`: the day-to-day verbs, on
 * the Pulumi CLI when there is one, else on cloudlab's built-in engine (local stack only). See README.md.
 * Exit codes: 0 done, 1 failed or refused (one line says why), 2 a bug here.
 */
import * as path from "path";
import { parseInvocation } from "./args";
import { BuiltinStack } from "./builtin";
import { builtinFlags } from "./args";
import { builtinAnnouncement, chooseEngine } from "./engineChoice";
import { CliError, runEntry } from "./errors";
import { assertBuiltinStackGone } from "./modeGuard";
import { runWithPulumi } from "./pulumiCli";
import { runConfigCommand } from "./stackConfig";

const ROOT = path.resolve(__dirname, "..");

async function main(argv: string[]): Promise<number> {
    const { verb, stack, rest } = parseInvocation(argv);
    const decision = await chooseEngine(process.env);
    if (decision.mode === "pulumi") {
        if (verb !== "config" && verb !== "outputs") assertBuiltinStackGone(ROOT, stack);
        // The CLI shares the terminal: it gets ^C itself and cancels; this process waits for it to end.
        process.on("SIGINT", () => undefined);
        return runWithPulumi(decision.cli, ROOT, verb, stack, rest);
    }
    // On stderr, so that `npm run outputs -- --json` stays parseable.
    for (const line of builtinAnnouncement(decision, process.env)) console.error(line);
    if (verb === "config") {
        runConfigCommand(rest, { root: ROOT, stack, print: (line) => console.log(line) });
        return 0;
    }
    const { flags, positional } = builtinFlags(verb, rest);
    const builtin = new BuiltinStack(ROOT, stack, { print: (line) => console.log(line) });
    if (verb === "outputs") {
        if (positional.length > 1)
            throw new CliError(`outputs takes at most one output name, not ${positional.join(" ")}`);
        builtin.outputs(positional[0], flags.has("--json"), flags.has("--show-secrets"));
        return 0;
    }
    if (positional.length > 0) throw new CliError(`${verb} takes no arguments, not '${positional.join(" ")}'`);
    const ok =
        verb === "up"
            ? await builtin.up(flags.has("--skip-preview"))
            : verb === "preview"
              ? await builtin.preview()
              : verb === "destroy"
                ? await builtin.destroy()
                : await builtin.refresh();
    return ok ? 0 : 1;
}

runEntry(() => main(process.argv.slice(2)));
