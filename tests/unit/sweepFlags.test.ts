import { strict as assert } from "assert";
import { DEFAULTS, FlagError, parseFlags, timeFlag } from "../../scripts/load/sweep/flags";

const NOW = new Date("2026-12-01T10:00:00.000Z");
const parse = (...argv: string[]) => parseFlags(argv, NOW);

function refuses(argv: string[], message: RegExp): void {
    assert.throws(
        () => parseFlags(argv, NOW),
        (err: Error) => {
            assert.ok(err instanceof FlagError, `not a FlagError: ${err}`);
            assert.match(err.message, message);
            return true;
        },
    );
}

describe("sweep flags", () => {
    it("reads the issue's example: --users 10,50,200,1000 --instances 1,2,3,4 --duration 20s", () => {
        const o = parse("--users", "10,50,200,1000", "--instances", "1,2,3,4", "--duration", "20s");
        assert.deepEqual(o.users, [10, 50, 200, 1000]);
        assert.deepEqual(o.instances, [1, 2, 3, 4]);
        assert.equal(o.durationS, 20);
        assert.equal(o.cache, undefined);
        assert.equal(o.stack, "local");
        assert.equal(o.warmupS, DEFAULTS.warmupS);
        assert.equal(o.minGain, 0.1);
        assert.equal(o.outDir, "sweep-results/2026-12-01T10-00-00-000Z");
        assert.deepEqual(o.keyDistribution, { kind: "zipf", exponent: 1 });
    });

    it("takes --cache on,off, --url, minutes, a zero warm-up, a uniform key distribution, a gain", () => {
        const o = parse(
            "--users=5",
            "--cache=off,on",
            "--url=http://127.0.0.1:8080/",
            "--duration=1.5m",
            "--warmup=0",
            "--key-distribution=uniform",
            "--gain=5",
            "--seed=9",
        );
        assert.deepEqual(o.cache, ["off", "on"]);
        assert.equal(o.url, "http://127.0.0.1:8080/");
        assert.equal(o.durationS, 90);
        assert.equal(o.warmupS, 0);
        assert.deepEqual(o.keyDistribution, { kind: "uniform" });
        assert.equal(o.minGain, 0.05);
        assert.equal(o.seed, 9);
    });

    it("reads durations: 20, 20s, 1m; refuses 0s, -1, 2h, 20ms, naming the value", () => {
        assert.equal(timeFlag("duration", "20", 1, 1), 20);
        assert.equal(timeFlag("duration", "20s", 1, 1), 20);
        assert.equal(timeFlag("duration", "1m", 1, 1), 60);
        for (const bad of ["0s", "-1", "2h", "20ms", "", "abc"])
            refuses(["--users", "1", "--duration", bad], new RegExp(`--duration must be .*not ${JSON.stringify(bad)}`));
    });

    for (const [argv, message] of [
        [[], /--users is required/],
        [["--users", "10,,50"], /--users: "" is not a whole number from 1 to \d+ \(in "10,,50"\)/],
        [["--users", "0"], /--users: "0" is not a whole number/],
        [["--users", "-5"], /--users: "-5" is not a whole number/],
        [["--users", "1.5"], /--users: "1.5" is not a whole number/],
        [["--users", "ten"], /--users: "ten" is not a whole number/],
        [["--users", "99999"], /--users: "99999" is not a whole number from 1 to/],
        [["--users", "10,10"], /--users: 10 is given twice/],
        [["--users", "1", "--instances", "0,1"], /--instances: "0" is not a whole number/],
        [["--users", "1", "--cache", "on,maybe"], /--cache: "maybe" is neither on nor off/],
        [["--users", "1", "--cache", "on,on"], /--cache: on is given twice/],
        [
            ["--users", "1", "--url", "http://localhost:8080/"],
            /--url: refusing to send traffic to "http:\/\/localhost:8080\/": only 127\.0\.0\.1/,
        ],
        [["--users", "1", "--url", "http://10.0.0.1/"], /--url: refusing .*10\.0\.0\.1/],
        [["--users", "1", "--url", "not a url"], /--url: refusing .*not a URL/],
        [
            ["--users", "1", "--url", "http://127.0.0.1:1/", "--instances", "2"],
            /--url and --instances "2" exclude each other/,
        ],
        [["--users", "1", "--controller", "http://192.168.1.1:8090"], /--controller: refusing .*192\.168\.1\.1/],
        [["--users", "1", "--own-stack", "--stack", "dev"], /--own-stack and --stack "dev" exclude each other/],
        [
            ["--users", "1", "--own-stack", "--url", "http://127.0.0.1:1/"],
            /--own-stack and --url .* exclude each other/,
        ],
        [["--users", "1", "--own-stack=yes"], /--own-stack takes no value, got "yes"/],
        [["--users", "1", "--key-distribution", "zipf:0"], /--key-distribution must be .*not "zipf:0"/],
        [["--users", "1", "--key-distribution", "pareto"], /not "pareto"/],
        [["--users", "1", "--keys", "0"], /--keys must be a whole number of keys from 1 to 1000000, not "0"/],
        [["--users", "1", "--gain", "-1"], /--gain must be a percentage from 0 to 1000, not "-1"/],
        [["--users", "1", "--timeout", "0"], /--timeout must be a number of seconds from 1 to 120, not "0"/],
        [["--users", "1", "--prefix", "a/b"], /--prefix must be .*not "a\/b"/],
        [["--users", "1", "--path", "x"], /--path must start with \/ .*not "x"/],
        [["--users", "1", "--path", "/x", "--cache", "on"], /--path and --cache exclude each other/],
        [["--users", "1", "--userz", "2"], /unknown flag "--userz"/],
        [["--users", "1", "extra"], /unexpected argument "extra"/],
        [["--users", "1", "--users", "2"], /--users is given twice/],
        [["--users"], /--users needs a value/],
    ] as Array<[string[], RegExp]>) {
        it(`refuses ${JSON.stringify(argv.join(" ")) || "nothing"} with a message naming it`, () =>
            refuses(argv, message));
    }

    it('--own-stack sweeps the stack "sweep" of its own', () => {
        const o = parse("--users", "1", "--own-stack", "--instances", "1,2");
        assert.equal(o.ownStack, true);
        assert.equal(o.stack, "sweep");
        assert.equal(parse("--users", "1").ownStack, false);
    });

    it("--help needs nothing else", () => {
        assert.equal(parse("--help").help, true);
    });
});
