import { strict as assert } from "assert";
import { onOwnNetwork } from "../../../controller/src/dockerView";

describe("controller: what it reads of a container", () => {
    it("takes a container as wired only once it is on a network other than Docker's default bridge", () => {
        // The provider's create: on the bridge, then on none (bridge disconnected), then on the stack's network.
        assert.equal(onOwnNetwork({ bridge: {} }), false);
        assert.equal(onOwnNetwork({}), false);
        assert.equal(onOwnNetwork(undefined), false);
        assert.equal(onOwnNetwork({ "cloudlab-local": {} }), true);
        assert.equal(onOwnNetwork({ bridge: {}, "cloudlab-local": {} }), true);
    });
});
