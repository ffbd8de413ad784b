import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { KEYS } from "../../components/config/schema";

describe("README", () => {
    const readme = fs.readFileSync(path.join(__dirname, "..", "..", "README.md"), "utf8");

    it("documents every config key", () => {
        for (const key of Object.keys(KEYS)) assert.ok(readme.includes(`| \`${key}\` |`), `README lacks a row for ${key}`);
    });

    it("gives the two set-up commands", () => {
        assert.match(readme, /npm run up/);
        assert.match(readme, /npm test/);
    });
});
