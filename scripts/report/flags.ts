/**
 * `npm run report`'s flags, in the scripts' grammar (../lib/argv.ts): `-s` as every verb takes it. Pure.
 */
import { tokenize } from "../lib/argv";

const USAGE = "usage: npm run report -- --since <duration, e.g. 24h> [-s|--stack <name>] [--out <dir>]";

/** The flags, or an error naming the bad argument, with the usage line. */
export function reportFlags(argv: string[]): { since: string; stack: string; out?: string } {
    let values: Map<string, string>;
    try {
        values = tokenize(argv, ["since", "stack", "out"], []).values;
    } catch (e) {
        throw new Error(`${e instanceof Error ? e.message : String(e)}\n${USAGE}`);
    }
    const since = values.get("since");
    if (since === undefined) throw new Error(USAGE);
    return { since, stack: values.get("stack") ?? "local", out: values.get("out") };
}
