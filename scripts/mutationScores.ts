/**
 * `node -r ts-node/register/transpile-only scripts/mutationScores.ts [folder ...]` (run by `npm run mutate`): the
 * score table of the folders' last Stryker runs (all folders when none is named), and each folder's undetected
 * mutants as a Markdown list in reports/mutation/<folder>/survivors.md, for the triage in docs/mutation-testing.md.
 */
import * as fs from "fs";
import * as path from "path";
import type { MutationTestResult } from "mutation-testing-report-schema";
import { REPO } from "../lib/repo";
import FOLDERS from "./mutation/folders.json";
import { folderScore, scoreTable, survivorList, survivorsOf } from "./mutation/scores";

function isFolder(name: string): name is keyof typeof FOLDERS {
    return Object.hasOwn(FOLDERS, name);
}

function main(names: string[]): void {
    const scores = (names.length > 0 ? names : Object.keys(FOLDERS)).map((name) => {
        if (!isFolder(name)) {
            throw new Error(
                `${name} is not a folder npm run mutate mutates; expected one of: ${Object.keys(FOLDERS).join(", ")}`,
            );
        }
        const dir = path.join(REPO, FOLDERS[name].reports);
        const file = path.join(dir, "mutation.json");
        if (!fs.existsSync(file)) throw new Error(`${file}: no Stryker report for ${name}; run npm run mutate ${name}`);
        const report = JSON.parse(fs.readFileSync(file, "utf8")) as MutationTestResult;
        const survivors = survivorsOf(report);
        fs.writeFileSync(path.join(dir, "survivors.md"), survivorList(survivors) + "\n");
        process.stderr.write(
            `${name}: ${survivors.length} undetected mutants listed in ${path.join(dir, "survivors.md")}\n`,
        );
        return folderScore(name, report);
    });
    process.stdout.write(scoreTable(scores) + "\n");
}

main(process.argv.slice(2));
