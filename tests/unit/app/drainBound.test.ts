import { strict as assert } from "node:assert";
import { INFLIGHT_BOUND_MS, KILL_SLACK_MS, stopBoundSeconds } from "../../../app/src/drainBound";

describe("app/drainBound", () => {
    it("bounds a stop at drain + 30 s in flight + 5 s slack, in whole seconds", () => {
        assert.equal(stopBoundSeconds(2), 37);
        assert.equal(stopBoundSeconds(0), 35);
        assert.equal(stopBoundSeconds(10), 45);
        assert.equal(stopBoundSeconds(300), 335);
    });

    it("rounds a fractional drain up, never down (Docker stop timeouts are whole seconds)", () => {
        assert.equal(stopBoundSeconds(0.2), 36);
        assert.equal(stopBoundSeconds(0.001), 36);
        assert.equal(stopBoundSeconds(2.999), 38);
    });

    it("refuses a drain that is not a finite number >= 0", () => {
        for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY])
            assert.throws(() => stopBoundSeconds(bad), RangeError);
        assert.throws(() => stopBoundSeconds(-0.5), {
            name: "RangeError",
            message: "drainSeconds must be a finite number >= 0, got -0.5",
        });
    });

    it("names the parts: 30 s for requests in flight, 5 s before stuck workers are killed", () => {
        assert.equal(INFLIGHT_BOUND_MS, 30_000);
        assert.equal(KILL_SLACK_MS, 5_000);
    });
});
