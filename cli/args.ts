/**
 * The command line of `npm run <verb> -- [args]`: the verb, the stack (`-s`/`--stack`, as the CLI's flag; default
 * `local`) and the rest, which the verb reads. Pure.
 */
import { CliError } from "./errors";
import { checkedStackName } from "./stackName";

export const VERBS = ["up", "preview", "destroy", "refresh", "outputs", "config"] as const;
export type Verb = (typeof VERBS)[number];

/** The stack the verbs act on when none is named: the local stack. */
export const DEFAULT_STACK = "local";

export interface Invocation {
    verb: Verb;
    stack: string;
    /** Arguments after the verb, without the stack flag. */
    rest: string[];
}

export function parseInvocation(argv: readonly string[]): Invocation {
    const [verb, ...args] = argv;
    if (verb === undefined) throw new CliError(`name a verb: ${VERBS.join(", ")}`);
    if (!(VERBS as readonly string[]).includes(verb)) {
        throw new CliError(`unknown verb '${verb}': cloudlab knows ${VERBS.join(", ")}`);
    }
    let stack = DEFAULT_STACK;
    const rest: string[] = [];
    for (let i = 0; i < args.length; i++) {
        const arg = args[i];
        if (arg === "--") {
            // The end of the flags: what follows is the verb's own, verbatim (e.g. a config value "-s").
            rest.push(...args.slice(i));
            break;
        }
        if (arg === "-s" || arg === "--stack") {
            const value = args[++i];
            if (value === undefined) throw new CliError(`${arg} needs a stack name`);
            stack = value;
        } else if (arg.startsWith("--stack=")) {
            stack = arg.slice("--stack=".length);
        } else {
            rest.push(arg);
        }
    }
    return { verb: verb as Verb, stack: checkedStackName(stack), rest };
}

/**
 * The flags a verb of the built-in engine takes; anything else is refused by name (the Pulumi CLI has many
 * more: they need it). `--yes`/`--diff` are accepted because the built-in engine always behaves that way.
 */
const BUILTIN_FLAGS: Record<Verb, readonly string[]> = {
    up: ["--yes", "-y", "--skip-preview"],
    preview: ["--diff"],
    destroy: ["--yes", "-y"],
    refresh: ["--yes", "-y"],
    outputs: ["--json", "--show-secrets"],
    config: [],
};

/** Splits `rest` into known flags and positional arguments; an unknown flag is a CliError naming it. */
export function builtinFlags(verb: Verb, rest: readonly string[]): { flags: Set<string>; positional: string[] } {
    const flags = new Set<string>();
    const positional: string[] = [];
    for (const arg of rest) {
        if (!arg.startsWith("-")) positional.push(arg);
        else if (BUILTIN_FLAGS[verb].includes(arg)) flags.add(arg === "-y" ? "--yes" : arg);
        else {
            throw new CliError(
                `the built-in engine's ${verb} does not take ${arg}` +
                    (BUILTIN_FLAGS[verb].length > 0 ? ` (it takes ${BUILTIN_FLAGS[verb].join(", ")})` : "") +
                    `; the Pulumi CLI's may: install it`,
            );
        }
    }
    return { flags, positional };
}
