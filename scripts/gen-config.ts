/**
 * `npm run gen:config`: rewrites Pulumi.yaml's `config:` block and docs/configuration.md's key table from
 * components/config/schema.ts (scripts/lib/generatedConfig.ts). Run it after changing a key.
 */
import * as fs from "fs";
import * as path from "path";
import { GENERATED_FILES } from "./lib/generatedConfig";
import { REPO } from "../lib/repo";

async function main(): Promise<void> {
    for (const g of GENERATED_FILES) {
        const file = path.join(REPO, g.file);
        const current = fs.readFileSync(file, "utf8");
        const next = await g.render(current);
        if (next === current) continue;
        fs.writeFileSync(file, next);
        process.stdout.write(`wrote ${g.file}\n`);
    }
}

main().catch((e: unknown) => {
    process.stderr.write(`gen:config: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
});
