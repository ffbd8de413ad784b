import { strict as assert } from "assert";
import { authorized, parseDesiredBody, parseEmptyBody } from "../../../controller/src/request";
import { ENV, controllerEnvironment, settingsFromEnv } from "../../../controller/src/settings";
import { NODE_LABELS } from "../../../controller/src/dockerView";
import { LABELS } from "../../../components/local/names";

const TOKEN = "0123456789abcdefABCDEF0123456789";

describe("controller API checks", () => {
    it("accepts exactly `Bearer <token>`", () => {
        assert.equal(authorized(`Bearer ${TOKEN}`, TOKEN), true);
        assert.equal(authorized(undefined, TOKEN), false);
        assert.equal(authorized("", TOKEN), false);
        assert.equal(authorized(TOKEN, TOKEN), false, "no scheme");
        assert.equal(authorized(`Basic ${TOKEN}`, TOKEN), false);
        assert.equal(authorized(`Bearer ${TOKEN}x`, TOKEN), false);
        assert.equal(authorized(`Bearer ${TOKEN.slice(1)}`, TOKEN), false);
        assert.equal(authorized(`Bearer ${TOKEN.slice(0, -1)}`, TOKEN), false, "a prefix of the token");
        assert.equal(authorized(`Bearer ${TOKEN} extra`, TOKEN), false);
        assert.equal(authorized("Bearer ", ""), false, "an empty token authorizes nobody");
        assert.equal(authorized(`xBearer ${TOKEN}`, TOKEN), false, "the scheme is the whole first word");
        assert.equal(authorized(`Basic Bearer ${TOKEN}`, TOKEN), false, "the scheme comes first");
    });

    it("ignores whitespace around the header's value", () => {
        assert.equal(authorized(`  Bearer ${TOKEN}\t`, TOKEN), true);
    });

    it('takes {"count": n} within floor..ceiling for POST /desired', () => {
        assert.deepEqual(parseDesiredBody('{"count":3}', 2, 4), { ok: true, value: 3 });
        assert.deepEqual(parseDesiredBody('{"count":2}', 2, 4), { ok: true, value: 2 });
        assert.deepEqual(parseDesiredBody('{"count":4}', 2, 4), { ok: true, value: 4 });
    });

    it("refuses every other body, naming the problem", () => {
        const bad: Array<[string, RegExp]> = [
            ["", /not JSON/],
            ["count=3", /not JSON/],
            ["[3]", /JSON object/],
            ["null", /JSON object/],
            ["3", /JSON object/],
            ["{}", /missing field "count"/],
            ['{"count":1}', /"count" = 1 is outside 2\.\.4/],
            ['{"count":5}', /"count" = 5 is outside 2\.\.4/],
            ['{"count":2.5}', /integer, got 2.5/],
            ['{"count":"3"}', /integer, got "3"/],
            ['{"count":null}', /integer, got null/],
            ['{"count":3,"force":true}', /unknown field\(s\) "force"/],
            ['{"count":3,"force":true,"now":1}', /^unknown field\(s\) "force", "now": only "count" is allowed$/],
        ];
        for (const [body, why] of bad) {
            const r = parseDesiredBody(body, 2, 4);
            assert.equal(r.ok, false, body);
            if (!r.ok) assert.match(r.error, why, body);
        }
    });

    it("takes an empty body or {} for /pause and /resume, nothing else", () => {
        assert.equal(parseEmptyBody("").ok, true);
        assert.equal(parseEmptyBody("  ").ok, true);
        assert.equal(parseEmptyBody("{}").ok, true);
        const r = parseEmptyBody('{"paused":true}');
        assert.equal(r.ok, false);
        if (!r.ok) assert.match(r.error, /unknown field\(s\) "paused"/);
        assert.deepEqual(parseEmptyBody('{"paused":true,"why":"x"}'), {
            ok: false,
            error: 'unknown field(s) "paused", "why": this call takes none',
        });
        assert.equal(parseEmptyBody("yes").ok, false);
    });
});

describe("controller settings (its container's environment)", () => {
    const settings = {
        stack: "cloudlab-local",
        dockerUrl: "http://docker-proxy:2375",
        statsCsvUrl: "http://lb:8404/stats;csv",
        backend: "nodes",
        listenPort: 8090,
        token: TOKEN,
        decisions: {
            floor: 2,
            ceiling: 4,
            checkPeriodSeconds: 2,
            evaluationPeriods: 2,
            cpuHighPercent: 70,
            cpuLowPercent: 20,
            cooldownSeconds: 4,
            backoff: { baseSeconds: 2, capSeconds: 32 },
        },
    };
    const envOf = (list: string[]) =>
        Object.fromEntries(list.map((e) => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)]));

    it("reads back what the stack writes", () => {
        assert.deepEqual(settingsFromEnv(envOf(controllerEnvironment(settings))), settings);
    });

    it("names each missing or bad variable and its value", () => {
        const env = envOf(controllerEnvironment(settings));
        assert.throws(
            () => settingsFromEnv({ ...env, [ENV.checkPeriodSeconds]: "0" }),
            /CONTROLLER_CHECK_PERIOD = "0"/,
        );
        assert.throws(() => settingsFromEnv({ ...env, [ENV.floor]: "x" }), /CONTROLLER_NODE_COUNT = "x"/);
        assert.throws(() => settingsFromEnv({ ...env, [ENV.token]: "short" }), /CONTROLLER_TOKEN is shorter/);
        assert.throws(() => settingsFromEnv({ ...env, [ENV.floor]: "5" }), /CONTROLLER_NODE_COUNT \(5\) is above/);
        assert.throws(() => settingsFromEnv({ ...env, [ENV.token]: undefined }), /CONTROLLER_TOKEN is not set/);
    });

    it("takes every number at the ends of its range", () => {
        const at = (n: {
            listenPort: number;
            nodes: number;
            checkPeriodSeconds: number;
            evaluationPeriods: number;
            cpuHighPercent: number;
            cpuLowPercent: number;
            cooldownSeconds: number;
            capSeconds: number;
        }) => ({
            ...settings,
            listenPort: n.listenPort,
            decisions: {
                floor: n.nodes,
                ceiling: n.nodes,
                checkPeriodSeconds: n.checkPeriodSeconds,
                evaluationPeriods: n.evaluationPeriods,
                cpuHighPercent: n.cpuHighPercent,
                cpuLowPercent: n.cpuLowPercent,
                cooldownSeconds: n.cooldownSeconds,
                backoff: { baseSeconds: n.checkPeriodSeconds, capSeconds: n.capSeconds },
            },
        });
        const lowest = at({
            listenPort: 1,
            nodes: 1,
            checkPeriodSeconds: 1,
            evaluationPeriods: 1,
            cpuHighPercent: 1,
            cpuLowPercent: 0,
            cooldownSeconds: 0,
            capSeconds: 1,
        });
        const highest = at({
            listenPort: 65535,
            nodes: 64,
            checkPeriodSeconds: 3600,
            evaluationPeriods: 100,
            cpuHighPercent: 100,
            cpuLowPercent: 99,
            cooldownSeconds: 86400,
            capSeconds: 86400,
        });
        // floor == ceiling is allowed (a fixed number of nodes).
        for (const s of [lowest, highest]) assert.deepEqual(settingsFromEnv(envOf(controllerEnvironment(s))), s);
    });

    it("refuses each bad value with the exact message, one per problem", () => {
        const env = envOf(controllerEnvironment(settings));
        const cases: Array<[string, NodeJS.ProcessEnv, string]> = [
            ["a text variable set empty", { [ENV.stack]: "" }, "CONTROLLER_STACK is not set"],
            ["a number missing", { [ENV.listenPort]: undefined }, "CONTROLLER_PORT is not set"],
            ["a number set empty", { [ENV.listenPort]: "" }, "CONTROLLER_PORT is not set"],
            ["the token set empty", { [ENV.token]: "" }, "CONTROLLER_TOKEN is not set"],
            [
                "a 15-character token",
                { [ENV.token]: "0123456789abcde" },
                "CONTROLLER_TOKEN is shorter than 16 characters",
            ],
            [
                "one above the maximum",
                { [ENV.listenPort]: "65536" },
                'CONTROLLER_PORT = "65536" is not an integer from 1 to 65535',
            ],
            [
                "one below the minimum",
                { [ENV.cpuHighPercent]: "0" },
                'CONTROLLER_CPU_HIGH_PERCENT = "0" is not an integer from 1 to 100',
            ],
            [
                "a number after other text",
                { [ENV.floor]: "a5" },
                'CONTROLLER_NODE_COUNT = "a5" is not an integer from 1 to 64',
            ],
            [
                "a number before other text",
                { [ENV.floor]: "5a" },
                'CONTROLLER_NODE_COUNT = "5a" is not an integer from 1 to 64',
            ],
            [
                "a negative number",
                { [ENV.cooldownSeconds]: "-1" },
                'CONTROLLER_COOLDOWN_SECONDS = "-1" is not an integer from 0 to 86400',
            ],
            [
                "a floor out of range is not also compared with the ceiling",
                { [ENV.floor]: "65" },
                'CONTROLLER_NODE_COUNT = "65" is not an integer from 1 to 64',
            ],
            [
                "a floor above the ceiling",
                { [ENV.floor]: "5" },
                "CONTROLLER_NODE_COUNT (5) is above CONTROLLER_NODE_LIMIT (4)",
            ],
            [
                "two problems, in the order of the list",
                { [ENV.stack]: undefined, [ENV.listenPort]: "0" },
                'CONTROLLER_STACK is not set; CONTROLLER_PORT = "0" is not an integer from 1 to 65535',
            ],
        ];
        for (const [what, change, message] of cases)
            assert.throws(
                () => settingsFromEnv({ ...env, ...change }),
                { message: `controller settings: ${message}` },
                what,
            );
    });

    it("takes a token of exactly 16 characters", () => {
        const token = "0123456789abcdef";
        const env = envOf(controllerEnvironment({ ...settings, token }));
        assert.equal(settingsFromEnv(env).token, token);
    });

    it("filters on the stack's own label keys", () => {
        assert.deepEqual(NODE_LABELS, { stack: LABELS.stack, role: LABELS.role, node: LABELS.node, tag: LABELS.tag });
    });
});
