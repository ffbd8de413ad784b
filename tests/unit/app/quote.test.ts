import { strict as assert } from "node:assert";
import { quoteValue } from "../../../app/src/quote";

describe("app/quote", () => {
    for (const [value, max, quoted] of [
        ["abc", 3, '"abc"'], // exactly max characters: shown whole
        ["abcd", 3, '"abc…"'], // one over: cut to max, with an ellipsis
        ['a"b', 64, '"a\\"b"'], // JSON-quoted
        ["x".repeat(64), undefined, `"${"x".repeat(64)}"`], // default max is 64
        ["x".repeat(65), undefined, `"${"x".repeat(64)}…"`],
    ] as const) {
        it(`quotes ${JSON.stringify(value).slice(0, 12)} (max ${max ?? "default"}) as ${quoted.slice(0, 12)}`, () => {
            assert.equal(quoteValue(value, max), quoted);
        });
    }
});
