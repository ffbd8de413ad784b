/**
 * One stack, one engine at a time: the built-in engine's state and Pulumi's file backend know nothing of each
 * other, so running `up` in one mode while the other still holds the stack would build a second copy of it on
 * the same names and ports. Each mode refuses while the other one's stack has resources.
 */
import * as fs from "fs";
import * as path from "path";
import * as zlib from "zlib";
import { PROJECT } from "../components/shared/naming";
import { builtinStatePath, readBuiltinState } from "./builtinState";
import { CliError } from "./errors";

/** The file backend `npm run up` gives the Pulumi CLI when PULUMI_BACKEND_URL is not set. */
export function defaultBackendDir(root: string): string {
    return path.join(root, ".pulumi-state");
}

/** Resources the built-in engine's state holds for the stack (0 when it has none or no state; a corrupt one is named). */
export function builtinResourceCount(root: string, stack: string): number {
    const state = readBuiltinState(root, stack);
    return state === undefined ? 0 : Object.keys(state.resources).length + state.pendingDeletes.length;
}

/**
 * Resources of the stack in a Pulumi file backend. Where the diy backend keeps a stack (pulumi/pulumi
 * pkg/backend/diy/store.go StackBasePath, state.go stackPath): `.pulumi/stacks/<project>/<stack>` (project
 * scoped) or `.pulumi/stacks/<stack>` (legacy), plus `.json`, `.json.gz` or `.json.zst`. A zstd checkpoint cannot
 * be read here: it counts as holding resources (refuse rather than guess).
 */
export function backendResourceCount(backendDir: string, stack: string): number {
    const stacks = path.join(backendDir, ".pulumi", "stacks");
    for (const base of [path.join(stacks, PROJECT, stack), path.join(stacks, stack)]) {
        if (fs.existsSync(`${base}.json`)) return checkpointResources(fs.readFileSync(`${base}.json`));
        if (fs.existsSync(`${base}.json.gz`))
            return checkpointResources(zlib.gunzipSync(fs.readFileSync(`${base}.json.gz`)));
        if (fs.existsSync(`${base}.json.zst`)) return Number.POSITIVE_INFINITY;
    }
    return 0;
}

/** `checkpoint.latest.resources` of a Pulumi checkpoint (apitype.VersionedCheckpoint, version 3). */
function checkpointResources(bytes: Buffer): number {
    const file = JSON.parse(bytes.toString("utf8")) as { checkpoint?: { latest?: { resources?: unknown[] } } };
    return file.checkpoint?.latest?.resources?.length ?? 0;
}

/** The built-in engine may not run while Pulumi's backend still has the stack. */
export function assertPulumiStackGone(root: string, stack: string, backendDir = defaultBackendDir(root)): void {
    const n = backendResourceCount(backendDir, stack);
    if (n > 0) {
        throw new CliError(
            `stack ${stack} still exists in the Pulumi backend ${backendDir} (${Number.isFinite(n) ? `${n} resources` : "a compressed checkpoint"}): ` +
                `run \`CLOUDLAB_ENGINE=pulumi npm run destroy -- -s ${stack}\` first, then \`npm run up\` again`,
        );
    }
}

/** The Pulumi CLI may not run while the built-in engine still has the stack. */
export function assertBuiltinStackGone(root: string, stack: string): void {
    const n = builtinResourceCount(root, stack);
    if (n > 0) {
        throw new CliError(
            `stack ${stack} still exists on cloudlab's built-in engine (${n} resources in ${builtinStatePath(root, stack)}): ` +
                `run \`CLOUDLAB_ENGINE=builtin npm run destroy -- -s ${stack}\` first, then \`npm run up\` again`,
        );
    }
}
