/**
 * `node -r ts-node/register/transpile-only scripts/mutationScores.ts [folder ...]` (run by `npm run mutate`): the
 * score table of the folders' last Stryker runs (all folders when none is named).
 */
import * as fs from "fs";
import * as path from "path";
import type { MutationTestResult } from "mutation-testing-report-schema";
import { REPO } from "../lib/repo";
import FOLDERS from "./mutation/folders.json";
import { folderScore, scoreTable } from "./mutation/scores";

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
        const file = path.join(REPO, FOLDERS[name].reports, "mutation.json");
        if (!fs.existsSync(file)) throw new Error(`${file}: no Stryker report for ${name}; run npm run mutate ${name}`);
        return folderScore(name, JSON.parse(fs.readFileSync(file, "utf8")) as MutationTestResult);
    });
    process.stdout.write(scoreTable(scores) + "\n");
}

main(process.argv.slice(2));
