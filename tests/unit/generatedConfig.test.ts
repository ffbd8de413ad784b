import { strict as assert } from "assert";
import { staleFiles } from "../../scripts/lib/generatedConfig";

describe("files generated from components/config/schema.ts", () => {
    it("Pulumi.yaml's config block and docs/configuration.md's key table are current", async () => {
        const stale = await staleFiles();
        assert.deepEqual(stale, [], `stale: ${stale.join(", ")}; run \`npm run gen:config\` and commit the result`);
    });
});
