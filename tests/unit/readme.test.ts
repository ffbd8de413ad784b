import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { KEYS } from "../../components/config/schema";

const read = (file: string) => fs.readFileSync(path.join(__dirname, "..", "..", file), "utf8");

describe("README and docs", () => {
    it("docs/configuration.md has a row for every config key", () => {
        const doc = read("docs/configuration.md");
        for (const key of Object.keys(KEYS)) assert.ok(doc.includes(`| \`${key}\` |`), `docs/configuration.md lacks a row for ${key}`);
    });

    it("the README gives the two set-up commands", () => {
        const readme = read("README.md");
        assert.match(readme, /npm run up /);
        assert.match(readme, /npm test /);
    });

    it("every relative link of the README and docs/ names a file that exists", () => {
        for (const file of ["README.md", ...fs.readdirSync(path.join(__dirname, "..", "..", "docs")).map((f) => `docs/${f}`)]) {
            for (const [, target] of read(file).matchAll(/\]\(((?!https?:|#)[^)#]+)(#[^)]*)?\)/g)) {
                const resolved = path.join(path.dirname(path.join(__dirname, "..", "..", file)), target);
                assert.ok(fs.existsSync(resolved), `${file} links to ${target}, which does not exist`);
            }
        }
    });
});
