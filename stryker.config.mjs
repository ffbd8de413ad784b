// `npm run mutate`: StrykerJS mutation testing of the decision code against the unit tests (tests/unit, mocha),
// one folder per run (scripts/mutate.sh sets MUTATE_FOLDER). Not part of `npm test` or CI: the five folders take
// hours on 2 cores (docs/mutation-testing.md has the figures and the survivors' triage).
// One folder by hand: MUTATE_FOLDER=controller/src npx stryker run
import { readFileSync } from "node:fs";

// The folders mutated, one run each: the tsconfig that compiles each, its files with no code to mutate (`exclude`:
// interfaces only, which TypeScript erases) and where its reports go. Also read by scripts/mutate.sh and
// scripts/mutationScores.ts.
const FOLDERS = JSON.parse(readFileSync(new URL("./scripts/mutation/folders.json", import.meta.url), "utf8"));
const folder = process.env.MUTATE_FOLDER ?? "";
if (!Object.hasOwn(FOLDERS, folder)) {
    throw new Error(
        `MUTATE_FOLDER = ${JSON.stringify(folder)} is not a folder Stryker mutates; expected one of: ` +
            Object.keys(FOLDERS).join(", "),
    );
}
const { tsconfig, exclude, reports } = FOLDERS[folder];

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
    packageManager: "npm",
    testRunner: "mocha",
    // The repo's own mocha config: ts-node/register/transpile-only, tests/unit/**/*.test.ts, its 20 s timeout.
    mochaOptions: { config: ".mocharc.json" },
    // Each mutant runs only the tests that reached it in the first (unmutated) run.
    coverageAnalysis: "perTest",
    mutate: [
        `${folder}/**/*.ts`,
        // Declarations emit no code: nothing to mutate.
        "!**/*.d.ts",
        ...exclude.map((path) => `!${path}`),
    ],
    // A mutant that does not type-check is a CompileError, not a survivor: the tests run under ts-node's
    // transpile-only, which would run it, but `npm run typecheck` would never let it ship. The folder's own
    // tsconfig keeps each check to the files that folder's package compiles.
    checkers: ["typescript"],
    tsconfigFile: tsconfig,
    typescriptChecker: { prioritizePerformanceOverAccuracy: true },
    // Static mutants (module-level code: constants, tables) run at import, so each one needs the whole unit suite
    // (3.5 min unloaded) in a fresh process. They are reported as Ignored; a run with --ignoreStatic false checks
    // them (hours).
    ignoreStatic: true,
    // A rerun tests again only the mutants whose code or covering tests changed. One cache per folder: a run of
    // one folder must not forget another's results. reports/ is git-ignored: the cache holds only for the code of
    // the checkout that made it.
    incremental: true,
    incrementalFile: `${reports}/stryker-incremental.json`,
    reporters: ["clear-text", "progress-append-only", "html", "json"],
    htmlReporter: { fileName: `${reports}/mutation.html` },
    jsonReporter: { fileName: `${reports}/mutation.json` },
    // The machines have 2 cores, shared.
    concurrency: 2,
    // The first, unmutated run is the whole unit suite with coverage (3.5 min unloaded, 9 under load).
    dryRunTimeoutMinutes: 30,
    // Mocha's own timeout is 20 s; a mutant that makes a wait never end is a timeout, not a hung run.
    timeoutMS: 20000,
    // Sandboxes are copies of the tree (node_modules linked): not what tests/unit or other tools read.
    tempDirName: ".stryker-tmp",
    ignorePatterns: [
        ".cloudlab",
        ".pulumi-state",
        ".scratch",
        "bin",
        "dist",
        "sweep-results",
        "bench-results",
        "reports",
    ],
    cleanTempDir: true,
};
