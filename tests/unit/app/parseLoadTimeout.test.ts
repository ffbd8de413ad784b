import { strict as assert } from "node:assert";
import { parseLoadTimeout } from "../../../app/src/parseLoadTimeout";

describe("app/parseLoadTimeout", () => {
    for (const [query, seconds] of [
        ["timeout=1", 1],
        ["timeout=30", 30],
        ["timeout=600", 600],
        ["timeout=030", 30],
        ["timeout=%35", 5], // percent-encoded digits are still digits
    ] as const) {
        it(`accepts ${query}`, () => {
            assert.deepEqual(parseLoadTimeout(query), { ok: true, seconds });
        });
    }

    const bad: Array<[string, RegExp]> = [
        ["", /missing query parameter timeout/],
        ["timeout", /timeout="" is not an integer/],
        ["timeout=", /timeout="" is not an integer/],
        ["timeout=0", /timeout="0" is out of range/],
        ["timeout=601", /timeout="601" is out of range/],
        ["timeout=99999999999999999999", /out of range/],
        ["timeout=-1", /timeout="-1" is not an integer/],
        ["timeout=1e3", /timeout="1e3" is not an integer/],
        ["timeout=1.5", /timeout="1.5" is not an integer/],
        ["timeout=5.0", /timeout="5.0" is not an integer/],
        ["timeout=abc", /timeout="abc" is not an integer/],
        ["timeout=0x10", /timeout="0x10" is not an integer/],
        ["timeout=+5", /timeout=" 5" is not an integer/], // "+" decodes to a space
        ["timeout=%205", /timeout=" 5" is not an integer/],
        ["timeout=5abc", /timeout="5abc" is not an integer/],
        ["timeout=60s", /timeout="60s" is not an integer/],
        ["timeout=Infinity", /is not an integer/],
        ["timeout=1&timeout=2", /timeout given 2 times/],
        ["timeout=5&foo=1", /unexpected query parameter\(s\) "foo"/],
        ["seconds=5", /unexpected query parameter\(s\) "seconds"/],
    ];
    for (const [query, message] of bad) {
        it(`rejects ${JSON.stringify(query)}`, () => {
            const result = parseLoadTimeout(query);
            assert.equal(result.ok, false);
            if (!result.ok) {
                assert.match(result.error, message);
                assert.match(result.error, /1\.\.600/, "names what is allowed");
            }
        });
    }

    it("truncates absurdly long values in the error", () => {
        const result = parseLoadTimeout(`timeout=${"x".repeat(10_000)}`);
        assert.equal(result.ok, false);
        if (!result.ok) assert.ok(result.error.length < 300, `error is ${result.error.length} chars`);
    });
});
