import * as assert from "assert";
import type { MutantStatus, MutationTestResult } from "mutation-testing-report-schema";
import { folderScore, scoreTable, survivorList, survivorsOf } from "../../scripts/mutation/scores";

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

describe("npm run mutate's survivors list", () => {
    const source = ["export function f(a: number): boolean {", "    return a > 70;", "}"].join("\n");
    const report: MutationTestResult = {
        schemaVersion: "2",
        thresholds: { high: 80, low: 60 },
        files: {
            "controller/src/b.ts": {
                language: "typescript",
                source,
                mutants: [
                    {
                        id: "1",
                        mutatorName: "EqualityOperator",
                        replacement: "a >= 70",
                        location: { start: { line: 2, column: 12 }, end: { line: 2, column: 18 } },
                        status: "Survived",
                    },
                    {
                        id: "2",
                        mutatorName: "BlockStatement",
                        replacement: "{}",
                        location: { start: { line: 1, column: 39 }, end: { line: 3, column: 2 } },
                        status: "NoCoverage",
                    },
                    {
                        id: "3",
                        mutatorName: "BooleanLiteral",
                        replacement: "true",
                        location: { start: { line: 2, column: 12 }, end: { line: 2, column: 18 } },
                        status: "Killed",
                    },
                ],
            },
        },
    };

    it("lists the undetected mutants by line, with the code they replaced and whether a test reached them", () => {
        assert.strictEqual(
            survivorList(survivorsOf(report)),
            [
                "- controller/src/b.ts:1 BlockStatement (no test reaches it): `{ return a > 70; }` -> `{}`",
                "- controller/src/b.ts:2 EqualityOperator: `a > 70` -> `a >= 70`",
            ].join("\n"),
        );
    });
});

describe("npm run mutate's score table, for a folder with no tested mutant", () => {
    it("prints n/a, not NaN%", () => {
        const [, , row] = scoreTable([folderScore("cli", reportOf(["Ignored", "CompileError"]))]).split("\n");
        assert.strictEqual(row, "| cli | n/a | 0 | 0 | 0 | 0 | 0 | 1 | 1 |");
    });
});
