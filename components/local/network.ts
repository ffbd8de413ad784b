import * as pulumi from "@pulumi/pulumi";
import * as docker from "@pulumi/docker";
import type { LocalConfig } from "../config/validate";
import type { StackNames } from "../shared/naming";
import { addressPlan, ROLES, dockerLabels, stackNetworkName } from "./names";

/** Arguments of {@link LabNetwork}. */
export interface LabNetworkArgs {
    /** The network's subnet; the gateway takes its first address. */
    subnet: LocalConfig["subnet"];
    names: StackNames;
}

/**
 * The stack's own Docker network: the "VPC" of the local lab. Its embedded DNS (127.0.0.11) is how the
 * balancer finds running nodes by name.
 */
export class LabNetwork extends pulumi.ComponentResource {
    public readonly name: pulumi.Output<string>;

    constructor(name: string, args: LabNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cloudlab:local:LabNetwork", name, {}, opts);
        const network = new docker.Network(
            `${name}-bridge`,
            {
                name: stackNetworkName(args.names.prefix),
                driver: "bridge",
                ipamConfigs: [{ subnet: args.subnet.text, gateway: addressPlan(args.subnet).gateway }],
                labels: dockerLabels(args.names, ROLES.network),
            },
            // Fixed name: Docker refuses a second network of that name, so a replacement (a new subnet) deletes the
            // old one first, and with it the containers on it. pulumi-docker already makes a named network
            // delete-before-replace (its auto-naming, the bridge's nameRequiresDeleteBeforeReplace); said here too,
            // so the program does not depend on that.
            { parent: this, deleteBeforeReplace: true },
        );
        this.name = network.name;
        this.registerOutputs({ name: this.name });
    }
}
