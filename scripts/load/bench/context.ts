/**
 * What every bench scenario gets and gives back (scenarios.ts runs them; scaling.ts is one of them). Its own
 * module so that a scenario module need not import scenarios.ts, which imports it (no circular import).
 */
import Docker from "dockerode";
import { BenchOptions, ScenarioId } from "./flags";
import type { Twin, TwinChange } from "./twin";
import { LoadFiguresWithClient } from "../run";
import { Row } from "./report";
import { StackControl } from "../stackControl";
import { StackTargets } from "../targets";

export interface BenchContext {
    opts: BenchOptions;
    docker: Docker;
    /** Fresh discovery (a deploy replaces containers, so ids change). */
    discover(): Promise<StackTargets>;
    /** What runs `up` for deploy/rollback; undefined with the reason they are skipped. */
    control?: StackControl;
    controlMissing?: string;
    /** Makes sure a release tag exists before it is deployed; returns true when it had to be built. */
    ensureRelease(control: StackControl, tag: string): Promise<boolean>;
    /** The tag deployed and rolled back from. */
    otherTag: string;
    /** A twin of the stack's balancer with one change, beside it, until stopped (scripts/load/bench/twin.ts). */
    twin(t: StackTargets, nodes: number, change: TwinChange): Promise<Twin>;
    signal: AbortSignal;
    log(msg: string): void;
}

export interface ScenarioResult {
    id: ScenarioId;
    row: Row;
    load?: LoadFiguresWithClient;
    extra?: Record<string, unknown>;
    error?: string;
}

export function skippedRow(id: ScenarioId, scenario: string, why: string): ScenarioResult {
    return { id, row: { scenario, connections: "–", notes: `skipped (${why})` }, extra: { skipped: why } };
}
