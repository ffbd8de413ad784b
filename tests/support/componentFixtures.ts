import * as pulumi from "@pulumi/pulumi";
import * as docker from "@pulumi/docker";
import { validateConfig } from "../../components/config/validate";
import { stackNames } from "../../components/shared/naming";
import { addressPlan } from "../../components/local/names";

/**
 * What a component test starts from: each platform's config with every default, the arguments a stack takes
 * from. A test names the few it changes, so a case says what it is about.
 */
export const LOCAL_DEFAULTS = validateConfig({});
export const AWS_DEFAULTS = validateConfig({ platform: "aws" });

export const LOCAL_NAMES = stackNames("cloudlab", "local");
export const DEV_NAMES = stackNames("cloudlab", "dev");
export const LOCAL_ADDRESSES = addressPlan(LOCAL_DEFAULTS.subnet);

/** The stack network's name, as LabNetwork would output it. */
export const NETWORK_NAME = pulumi.output("cloudlab-local");

/**
 * A container standing in for another component's (a balancer's `ready`): declared under the mocks, so a test
 * sees the edges to it by its logical name.
 */
export function standInContainer(name: string): docker.Container {
    return new docker.Container(name, { image: "stand-in" });
}

/** Resources of the component under test: those whose parent chain leads to `parent` (stand-ins are not). */
export function childrenOf<R extends { options: { parent?: string } }>(resources: R[], parent: string): R[] {
    return resources.filter((r) => r.options.parent === parent);
}
