/**
 * Where cloudlab's built-in engine keeps a stack (.cloudlab/builtin/<stack>.state.json, never Pulumi's format),
 * and that file read back: by the verbs (cli/builtin.ts), the one-engine guard (cli/modeGuard.ts) and the
 * scripts that read a stack's outputs (cli/stackOutputs.ts).
 */
import * as fs from "fs";
import * as path from "path";
import type { StateFile } from "../engine";
import { CliError } from "./errors";
import { checkedStackName } from "./stackName";

/** The built-in engine's files: <root>/.cloudlab/builtin (state <stack>.state.json, run logs under runs/). */
export function builtinDir(root: string): string {
    return path.join(root, ".cloudlab", "builtin");
}

export function builtinStatePath(root: string, stack: string): string {
    return path.join(builtinDir(root), `${checkedStackName(stack)}.state.json`);
}

/** The stack's state; undefined when the built-in engine has none; a CliError naming a file that is not a state. */
export function readBuiltinState(root: string, stack: string): StateFile | undefined {
    const file = builtinStatePath(root, stack);
    if (!fs.existsSync(file)) return undefined;
    let state: unknown;
    try {
        state = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
        throw new CliError(`the built-in engine's state ${file} is not readable JSON (${(e as Error).message})`);
    }
    const s = state as Partial<StateFile> | null;
    if (
        typeof s !== "object" ||
        s === null ||
        typeof s.resources !== "object" ||
        s.resources === null ||
        !(s.pendingDeletes === undefined || Array.isArray(s.pendingDeletes))
    ) {
        throw new CliError(`the built-in engine's state ${file} is not a state file (no resources object)`);
    }
    return { ...s, pendingDeletes: s.pendingDeletes ?? [] } as StateFile;
}

/** The stack's outputs (the pulumi:pulumi:Stack resource's), secrets still wrapped; a CliError when it has no state. */
export function builtinOutputs(root: string, stack: string): Record<string, unknown> {
    const state = readBuiltinState(root, stack);
    if (state === undefined) {
        throw new CliError(
            `stack ${stack} has no state on the built-in engine yet: run \`npm run up -- -s ${stack}\` first`,
        );
    }
    const stackResource = Object.values(state.resources).find((r) => r.type === "pulumi:pulumi:Stack");
    return (stackResource?.outputs ?? {}) as Record<string, unknown>;
}
