import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import YAML from "yaml";
import { KEYS } from "../../components/config/schema";
import { validateConfig } from "../../components/config/validate";

const root = path.resolve(__dirname, "..", "..");
const read = (f: string) => YAML.parse(fs.readFileSync(path.join(root, f), "utf8"));

describe("Pulumi.yaml and the stack files", () => {
    const project = read("Pulumi.yaml");

    it("is the cloudlab project on the Node.js runtime with TypeScript", () => {
        assert.equal(project.name, "cloudlab");
        assert.equal(project.runtime.name, "nodejs");
        assert.equal(project.runtime.options.typescript, true);
    });

    it("declares exactly the keys of components/config/schema.ts, with the same types, defaults and descriptions", () => {
        assert.deepEqual(Object.keys(project.config).sort(), Object.keys(KEYS).sort());
        for (const [key, spec] of Object.entries(KEYS)) {
            const declared = project.config[key];
            assert.equal(declared.type, spec.yamlType, `${key}: type`);
            assert.deepEqual(declared.default, spec.default, `${key}: default`);
            assert.equal(declared.description, spec.description, `${key}: description`);
        }
    });

    for (const [file, platform] of [
        ["Pulumi.dev.yaml", "aws"],
        ["Pulumi.local.yaml", "local"],
    ]) {
        it(`${file} holds valid cloudlab config for the ${platform} platform`, () => {
            const config: Record<string, unknown> = read(file).config;
            const raw: Record<string, string> = {};
            for (const [k, v] of Object.entries(config)) {
                if (k.startsWith("cloudlab:"))
                    raw[k.slice("cloudlab:".length)] = typeof v === "string" ? v : JSON.stringify(v);
            }
            const cfg = validateConfig(raw);
            assert.equal(cfg.platform, platform);
        });
    }
});
