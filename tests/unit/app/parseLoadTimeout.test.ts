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

    it("accepts a 15-character value with leading zeros, reading it exactly", () => {
        assert.deepEqual(parseLoadTimeout("timeout=000000000000030"), { ok: true, seconds: 30 });
    });

    it("refuses a value of 16 or more characters even when its number would be in range", () => {
        assert.deepEqual(parseLoadTimeout("timeout=0000000000000030"), {
            ok: false,
            error: 'timeout="0000000000000030" is out of range; expected timeout=<integer seconds 1..600>, e.g. /load?timeout=30',
        });
    });

    it("lists every unexpected parameter once, quoted and comma-separated", () => {
        assert.deepEqual(parseLoadTimeout("foo=1&timeout=5&bar=2&foo=3"), {
            ok: false,
            error: 'unexpected query parameter(s) "foo", "bar": only timeout is allowed; expected timeout=<integer seconds 1..600>, e.g. /load?timeout=30',
        });
    });

    it("quotes every value of a repeated timeout", () => {
        assert.deepEqual(parseLoadTimeout("timeout=1&timeout=x"), {
            ok: false,
            error: 'timeout given 2 times ("1", "x"); give it once; expected timeout=<integer seconds 1..600>, e.g. /load?timeout=30',
        });
    });

    it("truncates absurdly long values in the error", () => {
        const result = parseLoadTimeout(`timeout=${"x".repeat(10_000)}`);
        assert.equal(result.ok, false);
        if (!result.ok) assert.ok(result.error.length < 300, `error is ${result.error.length} chars`);
        if (!result.ok)
            assert.ok(result.error.startsWith(`timeout="${"x".repeat(64)}…" is not an integer`), result.error);
    });
});
