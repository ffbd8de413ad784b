/**
 * The local stack's naming home: every Docker container, network, host name, address, label and host directory
 * of a local stack is computed here, from the stack prefix (../shared/naming.ts). Fixed names are what a user, the
 * scripts and the tests find the stack's objects by, and what makes two stacks on one Docker engine coexist.
 * (The AWS stack's names are in ../aws/names.ts.)
 */
import * as path from "path";
import { REPO } from "../../lib/repo";
import { Cidr, intToIpv4 } from "../config/parsers";
import { MONITORING_PORTS, ScrapeTarget } from "../render/monitoringTargets";
import type { StackNames } from "../shared/naming";
import type { Service } from "../../lib/serviceImage";

/** node-1 .. node-N: the node's hostname, DNS name on the stack network and key in nodeImageTags. */
export function nodeName(index: number): string {
    return `node-${index}`;
}

export function nodeNames(limit: number): string[] {
    return Array.from({ length: limit }, (_, i) => nodeName(i + 1));
}

/** The stack network (the lab's "VPC"): named after the stack itself. */
export function stackNetworkName(prefix: string): string {
    return prefix;
}

/** node-N's container. */
export function nodeContainerName(prefix: string, node: string): string {
    return `${prefix}-${node}`;
}

/** The controller service's container. */
export function controllerContainerName(prefix: string): string {
    return `${prefix}-controller`;
}

/** The internal network between the controller and the Docker socket proxy, nothing else on it. */
export function dockerApiNetworkName(prefix: string): string {
    return `${prefix}-docker-api`;
}

/** The Docker socket proxy's container. */
export function socketProxyContainerName(prefix: string): string {
    return `${prefix}-docker-proxy`;
}

/** A monitoring service's container. */
export function monitoringContainerName(prefix: string, service: MonitoringService): string {
    return `${prefix}-${service}`;
}

/** The balancer's container: the report reads its access log from there. */
export function balancerContainerName(prefix: string): string {
    return `${prefix}-lb`;
}

/** The access-log service's container (logsink/): HAProxy sends it every request's line. */
export function accessLogContainerName(prefix: string): string {
    return `${prefix}-access-log`;
}

/** The services the local stack builds from its own sources (the app's images are releases, named by the user). */
export type LocalService = Exclude<Service, "app">;

/** Each service's image repository on the local Docker engine. */
export const SERVICE_IMAGE_REPOSITORIES: Readonly<Record<LocalService, string>> = {
    controller: "cloudlab-controller",
    logsink: "cloudlab-logsink",
};

/** The project's directory (where Pulumi.yaml is): the local stack's files on the host live under it. */
const PROJECT_DIR = REPO;

/**
 * Where a local stack's access log lives on the host (bind-mounted into the access-log service): kept across
 * `up`, replacements and `destroy`, bounded by accessLogFiles x accessLogMaxMb. `npm run report` reads it here.
 */
export function accessLogDir(prefix: string): string {
    return path.join(PROJECT_DIR, ".cloudlab", prefix, "access-log");
}

/** The reports directory: `npm run report` writes here by default, the stack's schedule too. */
export const REPORTS_DIR = path.join(PROJECT_DIR, "reports");

/** The monitoring containers, each with an address of its own below the balancer's. */
export type MonitoringService = "prometheus" | "alertmanager" | "grafana" | "cadvisor";

/** A monitoring container's host name and DNS alias on the stack network: what the others reach it by. */
export const MONITORING_HOSTS: Readonly<Record<MonitoringService, string>> = {
    prometheus: "prometheus",
    alertmanager: "alertmanager",
    grafana: "grafana",
    cadvisor: "cadvisor",
};

/** Where a monitoring container answers on the stack network: its host name and its port inside. */
export function monitoringTarget(service: MonitoringService): ScrapeTarget {
    return { host: MONITORING_HOSTS[service], port: MONITORING_PORTS[service] };
}
const MONITORING_OFFSETS: Record<MonitoringService, number> = {
    prometheus: 5,
    alertmanager: 6,
    grafana: 7,
    cadvisor: 8,
};

/**
 * Host names, which are also the DNS aliases on the stack network: the balancer's (the controller and Prometheus
 * read its stats there), the access-log service's, and the socket proxy's on the controller's private network.
 */
export const BALANCER_HOST = "lb";
export const ACCESS_LOG_HOST = "access-log";
export const SOCKET_PROXY_HOST = "docker-proxy";

/** The controller on the stack network: its DNS alias, and its API's port inside its container. */
export const CONTROLLER_HOST = "controller";
export const CONTROLLER_CONTAINER_PORT = 8090;

/**
 * Fixed addresses (seed 000 used fixed ones too): gateway .1, a tool's .3, controller .4, monitoring .5-.8,
 * access log .9, balancer .10, node-N .(10+N). Every container gets a fixed one: a dynamic address could take a
 * node's before the node is created (or while a deploy has it deleted).
 */
export interface AddressPlan {
    gateway: string;
    controller: string;
    balancer: string;
    /** The access-log service: HAProxy logs to an address (it resolves names only at start). */
    accessLog: string;
    node(index: number): string;
    monitoring(service: MonitoringService): string;
    /** Not the stack's: a tool's container beside it for a while (the bench's balancer without access log). */
    tool: string;
}

export function addressPlan(subnet: Cidr): AddressPlan {
    return {
        gateway: intToIpv4(subnet.base + 1),
        controller: intToIpv4(subnet.base + 4),
        balancer: intToIpv4(subnet.base + 10),
        accessLog: intToIpv4(subnet.base + 9),
        node: (index) => intToIpv4(subnet.base + 10 + index),
        monitoring: (service) => intToIpv4(subnet.base + MONITORING_OFFSETS[service]),
        tool: intToIpv4(subnet.base + 3),
    };
}

/** The Docker label keys of a local stack's objects: what the bench, the tests and a user filter on. */
export const LABELS = {
    /** The stack prefix ({@link StackNames.prefix}) of every object of the stack. */
    stack: "cloudlab.stack",
    /** What the object is: one of {@link ROLES}. */
    role: "cloudlab.role",
    /** An app node's name (node-N). */
    node: "cloudlab.node",
    /** The release an app node runs. */
    tag: "cloudlab.tag",
    /** A monitoring container's service (prometheus, alertmanager, grafana, cadvisor). */
    service: "cloudlab.service",
} as const;

/** The values of the role label ({@link LABELS}.role): what the scripts and the tests find a stack's objects by. */
export const ROLES = {
    app: "app",
    balancer: "balancer",
    controller: "controller",
    dockerProxy: "docker-proxy",
    monitoring: "monitoring",
    accessLog: "access-log",
    network: "network",
} as const;
export type Role = (typeof ROLES)[keyof typeof ROLES];

/** Labels on every local Docker object: what a user (or the system test's clean-up check) filters on. */
export function dockerLabels(names: StackNames, role: Role, extra: Record<string, string> = {}) {
    return Object.entries({ [LABELS.stack]: names.prefix, [LABELS.role]: role, ...extra }).map(([label, value]) => ({
        label,
        value,
    }));
}
