import { strict as assert } from "assert";
import { ControllerMetrics } from "../../../controller/src/metrics";

const series = (text: string) => text.split("\n").filter((l) => l !== "" && !l.startsWith("#"));

describe("controller metrics", () => {
    it("exposes every documented metric with its type, and starts both scaling directions and the buckets at 0", async () => {
        const text = await new ControllerMetrics().registry.metrics();
        assert.deepEqual(
            text.split("\n").filter((l) => l.startsWith("# TYPE ")),
            [
                "# TYPE cloudlab_controller_nodes gauge",
                "# TYPE cloudlab_node_cpu_percent gauge",
                "# TYPE cloudlab_node_memory_bytes gauge",
                "# TYPE cloudlab_node_memory_limit_bytes gauge",
                "# TYPE cloudlab_node_info gauge",
                "# TYPE cloudlab_controller_scaling_actions_total counter",
                "# TYPE cloudlab_controller_healing_actions_total counter",
                "# TYPE cloudlab_controller_decision_seconds histogram",
            ],
        );
        assert.deepEqual(series(text), [
            'cloudlab_controller_scaling_actions_total{direction="out"} 0',
            'cloudlab_controller_scaling_actions_total{direction="in"} 0',
            'cloudlab_controller_decision_seconds_bucket{le="0.05"} 0',
            'cloudlab_controller_decision_seconds_bucket{le="0.1"} 0',
            'cloudlab_controller_decision_seconds_bucket{le="0.25"} 0',
            'cloudlab_controller_decision_seconds_bucket{le="0.5"} 0',
            'cloudlab_controller_decision_seconds_bucket{le="1"} 0',
            'cloudlab_controller_decision_seconds_bucket{le="2"} 0',
            'cloudlab_controller_decision_seconds_bucket{le="5"} 0',
            'cloudlab_controller_decision_seconds_bucket{le="10"} 0',
            'cloudlab_controller_decision_seconds_bucket{le="+Inf"} 0',
            "cloudlab_controller_decision_seconds_sum 0",
            "cloudlab_controller_decision_seconds_count 0",
        ]);
    });

    it("labels the node gauges by state, node and tag", async () => {
        const metrics = new ControllerMetrics();
        metrics.nodes.set({ state: "running" }, 2);
        metrics.cpu.set({ node: "node-1" }, 42.5);
        metrics.memory.set({ node: "node-1" }, 1000);
        metrics.memoryLimit.set({ node: "node-1" }, 2000);
        metrics.info.set({ node: "node-1", tag: "v7" }, 1);
        const text = await metrics.registry.metrics();
        assert.deepEqual(
            series(text).filter((l) => !l.startsWith("cloudlab_controller_")),
            [
                'cloudlab_node_cpu_percent{node="node-1"} 42.5',
                'cloudlab_node_memory_bytes{node="node-1"} 1000',
                'cloudlab_node_memory_limit_bytes{node="node-1"} 2000',
                'cloudlab_node_info{node="node-1",tag="v7"} 1',
            ],
        );
        assert.match(text, /^cloudlab_controller_nodes\{state="running"\} 2$/m);
    });

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
