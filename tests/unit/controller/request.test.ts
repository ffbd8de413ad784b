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

    it("filters on the stack's own label keys", () => {
        assert.deepEqual(NODE_LABELS, { stack: LABELS.stack, role: LABELS.role, node: LABELS.node, tag: LABELS.tag });
    });
});
