import { strict as assert } from "assert";
import { DEFAULTS, FlagError, SCENARIOS, USAGE, parseFlags } from "../../scripts/load/bench/flags";

describe("bench flags", () => {
    it("defaults to the local stack, 10 s and 50 connections per scenario, 5000 for the many-connections one", () => {
        const o = parseFlags([]);
        assert.equal(o.stack, "local");
        assert.equal(o.ownStack, false);
        assert.equal(o.durationS, 10);
        assert.equal(o.connections, 50);
        assert.equal(o.manyConnections, 5000);
        assert.equal(o.workers, 0);
        assert.equal(o.timeoutS, 10);
        assert.equal(o.rollbackTag, "bench-b");
        assert.equal(DEFAULTS.rollbackTag, "bench-b");
        assert.deepEqual(o.scenarios, [...SCENARIOS]);
        assert.equal(o.jsonPath, undefined);
        assert.equal(o.quick, false);
    });

    it("writes the steady scenarios' _stats.csv into bench-results/<UTC time>, or --out", () => {
        const now = new Date("2026-12-01T10:00:00Z");
        assert.equal(parseFlags([], now).outDir, "bench-results/2026-12-01T10-00-00-000Z");
        assert.equal(parseFlags(["--out", "/tmp/b"], now).outDir, "/tmp/b");
    });

    it("sets the own stack's controller window with --check-period and --evaluation-periods, only with --own-stack", () => {
        assert.equal(parseFlags(["--own-stack"]).ownStackWindow, undefined);
        assert.deepEqual(parseFlags(["--own-stack", "--check-period", "2", "--evaluation-periods=3"]).ownStackWindow, {
            checkPeriod: 2,
            evaluationPeriods: 3,
        });
        assert.throws(
            () => parseFlags(["--check-period", "2"]),
            /--check-period sets the own stack's controller; it needs --own-stack/,
        );
        assert.throws(() => parseFlags(["--own-stack", "--check-period", "0"]), /--check-period/);
        assert.throws(() => parseFlags(["--own-stack", "--evaluation-periods", "1.5"]), /--evaluation-periods/);
    });

    it("--quick shortens every scenario to 2 s and 200 connections, unless a flag says otherwise", () => {
        const q = parseFlags(["--quick"]);
        assert.equal(q.durationS, 2);
        assert.equal(q.manyConnections, 200);
        const explicit = parseFlags(["--quick", "--duration", "4", "--many=300"]);
        assert.equal(explicit.durationS, 4);
        assert.equal(explicit.manyConnections, 300);
    });

    it("takes values as --flag value and as --flag=value", () => {
        const o = parseFlags([
            "--stack=dev-2",
            "--duration",
            "2.5",
            "--connections=8",
            "--json",
            "out.json",
            "--workers",
            "2",
            "--rollback-tag",
            "v1.2",
        ]);
        assert.equal(o.stack, "dev-2");
        assert.equal(o.durationS, 2.5);
        assert.equal(o.connections, 8);
        assert.equal(o.jsonPath, "out.json");
        assert.equal(o.workers, 2);
        assert.equal(o.rollbackTag, "v1.2");
    });

    it("--own-stack benchmarks the stack named bench", () => {
        const o = parseFlags(["--own-stack"]);
        assert.equal(o.ownStack, true);
        assert.equal(o.stack, "bench");
    });

    it("runs a --scenarios subset in the fixed order", () => {
        assert.deepEqual(parseFlags(["--scenarios", "many, balancer,direct-all"]).scenarios, [
            "direct-all",
            "balancer",
            "many",
        ]);
    });

    const bad: Array<[string[], RegExp]> = [
        [["--duration", "abc"], /--duration must be a number of seconds from 1 to 600, not "abc"/],
        [["--duration", "0"], /--duration .* not "0"/],
        [["--duration", "601"], /--duration .* not "601"/],
        [["--duration="], /--duration .* not ""/],
        [["--connections", "1.5"], /--connections must be a whole number of connections from 1 to 8000, not "1.5"/],
        [["--connections", "-3"], /--connections .* not "-3"|--connections needs a value/],
        [["--many", "9000"], /--many .* from 1 to 8000, not "9000"/],
        [["--many", "5e3x"], /--many .* not "5e3x"/],
        [["--workers", "17"], /--workers .* from 0 to 16, not "17"/],
        [["--timeout", "x"], /--timeout .* not "x"/],
        [["--stack", "my stack"], /--stack must be a stack name .* not "my stack"/],
        [["--rollback-tag", "bad tag!"], /--rollback-tag must be a Docker tag .* not "bad tag!"/],
        [["--scenarios", "balancer,fast"], /unknown scenario "fast"; known: ceiling, direct-one, direct-all/],
        [["--scenarios", ""], /unknown scenario ""/],
        [["--json", " "], /--json needs a file name/],
        [["--out", ""], /--out needs a directory/],
        [["--speed", "3"], /unknown flag "--speed"/],
        [["local"], /unexpected argument "local"/],
        [["--duration"], /--duration needs a value/],
        [["--duration", "--quick"], /--duration needs a value/],
        [["--quick=yes"], /--quick takes no value, got "yes"/],
        [["--connections", "5", "--connections", "6"], /--connections is given twice \("5" and "6"\)/],
        [["--own-stack", "--stack", "local"], /--own-stack and --stack "local" exclude each other/],
        [
            ["--own-stack", "--rollback-tag", "v2"],
            /--rollback-tag is for an existing stack; the own stack deploys bench-b and rolls back to bench-a/,
        ],
    ];
    for (const [argv, message] of bad) {
        it(`rejects ${argv.join(" ") || "(nothing)"} with a message naming the value`, () => {
            assert.throws(
                () => parseFlags(argv),
                (e: Error) => e instanceof FlagError && message.test(e.message),
            );
        });
    }

    it("--help is a flag like the others", () => {
        assert.equal(parseFlags(["--help"]).help, true);
    });

    it("--help names the own stack and its ports", () => {
        assert.match(
            USAGE,
            /--own-stack {12}bring up a stack "bench" of its own \(ports 28080\/28404\/23001\+\), run every\n/,
        );
        assert.match(USAGE, /--connections <n> {6}keep-alive connections per scenario, 1-8000 /);
    });
});
