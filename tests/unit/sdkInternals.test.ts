import { strict as assert } from "assert";
import { REQUEST_GETTERS, WRITTEN_FOR, checkInstalledSdk, checkedRequest } from "../support/sdkInternals";

describe("tests/support/sdkInternals.ts: the tests' one reach into @pulumi/pulumi's internals", () => {
    it(`finds every internal it uses in the installed SDK (written against ${WRITTEN_FOR})`, () => {
        checkInstalledSdk();
    });

    it("names the SDK version and the missing internal when an upgrade renamed one", () => {
        const renamed: Record<string, () => void> = {};
        for (const getter of REQUEST_GETTERS) if (getter !== "getDeletedwith") renamed[getter] = () => undefined;
        renamed.getDeletedWith = () => undefined;
        assert.throws(
            () => checkedRequest(renamed, "9.9.9"),
            /@pulumi\/pulumi 9\.9\.9 no longer has RegisterResourceRequest\.getDeletedwith\(\) \(written against 3\.248\.0\)/,
        );
    });
});
