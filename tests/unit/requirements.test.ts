import { strict as assert } from "assert";
import { isCi } from "../support/requirements";

describe("test requirements: what counts as CI", () => {
    it("is CI=true or CI=1, in any case; anything else is a developer machine", () => {
        for (const CI of ["true", "TRUE", "1"]) assert.equal(isCi({ CI }), true, CI);
        for (const CI of [undefined, "", "false", "0", "yes"]) assert.equal(isCi({ CI }), false, String(CI));
    });
});
