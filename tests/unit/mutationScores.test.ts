import * as assert from "assert";
import type { MutantStatus, MutationTestResult } from "mutation-testing-report-schema";
import { folderScore, scoreTable } from "../../scripts/mutation/scores";

/** A report of one file whose mutants have the given statuses, in the shape Stryker's JSON reporter writes. */
function reportOf(statuses: MutantStatus[]): MutationTestResult {
    const at = { start: { line: 1, column: 1 }, end: { line: 1, column: 2 } };
    return {
        schemaVersion: "2",
        thresholds: { high: 80, low: 60 },
        files: {
            "controller/src/decide.ts": {
                language: "typescript",
                source: "x",
                mutants: statuses.map((status, i) => ({
                    id: String(i),
                    mutatorName: "BooleanLiteral",
                    location: at,
                    status,
                })),
            },
        },
    };
}

describe("npm run mutate's score table", () => {
    const report = reportOf([
        "Killed",
        "Killed",
        "Killed",
        "Timeout",
        "Survived",
        "NoCoverage",
        "CompileError",
        "Ignored",
    ]);

    it("scores detected (killed or timed out) over tested, leaving compile errors and static mutants out", () => {
        assert.deepStrictEqual(folderScore("controller/src", report), {
            folder: "controller/src",
            valid: 6,
            killed: 3,
            timeout: 1,
            survived: 1,
            noCoverage: 1,
            compileErrors: 1,
            ignored: 1,
            score: (4 / 6) * 100,
        });
    });

    it("prints one Markdown row per folder with the score to one decimal", () => {
        const table = scoreTable([folderScore("controller/src", report)]).split("\n");
        assert.strictEqual(table.length, 3);
        assert.strictEqual(table[2], "| controller/src | 66.7% | 6 | 3 | 1 | 1 | 1 | 1 | 1 |");
    });
});
