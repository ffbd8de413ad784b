/**
 * `npm run config -- [-s <stack>] [verb] ...`: the `pulumi config` subset on the built-in engine's terms
 * (cli/stackConfig.ts). The stack is `local` unless -s/--stack names another.
 */
import * as path from "path";
import { CliError } from "./errors";
import { runConfigCommand } from "./stackConfig";

function splitStack(argv: string[]): { stack: string; rest: string[] } {
    let stack = "local";
    const rest: string[] = [];
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        if (a === "--") {
            rest.push(...argv.slice(i));
            break;
        }
        if (a === "-s" || a === "--stack") {
            if (i + 1 >= argv.length) throw new CliError(`${a} needs a stack name`);
            stack = argv[++i];
        } else if (a.startsWith("--stack=")) stack = a.slice("--stack=".length);
        else rest.push(a);
    }
    return { stack, rest };
}

try {
    const { stack, rest } = splitStack(process.argv.slice(2));
    runConfigCommand(rest, { root: path.resolve(__dirname, ".."), stack, print: (line) => console.log(line) });
} catch (err) {
    if (!(err instanceof CliError)) throw err;
    console.error(`error: ${err.message}`);
    process.exit(1);
}
