/**
 * The score table `npm run mutate` prints after its runs (and the README keeps): one row per folder, from the
 * folder's Stryker JSON report, with the counts behind the score.
 */
import { calculateMutationTestMetrics } from "mutation-testing-metrics";
import type { MutationTestResult } from "mutation-testing-report-schema";

/** One folder's figures, as Stryker's own metrics library counts them. */
export interface FolderScore {
    folder: string;
    /** Mutants tested: killed, timed out, survived or covered by no test (the score's denominator). */
    valid: number;
    killed: number;
    timeout: number;
    survived: number;
    noCoverage: number;
    /** Mutants that do not type-check (the TypeScript checker): never run, not in the score. */
    compileErrors: number;
    /** Static mutants, left out by `ignoreStatic` (stryker.config.mjs). */
    ignored: number;
    /** Percent of valid mutants some test detects (killed or timed out). */
    score: number;
}

/** A folder's score out of its Stryker JSON report (reports/mutation/<folder>/mutation.json). */
export function folderScore(folder: string, report: MutationTestResult): FolderScore {
    const m = calculateMutationTestMetrics(report).systemUnderTestMetrics.metrics;
    return {
        folder,
        valid: m.totalValid,
        killed: m.killed,
        timeout: m.timeout,
        survived: m.survived,
        noCoverage: m.noCoverage,
        compileErrors: m.compileErrors,
        ignored: m.ignored,
        score: m.mutationScore,
    };
}

/** The scores as the README's Markdown table. */
export function scoreTable(scores: readonly FolderScore[]): string {
    const rows = scores.map(
        (s) =>
            `| ${s.folder} | ${s.score.toFixed(1)}% | ${s.valid} | ${s.killed} | ${s.timeout} | ${s.survived} | ` +
            `${s.noCoverage} | ${s.compileErrors} | ${s.ignored} |`,
    );
    return [
        "| folder | score | tested | killed | timed out | survived | no coverage | compile errors | static (ignored) |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        ...rows,
    ].join("\n");
}
