import * as pulumi from "@pulumi/pulumi";
import * as docker from "@pulumi/docker";
import * as random from "@pulumi/random";
import { controllerEnvironment } from "../../controller/src/settings";
import { LocalConfig, cooldownSecondsOf } from "../config/validate";
import type { StackNames } from "../shared/naming";
import {
    AddressPlan,
    BALANCER_HOST,
    CONTROLLER_CONTAINER_PORT,
    CONTROLLER_HOST,
    SOCKET_PROXY_HOST,
    controllerContainerName,
    dockerApiNetworkName,
    ROLES,
    dockerLabels,
    socketProxyContainerName,
} from "./names";
import { BACKEND, HAPROXY_PORTS } from "../render/haproxyConfig";
import {
    DOCKER_SOCKET,
    SOCKET_PROXY_CONFIG_PATH,
    SOCKET_PROXY_PORT,
    renderSocketProxyConfig,
} from "../render/socketProxyConfig";
import { Controller, ControllerArgs } from "../shared/controller";
import type { LoadBalancer } from "../shared/loadBalancer";
import { declareServiceImage } from "./serviceImage";

/** Arguments of {@link LocalController}. */
export interface LocalControllerArgs extends ControllerArgs {
    /** Port of the controller's API on 127.0.0.1. */
    controllerPort: LocalConfig["controllerPort"];
    /** The balancer's HAProxy image, which the socket proxy runs too. */
    lbImage: LocalConfig["lbImage"];
    /** Base image the controller's own image is built on. */
    nodeBaseImage: LocalConfig["nodeBaseImage"];
    names: StackNames;
    /** The stack network: the controller reads the balancer's stats there. */
    networkName: pulumi.Input<string>;
    /** Its fixed address on that network (AddressPlan.controller). */
    addresses: AddressPlan;
    /** The balancer: the controller service starts after it, whose stats it reads. */
    balancer: Pick<LoadBalancer, "ready">;
    /**
     * The node containers. The controller depends on them, so `destroy` removes it first and it never restarts a
     * node being destroyed; it does not read anything of theirs (a deploy replacing them leaves it alone).
     */
    nodes: pulumi.Resource[];
}

/** A node that keeps failing is restarted at most this often (16 checks, at most 10 minutes). */
export function backoffCapSeconds(checkPeriod: number): number {
    return Math.min(600, 16 * checkPeriod);
}
/**
 * Longest Docker call through the proxy: a stop or restart waits for the node's own stop timeout (its drain
 * bound, drainSeconds + the app's in-flight bound), so this is generous rather than tight.
 */
const PROXY_CALL_TIMEOUT_SECONDS = 600;

/**
 * The local stack's controller (seeds 004 and 000): a service in a container of the stack (controller/) that
 * scales the nodes between nodeCount and nodeLimit on CPU, stopping rather than removing, and restarts nodes
 * that die or fail their health check. It never gets the Docker socket: a socket proxy (HAProxy on a private,
 * internal network, the socket mounted read-only) lets only container list/inspect/stats/start/stop/restart
 * through. Its API is on 127.0.0.1:controllerPort; mutating calls need the generated `token`.
 */
export class LocalController extends Controller {
    public readonly status: pulumi.Output<string>;
    /** http://127.0.0.1:<controllerPort> */
    public readonly url: pulumi.Output<string>;
    /** The bearer token of the API's mutating calls (secret). */
    public readonly token: pulumi.Output<string>;

    constructor(name: string, args: LocalControllerArgs, opts?: pulumi.ComponentResourceOptions) {
        super(name, opts);
        const parent = { parent: this };
        const logging = { logDriver: "json-file", logOpts: { "max-size": "10m", "max-file": "3" } };

        // Private and internal: nothing but the controller can reach the proxy, and the proxy reaches nothing.
        const apiNetwork = new docker.Network(
            `${name}-docker-api`,
            {
                name: dockerApiNetworkName(args.names.prefix),
                driver: "bridge",
                internal: true,
                labels: dockerLabels(args.names, ROLES.network),
            },
            // Fixed name, like the stack network: a replacement must delete the old one first.
            { ...parent, deleteBeforeReplace: true },
        );
        const proxyImage = new docker.RemoteImage(
            `${name}-proxy-image`,
            { name: args.lbImage, keepLocally: true },
            parent,
        );
        const proxy = new docker.Container(
            `${name}-docker-proxy`,
            {
                name: socketProxyContainerName(args.names.prefix),
                hostname: SOCKET_PROXY_HOST,
                image: proxyImage.imageId,
                command: ["haproxy", "-W", "-db", "-f", SOCKET_PROXY_CONFIG_PATH],
                // The socket is root:docker 0660 on the host; the proxy's only job is to talk to it.
                user: "root",
                uploads: [
                    {
                        file: SOCKET_PROXY_CONFIG_PATH,
                        content: renderSocketProxyConfig({
                            listenPort: SOCKET_PROXY_PORT,
                            socketPath: DOCKER_SOCKET,
                            serverTimeoutSeconds: PROXY_CALL_TIMEOUT_SECONDS,
                        }),
                    },
                ],
                volumes: [{ hostPath: DOCKER_SOCKET, containerPath: DOCKER_SOCKET, readOnly: true }],
                networksAdvanced: [{ name: apiNetwork.name, aliases: [SOCKET_PROXY_HOST] }],
                restart: "unless-stopped",
                labels: dockerLabels(args.names, ROLES.dockerProxy),
                ...logging,
                stopTimeout: 5,
                destroyGraceSeconds: 5,
            },
            { ...parent, deleteBeforeReplace: true },
        );

        const image = declareServiceImage(this, `${name}-image`, "controller", args.nodeBaseImage);

        const password = new random.RandomPassword(`${name}-token`, { length: 40, special: false }, parent);
        this.token = pulumi.secret(password.result);

        const cooldownSeconds = cooldownSecondsOf(args);
        const environment = password.result.apply((token) =>
            controllerEnvironment({
                stack: args.names.prefix,
                dockerUrl: `http://${SOCKET_PROXY_HOST}:${SOCKET_PROXY_PORT}`,
                statsCsvUrl: `http://${BALANCER_HOST}:${HAPROXY_PORTS.stats}/stats;csv`,
                backend: BACKEND,
                listenPort: CONTROLLER_CONTAINER_PORT,
                token,
                decisions: {
                    floor: args.nodeCount,
                    ceiling: args.nodeLimit,
                    checkPeriodSeconds: args.checkPeriod,
                    evaluationPeriods: args.evaluationPeriods,
                    cpuHighPercent: args.cpuHighPercent,
                    cpuLowPercent: args.cpuLowPercent,
                    cooldownSeconds,
                    backoff: { baseSeconds: args.checkPeriod, capSeconds: backoffCapSeconds(args.checkPeriod) },
                },
            }),
        );
        new docker.Container(
            `${name}-service`,
            {
                name: controllerContainerName(args.names.prefix),
                hostname: CONTROLLER_HOST,
                image,
                envs: environment,
                networksAdvanced: [
                    { name: args.networkName, ipv4Address: args.addresses.controller, aliases: [CONTROLLER_HOST] },
                    { name: apiNetwork.name, aliases: [CONTROLLER_HOST] },
                ],
                ports: [{ internal: CONTROLLER_CONTAINER_PORT, external: args.controllerPort, ip: "127.0.0.1" }],
                // Killed or crashed, it comes back by itself and rebuilds what it needs from Docker.
                restart: "unless-stopped",
                labels: dockerLabels(args.names, ROLES.controller),
                ...logging,
                stopTimeout: 5,
                destroyGraceSeconds: 5,
            },
            { ...parent, deleteBeforeReplace: true, dependsOn: [proxy, args.balancer.ready, ...args.nodes] },
        );

        const window = `${args.evaluationPeriods} x ${args.checkPeriod} s`;
        const url = `http://127.0.0.1:${args.controllerPort}`;
        this.url = pulumi.output(url);
        this.status = pulumi.output(
            `+1 node (a standby started) when a node's CPU (maximum over the nodes, % of its own limit) is above ${args.cpuHighPercent}% for ${window}, ` +
                `-1 (stopped, kept) when below ${args.cpuLowPercent}%, ${cooldownSeconds} s apart; ${args.nodeCount} to ${args.nodeLimit} nodes; ` +
                `dead or unhealthy nodes restarted (capped backoff); API ${url}`,
        );
        this.registerOutputs({ status: this.status, url: this.url, token: this.token });
    }
}
