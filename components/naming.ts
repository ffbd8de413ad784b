import * as pulumi from "@pulumi/pulumi";
import { Cidr, intToIpv4 } from "./config/parsers";

/** Names shared by every component of one stack; Docker objects carry the stack so two stacks can coexist. */
export interface StackNames {
    project: string;
    stack: string;
    /** Prefix of every Docker object of the stack: `<project>-<stack>`. */
    prefix: string;
}

export function stackNames(
    project = pulumi.getProject(),
    stack = pulumi.getStack(),
): StackNames {
    return { project, stack, prefix: `${project}-${stack}`.toLowerCase().replace(/[^a-z0-9_.-]/g, "-") };
}

/** node-1 .. node-N: the node's hostname, DNS name on the stack network and key in nodeImageTags. */
export function nodeName(index: number): string {
    return `node-${index}`;
}

export function nodeNames(limit: number): string[] {
    return Array.from({ length: limit }, (_, i) => nodeName(i + 1));
}

/** Fixed addresses (seed 000 used fixed ones too): gateway .1, balancer .10, node-N .(10+N). */
export interface AddressPlan {
    gateway: string;
    balancer: string;
    node(index: number): string;
}

export function addressPlan(subnet: Cidr): AddressPlan {
    return {
        gateway: intToIpv4(subnet.base + 1),
        balancer: intToIpv4(subnet.base + 10),
        node: (index) => intToIpv4(subnet.base + 10 + index),
    };
}

/** Labels on every local Docker object: what a user (or the system test's clean-up check) filters on. */
export function dockerLabels(names: StackNames, role: string, extra: Record<string, string> = {}) {
    return Object.entries({ "cloudlab.stack": names.prefix, "cloudlab.role": role, ...extra }).map(([label, value]) => ({
        label,
        value,
    }));
}
