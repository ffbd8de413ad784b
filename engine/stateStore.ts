/**
 * The docker test engine's state: one JSON file per stack (the stand-in for Pulumi's checkpoint). Written
 * atomically after every completed operation, so a run that dies half-way leaves what it did on record.
 */
import * as fs from "fs";
import * as path from "path";
import { ResourceState, StateFile } from "./types";

export function emptyState(project: string, stack: string): StateFile {
    return { version: 1, project, stack, resources: {}, pendingDeletes: [], updatedAt: new Date().toISOString() };
}

export function loadState(file: string, project: string, stack: string): StateFile {
    if (!fs.existsSync(file)) return emptyState(project, stack);
    const state = JSON.parse(fs.readFileSync(file, "utf8")) as StateFile;
    if (state.version !== 1) throw new Error(`docker test engine: unknown state version in ${file}`);
    if (state.project !== project || state.stack !== stack) {
        throw new Error(`docker test engine: ${file} holds ${state.project}/${state.stack}, not ${project}/${stack}`);
    }
    state.pendingDeletes = state.pendingDeletes ?? [];
    return state;
}

export function saveState(file: string, state: StateFile): void {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    state.updatedAt = new Date().toISOString();
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(state, null, 2));
    fs.renameSync(tmp, file);
}

/** Every URN a resource depends on: parent, dependsOn and property dependencies. */
export function dependenciesOf(res: ResourceState): Set<string> {
    const deps = new Set<string>(res.dependencies);
    for (const urns of Object.values(res.propertyDependencies)) urns.forEach((u) => deps.add(u));
    if (res.parent) deps.add(res.parent);
    return deps;
}

/**
 * Groups resources into waves that can be deleted together: every resource comes after (in a later wave than)
 * all the resources in the set that depend on it, i.e. reverse dependency order.
 */
export function deletionWaves(resources: ResourceState[]): ResourceState[][] {
    const remaining = [...resources];
    const waves: ResourceState[][] = [];
    while (remaining.length > 0) {
        const urns = new Set(remaining.map((r) => r.urn));
        const dependedOn = new Set<string>();
        for (const r of remaining) {
            for (const d of dependenciesOf(r)) if (urns.has(d) && d !== r.urn) dependedOn.add(d);
        }
        let wave = remaining.filter((r) => !dependedOn.has(r.urn));
        if (wave.length === 0) wave = [remaining[remaining.length - 1]]; // a cycle cannot happen; stay safe
        waves.push(wave);
        for (const r of wave) remaining.splice(remaining.indexOf(r), 1);
    }
    return waves;
}
