import { strict as assert } from "node:assert";
import { createPrimaryRegistry, HttpMetrics, joinExpositions, registerLoadMetrics } from "../../../app/src/httpMetrics";
import { LoadCoordinator } from "../../../app/src/loadCoordinator";

/** Only what the load gauges read, with numbers a test can tell apart. */
const pool = { busyThreads: 3, threadCount: 4, activeRequests: 2 } as unknown as LoadCoordinator;

describe("app/httpMetrics", () => {
    it("includes the process and Node.js default metrics unless told not to", async () => {
        const withDefaults = (await new HttpMetrics({ nodeId: "n", imageTag: "t" }).render()).body;
        assert.match(withDefaults, /^process_cpu_user_seconds_total /m);
        const without = (await new HttpMetrics({ nodeId: "n", imageTag: "t", defaultMetrics: false }).render()).body;
        assert.doesNotMatch(without, /process_cpu_user_seconds_total/);
        assert.match(without, /^cloudlab_app_info\{node="n",tag="t"\} 1$/m);
    });

    it("reads the load pool's gauges at scrape time", async () => {
        const { registry } = new HttpMetrics({ nodeId: "n", imageTag: "t", defaultMetrics: false });
        registerLoadMetrics(registry, pool);
        const body = await registry.metrics();
        assert.match(body, /^cloudlab_load_threads_busy 3$/m);
        assert.match(body, /^cloudlab_load_threads_max 4$/m);
        assert.match(body, /^cloudlab_load_requests_active 2$/m);
    });

    it("gives the primary its own registry: prefixed default metrics plus the load gauges", async () => {
        const body = await createPrimaryRegistry(pool).metrics();
        assert.match(body, /^cloudlab_primary_process_cpu_user_seconds_total /m);
        assert.doesNotMatch(body, /^process_cpu_user_seconds_total /m);
        assert.match(body, /^cloudlab_load_threads_busy 3$/m);
    });

    for (const [texts, joined] of [
        [["a 1\n", "b 2\n"], "a 1\nb 2\n"],
        [["a 1\n\n", "", "  \n", "\nb 2"], "a 1\nb 2\n"], // blank texts dropped, each trimmed
        [[""], "\n"],
    ] as const) {
        it(`joins ${JSON.stringify(texts)} into one exposition ending in a newline`, () => {
            assert.equal(joinExpositions(...texts), joined);
        });
    }
});
