import * as pulumi from "@pulumi/pulumi";
import * as docker from "@pulumi/docker";
import * as command from "@pulumi/command";
import { AddressPlan, StackNames, dockerLabels, nodeName } from "../naming";
import { NodeInfo } from "../nodeInfo";
import { scriptCommand } from "./commands";
import { NODE_HEALTHCHECK as HEALTHCHECK } from "./nodeHealthcheck";

/** The local platform's part of {@link AppNodeArgs}. */
export interface LocalNodesPlatform {
    kind: "local";
    names: StackNames;
    /** The stack network the nodes join. */
    networkName: pulumi.Input<string>;
    addresses: AddressPlan;
    /** node-N is published on 127.0.0.1:(portBase + N - 1). */
    portBase: number;
    cpus: number;
    memoryMb: number;
    /** Image id per tag. */
    imageIds: Record<string, pulumi.Input<string>>;
    /**
     * The balancer the nodes serve behind. A node counts as replaced only once the balancer reports it UP, so a
     * rolling deploy never takes the next node down before the previous one takes traffic.
     */
    balancer: { statsUrl: pulumi.Input<string>; resource: pulumi.Resource };
}

/** Everything {@link declareLocalNodes} needs besides the platform. */
export interface LocalNodesSpec {
    nodeCount: number;
    nodeLimit: number;
    appPort: number;
    drainSeconds: number;
    rollingBatchSize: number;
    /** Tag of each node, by name. */
    tagOf: (node: string) => string;
}

/** How long `up` waits for a started node to be healthy, and then UP in the balancer, before it fails. */
export const IN_SERVICE_TIMEOUT_SECONDS = 90;

/**
 * One container per node, `nodeLimit` of them: the first `nodeCount` running, the rest created stopped (warm
 * standby the controller starts and stops; mustRun=false so Pulumi does not fight it).
 *
 * Replacement order (a deploy, a rollback): node N depends on the in-service gate of node N - batch, and every
 * node is delete-before-replace (fixed name, address and host port). The engine therefore drains and deletes
 * node 1, creates it, waits until it is healthy and UP in the balancer, and only then starts on node 1 + batch.
 */
export function declareLocalNodes(
    parent: pulumi.Resource,
    baseName: string,
    spec: LocalNodesSpec,
    platform: LocalNodesPlatform,
): NodeInfo[] {
    const steps: pulumi.Resource[] = [];
    const nodes: NodeInfo[] = [];
    for (let i = 1; i <= spec.nodeLimit; i++) {
        const node = nodeName(i);
        const tag = spec.tagOf(node);
        const running = i <= spec.nodeCount;
        const hostPort = platform.portBase + i - 1;
        const previous = i > spec.rollingBatchSize ? [steps[i - 1 - spec.rollingBatchSize]] : [];
        const container = new docker.Container(
            `${baseName}-${node}`,
            {
                name: `${platform.names.prefix}-${node}`,
                hostname: node,
                image: platform.imageIds[tag],
                envs: [
                    `NODE_ID=${node}`,
                    `IMAGE_TAG=${tag}`,
                    `PORT=${spec.appPort}`,
                    `DRAIN_SECONDS=${spec.drainSeconds}`,
                ],
                networksAdvanced: [
                    { name: platform.networkName, ipv4Address: platform.addresses.node(i), aliases: [node] },
                ],
                ports: [{ internal: spec.appPort, external: hostPort, ip: "127.0.0.1" }],
                healthcheck: HEALTHCHECK,
                // A crashed app comes back by itself; a node stopped on purpose (controller, docker stop) stays down.
                restart: "unless-stopped",
                cpus: String(platform.cpus),
                memory: platform.memoryMb,
                init: true,
                labels: dockerLabels(platform.names, "app", { "cloudlab.node": node, "cloudlab.tag": tag }),
                logOpts: { "max-size": "10m", "max-file": "3" },
                start: running,
                mustRun: false,
                wait: running,
                waitTimeout: IN_SERVICE_TIMEOUT_SECONDS,
                // Drain (health check fails, balancer moves traffic) + in-flight requests, then SIGKILL.
                stopTimeout: spec.drainSeconds + 15,
                destroyGraceSeconds: spec.drainSeconds + 15,
            },
            {
                parent,
                dependsOn: [platform.balancer.resource, ...previous],
                deleteBeforeReplace: true,
                // Docker ignores a healthcheck changed in place, and `start` only acts at creation.
                replaceOnChanges: ["healthcheck", "start"],
            },
        );
        let step: pulumi.Resource = container;
        if (running) {
            step = new command.local.Command(
                `${baseName}-${node}-in-service`,
                {
                    create: scriptCommand("wait-in-service.ts"),
                    environment: {
                        CLOUDLAB_STATS_URL: platform.balancer.statsUrl,
                        CLOUDLAB_NODE: node,
                        CLOUDLAB_TIMEOUT_SECONDS: String(IN_SERVICE_TIMEOUT_SECONDS),
                    },
                    triggers: [container.id],
                },
                { parent, dependsOn: [container] },
            );
        }
        steps.push(step);
        nodes.push({
            name: node,
            url: `http://127.0.0.1:${hostPort}`,
            address: platform.addresses.node(i),
            imageTag: tag,
            standby: !running,
        });
    }
    return nodes;
}
