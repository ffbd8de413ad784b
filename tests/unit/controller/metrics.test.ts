import { strict as assert } from "assert";
import { ControllerMetrics } from "../../../controller/src/metrics";

describe("controller metrics", () => {
    it("shows a known node's healing actions as 0 before any restart, so the dashboard has data", async () => {
        const metrics = new ControllerMetrics();
        metrics.knowNode("node-1");
        metrics.knowNode("node-1");
        const text = await metrics.registry.metrics();
        const healing = text.split("\n").filter((l) => l.startsWith("cloudlab_controller_healing_actions_total{"));
        assert.deepEqual(healing.sort(), [
            'cloudlab_controller_healing_actions_total{node="node-1",action="backoff"} 0',
            'cloudlab_controller_healing_actions_total{node="node-1",action="restart"} 0',
        ]);
    });

    it("keeps a restart counted when the node is seen again", async () => {
        const metrics = new ControllerMetrics();
        metrics.knowNode("node-2");
        metrics.healing.inc({ node: "node-2", action: "restart" });
        metrics.knowNode("node-2");
        const text = await metrics.registry.metrics();
        assert.match(text, /^cloudlab_controller_healing_actions_total\{node="node-2",action="restart"\} 1$/m);
    });
});
