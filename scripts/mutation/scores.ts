/**
 * The score table `npm run mutate` prints after its runs (the README's table is copied from it): one row per
 * folder, from the folder's Stryker JSON report, with the counts behind the score; and the undetected mutants.
 */
import { calculateMutationTestMetrics } from "mutation-testing-metrics";
import type { Location as MutantLocation, MutationTestResult } from "mutation-testing-report-schema";

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
            // No mutant tested (all static, or none): Stryker's score is NaN; there is no score to print.
            `| ${s.folder} | ${Number.isNaN(s.score) ? "n/a" : `${s.score.toFixed(1)}%`} | ${s.valid} | ${s.killed} | ${s.timeout} | ${s.survived} | ` +
            `${s.noCoverage} | ${s.compileErrors} | ${s.ignored} |`,
    );
    return [
        "| folder | score | tested | killed | timed out | survived | no coverage | compile errors | static (ignored) |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        ...rows,
    ].join("\n");
}

/** A mutant no test detected: where it is and what it changed, for the survivors' triage. */
export interface Survivor {
    file: string;
    line: number;
    mutator: string;
    /** "Survived" (tests ran and passed) or "NoCoverage" (no test reached it). */
    status: string;
    /** The code the mutant replaced, on one line. */
    original: string;
    replacement: string;
}

/** The source text a mutant's location spans (1-based lines and columns, end exclusive), on one line. */
function spanOf(source: string, loc: MutantLocation): string {
    const lines = source.split("\n").slice(loc.start.line - 1, loc.end.line);
    lines[lines.length - 1] = lines[lines.length - 1].slice(0, loc.end.column - 1);
    lines[0] = lines[0].slice(loc.start.column - 1);
    return oneLine(lines.join("\n"));
}

function oneLine(text: string): string {
    const flat = text.replace(/\s+/g, " ").trim();
    return flat.length > 80 ? `${flat.slice(0, 77)}...` : flat;
}

/** Every undetected mutant of the report, by file and line. */
export function survivorsOf(report: MutationTestResult): Survivor[] {
    return Object.entries(report.files)
        .flatMap(([file, { source, mutants }]) =>
            mutants
                .filter((m) => m.status === "Survived" || m.status === "NoCoverage")
                .map((m) => ({
                    file,
                    line: m.location.start.line,
                    mutator: m.mutatorName,
                    status: m.status,
                    original: spanOf(source, m.location),
                    replacement: oneLine(m.replacement ?? ""),
                })),
        )
        .sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}

/** One Markdown bullet per survivor: `file:line` mutator: `original` -> `replacement`. */
export function survivorList(survivors: readonly Survivor[]): string {
    return survivors
        .map(
            (s) =>
                `- ${s.file}:${s.line} ${s.mutator}${s.status === "NoCoverage" ? " (no test reaches it)" : ""}: ` +
                `\`${s.original}\` -> \`${s.replacement}\``,
        )
        .join("\n");
}
