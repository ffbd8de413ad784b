import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { KEYS } from "../../components/config/schema";

const ROOT = path.join(__dirname, "..", "..");
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");

describe("README and docs", () => {
    it("docs/configuration.md gives each key the type, default, stacks and description the schema declares", () => {
        const rows = new Map<string, string[]>();
        for (const line of read("docs/configuration.md").split("\n")) {
            const m = /^\| `([A-Za-z]+)` +\|(.*)\|$/.exec(line); // cells padded by the formatter
            if (m)
                rows.set(
                    m[1],
                    m[2].split(" | ").map((c) => c.trim()),
                );
        }
        const shown = (d: unknown) => (d === "" ? '""' : typeof d === "string" ? d : JSON.stringify(d));
        for (const [key, spec] of Object.entries(KEYS)) {
            const row = rows.get(key);
            assert.ok(row, `docs/configuration.md lacks a row for ${key}`);
            assert.deepEqual(
                row,
                [spec.yamlType, shown(spec.default), spec.platforms.join(", "), spec.description],
                key,
            );
        }
    });

    it("the README gives the two set-up commands", () => {
        const readme = read("README.md");
        assert.match(readme, /^npm run up /m);
        assert.match(readme, /^npm test /m);
    });

    it("names the CLI version a first run downloads: the installed SDK's", () => {
        const sdk = JSON.parse(read("node_modules/@pulumi/pulumi/package.json")).version;
        assert.match(
            read("README.md"),
            new RegExp(`the CLI of the\\s+SDK's own version \\(${sdk.replace(/\./g, "\\.")}\\)`),
        );
    });

    it("every relative link of the README and docs/ names a file that exists", () => {
        // Markdown only: docs/ also holds images (the sweep's chart).
        const docs = fs.readdirSync(path.join(ROOT, "docs")).filter((f) => f.endsWith(".md"));
        const files = ["README.md", ...docs.map((f) => `docs/${f}`)];
        for (const file of files) {
            for (const [, target] of read(file).matchAll(/\]\(((?!https?:|#)[^)#]+)(#[^)]*)?\)/g)) {
                const resolved = path.join(path.dirname(path.join(ROOT, file)), target);
                assert.ok(fs.existsSync(resolved), `${file} links to ${target}, which does not exist`);
            }
        }
    });
});
