import { strict as assert } from "assert";
import { backoffSeconds, recovered } from "../../../controller/src/backoff";

const rule = { baseSeconds: 10, capSeconds: 60 };

describe("healing backoff", () => {
    it("restarts at once the first time, then waits one period, doubling, capped", () => {
        assert.deepEqual(
            [1, 2, 3, 4, 5, 6, 7].map((n) => backoffSeconds(n, rule)),
            [0, 10, 20, 40, 60, 60, 60],
        );
    });

    it("counts a node as recovered once it has stayed up for the cap", () => {
        assert.equal(recovered(0, 59_999, rule), false);
        assert.equal(recovered(0, 60_000, rule), true);
    });
});
