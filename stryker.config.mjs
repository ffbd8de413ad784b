// `npm run mutate`: StrykerJS mutation testing of the decision code against the unit tests (tests/unit, mocha).
// Not part of `npm test` or CI: a whole run takes hours on 2 cores (docs/mutation-testing.md has the figures).
// One folder at a time: npx stryker run --mutate 'logsink/src/**/*.ts'
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
    packageManager: "npm",
    testRunner: "mocha",
    // The repo's own mocha config: ts-node/register/transpile-only, tests/unit/**/*.test.ts, its 20 s timeout.
    mochaOptions: { config: ".mocharc.json" },
    // Each mutant runs only the tests that reached it in the first (unmutated) run.
    coverageAnalysis: "perTest",
    mutate: [
        "components/**/*.ts",
        "controller/src/**/*.ts",
        "logsink/src/**/*.ts",
        "app/src/**/*.ts",
        "cli/**/*.ts",
        // Declarations emit no code: nothing to mutate.
        "!**/*.d.ts",
        // Interfaces only (CommonStackOutputs): TypeScript erases it, so it holds no mutable code.
        "!components/shared/stackOutputs.ts",
    ],
    // Static mutants (module-level code: constants, tables) run at import, so each one needs the whole unit suite
    // (8 min here) in a fresh process: a third of logsink's mutants took 95% of the estimated time. They are
    // reported as Ignored; a run with --ignoreStatic false checks them (hours).
    ignoreStatic: true,
    // Only mutants and tests that changed since the last run are run again. The file is a local cache, not
    // committed: reports/ is git-ignored, it is rewritten by every run (a diff of thousands of lines), and its
    // results hold only for the code and tests of the checkout that made them. docs/mutation-testing.md keeps
    // the figures worth keeping.
    incremental: true,
    incrementalFile: "reports/stryker-incremental.json",
    reporters: ["clear-text", "progress-append-only", "html", "json"],
    htmlReporter: { fileName: "reports/mutation/mutation.html" },
    jsonReporter: { fileName: "reports/mutation/mutation.json" },
    // The machines have 2 cores, shared.
    concurrency: 2,
    // The first, unmutated run is the whole unit suite with coverage: 7 min or more on this machine (the default
    // limit is 5).
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
