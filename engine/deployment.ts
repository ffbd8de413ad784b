/**
 * The heart of the docker test engine: what the Pulumi engine's step generator + executor do for one
 * `pulumi up` / `preview` / `destroy`, reduced to the cases the project needs
 * (pkg/resource/deploy/step_generator.go semantics):
 *   - a registration is diffed against the previous state: same | update | replace;
 *   - replace is create-before-delete by default (the old one is deleted at the end of the run); with
 *     deleteBeforeReplace the old one - and, first, the dependents that would be replaced because one of their
 *     INPUT PROPERTIES depends on it - is deleted at registration time, then the new one is created;
 *   - at the end: old replaced instances and resources the program no longer registers are deleted, in
 *     reverse dependency order (independent ones in parallel);
 *   - a failure stops the run: what completed is kept, end-of-run deletes do not run;
 *   - preview computes the same plan with no provider call (created/replaced outputs are unknown).
 * Every completed operation is persisted immediately (stateStore.ts).
 */
import { changedKeys, diffComponent, diffResource } from "./diff";
import { PartialCreateError } from "./handlers/handler";
import { handlerFor } from "./handlers";
import { cancelRunningCommands } from "./handlers/localCommandHandler";
import {
    assertSupportedInputs,
    plannedOutputs,
    plannedState,
    providerWantsDeleteBeforeReplace,
    rulesFor,
} from "./resourceTypes";
import { deletionWaves, saveState } from "./stateStore";
import {
    CANCELED,
    EngineEvent,
    JsonObject,
    RegistrationOptions,
    ResourceState,
    StateFile,
    StepOp,
    StepRecord,
    TimelineEvent,
} from "./types";
import { UNKNOWN, errorMessage, wrapSecret } from "./values";

/** A RegisterResource request, decoded. */
export interface Registration extends RegistrationOptions {
    urn: string;
    type: string;
    name: string;
    parent: string;
    custom: boolean;
    /** Plain inputs (secrets unwrapped); in a preview they may hold the UNKNOWN sentinel. */
    inputs: JsonObject;
    /** Top-level inputs that were secrets: their outputs are handed back as secrets. */
    secretKeys: string[];
    /**
     * The program set deleteBeforeReplace explicitly (the SDK's deleteBeforeReplaceDefined): then it overrides the
     * provider's choice, true or false; otherwise the provider's (resourceTypes.ts providerDeleteBeforeReplace).
     */
    deleteBeforeReplaceDefined?: boolean;
    additionalSecretOutputs: string[];
}

export interface RegistrationResult {
    id: string;
    /** Wire-form outputs (may hold UNKNOWN in a preview, secrets wrapped). */
    outputs: JsonObject;
}

export interface DeploymentOptions {
    state: StateFile;
    /** Where to persist the state after each operation; not used in a preview. */
    statePath?: string;
    dryRun: boolean;
    /** Live progress (steps starting and ending, providers' status lines), for the CLI's display. */
    onEvent?: (event: EngineEvent) => void;
}

export const STACK_TYPE = "pulumi:pulumi:Stack";

export class Deployment {
    readonly steps: StepRecord[] = [];
    readonly timeline: TimelineEvent[] = [];
    /** The first failure (provider error, unsupported feature); the run reports it. */
    failure?: string;
    /** Outputs registered on the root stack resource. */
    stackOutputs: JsonObject = {};

    private readonly state: StateFile;
    private readonly old: ReadonlyMap<string, ResourceState>;
    private readonly registered = new Set<string>();
    /** URNs the step generator already handled (registered, or deleted as a DBR dependent). */
    private readonly processed = new Set<string>();
    /** Dependents deleted ahead of a delete-before-replace, with their replace keys, and the delete event. */
    private readonly deletedEarly = new Map<string, { keys: string[]; event?: TimelineEvent; res: ResourceState }>();
    /** Open replace steps whose old instance is deleted at the end of the run. */
    private readonly pendingStep = new Map<ResourceState, StepRecord>();
    private seq = 0;
    private destroying = false;

    constructor(private readonly opts: DeploymentOptions) {
        this.state = opts.state;
        this.old = new Map(Object.entries(opts.state.resources).map(([urn, r]) => [urn, structuredClone(r)]));
    }

    get dryRun(): boolean {
        return this.opts.dryRun;
    }

    /** Handles one RegisterResource request; rejects with the provider's (or the engine's) error message. */
    async register(reg: Registration): Promise<RegistrationResult> {
        if (this.failure && !this.dryRun) {
            throw new Error(`skipped: the update already failed (${this.failure})`);
        }
        if (this.registered.has(reg.urn)) {
            throw this.fail(reg.urn, new Error(`Duplicate resource URN '${reg.urn}'; try giving it a unique name`));
        }
        this.registered.add(reg.urn);
        this.processed.add(reg.urn);
        this.inFlight++;
        try {
            return reg.custom ? await this.registerCustom(reg) : this.registerComponent(reg);
        } catch (e) {
            throw this.fail(reg.urn, e);
        } finally {
            this.inFlight--;
            this.checkStopped();
        }
    }

    /**
     * Settles once the run has failed and no provider operation is still running. The SDK (3.248) leaves the
     * outputs of a failed resource pending forever, so a program whose outputs wait on one never returns: the run
     * then ends here, as the engine ends an update after a failed step once the steps under way are done
     * (pulumi/pulumi pkg/resource/deploy/deployment_executor.go: a failed step cancels the rest).
     */
    // Declared first: class fields initialise in order, and `stopped` replaces this no-op with its resolver.
    private signalStopped: () => void = () => undefined;
    readonly stopped: Promise<void> = new Promise((resolve) => (this.signalStopped = resolve));
    private inFlight = 0;

    private checkStopped(): void {
        if (this.failure && this.inFlight === 0) this.signalStopped();
    }

    registerOutputs(urn: string, outputs: JsonObject): void {
        const res = this.state.resources[urn];
        if (res) {
            res.outputs = outputs;
            this.persist();
        }
        if (res?.type === STACK_TYPE) this.stackOutputs = outputs;
    }

    /** Records a failure that did not come through register (e.g. the program threw). */
    fail(urn: string, e: unknown): Error {
        const message = errorMessage(e);
        if (!this.failure) this.failure = urn ? `${urn}: ${message}` : message;
        this.checkStopped();
        return e instanceof Error ? e : new Error(message);
    }

    /**
     * Ctrl-C, as the CLI's first ^C does (pulumi/pulumi pkg/backend/cancellation_scope.go: cancelSource.Cancel()):
     * no new operation starts, those under way run to their end and are recorded, then the run stops with
     * "update canceled". End-of-run deletes do not run; the next `up` continues from the state.
     */
    cancel(): void {
        if (this.cancelled) return;
        this.cancelled = true;
        this.emit({ kind: "cancelling" });
        this.fail("", new Error(CANCELED));
        // pulumi-command (infer, middleware/cancel) cancels the context of every operation under way, and its
        // run() uses exec.CommandContext: a running command is killed and its create fails. The docker bridge's
        // Cancel is a no-op (pulumi-terraform-bridge provider.go): containers finish.
        cancelRunningCommands();
    }

    private cancelled = false;

    /** End of `up`/`preview`: deletes replaced instances and resources the program no longer declares. */
    async finish(): Promise<void> {
        if (this.failure) return;
        const unregistered = Object.values(this.state.resources).filter((r) => !this.registered.has(r.urn));
        await this.deleteInWaves([...this.state.pendingDeletes, ...unregistered]);
        // Dependents deleted ahead of a DBR that the program did not declare again: that was their delete.
        for (const [urn, early] of this.deletedEarly) {
            if (this.registered.has(urn)) continue;
            const step = this.openStep(early.res, "delete", early.event);
            step.reason = "dependent of a delete-before-replace, no longer declared";
            this.closeStep(step, early.event);
        }
    }

    /** `pulumi destroy`: everything, in reverse dependency order. */
    async destroy(): Promise<void> {
        this.destroying = true;
        await this.deleteInWaves([...this.state.pendingDeletes, ...Object.values(this.state.resources)]);
    }

    /**
     * `pulumi refresh`: every resource of the state read back through its provider's Read. Gone (the provider's
     * d.SetId("")) -> dropped from the state (pulumi/pulumi pkg/resource/deploy/step.go RefreshStep: "If the ID
     * is blank treat this as a delete"); otherwise the outputs become what was read (inputs stay). Steps: "same",
     * "update" (outputs changed, `changed` = their keys) or "delete". Nothing is created, updated or deleted in
     * Docker.
     */
    async refresh(): Promise<void> {
        for (const res of Object.values(this.state.resources)) {
            if (this.cancelled) throw new Error(CANCELED);
            const step = this.openStep(res, "same");
            step.oldId = res.id || undefined;
            if (!res.custom || !res.id) {
                this.closeStep(step);
                continue;
            }
            try {
                const read = await handlerFor(res.type).read({
                    urn: res.urn,
                    name: res.name,
                    id: res.id,
                    inputs: res.inputs,
                    outputs: res.outputs,
                });
                if (read === undefined) {
                    step.op = "delete";
                    step.reason = "refresh: the object no longer exists";
                    delete this.state.resources[res.urn];
                } else {
                    const changed = changedKeys(res.outputs, read);
                    if (changed.length > 0) {
                        step.op = "update";
                        step.changed = changed;
                        step.reason = "refresh: read back differently";
                        res.outputs = read;
                    }
                    step.newId = res.id;
                }
                this.persist();
                this.closeStep(step);
            } catch (e) {
                step.error = errorMessage(e);
                this.closeStep(step);
                throw this.fail(res.urn, e);
            }
        }
    }

    result(): { steps: StepRecord[]; timeline: TimelineEvent[] } {
        return {
            steps: [...this.steps].sort((a, b) => a.startSeq - b.startSeq),
            timeline: [...this.timeline].sort((a, b) => a.seq - b.seq),
        };
    }

    // ---- registration -------------------------------------------------------------------------------------

    private registerComponent(reg: Registration): RegistrationResult {
        const old = this.state.resources[reg.urn];
        const op: StepOp = old ? diffComponent(old.inputs, reg.inputs) : "create";
        const step = this.openStep(reg, op);
        const res = this.toState(reg, reg.inputs, "", old?.outputs ?? {});
        this.state.resources[reg.urn] = res;
        this.persist();
        this.closeStep(step);
        return { id: "", outputs: reg.inputs };
    }

    private async registerCustom(reg: Registration): Promise<RegistrationResult> {
        rulesFor(reg.type);
        assertSupportedInputs(reg.type, reg.inputs);

        const early = this.deletedEarly.get(reg.urn);
        if (early) {
            // Deleted ahead of a delete-before-replace: it comes back as the create half of a replacement.
            const step = this.openStep(reg, "replace", early.event);
            step.replaceKeys = early.keys;
            step.oldId = early.res.id;
            step.reason = "dependent of a delete-before-replace";
            const created = await this.create(reg, reg.inputs, "replace", step);
            step.newId = created.id;
            this.closeStep(step);
            return this.response(reg, created);
        }

        const old = this.state.resources[reg.urn];
        if (!old) {
            const step = this.openStep(reg, "create");
            const created = await this.create(reg, reg.inputs, "create", step);
            step.newId = created.id;
            this.closeStep(step);
            return this.response(reg, created);
        }

        // The bridge diffs the new inputs against the old OUTPUTS (what the provider read back).
        const diff = diffResource(reg.type, old.outputs, reg.inputs, {
            oldInputs: old.inputs,
            replaceOnChanges: reg.replaceOnChanges,
            ignoreChanges: reg.ignoreChanges,
            hasInitErrors: (old.initErrors ?? []).length > 0,
        });

        if (diff.kind === "same") {
            const step = this.openStep(reg, "same");
            const res = this.toState(reg, diff.inputs, old.id, old.outputs);
            this.state.resources[reg.urn] = res;
            this.persist();
            this.closeStep(step);
            return this.response(reg, res);
        }

        if (diff.kind === "update") {
            const step = this.openStep(reg, "update");
            step.changed = diff.changed;
            step.oldId = old.id;
            const res = await this.update(reg, old, diff.inputs, diff.changed);
            step.newId = res.id;
            this.closeStep(step);
            return this.response(reg, res);
        }

        if (old.protect && reg.protect) {
            throw new Error(
                `unable to replace resource "${reg.urn}" as it is currently marked for protection. ` +
                    "To unprotect the resource, remove the `protect` flag from the resource in your Pulumi program and run `pulumi up`",
            );
        }
        // A replacement is built from the program's inputs as they are, ignoreChanges not applied: the step
        // generator Checks goal.Properties again for it ("we need to recompute the default values", pulumi/pulumi
        // v3.248.0 pkg/resource/deploy/step_generator.go ~1882-1901). Hence reg.inputs below, not diff.inputs;
        // the choice of delete-before-replace stays with the diff, which saw the ignoreChanges-applied inputs.
        const step = this.openStep(reg, "replace");
        step.changed = diff.changed;
        step.replaceKeys = diff.replaceKeys;
        // step_generator.go: `deleteBeforeReplace := diff.DeleteBeforeReplace; if goal.DeleteBeforeReplace != nil
        // { deleteBeforeReplace = *goal.DeleteBeforeReplace }` - the provider's choice unless the program said.
        const deleteBeforeReplace = reg.deleteBeforeReplaceDefined
            ? reg.deleteBeforeReplace
            : providerWantsDeleteBeforeReplace(reg.type, diff.inputs);
        step.deleteBeforeReplace = deleteBeforeReplace;
        step.oldId = old.id;

        if (deleteBeforeReplace) {
            for (const dependent of [...this.dependentsToReplace(old)].reverse()) {
                const current = this.state.resources[dependent.res.urn];
                if (!current) continue;
                const event = await this.deleteResource(current, "dependent-of-delete-before-replace");
                this.deletedEarly.set(current.urn, { keys: dependent.keys, event, res: current });
                this.processed.add(current.urn);
                if (this.cancelled) {
                    step.error = CANCELED;
                    this.closeStep(step);
                    throw new Error(CANCELED);
                }
            }
            await this.deleteResource(old, "replace");
            // The step executor checks for cancellation before each step of a chain (pulumi/pulumi
            // pkg/resource/deploy/step_executor.go executeChain: `case <-se.ctx.Done()`): a ^C between the delete
            // and the create of a delete-before-replace leaves the resource deleted; the next up creates it.
            if (this.cancelled) {
                step.error = CANCELED;
                this.closeStep(step);
                throw new Error(CANCELED);
            }
            const created = await this.create(reg, reg.inputs, "replace", step);
            step.newId = created.id;
            this.closeStep(step);
            return this.response(reg, created);
        }

        // Create-before-delete: the new one now, the old one at the end of the run.
        const created = await this.create(reg, reg.inputs, "replace", step, old);
        step.newId = created.id;
        this.pendingStep.set(old, step);
        this.emit({ kind: "replacement-created", urn: reg.urn, type: reg.type, name: reg.name });
        return this.response(reg, created);
    }

    /** Creates the resource (or plans it in a preview) and records it in the state. */
    private async create(
        reg: Registration,
        inputs: JsonObject,
        reason: TimelineEvent["reason"],
        step: StepRecord,
        replacing?: ResourceState,
    ): Promise<ResourceState> {
        if (this.dryRun) {
            const planned = this.toState(reg, inputs, "", plannedOutputs(reg.type, inputs));
            this.state.resources[reg.urn] = planned;
            if (replacing) this.state.pendingDeletes.push(replacing);
            return planned;
        }
        const event = this.beginEvent(reg, "create", reason);
        try {
            const result = await handlerFor(reg.type).create({
                urn: reg.urn,
                name: reg.name,
                inputs,
                status: this.statusOf(reg),
            });
            this.endEvent(event, result.id);
            const res = this.toState(reg, inputs, result.id, result.outputs);
            this.state.resources[reg.urn] = res;
            if (replacing) this.state.pendingDeletes.push(replacing);
            this.persist();
            return res;
        } catch (e) {
            if (e instanceof PartialCreateError) {
                // The object exists: keep it on record (Pulumi's init errors) so it is retried or cleaned up.
                const res = this.toState(reg, inputs, e.id, e.outputs);
                res.initErrors = [e.message];
                this.state.resources[reg.urn] = res;
                if (replacing) this.state.pendingDeletes.push(replacing);
                this.persist();
                this.endEvent(event, e.id, e.message);
            } else {
                this.endEvent(event, undefined, errorMessage(e));
            }
            step.error = errorMessage(e);
            this.closeStep(step);
            throw e;
        }
    }

    private async update(
        reg: Registration,
        old: ResourceState,
        inputs: JsonObject,
        changed: string[],
    ): Promise<ResourceState> {
        if (this.dryRun) {
            const outputs: JsonObject = plannedState(reg.type, old.outputs, inputs);
            for (const key of rulesFor(reg.type).computedOnUpdate) outputs[key] = UNKNOWN;
            const planned = this.toState(reg, inputs, old.id, outputs);
            this.state.resources[reg.urn] = planned;
            return planned;
        }
        const event = this.beginEvent(reg, "update", "update", old.id);
        try {
            const outputs = await handlerFor(reg.type).update({
                urn: reg.urn,
                name: reg.name,
                id: old.id,
                oldInputs: old.inputs,
                oldOutputs: old.outputs,
                newInputs: inputs,
                changed,
                status: this.statusOf(reg),
            });
            this.endEvent(event, old.id);
            const res = this.toState(reg, inputs, old.id, outputs);
            this.state.resources[reg.urn] = res;
            this.persist();
            return res;
        } catch (e) {
            this.endEvent(event, old.id, errorMessage(e));
            throw e;
        }
    }

    /** Deletes one resource (provider call for custom resources) and drops it from the state. */
    private async deleteResource(
        res: ResourceState,
        reason: TimelineEvent["reason"],
    ): Promise<TimelineEvent | undefined> {
        if (res.protect) {
            throw new Error(
                `unable to delete resource "${res.urn}" as it is currently marked for protection. ` +
                    "To unprotect the resource, remove the `protect` flag from the resource in your Pulumi program and run `pulumi up`",
            );
        }
        let event: TimelineEvent | undefined;
        if (res.custom && !this.dryRun) {
            event = this.beginEvent(res, "delete", reason, res.id);
            try {
                if (!res.retainOnDelete) {
                    await handlerFor(res.type).delete({
                        urn: res.urn,
                        name: res.name,
                        id: res.id,
                        inputs: res.inputs,
                        outputs: res.outputs,
                        status: this.statusOf(res),
                    });
                }
                this.endEvent(event, res.id);
            } catch (e) {
                this.endEvent(event, res.id, errorMessage(e));
                throw e;
            }
        }
        if (this.state.resources[res.urn] === res) delete this.state.resources[res.urn];
        const pending = this.state.pendingDeletes.indexOf(res);
        if (pending >= 0) this.state.pendingDeletes.splice(pending, 1);
        this.persist();
        return event;
    }

    private async deleteInWaves(resources: ResourceState[]): Promise<void> {
        for (const wave of deletionWaves(resources)) {
            if (this.cancelled) throw new Error(CANCELED);
            const results = await Promise.allSettled(wave.map((res) => this.endOfRunDelete(res)));
            const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
            if (failed) {
                const index = results.indexOf(failed);
                throw this.fail(wave[index].urn, failed.reason);
            }
        }
    }

    private async endOfRunDelete(res: ResourceState): Promise<void> {
        const replaceStep = this.pendingStep.get(res);
        const isPending = this.state.pendingDeletes.includes(res);
        const step = replaceStep ?? this.openStep(res, "delete");
        if (!replaceStep) {
            step.oldId = res.id;
            step.reason = isPending
                ? "pending delete of a replaced resource from an earlier run"
                : this.destroying
                  ? "destroy"
                  : "no longer declared by the program";
        }
        try {
            await this.deleteResource(res, replaceStep ? "replace" : isPending ? "pending-delete" : "delete");
        } catch (e) {
            step.error = errorMessage(e);
            this.closeStep(step);
            throw e;
        }
        this.closeStep(step);
    }

    /**
     * The step generator's calculateDependentReplacements: transitive dependents (old snapshot) of the resource
     * being deleted-before-replaced that would be replaced because an input property depends on a resource in
     * the replace set (dependsOn-only dependents stay). Returned in dependency order.
     */
    private dependentsToReplace(root: ResourceState): Array<{ res: ResourceState; keys: string[] }> {
        const candidates = [...this.old.values()].filter((r) => !this.processed.has(r.urn) && r.urn !== root.urn);
        const dependsOn = (r: ResourceState, set: Set<string>): boolean =>
            r.dependencies.some((d) => set.has(d)) ||
            Object.values(r.propertyDependencies).some((urns) => urns.some((u) => set.has(u)));

        // Transitive dependents, then dependency order.
        const closure = new Set<string>([root.urn]);
        for (let grew = true; grew;) {
            grew = false;
            for (const r of candidates) {
                if (!closure.has(r.urn) && dependsOn(r, closure)) {
                    closure.add(r.urn);
                    grew = true;
                }
            }
        }
        const ordered: ResourceState[] = [];
        const visiting = new Set<string>();
        const visit = (r: ResourceState): void => {
            if (ordered.includes(r) || visiting.has(r.urn)) return;
            visiting.add(r.urn);
            for (const dep of candidates) {
                if (closure.has(dep.urn) && dependsOn(r, new Set([dep.urn]))) visit(dep);
            }
            ordered.push(r);
        };
        candidates.filter((r) => closure.has(r.urn)).forEach(visit);

        const replaceSet = new Set<string>([root.urn]);
        const result: Array<{ res: ResourceState; keys: string[] }> = [];
        for (const r of ordered) {
            if (!r.custom) continue;
            const inputsForDiff: JsonObject = { ...r.inputs };
            let affected = false;
            for (const [prop, urns] of Object.entries(r.propertyDependencies)) {
                if (prop in r.inputs && urns.some((u) => replaceSet.has(u))) {
                    inputsForDiff[prop] = UNKNOWN;
                    affected = true;
                }
            }
            if (!affected) continue;
            const diff = diffResource(r.type, r.outputs, inputsForDiff, {
                oldInputs: r.inputs,
                replaceOnChanges: r.replaceOnChanges,
                ignoreChanges: r.ignoreChanges,
            });
            if (diff.kind === "replace") {
                replaceSet.add(r.urn);
                result.push({ res: r, keys: diff.replaceKeys });
            }
        }
        return result;
    }

    // ---- bookkeeping --------------------------------------------------------------------------------------

    private toState(reg: Registration, inputs: JsonObject, id: string, outputs: JsonObject): ResourceState {
        return {
            urn: reg.urn,
            type: reg.type,
            name: reg.name,
            custom: reg.custom,
            id,
            parent: reg.parent,
            inputs,
            outputs,
            dependencies: reg.dependencies,
            propertyDependencies: reg.propertyDependencies,
            deleteBeforeReplace: reg.deleteBeforeReplace,
            replaceOnChanges: reg.replaceOnChanges,
            ignoreChanges: reg.ignoreChanges,
            protect: reg.protect,
            retainOnDelete: reg.retainOnDelete,
        };
    }

    private response(reg: Registration, res: ResourceState): RegistrationResult {
        const outputs: JsonObject = { ...res.outputs };
        for (const key of new Set([...reg.secretKeys, ...reg.additionalSecretOutputs])) {
            if (outputs[key] !== undefined && outputs[key] !== UNKNOWN) outputs[key] = wrapSecret(outputs[key]);
        }
        return { id: res.id, outputs };
    }

    private persist(): void {
        if (!this.dryRun && this.opts.statePath) saveState(this.opts.statePath, this.state);
    }

    private now(): { at: string; seq: number } {
        return { at: new Date().toISOString(), seq: ++this.seq };
    }

    private openStep(
        res: { urn: string; type: string; name: string },
        op: StepOp,
        startedBy?: TimelineEvent,
    ): StepRecord {
        const t = this.now();
        const step: StepRecord = {
            urn: res.urn,
            type: res.type,
            name: res.name,
            op,
            startedAt: startedBy?.startedAt ?? t.at,
            startSeq: startedBy?.seq ?? t.seq,
        };
        this.steps.push(step);
        this.emit({ kind: "step-start", urn: step.urn, type: step.type, name: step.name, op });
        return step;
    }

    private closeStep(step: StepRecord, endedBy?: TimelineEvent): void {
        const t = this.now();
        step.finishedAt = endedBy?.finishedAt ?? t.at;
        step.endSeq = endedBy?.endSeq ?? t.seq;
        this.emit({
            kind: "step-end",
            urn: step.urn,
            type: step.type,
            name: step.name,
            op: step.op,
            ...(step.changed ? { changed: step.changed } : {}),
            ...(step.replaceKeys ? { replaceKeys: step.replaceKeys } : {}),
            ...(step.error ? { error: step.error } : {}),
        });
    }

    private emit(event: EngineEvent): void {
        this.opts.onEvent?.(event);
    }

    private statusOf(res: { urn: string; type: string; name: string }): (message: string) => void {
        return (message) => this.emit({ kind: "status", urn: res.urn, type: res.type, name: res.name, message });
    }

    private beginEvent(
        res: { urn: string; type: string },
        action: TimelineEvent["action"],
        reason: TimelineEvent["reason"],
        id?: string,
    ): TimelineEvent {
        const t = this.now();
        const event: TimelineEvent = { seq: t.seq, urn: res.urn, type: res.type, action, reason, startedAt: t.at };
        if (id) event.id = id;
        this.timeline.push(event);
        return event;
    }

    private endEvent(event: TimelineEvent, id?: string, error?: string): void {
        const t = this.now();
        event.finishedAt = t.at;
        event.endSeq = t.seq;
        if (id) event.id = id;
        if (error) event.error = error;
    }
}
