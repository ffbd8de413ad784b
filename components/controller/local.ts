import * as pulumi from "@pulumi/pulumi";
import { Controller, ControllerArgs } from "./index";

/** Arguments of {@link LocalController}. */
export interface LocalControllerArgs extends ControllerArgs {
    /** The names of the nodes it may start and stop. */
    nodes: string[];
}

/**
 * The local stack's controller: NOT BUILT YET. Declared so the architecture reads whole; it creates nothing and
 * `status` says so. Until it exists nothing restarts a dead node, and nodes above nodeCount stay stopped.
 */
export class LocalController extends Controller {
    public readonly status: pulumi.Output<string>;

    constructor(name: string, args: LocalControllerArgs, opts?: pulumi.ComponentResourceOptions) {
        super(name, opts);
        this.status = pulumi.output(
            `not built on the local stack yet: nothing restarts or scales the ${args.nodes.length} nodes`,
        );
        this.registerOutputs({ status: this.status });
    }
}
