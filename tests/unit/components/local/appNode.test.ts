import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { LocalAppNode, LocalAppNodeArgs } from "../../../../components/local/appNode";
import { appNodeArgsOf } from "../../../../components/shared/appNode";
import { Registered, buildComponent, byType, valueOf } from "../../../support/mocks";
import {
    LOCAL_ADDRESSES,
    LOCAL_DEFAULTS,
    LOCAL_NAMES,
    NETWORK_NAME,
    childrenOf,
    standInContainer,
} from "../../../support/componentFixtures";

const CONTAINER = "docker:index/container:Container";
const STAND_IN_BALANCER = "stand-in-balancer";

/** Builds the fleet alone; the balancer and the releases are stand-ins, as the stack's would be. */
function buildFleet(changes: Partial<LocalAppNodeArgs> = {}) {
    return buildComponent(
        () =>
            new LocalAppNode("app", {
                ...appNodeArgsOf(LOCAL_DEFAULTS),
                nodeImageTags: {},
                nodePortBase: LOCAL_DEFAULTS.nodePortBase,
                nodeCpus: LOCAL_DEFAULTS.nodeCpus,
                nodeMemoryMb: LOCAL_DEFAULTS.nodeMemoryMb,
                names: LOCAL_NAMES,
                networkName: NETWORK_NAME,
                addresses: LOCAL_ADDRESSES,
                images: {
                    imageIds: {
                        latest: pulumi.output("sha256:latest"),
                        develop: pulumi.output("sha256:develop"),
                    },
                },
                balancer: {
                    ready: standInContainer(STAND_IN_BALANCER),
                    statsUrl: pulumi.output("http://127.0.0.1:8404/stats"),
                },
                ...changes,
            }),
    );
}

const containersOf = (rs: Registered[]) => childrenOf(byType(rs, CONTAINER), "app");

describe("LocalAppNode, built alone under mocks", function () {
    this.timeout(60000);

    // What node N waits for before it is replaced: the in-service gate of node N - batch (its container when
    // that node is standby), and always the balancer. A wrong edge is a deploy that takes two nodes down at once.
    const rollingOrders: Array<{ nodeCount: number; nodeLimit: number; batch: number; waits: string[][] }> = [
        { nodeCount: 1, nodeLimit: 1, batch: 1, waits: [[]] },
        { nodeCount: 3, nodeLimit: 3, batch: 1, waits: [[], ["app-node-1-in-service"], ["app-node-2-in-service"]] },
        {
            nodeCount: 4,
            nodeLimit: 5,
            batch: 2,
            waits: [[], [], ["app-node-1-in-service"], ["app-node-2-in-service"], ["app-node-3-in-service"]],
        },
        {
            nodeCount: 2,
            nodeLimit: 4,
            batch: 1,
            waits: [[], ["app-node-1-in-service"], ["app-node-2-in-service"], ["app-node-3"]],
        },
        { nodeCount: 1, nodeLimit: 3, batch: 2, waits: [[], [], ["app-node-1-in-service"]] },
        { nodeCount: 3, nodeLimit: 3, batch: 3, waits: [[], [], []] },
    ];
    for (const { nodeCount, nodeLimit, batch, waits } of rollingOrders) {
        it(`with nodeCount ${nodeCount}, nodeLimit ${nodeLimit} and rollingBatchSize ${batch}, orders the replacements`, async () => {
            const { resources } = await buildFleet({ nodeCount, nodeLimit, rollingBatchSize: batch });
            const containers = containersOf(resources);
            assert.deepEqual(
                Object.fromEntries(containers.map((c) => [c.name, [...c.options.dependsOn].sort()])),
                Object.fromEntries(waits.map((w, i) => [`app-node-${i + 1}`, [...w, STAND_IN_BALANCER].sort()])),
            );
            for (const c of containers) assert.equal(c.options.deleteBeforeReplace, true, c.name);
        });
    }

    it("outputs every node with its direct URL, address and release, a canary's own, standby ones marked", async () => {
        const { component } = await buildFleet({
            nodeCount: 1,
            nodeLimit: 2,
            nodePortBase: 4001,
            nodeImageTags: { "node-2": "develop" },
        });
        assert.deepEqual(await valueOf(component.nodes), [
            { name: "node-1", url: "http://127.0.0.1:4001", address: "10.77.0.11", imageTag: "latest", standby: false },
            { name: "node-2", url: "http://127.0.0.1:4002", address: "10.77.0.12", imageTag: "develop", standby: true },
        ]);
        assert.equal(component.containers.length, 2);
    });

    it("runs each node from its release's image id and with its size", async () => {
        const { resources } = await buildFleet({
            nodeCount: 2,
            nodeLimit: 2,
            nodeImageTags: { "node-2": "develop" },
            nodeCpus: "1.0",
            nodeMemoryMb: 512,
        });
        const containers = containersOf(resources);
        assert.deepEqual(
            containers.map((c) => [c.inputs.image, c.inputs.cpus, c.inputs.memory, c.inputs.memorySwap]),
            [
                ["sha256:latest", "1.0", 512, 512],
                ["sha256:develop", "1.0", 512, 512],
            ],
        );
    });

    it("refuses a node whose release the images do not have, naming the tag", async () => {
        await assert.rejects(
            buildFleet({ nodeCount: 1, nodeLimit: 1, imageTag: "missing" }),
            /node-1 runs release "missing", which the app images do not have \(they have: latest, develop\)/,
        );
    });
});
