import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { KEYS } from "../../components/config/schema";

describe("README", () => {
    const readme = fs.readFileSync(path.join(__dirname, "..", "..", "README.md"), "utf8");

    it("documents every config key", () => {
        for (const key of Object.keys(KEYS)) assert.ok(readme.includes(`| \`${key}\` |`), `README lacks a row for ${key}`);
    });

    it("gives each key the type, default, stacks and description the schema declares", () => {
        const rows = new Map<string, string[]>();
        for (const line of readme.split("\n")) {
            const m = /^\| `([A-Za-z]+)` \|(.*)\|$/.exec(line);
            if (m) rows.set(m[1], m[2].split(" | ").map((c) => c.trim()));
        }
        const shown = (d: unknown) => (d === "" ? '""' : typeof d === "string" ? d : JSON.stringify(d));
        for (const [key, spec] of Object.entries(KEYS)) {
            const row = rows.get(key);
            assert.ok(row, `README lacks a row for ${key}`);
            assert.deepEqual(row, [spec.yamlType, shown(spec.default), spec.platforms.join(", "), spec.description], key);
        }
    });

    it("gives the two set-up commands", () => {
        assert.match(readme, /npm run up/);
        assert.match(readme, /npm test/);
    });
});
