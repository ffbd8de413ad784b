/**
 * What the docker test engine asks of a resource type: create, update in place, delete. One implementation
 * per supported type (see resourceTypes.ts for the property rules that decide which of these runs).
 */
import { JsonObject } from "../types";

/**
 * A progress line of the operation under way (the provider's InfoStatus: shown beside the resource in the CLI's
 * live view, not kept in the state).
 */
export type StatusSink = (message: string) => void;

export interface CreateRequest {
    urn: string;
    name: string;
    inputs: JsonObject;
    status?: StatusSink;
}

export interface CreateResult {
    id: string;
    outputs: JsonObject;
}

export interface UpdateRequest {
    urn: string;
    name: string;
    id: string;
    oldInputs: JsonObject;
    oldOutputs: JsonObject;
    newInputs: JsonObject;
    /** Top-level properties whose value changed. */
    changed: readonly string[];
    status?: StatusSink;
}

export interface DeleteRequest {
    urn: string;
    name: string;
    id: string;
    inputs: JsonObject;
    outputs: JsonObject;
    status?: StatusSink;
}

export interface ReadRequest {
    urn: string;
    name: string;
    id: string;
    inputs: JsonObject;
    /** The state's outputs: the provider reads back into them (attributes it does not read stay). */
    outputs: JsonObject;
}

export interface ResourceHandler {
    create(req: CreateRequest): Promise<CreateResult>;
    update(req: UpdateRequest): Promise<JsonObject>;
    delete(req: DeleteRequest): Promise<void>;
    /**
     * The provider's Read, as a `refresh` runs it: the outputs read back, or undefined when the object is gone
     * (the provider's d.SetId(""), which the engine turns into a delete from the state).
     */
    read(req: ReadRequest): Promise<JsonObject | undefined>;
}

/**
 * A create that failed after the object came to exist (e.g. a container that never became healthy). The
 * engine records it with init errors, as Pulumi does for a provider's partial create, so it is not leaked.
 */
export class PartialCreateError extends Error {
    constructor(
        message: string,
        public readonly id: string,
        public readonly outputs: JsonObject,
    ) {
        super(message);
    }
}
