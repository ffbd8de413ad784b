/**
 * The command-line grammar of the project's scripts (bench, sweep, report): `--flag value`, `--flag=value` and bare
 * `--switch`, each at most once, and `-s <stack>` for `--stack` as the day-to-day verbs take it (cli/args.ts);
 * anything else is a FlagError that names the argument, so a typo never silently runs something else. Pure.
 */
export class FlagError extends Error {}

export interface Tokens {
    values: Map<string, string>;
    switches: Set<string>;
}

/** Short forms, the verbs' own (`npm run up -- -s dev`): a script that takes the long flag takes these too. */
const SHORT: Readonly<Record<string, string>> = { "-s": "--stack" };

export function tokenize(argv: string[], valued: readonly string[], boolean: readonly string[]): Tokens {
    const values = new Map<string, string>();
    const switches = new Set<string>();
    for (let i = 0; i < argv.length; i++) {
        const short = SHORT[argv[i]];
        const arg = short !== undefined && valued.includes(short.slice(2)) ? short : argv[i];
        if (!arg.startsWith("--"))
            throw new FlagError(`unexpected argument ${JSON.stringify(arg)} (flags start with --; see --help)`);
        const eq = arg.indexOf("=");
        const name = arg.slice(2, eq === -1 ? undefined : eq);
        if (boolean.includes(name)) {
            if (eq !== -1) throw new FlagError(`--${name} takes no value, got ${JSON.stringify(arg.slice(eq + 1))}`);
            switches.add(name);
            continue;
        }
        if (!valued.includes(name)) throw new FlagError(`unknown flag ${JSON.stringify(arg)} (see --help)`);
        let value: string;
        if (eq !== -1) {
            value = arg.slice(eq + 1);
        } else {
            if (i + 1 >= argv.length || argv[i + 1].startsWith("--")) throw new FlagError(`--${name} needs a value`);
            value = argv[++i];
        }
        if (values.has(name))
            throw new FlagError(
                `--${name} is given twice (${JSON.stringify(values.get(name))} and ${JSON.stringify(value)})`,
            );
        values.set(name, value);
    }
    return { values, switches };
}

/** A number flag from `min` to `max` (whole when `integer`), or `fallback` when absent. */
export function numberFlag(
    values: Map<string, string>,
    name: string,
    min: number,
    max: number,
    integer: boolean,
    fallback: number,
    what: string,
): number {
    const raw = values.get(name);
    if (raw === undefined) return fallback;
    const n = /^\s*$/.test(raw) ? NaN : Number(raw);
    if (!Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min || n > max) {
        throw new FlagError(`--${name} must be ${what} from ${min} to ${max}, not ${JSON.stringify(raw)}`);
    }
    return n;
}

/**
 * A script's command line: its options, or the exit code when there is nothing to run (2 after printing a
 * FlagError's message, 0 after printing the usage for --help).
 */
export function parseCommandLine<T extends { help: boolean }>(
    tool: string,
    argv: string[],
    parse: (argv: string[]) => T,
    usage: string,
): T | number {
    let opts: T;
    try {
        opts = parse(argv);
    } catch (err) {
        if (err instanceof FlagError) {
            process.stderr.write(`${tool}: ${err.message}\n`);
            return 2;
        }
        throw err;
    }
    if (!opts.help) return opts;
    process.stdout.write(`${usage}\n`);
    return 0;
}
