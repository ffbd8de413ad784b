import { strict as assert } from "node:assert";
import { ConfigError, parseConfig } from "../../../app/src/config";

function problemsOf(env: Record<string, string>): string[] {
    try {
        parseConfig(env, "host-1");
    } catch (err) {
        assert.ok(err instanceof ConfigError);
        return err.problems;
    }
    assert.fail("expected a ConfigError");
}

describe("app/config", () => {
    it("applies the defaults", () => {
        assert.deepEqual(parseConfig({}, "host-1"), {
            port: 3000,
            nodeId: "host-1",
            imageTag: "unknown",
            drainSeconds: 2,
            workersOverride: undefined,
            logLevel: "info",
            backend: { delayMs: 20, cache: { enabled: false, ttlSeconds: 60, maxEntries: 10000 } },
        });
    });

    it("reads every variable", () => {
        assert.deepEqual(
            parseConfig(
                {
                    PORT: "8080",
                    NODE_ID: "node-2",
                    IMAGE_TAG: "v1.2.3",
                    DRAIN_SECONDS: "0.25",
                    WORKERS: "3",
                    LOG_LEVEL: "debug",
                    BACKEND_DELAY_MS: "0",
                    CACHE: "on",
                    CACHE_TTL_SECONDS: "5",
                    CACHE_MAX_ENTRIES: "7",
                },
                "h",
            ),
            {
                port: 8080,
                nodeId: "node-2",
                imageTag: "v1.2.3",
                drainSeconds: 0.25,
                workersOverride: 3,
                logLevel: "debug",
                backend: { delayMs: 0, cache: { enabled: true, ttlSeconds: 5, maxEntries: 7 } },
            },
        );
    });

    it("treats empty values as unset", () => {
        const config = parseConfig({ PORT: "", NODE_ID: "", IMAGE_TAG: " ", DRAIN_SECONDS: "", WORKERS: "" }, "host-1");
        assert.equal(config.port, 3000);
        assert.equal(config.nodeId, "host-1");
        assert.equal(config.imageTag, "unknown");
        assert.equal(config.workersOverride, undefined);
    });

    it("accepts each limit at its maximum", () => {
        const config = parseConfig(
            {
                PORT: "65535",
                NODE_ID: "n".repeat(128),
                IMAGE_TAG: "t".repeat(256),
                DRAIN_SECONDS: "300",
                WORKERS: "256",
            },
            "h",
        );
        assert.equal(config.port, 65535);
        assert.equal(config.nodeId, "n".repeat(128));
        assert.equal(config.imageTag, "t".repeat(256));
        assert.equal(config.drainSeconds, 300);
        assert.equal(config.workersOverride, 256);
    });

    it("accepts a multi-digit DRAIN_SECONDS with decimals", () => {
        assert.equal(parseConfig({ DRAIN_SECONDS: "12.5" }, "h").drainSeconds, 12.5);
    });

    for (const [value, enabled] of [
        ["on", true],
        ["off", false],
    ] as const) {
        it(`reads CACHE=${value} as cache ${enabled ? "enabled" : "disabled"}`, () => {
            assert.equal(parseConfig({ CACHE: value }, "h").backend.cache.enabled, enabled);
        });
    }

    for (const [env, problem] of [
        [{ CACHE: "yes" }, 'CACHE="yes" is not valid: expected on or off'],
        [{ CACHE: "ON" }, 'CACHE="ON" is not valid: expected on or off'],
        [
            { LOG_LEVEL: "verbose" },
            'LOG_LEVEL="verbose" is not valid: expected one of fatal, error, warn, info, debug, trace, silent',
        ],
    ] as const) {
        it(`rejects ${JSON.stringify(env)} with the exact problem`, () => {
            assert.deepEqual(problemsOf(env), [problem]);
        });
    }

    it("accepts DRAIN_SECONDS=0 (no drain window)", () => {
        assert.equal(parseConfig({ DRAIN_SECONDS: "0" }, "h").drainSeconds, 0);
    });

    for (const port of ["abc", "0", "65536", "-1", "3000.5", "1e3", "0x50", " 80", "80 "]) {
        it(`rejects PORT=${JSON.stringify(port)} naming variable and value`, () => {
            const problems = problemsOf({ PORT: port });
            assert.equal(problems.length, 1);
            assert.ok(problems[0]!.includes(`PORT=${JSON.stringify(port)}`), problems[0]);
            assert.match(problems[0]!, /1\.\.65535/);
        });
    }

    for (const [name, value] of [
        ["DRAIN_SECONDS", "-1"],
        ["DRAIN_SECONDS", "abc"],
        ["DRAIN_SECONDS", "301"],
        ["DRAIN_SECONDS", "1e2"],
        ["DRAIN_SECONDS", "1.2345"],
        ["WORKERS", "0"],
        ["WORKERS", "2.5"],
        ["WORKERS", "many"],
        ["WORKERS", "257"],
        ["NODE_ID", "has space"],
        ["NODE_ID", "x".repeat(129)],
        ["IMAGE_TAG", "tab\there"],
        ["LOG_LEVEL", "verbose"],
        ["BACKEND_DELAY_MS", "-5"],
        ["BACKEND_DELAY_MS", "60001"],
        ["CACHE", "yes"],
        ["CACHE_TTL_SECONDS", "0"],
        ["CACHE_MAX_ENTRIES", "1e3"],
    ] as const) {
        it(`rejects ${name}=${JSON.stringify(value).slice(0, 20)}`, () => {
            const problems = problemsOf({ [name]: value });
            assert.equal(problems.length, 1);
            assert.ok(problems[0]!.startsWith(`${name}=`), problems[0]);
            assert.match(problems[0]!, /expected/);
        });
    }

    it("reports every bad variable at once", () => {
        const problems = problemsOf({ PORT: "abc", WORKERS: "x", DRAIN_SECONDS: "y" });
        assert.equal(problems.length, 3);
        assert.throws(() => parseConfig({ PORT: "abc", WORKERS: "x" }, "h"), {
            name: "ConfigError",
            message:
                'invalid environment: PORT="abc" is not valid: expected an integer 1..65535; WORKERS="x" is not valid: expected an integer 1..256',
        });
        assert.throws(
            () => parseConfig({ PORT: "abc" }, "h"),
            /invalid environment: PORT="abc" is not valid: expected an integer 1\.\.65535/,
        );
    });
});
