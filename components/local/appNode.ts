import * as pulumi from "@pulumi/pulumi";
import * as docker from "@pulumi/docker";
import * as command from "@pulumi/command";
import { stopBoundSeconds } from "../../app/src/drainBound";
import type { LocalConfig } from "../config/validate";
import type { LocalLoadBalancer } from "./loadBalancer";
import { AddressPlan, LABELS, ROLES, dockerLabels, nodeContainerName, nodeName } from "./names";
import type { StackNames } from "../shared/naming";
import { scriptCommand } from "../shared/scriptCommand";
import type { AppImage } from "../shared/appImage";
import { APP_NODE_TYPE, AppNodeArgs } from "../shared/appNode";
import { NODE_HEALTHCHECK } from "./healthcheck";

/** Arguments of {@link LocalAppNode}: the fleet's settings plus, per node, its size, port and release. */
export interface LocalAppNodeArgs extends AppNodeArgs {
    /** node-N -> the release it runs instead of `imageTag` (a canary). */
    nodeImageTags: LocalConfig["nodeImageTags"];
    /** node-N is published on 127.0.0.1:(nodePortBase + N - 1). */
    nodePortBase: LocalConfig["nodePortBase"];
    /** CPUs of each node's container (Docker's --cpus). */
    nodeCpus: LocalConfig["nodeCpus"];
    /** Memory limit of each node's container, in MiB. */
    nodeMemoryMb: LocalConfig["nodeMemoryMb"];
    names: StackNames;
    /** The stack network the nodes join. */
    networkName: pulumi.Input<string>;
    addresses: AddressPlan;
    /** The releases the nodes run (one per distinct tag). */
    images: Pick<AppImage, "imageIds">;
    /**
     * The balancer the nodes serve behind. A node counts as replaced only once the balancer reports it UP, so a
     * rolling deploy never takes the next node down before the previous one takes traffic.
     */
    balancer: Pick<LocalLoadBalancer, "ready" | "statsUrl">;
}

/** What a user reads about one local node (`pulumi stack output nodes`). */
export interface NodeInfo {
    name: string;
    /** Direct URL of the node, bypassing the balancer. */
    url: string;
    /** Address on the stack network. */
    address: string;
    imageTag: string;
    /** true for warm-standby nodes: declared but stopped until the controller starts them. */
    standby: boolean;
}

/** How long `up` waits for a started node to be healthy, and then UP in the balancer, before it fails. */
export const IN_SERVICE_TIMEOUT_SECONDS = 90;

/**
 * The local fleet: one container per node, `nodeLimit` of them, the first `nodeCount` running and the rest
 * created stopped (warm standby the controller starts and stops; mustRun=false so Pulumi does not fight it).
 *
 * Replacement order (a deploy, a rollback): node N depends on the in-service gate of node N - batch, and every
 * node is delete-before-replace (fixed name, address and host port). The engine therefore drains and deletes
 * node 1, creates it, waits until it is healthy and UP in the balancer, and only then starts on node 1 + batch.
 */
export class LocalAppNode extends pulumi.ComponentResource {
    /** Every declared node, running and standby. */
    public readonly nodes: pulumi.Output<NodeInfo[]>;
    /** The node containers (the controller depends on them: destroyed first, it never restarts a dying node). */
    public readonly containers: docker.Container[] = [];

    constructor(name: string, args: LocalAppNodeArgs, opts?: pulumi.ComponentResourceOptions) {
        super(APP_NODE_TYPE, name, {}, opts);
        // The gate of each node (its container when it is standby): what node N + batch waits for.
        const steps: pulumi.Resource[] = [];
        const nodes: NodeInfo[] = [];
        const stopSeconds = stopBoundSeconds(args.drainSeconds);
        for (let i = 1; i <= args.nodeLimit; i++) {
            const node = nodeName(i);
            const tag = args.nodeImageTags[node] ?? args.imageTag;
            const running = i <= args.nodeCount;
            const hostPort = args.nodePortBase + i - 1;
            const previous = i > args.rollingBatchSize ? [steps[i - 1 - args.rollingBatchSize]] : [];
            // The SDK drops an undefined dependsOn entry without a word: a wrong index must fail here instead.
            if (previous.some((step) => step === undefined))
                throw new Error(`cloudlab: ${node} has no gate to wait for`);
            const image = args.images.imageIds[tag];
            // Undefined would reach the provider as a missing `image`, which names neither the node nor the tag.
            if (image === undefined)
                throw new Error(
                    `cloudlab: ${node} runs release ${JSON.stringify(tag)}, which the app images do not have ` +
                        `(they have: ${Object.keys(args.images.imageIds).join(", ")})`,
                );
            const container = new docker.Container(
                `${name}-${node}`,
                {
                    name: nodeContainerName(args.names.prefix, node),
                    hostname: node,
                    image,
                    envs: [
                        `NODE_ID=${node}`,
                        `IMAGE_TAG=${tag}`,
                        `PORT=${args.appPort}`,
                        `DRAIN_SECONDS=${args.drainSeconds}`,
                        // GET /data (app/src/backendRead.ts).
                        `BACKEND_DELAY_MS=${args.backendDelayMs}`,
                        `CACHE=${args.cache}`,
                        `CACHE_TTL_SECONDS=${args.cacheTtlSeconds}`,
                        `CACHE_MAX_ENTRIES=${args.cacheMaxEntries}`,
                    ],
                    networksAdvanced: [
                        { name: args.networkName, ipv4Address: args.addresses.node(i), aliases: [node] },
                    ],
                    ports: [{ internal: args.appPort, external: hostPort, ip: "127.0.0.1" }],
                    healthcheck: NODE_HEALTHCHECK,
                    // A crashed app comes back by itself; a node stopped on purpose (controller, docker stop) stays down.
                    restart: "unless-stopped",
                    // Already in the provider's read-back form ("1.0" for 1): see config/dockerCpus.ts.
                    cpus: args.nodeCpus,
                    memory: args.nodeMemoryMb,
                    // No swap, like a VM without any; and Docker's own default (2 x memory) would be read back into the
                    // state and show an update on the next `up` (provider Read sets memory_swap from HostConfig).
                    memorySwap: args.nodeMemoryMb,
                    init: true,
                    labels: dockerLabels(args.names, ROLES.app, { [LABELS.node]: node, [LABELS.tag]: tag }),
                    // Named, not left to the daemon: a journald, syslog or local default driver rejects max-size and max-file.
                    logDriver: "json-file",
                    logOpts: { "max-size": "10m", "max-file": "3" },
                    start: running,
                    mustRun: false,
                    wait: running,
                    waitTimeout: IN_SERVICE_TIMEOUT_SECONDS,
                    // Drain (health check fails, balancer moves traffic), then the app's own bound on in-flight
                    // requests: Docker's SIGKILL must never cut a request the app would still finish.
                    stopTimeout: stopSeconds,
                    destroyGraceSeconds: stopSeconds,
                },
                {
                    parent: this,
                    dependsOn: [args.balancer.ready, ...previous],
                    deleteBeforeReplace: true,
                    // The provider updates these in place without telling Docker (healthcheck and init are state only),
                    // and `start` only acts at creation: a change must recreate the node to take effect.
                    replaceOnChanges: ["healthcheck", "init", "start"],
                },
            );
            this.containers.push(container);
            let step: pulumi.Resource = container;
            if (running) {
                step = new command.local.Command(
                    `${name}-${node}-in-service`,
                    {
                        create: scriptCommand("wait-in-service.ts"),
                        environment: {
                            CLOUDLAB_STATS_URL: args.balancer.statsUrl,
                            CLOUDLAB_NODE: node,
                            CLOUDLAB_TIMEOUT_SECONDS: String(IN_SERVICE_TIMEOUT_SECONDS),
                        },
                        triggers: [container.id],
                    },
                    { parent: this, dependsOn: [container] },
                );
            }
            steps.push(step);
            nodes.push({
                name: node,
                url: `http://127.0.0.1:${hostPort}`,
                address: args.addresses.node(i),
                imageTag: tag,
                standby: !running,
            });
        }
        this.nodes = pulumi.output(nodes);
        this.registerOutputs({ nodes: this.nodes });
    }
}
