import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import * as semver from "semver";
import { KEYS } from "../../components/config/schema";

const ROOT = path.join(__dirname, "..", "..");
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");

/** The README's `## <heading>` section, up to the next `## `. */
function readmeSection(readme: string, heading: string): string {
    const start = readme.indexOf(`\n## ${heading}\n`);
    assert.ok(start >= 0, `the README has no "## ${heading}" section`);
    const end = readme.indexOf("\n## ", start + 1);
    return readme.slice(start, end < 0 ? undefined : end);
}

/** One entry of the layout block: the paths it names (relative to the root) and its description. */
interface LayoutEntry {
    paths: string[];
    description: string;
}

/** Where an entry's description starts: the block's second column. */
const LAYOUT_COLUMN = 26;

/**
 * The layout block as entries: a line with text before the description column names paths (separated by spaces;
 * its description follows after two spaces or on the next lines); an indented name is inside the last top-level
 * folder named; a line blank up to the column continues the description.
 */
function parseLayout(block: string): LayoutEntry[] {
    const entries: LayoutEntry[] = [];
    let parent = "";
    for (const line of block.split("\n")) {
        if (!line.trim()) continue;
        if (line.slice(0, LAYOUT_COLUMN).trim() === "") {
            assert.ok(entries.length, `a description without an entry: ${line}`);
            entries[entries.length - 1].description += ` ${line.trim()}`;
            continue;
        }
        const indented = line.startsWith(" ");
        const [names, ...rest] = line.trim().split(/ {2,}/);
        const paths = names.split(" ").map((n) => (indented ? parent + n : n));
        if (!indented && paths.length === 1 && paths[0].endsWith("/")) parent = paths[0];
        entries.push({ paths, description: rest.join(" ") });
    }
    return entries;
}

/**
 * The files and folders a description names (`local.ts`, `src/decide.ts`, `grafana/`), relative to the entry's
 * folder, and whether it names them as absent ("no index.ts").
 */
function namedInDescription(description: string): Array<{ name: string; absent: boolean }> {
    const found = [];
    const token = /(?<![\w./-])(no )?([\w.-]+(?:\/[\w.-]+)*(?:\/|\.(?:ts|json|md|sh|yaml)))(?![\w/])/g;
    for (const [, no, name] of description.matchAll(token)) found.push({ name, absent: no !== undefined });
    return found;
}

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

    describe("the front door", () => {
        const readme = read("README.md");

        it("says what has run for real before anything else, then the two set-up commands", () => {
            const headings = [...readme.matchAll(/^## (.*)$/gm)].map((m) => m[1]);
            assert.deepEqual(headings.slice(0, 2), ["What has run for real, and what has not", "Quick start"]);
            const caveat = readmeSection(readme, headings[0]);
            assert.match(caveat, /dev stack \(AWS\) has never run on AWS/);
            assert.match(caveat, /built-in engine/);
            const firstBlock = /```bash\n([\s\S]*?)```/.exec(readme);
            assert.ok(firstBlock && firstBlock.index > readme.indexOf("## Quick start"), "the first code block");
            assert.deepEqual(
                firstBlock[1]
                    .trim()
                    .split("\n")
                    .map((l) => l.split("#")[0].trim()),
                ["npm run up", "npm test"],
            );
        });

        describe("the project layout", () => {
            const block = /```\n([\s\S]*?)```/.exec(readmeSection(readme, "Project layout"))?.[1] ?? "";
            const entries = parseLayout(block);

            it("is a block of entries", () => assert.ok(entries.length > 20, block));

            it("names only folders and files that exist", () => {
                for (const p of entries.flatMap((e) => e.paths))
                    assert.ok(fs.existsSync(path.join(ROOT, p)), `the layout names ${p}, which does not exist`);
            });

            it("names every top-level folder (but git's, hidden and ignored ones)", () => {
                const ignored = read(".gitignore")
                    .split("\n")
                    .map((l) => l.trim().replace(/\/$/, ""))
                    .filter((l) => l && !l.startsWith("#"));
                const named = new Set(entries.flatMap((e) => e.paths).map((p) => p.split("/")[0]));
                for (const d of fs.readdirSync(ROOT, { withFileTypes: true })) {
                    if (!d.isDirectory() || d.name.startsWith(".") || ignored.includes(d.name)) continue;
                    assert.ok(named.has(d.name), `the layout does not name the top-level folder ${d.name}/`);
                }
            });

            it("holds what each line says is in each folder it names, and what it says is not", () => {
                let checked = 0;
                for (const e of entries)
                    for (const { name, absent } of namedInDescription(e.description))
                        for (const p of e.paths) {
                            const dir = p.endsWith("/") ? p : path.dirname(p);
                            const where = path.join(dir, name);
                            assert.equal(
                                !fs.existsSync(path.join(ROOT, where)),
                                absent,
                                `the layout's line for ${e.paths.join(" ")} says ${where} ${absent ? "does not exist" : "exists"}`,
                            );
                            checked++;
                        }
                assert.ok(checked > 20, `only ${checked} claims checked`);
            });

            it("reads the claims it checks out of a line (the parser's own check)", () => {
                const [concepts] = parseLayout(
                    "  a/ b/\n                          one each: index.ts (args), local.ts, src/x.ts, no aws.ts",
                );
                assert.deepEqual(concepts.paths, ["a/", "b/"]);
                assert.deepEqual(namedInDescription(concepts.description), [
                    { name: "index.ts", absent: false },
                    { name: "local.ts", absent: false },
                    { name: "src/x.ts", absent: false },
                    { name: "aws.ts", absent: true },
                ]);
                assert.deepEqual(namedInDescription("npm run up/preview/destroy, up.sh (images/)"), [
                    { name: "up.sh", absent: false },
                    { name: "images/", absent: false },
                ]);
            });
        });

        describe("the dependencies", () => {
            const deps = readmeSection(readme, "Dependencies");
            /** The list's items, each with its continuation lines: a package is named in one, in backticks. */
            const items = deps.split(/\n(?=- )/).filter((i) => i.startsWith("- "));
            const listed = (name: string) => items.some((i) => i.includes(`\`${name}\``));

            for (const pkg of ["package.json", "app/package.json", "controller/package.json", "logsink/package.json"]) {
                it(`names what each package of ${pkg} is for`, () => {
                    const json = JSON.parse(read(pkg));
                    for (const name of Object.keys({ ...json.dependencies, ...json.devDependencies })) {
                        const shown = name.startsWith("@types/") ? "@types/*" : name;
                        assert.ok(listed(shown), `${pkg}: ${name} is not in the Dependencies list`);
                    }
                });
            }

            it("names every Debian package the scripts and CI install", () => {
                const wanted = new Set<string>();
                const ci = /apt-get install [^\n]*--no-install-recommends ([^>\n]*)/.exec(read(".ci/run"));
                assert.ok(ci, ".ci/run installs nothing?");
                for (const p of ci[1].trim().split(/\s+/)) wanted.add(p);
                const scripts = ["scripts/test.sh", "scripts/prepare-offline-images.sh", "scripts/lib/common.sh"];
                for (const file of scripts)
                    for (const [, args] of read(file).matchAll(/^\s*ensure_packages ([^\n]*)$/gm))
                        for (const pair of args.trim().split(/\s+/)) wanted.add(pair.split(":")[1]);
                assert.ok(wanted.has("chromium") && wanted.has("docker.io"), [...wanted].join(" "));
                for (const p of wanted) assert.ok(listed(p), `${p} is not in the Dependencies list`);
            });

            it("TypeScript is pinned to 5.9.x in every package.json, as it says", () => {
                assert.match(deps, /pinned to 5\.9\.x/);
                for (const pkg of [
                    "package.json",
                    "app/package.json",
                    "controller/package.json",
                    "logsink/package.json",
                ]) {
                    const range = JSON.parse(read(pkg)).devDependencies.typescript;
                    assert.ok(semver.subset(range, "5.9.x"), `${pkg}: typescript ${range} is not within 5.9.x`);
                }
            });
        });
    });
});
