/**
 * `npm run mutate [-- --only <id> ...]`: checks that the unit tests fail when documented behaviour breaks.
 *
 * Copies the working tree (tracked and untracked, not ignored, files; node_modules linked) into a temporary
 * directory, runs the specs of the chosen mutations there once unmutated (they must pass), then, one mutation of
 * scripts/mutations.ts at a time, applies its exact edit, runs its specs with mocha and restores the file. Prints
 * one line per mutation: `caught` (and the first test that failed), `SURVIVED` (no test failed), `STALE` (its
 * `find` text does not occur exactly once) or `ERROR` (the specs could not run). Exit code 1 unless every chosen
 * mutation was caught. The working tree it runs from is only read.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { MUTATIONS, Mutation } from "./mutations";

const ROOT = path.resolve(__dirname, "..");
/** A mutation that hangs a spec (a wait that never ends) must not hang the run. */
const SPEC_RUN_TIMEOUT_MS = 10 * 60 * 1000;

type Outcome =
    | { kind: "caught"; by: Failure; failures: number }
    | { kind: "SURVIVED"; tests: number }
    | { kind: "STALE"; why: string }
    | { kind: "ERROR"; why: string };

interface Failure {
    title: string;
    /** First line of the assertion's message. */
    message: string;
}

interface SpecRun {
    status: number | null;
    tests: number;
    failures: Failure[];
    output: string;
}

function parseArgs(argv: string[]): { only: string[] } {
    const only: string[] = [];
    for (let i = 0; i < argv.length; i++) {
        if (argv[i] === "--only" && i + 1 < argv.length) only.push(argv[++i]);
        else if (argv[i].startsWith("--only=")) only.push(argv[i].slice("--only=".length));
        else throw new Error(`usage: npm run mutate [-- --only <id> ...]\nunknown argument ${JSON.stringify(argv[i])}`);
    }
    return { only };
}

/** Why an entry cannot be applied, or undefined when it can. */
function staleness(m: Mutation): string | undefined {
    const file = path.join(ROOT, m.file);
    if (!fs.existsSync(file)) return `${m.file} does not exist`;
    const count = fs.readFileSync(file, "utf8").split(m.find).length - 1;
    if (count !== 1) return `${JSON.stringify(m.find)} occurs ${count} times in ${m.file} (expected exactly once)`;
    if (m.find === m.replace) return "find and replace are the same";
    const missing = m.specs.filter((s) => !fs.existsSync(path.join(ROOT, s)));
    if (m.specs.length === 0) return "no specs to run";
    if (missing.length > 0) return `spec ${missing.join(", ")} does not exist`;
    return undefined;
}

/** The files git would commit or add (tracked plus untracked, not ignored), relative to the root. */
function workTreeFiles(): string[] {
    const r = spawnSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
        cwd: ROOT,
        encoding: "utf8",
    });
    if (r.status !== 0) throw new Error(`git ls-files failed: ${r.stderr}`);
    return [...new Set(r.stdout.split("\0").filter((f) => f !== ""))];
}

/** Copies the working tree into `dir`, with links to the real node_modules (they are never copied). */
function copyWorkTree(dir: string): void {
    for (const rel of workTreeFiles()) {
        if (rel.split("/").includes("node_modules")) continue;
        const from = path.join(ROOT, rel);
        let stat: fs.Stats;
        try {
            stat = fs.lstatSync(from);
        } catch {
            continue; // tracked, but deleted in the working tree
        }
        const to = path.join(dir, rel);
        fs.mkdirSync(path.dirname(to), { recursive: true });
        if (stat.isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(from), to);
        else if (stat.isFile()) fs.copyFileSync(from, to);
    }
    for (const modules of ["node_modules", "app/node_modules", "controller/node_modules", "logsink/node_modules"]) {
        const from = path.join(ROOT, modules);
        if (fs.existsSync(from)) fs.symlinkSync(fs.realpathSync(from), path.join(dir, modules), "dir");
    }
}

/** Runs specs with mocha in `dir`, without the project's .mocharc (the specs given, nothing else). */
function runSpecs(dir: string, specs: string[]): SpecRun {
    const report = path.join(dir, ".mutate-report.json");
    fs.rmSync(report, { force: true });
    const mocha = path.join(dir, "node_modules", "mocha", "bin", "mocha.js");
    const args = [
        mocha,
        "--no-config",
        "--require",
        "ts-node/register/transpile-only",
        "--extension",
        "ts",
        "--timeout",
        "60000",
        "--reporter",
        "json",
        "--reporter-option",
        `output=${report}`,
        ...specs,
    ];
    const r = spawnSync(process.execPath, args, {
        cwd: dir,
        encoding: "utf8",
        timeout: SPEC_RUN_TIMEOUT_MS,
        maxBuffer: 64 * 1024 * 1024,
    });
    const output = `${r.stdout ?? ""}${r.stderr ?? ""}${r.error ? `\n${r.error.message}` : ""}`;
    if (!fs.existsSync(report)) return { status: r.status, tests: 0, failures: [], output };
    const json = JSON.parse(fs.readFileSync(report, "utf8")) as {
        stats: { tests: number };
        failures: Array<{ fullTitle: string; err: { message?: string } }>;
    };
    const failures = json.failures.map((f) => ({
        title: f.fullTitle,
        message: String(f.err.message ?? "").split("\n")[0],
    }));
    return { status: r.status, tests: json.stats.tests, failures, output };
}

function tail(text: string, lines = 15): string {
    return text.trimEnd().split("\n").slice(-lines).join("\n");
}

function tryMutation(dir: string, m: Mutation): Outcome {
    const file = path.join(dir, m.file);
    const original = fs.readFileSync(file, "utf8");
    fs.writeFileSync(
        file,
        original.replace(m.find, () => m.replace),
    );
    try {
        const run = runSpecs(dir, m.specs);
        if (run.failures.length > 0) return { kind: "caught", by: run.failures[0], failures: run.failures.length };
        if (run.status === 0 && run.tests > 0) return { kind: "SURVIVED", tests: run.tests };
        return { kind: "ERROR", why: `mocha exited ${run.status} with no failing test:\n${tail(run.output)}` };
    } finally {
        fs.writeFileSync(file, original);
    }
}

function line(m: Mutation, o: Outcome): string {
    const head = `${o.kind.padEnd(8)} ${m.id}`;
    switch (o.kind) {
        case "caught":
            return (
                `${head}: ${m.description}\n         by "${o.by.title}"${o.failures > 1 ? ` (+${o.failures - 1} more)` : ""}` +
                `\n         ${o.by.message.slice(0, 160)}`
            );
        case "SURVIVED":
            return `${head}: ${m.description}\n         all ${o.tests} tests of ${m.specs.join(", ")} passed`;
        case "STALE":
            return `${head}: ${o.why}`;
        case "ERROR":
            return `${head}: ${o.why}`;
    }
}

function main(argv: string[]): number {
    const { only } = parseArgs(argv);
    const ids = new Set<string>();
    for (const m of MUTATIONS) {
        if (ids.has(m.id)) throw new Error(`scripts/mutations.ts: id ${m.id} is used twice`);
        ids.add(m.id);
    }
    const unknown = only.filter((id) => !ids.has(id));
    if (unknown.length > 0) throw new Error(`no mutation ${unknown.join(", ")} (known: ${[...ids].join(", ")})`);
    const chosen = only.length > 0 ? MUTATIONS.filter((m) => only.includes(m.id)) : MUTATIONS;

    const outcomes = new Map<Mutation, Outcome>();
    for (const m of chosen) {
        const why = staleness(m);
        if (why) outcomes.set(m, { kind: "STALE", why });
    }
    const runnable = chosen.filter((m) => !outcomes.has(m));

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cloudlab-mutate-"));
    const cleanUp = () => fs.rmSync(dir, { recursive: true, force: true });
    process.once("SIGINT", () => {
        cleanUp();
        process.exit(130);
    });
    try {
        if (runnable.length > 0) {
            copyWorkTree(dir);
            const specs = [...new Set(runnable.flatMap((m) => m.specs))];
            process.stdout.write(`baseline: ${specs.join(" ")} (unmutated)\n`);
            const baseline = runSpecs(dir, specs);
            if (baseline.status !== 0 || baseline.failures.length > 0 || baseline.tests === 0) {
                const failed = baseline.failures.map((f) => `  failed: ${f.title}: ${f.message}`).join("\n");
                process.stdout.write(
                    `baseline FAILED: the unmutated specs must pass first\n${failed || tail(baseline.output)}\n`,
                );
                return 1;
            }
            process.stdout.write(`baseline: ${baseline.tests} tests pass\n\n`);
        }
        for (const m of chosen) {
            const outcome = outcomes.get(m) ?? tryMutation(dir, m);
            outcomes.set(m, outcome);
            process.stdout.write(`${line(m, outcome)}\n`);
        }
    } finally {
        cleanUp();
    }
    const counts = new Map<string, number>();
    for (const o of outcomes.values()) counts.set(o.kind, (counts.get(o.kind) ?? 0) + 1);
    const summary = ["caught", "SURVIVED", "STALE", "ERROR"].map((k) => `${counts.get(k) ?? 0} ${k}`).join(", ");
    process.stdout.write(`\n${chosen.length} mutations: ${summary}\n`);
    return (counts.get("caught") ?? 0) === chosen.length ? 0 : 1;
}

try {
    process.exitCode = main(process.argv.slice(2));
} catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
}
