import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { LocalController } from "../../../../components/local/controller";
import { controllerArgsOf } from "../../../../components/shared/controller";
import { MOCK_PASSWORD, buildComponent, byType, valueOf } from "../../../support/mocks";
import {
    LOCAL_ADDRESSES,
    LOCAL_DEFAULTS,
    LOCAL_NAMES,
    NETWORK_NAME,
    childrenOf,
    standInContainer,
} from "../../../support/componentFixtures";

describe("LocalController, built alone under mocks", function () {
    this.timeout(60000);

    const build = () =>
        buildComponent(
            () =>
                new LocalController("controller", {
                    names: LOCAL_NAMES,
                    ...controllerArgsOf({ ...LOCAL_DEFAULTS, nodeCount: 1, nodeLimit: 3 }),
                    controllerPort: 18090,
                    lbImage: LOCAL_DEFAULTS.lbImage,
                    nodeBaseImage: LOCAL_DEFAULTS.nodeBaseImage,
                    networkName: NETWORK_NAME,
                    addresses: LOCAL_ADDRESSES,
                    balancer: { ready: standInContainer("stand-in-balancer") },
                    nodes: [standInContainer("stand-in-node-1"), standInContainer("stand-in-node-2")],
                }),
        );

    it("outputs its API on 127.0.0.1:controllerPort, its token (a secret) and what it does", async () => {
        const { component } = await build();
        assert.equal(await valueOf(component.url), "http://127.0.0.1:18090");
        assert.equal(await valueOf(component.token), MOCK_PASSWORD);
        assert.equal(await pulumi.isSecret(component.token), true, "the token must not show in `stack output`");
        assert.match(await valueOf(component.status), /1 to 3 nodes/);
    });

    it("starts its service after the balancer and the nodes, so destroy removes it before them", async () => {
        const { resources } = await build();
        const service = childrenOf(byType(resources, "docker:index/container:Container"), "controller").find(
            (c) => c.name === "controller-service",
        )!;
        assert.deepEqual([...service.options.dependsOn].sort(), [
            "controller-docker-proxy",
            "stand-in-balancer",
            "stand-in-node-1",
            "stand-in-node-2",
        ]);
        const published = service.inputs.ports.map((p: { external: number; ip: string }) => [p.external, p.ip]);
        assert.deepEqual(published, [[18090, "127.0.0.1"]]);
    });
});
