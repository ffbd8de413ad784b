import { strict as assert } from "assert";
import { cumulative, keyAt, keySequence, seededRandom } from "../../scripts/load/keys";

describe("load: key distribution", () => {
    it("Zipf with exponent 1 over 3 keys has weights 1, 1/2, 1/3: cumulative 6/11, 9/11, 1", () => {
        const cdf = cumulative(3, { kind: "zipf", exponent: 1 });
        assert.ok(Math.abs(cdf[0] - 6 / 11) < 1e-12);
        assert.ok(Math.abs(cdf[1] - 9 / 11) < 1e-12);
        assert.equal(cdf[2], 1);
    });

    it("uniform over 4 keys: 1/4, 2/4, 3/4, 1", () => {
        assert.deepEqual(cumulative(4, { kind: "uniform" }), [0.25, 0.5, 0.75, 1]);
    });

    it("picks the first key whose cumulative probability is above u", () => {
        const cdf = [0.25, 0.5, 0.75, 1];
        assert.equal(keyAt(cdf, 0), 1);
        assert.equal(keyAt(cdf, 0.2499), 1);
        assert.equal(keyAt(cdf, 0.25), 2);
        assert.equal(keyAt(cdf, 0.74), 3);
        assert.equal(keyAt(cdf, 0.9999), 4);
    });

    it("the same seed gives the same keys; another seed other keys", () => {
        const take = (seed: number) => {
            const next = keySequence(1000, { kind: "zipf", exponent: 1 }, seed);
            return Array.from({ length: 50 }, next);
        };
        assert.deepEqual(take(7), take(7));
        assert.notDeepEqual(take(7), take(8));
        const r = seededRandom(1);
        for (let i = 0; i < 1000; i++) {
            const u = r();
            assert.ok(u >= 0 && u < 1, String(u));
        }
    });

    it("draws the hot key of a Zipf distribution about as often as its weight says (6/11 of 3 keys)", () => {
        const next = keySequence(3, { kind: "zipf", exponent: 1 }, 42);
        let hot = 0;
        for (let i = 0; i < 11_000; i++) if (next() === "key-1") hot++;
        assert.ok(Math.abs(hot - 6000) < 300, `key-1 drawn ${hot} times of 11000`);
    });
});
