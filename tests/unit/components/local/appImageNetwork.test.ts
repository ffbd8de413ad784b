import { strict as assert } from "assert";
import { LocalAppImage } from "../../../../components/local/appImage";
import { parseCidr } from "../../../../components/config/parsers";
import { LabNetwork } from "../../../../components/local/network";
import { buildComponent, byType, valueOf } from "../../../support/mocks";
import { LOCAL_DEFAULTS, LOCAL_NAMES, childrenOf } from "../../../support/componentFixtures";

describe("LabNetwork and LocalAppImage, each built alone under mocks", function () {
    this.timeout(60000);

    it("LabNetwork: a bridge on the configured subnet, gateway on .1, replaced delete-before-replace", async () => {
        const subnet = parseCidr("10.88.0.0/24")!;
        const { component, resources } = await buildComponent(
            () => new LabNetwork("lab", { names: LOCAL_NAMES, subnet }),
        );
        const [bridge] = childrenOf(byType(resources, "docker:index/network:Network"), "lab");
        assert.deepEqual(bridge.inputs.ipamConfigs, [{ subnet: "10.88.0.0/24", gateway: "10.88.0.1" }]);
        assert.equal(bridge.options.deleteBeforeReplace, true);
        assert.equal(await valueOf(component.name), "cloudlab-local");
    });

    it("LocalAppImage: one release per distinct tag, its image id an output, unchanged by build settings", async () => {
        const { component, resources } = await buildComponent(
            () =>
                new LocalAppImage("app-image", {
                    appImage: LOCAL_DEFAULTS.appImage,
                    imageBuild: "never",
                    nodeBaseImage: LOCAL_DEFAULTS.nodeBaseImage,
                    tags: ["latest", "develop", "latest"],
                }),
        );
        const releases = childrenOf(byType(resources, "command:local:Command"), "app-image");
        assert.deepEqual(releases.map((r) => r.name).sort(), ["app-image-develop", "app-image-latest"]);
        for (const r of releases) {
            assert.equal(r.inputs.environment.CLOUDLAB_IMAGE_BUILD, "never");
            assert.deepEqual(r.options.ignoreChanges, [
                "environment.CLOUDLAB_IMAGE_BUILD",
                "environment.CLOUDLAB_BASE_IMAGE",
            ]);
        }
        assert.deepEqual(Object.keys(component.imageIds).sort(), ["develop", "latest"]);
        assert.match(await valueOf(component.imageIds.latest), /^sha256:[0-9a-f]{64}$/);
    });
});
