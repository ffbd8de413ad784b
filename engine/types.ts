/**
 * Shapes shared by the docker test engine (a TEST stand-in for the Pulumi engine, see README.md):
 * the persisted state, the per-run step log and the result a run hands back to the test.
 */

/** A plain JSON value as it travels through the engine (inputs, outputs). */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** Logical step kinds, as `pulumi up` reports them. */
export type StepOp = "create" | "update" | "replace" | "delete" | "same";

/** What the engine runs: one `pulumi up`, `pulumi preview`, `pulumi refresh` or `pulumi destroy`. */
export type EngineOp = "up" | "preview" | "refresh" | "destroy";

/** The resource options a registration carries and the state keeps (the engine honours these). */
export interface RegistrationOptions {
    /** Every direct dependency: dependsOn plus property dependencies. */
    dependencies: string[];
    propertyDependencies: Record<string, string[]>;
    deleteBeforeReplace: boolean;
    replaceOnChanges: string[];
    ignoreChanges: string[];
    protect: boolean;
    retainOnDelete: boolean;
}

/** One resource in the state file (Pulumi's checkpoint keeps the same facts). */
export interface ResourceState extends RegistrationOptions {
    urn: string;
    type: string;
    name: string;
    custom: boolean;
    /** Provider id ("" for component resources). */
    id: string;
    parent: string;
    /** Inputs after ignoreChanges were applied (what the next diff compares against). */
    inputs: JsonObject;
    outputs: JsonObject;
    /** Set when the create reached the provider but failed after the object existed (Pulumi's initErrors). */
    initErrors?: string[];
}

/** The JSON state file of one stack. */
export interface StateFile {
    version: 1;
    project: string;
    stack: string;
    /** Live resources by URN, in registration order. */
    resources: Record<string, ResourceState>;
    /**
     * Old instances that still have to be deleted: the replaced half of a create-before-delete replacement
     * whose end-of-run delete did not happen yet (Pulumi keeps these as `delete: true` entries).
     */
    pendingDeletes: ResourceState[];
    updatedAt: string;
}

/** One provider-level operation, in the order they happened (the timeline the tests assert on). */
export interface TimelineEvent {
    /** Monotonic sequence number of the event's start (unique within a run). */
    seq: number;
    urn: string;
    type: string;
    action: "create" | "update" | "delete";
    /** Why this operation ran: plain create/update/delete, or a phase of a replacement. */
    reason: "create" | "update" | "delete" | "replace" | "dependent-of-delete-before-replace" | "pending-delete";
    id?: string;
    startedAt: string;
    finishedAt?: string;
    /** Monotonic sequence number of the event's end. */
    endSeq?: number;
    error?: string;
}

/** One logical step per resource (what `pulumi up` prints), with its wall-clock span. */
export interface StepRecord {
    urn: string;
    type: string;
    name: string;
    op: StepOp;
    startedAt: string;
    finishedAt?: string;
    startSeq: number;
    endSeq?: number;
    /** Top-level input properties whose value changed (update / replace). */
    changed?: string[];
    /** The properties that forced the replacement. */
    replaceKeys?: string[];
    deleteBeforeReplace?: boolean;
    oldId?: string;
    newId?: string;
    /** Set for deletes of resources the program no longer declares, dependents of a DBR, ... */
    reason?: string;
    error?: string;
}

/** What a run (child process) writes to --out and what the drivers return. */
export interface RunResult {
    ok: boolean;
    error?: string;
    op: EngineOp;
    /** Which engine produced this result. */
    engine: "docker-test-engine" | "pulumi-automation";
    /** The values returned by the program function, resolved (unknowns in a preview are "<unknown>"). */
    outputs: Record<string, unknown>;
    steps: StepRecord[];
    /** Provider operations in the order they happened (empty in a preview). */
    timeline: TimelineEvent[];
    /** Whole run; for an `up`, its preview included. */
    durationMs: number;
    /** An `up` whose preview failed: nothing was applied (the steps are the preview's). */
    failedIn?: "preview";
    /** How long an `up`'s preview took (part of durationMs). */
    previewMs?: number;
    /** Console output of the run (program logs, SDK diagnostics), set by the drivers. */
    log?: string;
}

/**
 * What a run reports while it goes (the CLI's live view): a step starts or ends, or a resource's provider says
 * how it is doing (pulumi-command streams each output line as an InfoStatus; a container reports its wait).
 */
export type EngineEvent =
    | { kind: "step-start"; urn: string; type: string; name: string; op: StepOp }
    | {
          kind: "step-end";
          urn: string;
          type: string;
          name: string;
          op: StepOp;
          changed?: string[];
          replaceKeys?: string[];
          error?: string;
      }
    | { kind: "status"; urn: string; type: string; name: string; message: string }
    /** The create half of a create-before-delete replacement is done; the original goes at the end of the run. */
    | { kind: "replacement-created"; urn: string; type: string; name: string }
    | { kind: "cancelling" };

/** The stand-in for Pulumi's "unknown" (computed) value, in outputs handed back to tests. */
export const UNKNOWN_OUTPUT = "<unknown>";

/** Exit code of a run stopped by a second ^C (runProgram.ts): it writes no result; the driver reports it. */
export const TERMINATED_EXIT_CODE = 130;

/** The error of a cancelled run, in the CLI's words (pulumi/pulumi lifecycletest TestCanceledRefresh output). */
export const CANCELED = "update canceled";
