/**
 * The controller's decision function: every expectation below is written from the semantics (the dev stack's
 * alarms and step policies, seed 000's healing), never computed by the code under test.
 */
import { strict as assert } from "assert";
import {
    ControllerState,
    DecisionSettings,
    INITIAL_STATE,
    NodeObservation,
    NodeState,
    Observation,
    SHORTFALL_CHECKS,
    decide,
    failure,
} from "../../../controller/src/decide";

const S: DecisionSettings = {
    floor: 2,
    ceiling: 4,
    checkPeriodSeconds: 10,
    evaluationPeriods: 2,
    cpuHighPercent: 70,
    cpuLowPercent: 20,
    cooldownSeconds: 20,
    backoff: { baseSeconds: 10, capSeconds: 80 },
};
const T0 = 1_000_000_000_000;
const LONG_AGO = T0 - 3600_000;

function node(i: number, over: Partial<NodeObservation> = {}): NodeObservation {
    return {
        name: `node-${i}`,
        container: `cloudlab-local-node-${i}`,
        id: `id-${i}`,
        status: "running",
        health: "healthy",
        exitCode: 0,
        startedAt: LONG_AGO,
        finishedAt: 0,
        cpuPercent: 50,
        inBalancer: true,
        tag: "latest",
        wired: true,
        ...over,
    };
}
const standby = (i: number, over: Partial<NodeObservation> = {}) =>
    node(i, { status: "created", health: "none", startedAt: 0, cpuPercent: null, inBalancer: false, ...over });
const stopped = (i: number, finishedAt: number) =>
    node(i, { status: "exited", health: "unhealthy", exitCode: 0, finishedAt, cpuPercent: null, inBalancer: false });

const obs = (atMs: number, nodes: NodeObservation[]): Observation => ({ atMs, reachable: true, nodes });
/** A fleet of 4: `running` of them running at the given CPU, the rest never-started standby. */
const fleet = (cpu: number, running = 2) =>
    [1, 2, 3, 4].map((i) => (i <= running ? node(i, { cpuPercent: cpu }) : standby(i)));

/** Runs checks every checkPeriod from T0, each with the nodes `at(k)` returns; the results in order. */
function run(checks: number, at: (k: number) => NodeObservation[], state: ControllerState = INITIAL_STATE) {
    const results = [];
    for (let k = 0; k < checks; k++) {
        const r = decide(obs(T0 + k * S.checkPeriodSeconds * 1000, at(k)), S, state);
        results.push(r);
        state = r.state;
    }
    return results;
}
const kinds = (r: ReturnType<typeof decide>) => r.actions.map((a) => `${a.kind} ${a.node}`);
const actionsOf = (d: ReturnType<typeof decide>["decisions"]) => d.map((x) => x.action);
const unreachable = (atMs: number, error?: string): Observation => ({ atMs, reachable: false, error, nodes: [] });

describe("controller decisions", () => {
    describe("rebuilding from Docker (no state survives a restart)", () => {
        it("takes the nodes that run as the desired count, within floor and ceiling", () => {
            assert.equal(decide(obs(T0, fleet(50, 3)), S, INITIAL_STATE).state.desired, 3);
            assert.equal(decide(obs(T0, fleet(50, 1)), S, INITIAL_STATE).state.desired, 2, "floor");
            const six = [1, 2, 3, 4, 5, 6].map((i) => node(i));
            assert.equal(decide(obs(T0, six), S, INITIAL_STATE).state.desired, 4, "ceiling");
        });

        it("counts a killed node as meant to run (it is healed, not replaced by a standby)", () => {
            const nodes = [node(1), node(2, { status: "exited", exitCode: 137, finishedAt: T0 - 1000 }), standby(3)];
            const r = decide(obs(T0, nodes), S, INITIAL_STATE);
            assert.equal(r.state.desired, 2);
            assert.deepEqual(kinds(r), ["restart node-2"]);
        });

        it("counts a node failing its health check as meant to run, and says what it rebuilt", () => {
            const r = decide(
                obs(T0, [node(1), node(2), node(3, { health: "unhealthy" }), standby(4)]),
                S,
                INITIAL_STATE,
            );
            assert.equal(r.state.desired, 3);
            assert.deepEqual(r.decisions, [
                { action: "rebuild", reason: "started: 3 node(s) meant to run, desired 3 (floor 2, ceiling 4)" },
                { action: "restart", node: "node-3", reason: "its health check fails (restart 1)" },
            ]);
        });
    });

    describe("what each node is (/status)", () => {
        const crashed = { status: "exited", exitCode: 1, finishedAt: T0 - 20_000, health: "none" } as const;
        // node-2 was restarted 10 s before T0; its next restart is due at T0 + 10 s.
        const memory = { attempts: 1, lastRestartMs: T0 - 10_000, notBeforeMs: T0 + 10_000 };
        const cases: Array<[string, NodeObservation, number, boolean, NodeState]> = [
            ["failed, before its next restart is due", node(2, crashed), T0, true, "backoff"],
            ["failed, its next restart due now", node(2, crashed), T0 + 10_000, true, "unhealthy"],
            ["failed, past its next restart", node(2, crashed), T0 + 20_000, true, "unhealthy"],
            ["failed, never restarted", node(2, crashed), T0, false, "unhealthy"],
            ["paused", node(2, { status: "paused" }), T0, false, "unhealthy"],
            ["dead", node(2, { status: "dead", health: "none" }), T0, false, "unhealthy"],
            [
                "running long since, its health check still starting",
                node(2, { health: "starting" }),
                T0,
                false,
                "starting",
            ],
            [
                "healthy, started exactly the cooldown (20 s) ago",
                node(2, { startedAt: T0 - 20_000 }),
                T0,
                false,
                "running",
            ],
            [
                "healthy, started just under the cooldown ago",
                node(2, { startedAt: T0 - 19_999 }),
                T0,
                false,
                "starting",
            ],
            ["being restarted by Docker", node(2, { status: "restarting", health: "none" }), T0, false, "starting"],
            [
                "being restarted by Docker after a crash (its last exit code kept)",
                node(2, { status: "restarting", health: "none", exitCode: 1, finishedAt: T0 - 1000 }),
                T0,
                false,
                "starting",
            ],
            [
                "exited with a failure code but no finish time (Docker's 0001-01-01)",
                node(2, { status: "exited", health: "none", exitCode: 1, finishedAt: 0 }),
                T0,
                false,
                "standby",
            ],
        ];
        for (const [what, n, at, restarted, expected] of cases) {
            it(`reports a node ${what} as ${expected}`, () => {
                const healing: ControllerState["healing"] = restarted ? { "node-2": memory } : {};
                const state = { ...INITIAL_STATE, desired: 2, healing };
                assert.equal(decide(obs(at, [node(1), n]), S, state).nodeStates["node-2"], expected);
            });
        }
    });

    describe("scale-out", () => {
        it("adds one node after evaluationPeriods checks above cpuHighPercent, starting a standby", () => {
            const r = run(2, () => fleet(90));
            assert.deepEqual(kinds(r[0]), [], "one check is not an alarm");
            assert.equal(r[0].alarms.high, "INSUFFICIENT_DATA");
            assert.equal(r[1].alarms.high, "ALARM");
            assert.deepEqual(kinds(r[1]), ["start node-3"]);
            assert.equal(r[1].state.desired, 3);
            assert.ok(actionsOf(r[1].decisions).includes("scale-out"));
        });

        it("says why it scales out and why it starts the node, and nothing else", () => {
            const r = run(2, () => fleet(90));
            assert.deepEqual(r[1].decisions, [
                { action: "scale-out", reason: "max node CPU 90.0 % > 70 % for 2 x 10 s: desired 3" },
                { action: "start", node: "node-3", reason: "2 node(s) meant to run, desired 3" },
            ]);
        });

        it("says the alarm found the fleet already at the ceiling", () => {
            const r = run(2, () => fleet(95, 4), { ...INITIAL_STATE, desired: 4 });
            assert.deepEqual(kinds(r[1]), []);
            assert.deepEqual(r[1].decisions, [
                { action: "none", reason: "max node CPU 95.0 % > 70 % for 2 x 10 s, but already at the ceiling (4)" },
            ]);
        });

        it("acts on the busiest node: one node above the threshold is enough (Maximum)", () => {
            const r = run(2, () => [node(1, { cpuPercent: 95 }), node(2, { cpuPercent: 5 }), standby(3), standby(4)]);
            assert.deepEqual(kinds(r[1]), ["start node-3"]);
        });

        it("does not act at exactly the threshold", () => {
            const r = run(3, () => fleet(70));
            assert.deepEqual(r.flatMap(kinds), []);
        });

        it("starts the most recently stopped node first, never-started ones last", () => {
            const nodes = [
                node(1, { cpuPercent: 90 }),
                node(2, { cpuPercent: 90 }),
                stopped(3, T0 - 60_000),
                stopped(4, T0 - 5_000),
            ];
            const r = run(2, () => nodes);
            assert.deepEqual(kinds(r[1]), ["start node-4"]);
            const mixed = [
                node(1, { cpuPercent: 90 }),
                node(2, { cpuPercent: 90 }),
                standby(3),
                stopped(4, T0 - 60_000),
            ];
            assert.deepEqual(kinds(run(2, () => mixed)[1]), ["start node-4"]);
        });

        /** Checks with the load on every running node; a node the controller starts runs (and is busy) at once. */
        function underLoad(checks: number, settings: DecisionSettings = S) {
            let running = 2;
            let state: ControllerState = INITIAL_STATE;
            const results = [];
            for (let k = 0; k < checks; k++) {
                const r = decide(obs(T0 + k * 10_000, fleet(95, running)), settings, state);
                running = Math.min(4, running + r.actions.filter((a) => a.kind === "start").length);
                state = r.state;
                results.push(r);
            }
            return results;
        }

        it("adds one node per window while the load persists, and never more than the ceiling", () => {
            const results = underLoad(30);
            assert.ok(results.every((r) => (r.state.desired ?? 0) <= 4));
            assert.deepEqual(
                results.flatMap(kinds).filter((k) => k.startsWith("start")),
                ["start node-3", "start node-4"],
            );
            assert.ok(results.some((r) => r.decisions.some((d) => /ceiling/.test(d.reason))));
        });

        it("waits the cooldown between two actions (one node per window, not per check)", () => {
            const at = underLoad(10).flatMap((r, k) => (r.actions.some((a) => a.kind === "start") ? [k] : []));
            // The alarm at check 1; then the cooldown (20 s = 2 checks) and a fresh window of 2 checks.
            assert.equal(at[0], 1);
            assert.equal(at[1], 3);
        });

        it("needs a fresh window of checks after an action even without a cooldown", () => {
            const at = underLoad(10, { ...S, cooldownSeconds: 0 }).flatMap((r, k) =>
                r.actions.some((a) => a.kind === "start") ? [k] : [],
            );
            assert.deepEqual(at, [1, 3], "checks 2 and 3 are the second window");
        });

        it("waits a cooldown longer than the window", () => {
            const at = underLoad(10, { ...S, cooldownSeconds: 40 }).flatMap((r, k) =>
                r.actions.some((a) => a.kind === "start") ? [k] : [],
            );
            assert.deepEqual(at, [1, 5], "40 s after check 1");
        });

        it("does not count a node still starting or in its warm-up", () => {
            // node-3 just started and is idle: counted, it would pull the Maximum nowhere, but it would keep the
            // low alarm from seeing the busy ones alone; excluded, the busy nodes decide.
            const nodes = (k: number) => [
                node(1, { cpuPercent: 95 }),
                node(2, { cpuPercent: 95 }),
                node(3, { startedAt: T0 + k * 10_000 - 5_000, cpuPercent: null, health: "starting" }),
                standby(4),
            ];
            const r = run(2, nodes, { ...INITIAL_STATE, desired: 3 });
            assert.deepEqual(kinds(r[1]), ["start node-4"], "the sample-less starting node does not block the alarm");
            const warm = (k: number) => [
                node(1, { cpuPercent: 50 }),
                node(2, { cpuPercent: 50 }),
                node(3, { startedAt: T0 + k * 10_000 - 5_000, cpuPercent: 99 }),
                standby(4),
            ];
            assert.deepEqual(
                run(3, warm, { ...INITIAL_STATE, desired: 3 }).flatMap(kinds),
                [],
                "a warming node's CPU does not count",
            );
        });
    });

    describe("scale-in", () => {
        const three = (cpu: number) => [
            node(1, { cpuPercent: cpu }),
            node(2, { cpuPercent: cpu }),
            node(3, { cpuPercent: cpu }),
            standby(4),
        ];

        it("stops one node (kept, not removed) after evaluationPeriods checks below cpuLowPercent", () => {
            const r = run(2, () => three(5));
            assert.deepEqual(kinds(r[0]), []);
            assert.equal(r[1].alarms.low, "ALARM");
            assert.deepEqual(kinds(r[1]), ["stop node-3"]);
            assert.equal(r[1].state.desired, 2);
            assert.ok(r[1].state.stoppedByController.includes("id-3"));
        });

        it("needs every node below the threshold: one busy node keeps them all", () => {
            const r = run(4, () => [
                node(1, { cpuPercent: 5 }),
                node(2, { cpuPercent: 5 }),
                node(3, { cpuPercent: 50 }),
                standby(4),
            ]);
            assert.deepEqual(r.flatMap(kinds), []);
        });

        it("says why it scales in and why it stops the node", () => {
            const r = run(2, () => three(5));
            assert.deepEqual(r[1].decisions, [
                { action: "scale-in", reason: "max node CPU 5.0 % < 20 % for 2 x 10 s: desired 2" },
                {
                    action: "stop",
                    node: "node-3",
                    reason: "3 node(s) meant to run, desired 2: drained, then stopped (kept)",
                },
            ]);
        });

        for (const [what, over] of [
            ["paused", { paused: true }],
            ["cooling down (a scaling action 5 s ago)", { lastScaleMs: T0 - 5_000 }],
        ] as const) {
            it(`does not scale in while ${what}`, () => {
                // One low check already in the window: the check at T0 completes the low alarm.
                const state = { ...INITIAL_STATE, desired: 3, history: [5], ...over };
                const r = decide(obs(T0, three(5)), S, state);
                assert.equal(r.alarms.low, "ALARM");
                assert.deepEqual(kinds(r), []);
                assert.equal(r.state.desired, 3);
            });
        }

        it("acts at once on the new desired count when a scale-in leaves the fleet still short", () => {
            // desired 4 but only node-1 and node-2 run (both idle): the scale-in makes it 3, and one standby starts now.
            const nodes = [node(1, { cpuPercent: 5 }), node(2, { cpuPercent: 5 }), standby(3), standby(4)];
            const r = decide(obs(T0, nodes), S, { ...INITIAL_STATE, desired: 4, history: [5] });
            assert.deepEqual(kinds(r), ["start node-3"]);
            assert.deepEqual(r.decisions, [
                { action: "scale-in", reason: "max node CPU 5.0 % < 20 % for 2 x 10 s: desired 3" },
                { action: "start", node: "node-3", reason: "2 node(s) meant to run, desired 3" },
            ]);
        });

        it("stops a node still starting before a running one of lower number", () => {
            const nodes = [node(1), node(2), node(3, { health: "starting" })];
            const r = decide(obs(T0, nodes), S, { ...INITIAL_STATE, desired: 2, desiredChanged: true });
            assert.deepEqual(kinds(r), ["stop node-3"]);
        });

        it("never stops a node it is healing to meet a lower desired count", () => {
            const nodes = [node(1), node(2), node(3, { health: "unhealthy" })];
            const r = decide(obs(T0, nodes), S, { ...INITIAL_STATE, desired: 2, desiredChanged: true });
            assert.ok(kinds(r).includes("restart node-3"));
            assert.ok(!kinds(r).includes("stop node-3"), `${kinds(r)}`);
        });

        it("orders nodes by number, not by name or by Docker's listing: node-10 is stopped before node-9", () => {
            const ten = { ...S, ceiling: 10 };
            const nodes = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1].map((i) => node(i)); // Docker lists the newest first
            const r = decide(obs(T0, nodes), ten, { ...INITIAL_STATE, desired: 8, desiredChanged: true });
            assert.deepEqual(kinds(r), ["stop node-10", "stop node-9"]);
        });

        it("does not heal a node it stopped that exits with a failure code after its drain", () => {
            const state = run(2, () => three(5))[1].state; // node-3 stopped at T0 + 10 s
            const draining = decide(
                obs(T0 + 20_000, [
                    node(1, { cpuPercent: 5 }),
                    node(2, { cpuPercent: 5 }),
                    node(3, { busy: "stopping" }),
                    standby(4),
                ]),
                S,
                state,
            );
            const after = decide(
                obs(T0 + 30_000, [
                    node(1, { cpuPercent: 5 }),
                    node(2, { cpuPercent: 5 }),
                    node(3, { status: "exited", exitCode: 143, finishedAt: T0 + 25_000 }),
                    standby(4),
                ]),
                S,
                draining.state,
            );
            assert.deepEqual([kinds(draining), kinds(after)], [[], []]);
            assert.equal(after.nodeStates["node-3"], "standby");
        });

        it("heals a node it once stopped when, started again by anyone, it crashes", () => {
            const state = { ...INITIAL_STATE, desired: 3, stoppedByController: ["id-3"] };
            const r = run(
                2,
                (k) => [
                    node(1),
                    node(2),
                    k === 0 ? node(3) : node(3, { status: "exited", exitCode: 137, finishedAt: T0 + 5_000 }),
                ],
                state,
            );
            assert.deepEqual(r.map(kinds), [[], ["restart node-3"]]);
        });

        it("forgets the containers it stopped once they no longer exist", () => {
            const state = { ...INITIAL_STATE, desired: 2, stoppedByController: ["id-3", "id-removed"] };
            const r = decide(obs(T0, [node(1), node(2), stopped(3, T0 - 1000)]), S, state);
            assert.deepEqual(r.state.stoppedByController, ["id-3"]);
        });

        it("never goes below nodeCount", () => {
            const r = run(10, () => fleet(0, 2));
            assert.deepEqual(r.flatMap(kinds), []);
            assert.ok(r.every((x) => x.state.desired === 2));
        });

        it("stops the highest-numbered node, keeping node-1..nodeCount", () => {
            const r = run(2, () => three(5), { ...INITIAL_STATE, desired: 3 });
            assert.deepEqual(kinds(r[1]), ["stop node-3"]);
        });

        it("does not take a stopped node's exit code for a failure", () => {
            const state = run(2, () => three(5))[1].state;
            const after = decide(
                obs(T0 + 30_000, [
                    node(1, { cpuPercent: 5 }),
                    node(2, { cpuPercent: 5 }),
                    node(3, { status: "exited", exitCode: 137, finishedAt: T0 + 25_000 }),
                    standby(4),
                ]),
                S,
                state,
            );
            assert.deepEqual(kinds(after), []);
            assert.equal(after.nodeStates["node-3"], "standby");
        });
    });

    describe("flapping, missing and stale data, an unreachable engine", () => {
        it("does nothing on load that flaps across the thresholds", () => {
            assert.deepEqual(run(12, (k) => fleet(k % 2 ? 95 : 5, 3)).flatMap(kinds), []);
        });

        it("does not alarm on checks with a node lacking a sample", () => {
            const r = run(4, () => [
                node(1, { cpuPercent: 95 }),
                node(2, { cpuPercent: null }),
                standby(3),
                standby(4),
            ]);
            assert.deepEqual(r.flatMap(kinds), []);
            assert.ok(r.every((x) => x.alarms.high === "INSUFFICIENT_DATA"));
        });

        it("decides nothing while the engine is unreachable, and needs a fresh window after", () => {
            let state = run(1, () => fleet(95))[0].state;
            const blind = decide({ atMs: T0 + 10_000, reachable: false, error: "ECONNREFUSED", nodes: [] }, S, state);
            assert.deepEqual(blind.actions, []);
            assert.match(blind.decisions[0].reason, /unreachable: ECONNREFUSED/);
            state = blind.state;
            const next = decide(obs(T0 + 20_000, fleet(95)), S, state);
            assert.deepEqual(kinds(next), [], "the gap breaks the run of high checks");
            assert.deepEqual(kinds(decide(obs(T0 + 30_000, fleet(95)), S, next.state)), ["start node-3"]);
        });
    });

    describe("the history of checks, and what a quiet check reports", () => {
        it("keeps only the last evaluationPeriods checks, an unreachable one as missing data", () => {
            const r = run(3, () => fleet(50));
            assert.deepEqual(r[2].state.history, [50, 50]);
            const blind = decide(unreachable(T0 + 30_000, "ECONNREFUSED"), S, r[2].state);
            assert.deepEqual(blind.state.history, [50, null]);
            const blindAgain = decide(unreachable(T0 + 40_000, "ECONNREFUSED"), S, blind.state);
            assert.deepEqual(blindAgain.state.history, [null, null]);
        });

        it("says the engine did not answer when there is no error to report", () => {
            const r = decide(unreachable(T0), S, { ...INITIAL_STATE, desired: 2 });
            assert.deepEqual(r.decisions, [{ action: "none", reason: "Docker engine unreachable: no answer" }]);
        });

        const quiet: Array<[string, Partial<ControllerState>, NodeObservation[], string]> = [
            ["nothing to do", {}, fleet(50), "max node CPU 50.0 %, alarms high OK low OK"],
            ["paused", { paused: true }, fleet(50), "paused; max node CPU 50.0 %, alarms high OK low OK"],
            [
                "cooling down",
                { lastScaleMs: T0 - 5_000 },
                fleet(50),
                "cooling down; max node CPU 50.0 %, alarms high OK low OK",
            ],
            [
                "a node without a sample",
                {},
                [node(1), node(2, { cpuPercent: null }), standby(3)],
                "max node CPU n/a %, alarms high INSUFFICIENT_DATA low INSUFFICIENT_DATA",
            ],
        ];
        for (const [what, over, nodes, reason] of quiet) {
            it(`reports a check with ${what} as one decision to do nothing, with the statistic and the alarms`, () => {
                const state = { ...INITIAL_STATE, desired: 2, history: [50], ...over };
                const r = decide(obs(T0, nodes), S, state);
                assert.deepEqual(r.actions, []);
                assert.deepEqual(r.decisions, [{ action: "none", reason }]);
            });
        }
    });

    describe("healing", () => {
        it("restarts a killed node at the next check, and one failing its health check", () => {
            const killed = [node(1), node(2, { status: "exited", exitCode: 137, finishedAt: T0 - 1 }), standby(3)];
            assert.deepEqual(kinds(decide(obs(T0, killed), S, { ...INITIAL_STATE, desired: 2 })), ["restart node-2"]);
            const hung = [node(1), node(2, { health: "unhealthy" }), standby(3)];
            const r = decide(obs(T0, hung), S, { ...INITIAL_STATE, desired: 2 });
            assert.deepEqual(kinds(r), ["restart node-2"]);
            assert.equal(r.nodeStates["node-2"], "unhealthy");
        });

        const reasons: Array<[string, NodeObservation, string]> = [
            ["fails its health check", node(2, { health: "unhealthy" }), "its health check fails (restart 1)"],
            ["is paused", node(2, { status: "paused" }), "it is paused (restart 1)"],
            ["is dead", node(2, { status: "dead", health: "none" }), "its container is dead (restart 1)"],
            [
                "was killed",
                node(2, { status: "exited", health: "none", exitCode: 137, finishedAt: T0 - 1000 }),
                "it exited with code 137 (restart 1)",
            ],
        ];
        for (const [what, failing, reason] of reasons) {
            it(`restarts a node that ${what}, and says why`, () => {
                const r = decide(obs(T0, [node(1), failing]), S, { ...INITIAL_STATE, desired: 2 });
                assert.deepEqual(r.actions, [{ kind: "restart", node: "node-2", container: "cloudlab-local-node-2" }]);
                assert.deepEqual(r.decisions, [{ action: "restart", node: "node-2", reason }]);
            });
        }

        it("says how long it waits before the next restart, and when the one after may come", () => {
            const crashed = node(2, { status: "exited", health: "none", exitCode: 1, finishedAt: T0 - 1000 });
            let state: ControllerState = { ...INITIAL_STATE, desired: 2 };
            const reported: string[][] = [];
            for (const s of [0, 5, 10]) {
                const r = decide(obs(T0 + s * 1000, [node(1), crashed]), S, state);
                reported.push(r.decisions.map((d) => `${d.action}: ${d.reason}`));
                state = r.state;
            }
            assert.deepEqual(reported, [
                ["restart: it exited with code 1 (restart 1)"],
                ["backoff: it exited with code 1; restarted 1 time(s) already, next restart in 5 s"],
                ["restart: it exited with code 1 (restart 2, next one no sooner than 20 s)"],
            ]);
        });

        it("does not start a standby in place of a node waiting out its backoff", () => {
            const failing = [
                node(1),
                node(2),
                node(3, { status: "exited", exitCode: 1, finishedAt: T0 - 1000 }),
                standby(4),
            ];
            const healing = { "node-3": { attempts: 2, lastRestartMs: T0 - 5_000, notBeforeMs: T0 + 60_000 } };
            const r = run(3, () => failing, { ...INITIAL_STATE, desired: 3, healing });
            assert.deepEqual(r.map(kinds), [[], [], []]);
            assert.equal(r[0].nodeStates["node-3"], "backoff");
            assert.deepEqual(r[0].decisions, [
                {
                    action: "backoff",
                    node: "node-3",
                    reason: "it exited with code 1; restarted 2 time(s) already, next restart in 60 s",
                },
            ]);
        });

        it("does not count a node as recovered while its health check is still starting", () => {
            const memory = { attempts: 1, lastRestartMs: T0, notBeforeMs: T0 + 10_000 };
            const state = { ...INITIAL_STATE, desired: 2, healing: { "node-2": memory } };
            // Up for longer than the cap (80 s), but never healthy: then it fails its check.
            const starting = decide(obs(T0 + 81_000, [node(1), node(2, { health: "starting" })]), S, state);
            assert.deepEqual(starting.state.healing["node-2"], memory);
            const failing = decide(obs(T0 + 91_000, [node(1), node(2, { health: "unhealthy" })]), S, starting.state);
            assert.deepEqual(failing.decisions, [
                {
                    action: "restart",
                    node: "node-2",
                    reason: "its health check fails (restart 2, next one no sooner than 20 s)",
                },
            ]);
        });

        it("forgets the restarts of a node that vanished: its new container starts its backoff from scratch", () => {
            const healing = { "node-3": { attempts: 3, lastRestartMs: T0 - 5_000, notBeforeMs: T0 + 100_000 } };
            const r = run(
                2,
                (k) => [
                    node(1),
                    node(2),
                    ...(k === 0 ? [] : [node(3, { status: "exited", exitCode: 1, finishedAt: T0 + 5_000 })]),
                ],
                { ...INITIAL_STATE, desired: 3, healing },
            );
            assert.deepEqual(kinds(r[1]), ["restart node-3"]);
            assert.deepEqual(r[1].decisions, [
                { action: "restart", node: "node-3", reason: "it exited with code 1 (restart 1)" },
            ]);
        });

        it("leaves a node stopped on purpose (exit 0) and a never-started one alone", () => {
            const r = decide(obs(T0, [node(1), node(2), stopped(3, T0 - 1000), standby(4)]), S, {
                ...INITIAL_STATE,
                desired: 2,
            });
            assert.deepEqual(kinds(r), []);
        });

        it("backs off a node that keeps failing: at once, then 10, 20, 40 s, capped at 80 s, and reports it", () => {
            const failing = () => [
                node(1),
                node(2),
                node(3, { status: "exited", exitCode: 1, finishedAt: T0 }),
                standby(4),
            ];
            let state: ControllerState = { ...INITIAL_STATE, desired: 3 };
            const restartsAt: number[] = [];
            let backoffs = 0;
            for (let s = 0; s <= 300; s += 5) {
                const r = decide(obs(T0 + s * 1000, failing()), S, state);
                if (r.actions.some((a) => a.kind === "restart")) restartsAt.push(s);
                if (r.decisions.some((d) => d.action === "backoff")) backoffs++;
                state = r.state;
            }
            assert.deepEqual(restartsAt.slice(0, 6), [0, 10, 30, 70, 150, 230]);
            // Every restart is followed by a wait, reported once (not at each of its checks).
            assert.equal(backoffs, restartsAt.length);
        });

        it("heals while paused, and a recovered node starts its backoff from scratch", () => {
            const r = decide(obs(T0, [node(1), node(2, { health: "unhealthy" })]), S, {
                ...INITIAL_STATE,
                desired: 2,
                paused: true,
            });
            assert.deepEqual(kinds(r), ["restart node-2"]);
            const healthyLater = decide(obs(T0 + 81_000, [node(1), node(2)]), S, r.state);
            assert.equal(healthyLater.state.healing["node-2"], undefined);
            const notYet = decide(obs(T0 + 30_000, [node(1), node(2)]), S, r.state);
            assert.ok(notYet.state.healing["node-2"], "up for less than the cap is not recovered");
        });

        it("does not heal a node while its own action runs", () => {
            const r = decide(
                obs(T0, [node(1), node(2, { status: "exited", exitCode: 143, finishedAt: T0, busy: "restarting" })]),
                S,
                {
                    ...INITIAL_STATE,
                    desired: 2,
                },
            );
            assert.deepEqual(kinds(r), []);
        });
    });

    describe("pause, desired, and nodes vanishing", () => {
        it("paused: no scaling on alarms", () => {
            const r = run(5, () => fleet(95), { ...INITIAL_STATE, paused: true });
            assert.deepEqual(r.flatMap(kinds), []);
        });

        it("applies a desired count set through the API at once, in both directions", () => {
            const up = decide(obs(T0, fleet(50)), S, { ...INITIAL_STATE, desired: 4, desiredChanged: true });
            assert.deepEqual(kinds(up), ["start node-3", "start node-4"]);
            const down = decide(obs(T0, fleet(50, 4)), S, { ...INITIAL_STATE, desired: 2, desiredChanged: true });
            assert.deepEqual(kinds(down), ["stop node-4", "stop node-3"]);
        });

        it("starts as many standbys as the API asks for and says why, with nothing more when there are enough", () => {
            const r = decide(obs(T0, fleet(50)), S, { ...INITIAL_STATE, desired: 4, desiredChanged: true });
            assert.deepEqual(r.decisions, [
                { action: "start", node: "node-3", reason: "2 node(s) meant to run, desired 4" },
                { action: "start", node: "node-4", reason: "2 node(s) meant to run, desired 4" },
            ]);
        });

        it("says how many nodes can run when there are too few standbys for the desired count", () => {
            const r = decide(obs(T0, [node(1), node(2), standby(3)]), S, {
                ...INITIAL_STATE,
                desired: 4,
                desiredChanged: true,
            });
            assert.deepEqual(kinds(r), ["start node-3"]);
            assert.deepEqual(r.decisions, [
                { action: "start", node: "node-3", reason: "2 node(s) meant to run, desired 4" },
                { action: "none", reason: "desired 4 but only 3 node(s) can run" },
            ]);
        });

        it(`makes up a shortfall nobody decided only after ${SHORTFALL_CHECKS} checks (a deploy replacing a node gets that long)`, () => {
            const gone = [node(1), standby(3), standby(4)]; // node-2 deleted (being replaced)
            const r = run(SHORTFALL_CHECKS, () => gone, { ...INITIAL_STATE, desired: 2 });
            assert.deepEqual(kinds(r[0]), []);
            assert.deepEqual(kinds(r[SHORTFALL_CHECKS - 1]), ["start node-3"]);
        });

        it("starts a node a deploy replaced (it ran; its new container is created stopped) at the first check that sees it", () => {
            // nodeLimit 5, desired 4: node-5 was stopped a minute ago, so it is the standby the shortfall rule would pick.
            const five = { ...S, ceiling: 5 };
            const node5 = stopped(5, T0 - 60_000);
            // Between its drain and its new container, the old node-3 is seen stopped by the engine (exit 0) or gone.
            for (const [what, old] of [
                ["stopped", [stopped(3, T0)]],
                ["deleted", []],
            ] as const) {
                const checks: NodeObservation[][] = [
                    [node(1), node(2), node(3), node(4), node5],
                    [node(1), node(2), ...old, node(4), node5],
                    [node(1), node(2), standby(3, { id: "id-3-new" }), node(4), node5], // declared standby
                    [node(1), node(2), node(3, { id: "id-3-new", health: "starting", startedAt: T0 }), node(4), node5],
                ];
                let state: ControllerState = { ...INITIAL_STATE, desired: 4 };
                const started: string[][] = [];
                for (const [k, nodes] of checks.entries()) {
                    const r = decide(obs(T0 + k * 10_000, nodes), five, state);
                    started.push(kinds(r));
                    state = r.state;
                }
                assert.deepEqual(started, [[], [], ["start node-3"], []], `${what}: node-3 again, never node-5`);
            }
        });

        it("starts a replaced node only once the deploy has moved its new container to its network", () => {
            // The provider creates the container on Docker's bridge, then moves it: meanwhile it is not started.
            const checks: NodeObservation[][] = [
                [node(1), node(2), node(3), node(4)],
                [node(1), node(2), standby(3, { id: "id-3-new", wired: false }), node(4)],
                [node(1), node(2), standby(3, { id: "id-3-new" }), node(4)],
            ];
            const r = run(checks.length, (k) => checks[k], { ...INITIAL_STATE, desired: 4 });
            assert.deepEqual(r.map(kinds), [[], [], ["start node-3"]]);
        });

        for (const i of [1, 2]) {
            it(`leaves a replaced node at or below the floor (node-${i}, floor 2) to the deploy, which declares it running and starts it`, () => {
                // Created, wired, not yet started by the provider: a start from here would race the provider's.
                const others = (nodes: NodeObservation[]) => [1, 2, 3, 4].map((j) => (j === i ? nodes[0] : node(j)));
                const checks: NodeObservation[][] = [
                    others([node(i)]),
                    others([standby(i, { id: `id-${i}-new` })]),
                    others([node(i, { id: `id-${i}-new`, health: "starting", startedAt: T0 })]),
                ];
                const r = run(checks.length, (k) => checks[k], { ...INITIAL_STATE, desired: 4 });
                assert.deepEqual(r.map(kinds), [[], [], []]);
            });
        }

        it("starts only as many replaced nodes as the fleet is short, the lowest-numbered first, and says why", () => {
            // node-3 and node-4 ran; a deploy replaced both while the API lowered desired to 3. Docker lists newest first.
            const runningIds = { "node-1": "id-1", "node-2": "id-2", "node-3": "id-3", "node-4": "id-4" };
            const nodes = [standby(4, { id: "id-4-new" }), standby(3, { id: "id-3-new" }), node(2), node(1)];
            const r = decide(obs(T0, nodes), S, { ...INITIAL_STATE, desired: 3, desiredChanged: true, runningIds });
            assert.deepEqual(r.decisions, [
                {
                    action: "start",
                    node: "node-3",
                    reason: "node-3 ran before its container was replaced (a deploy): started again",
                },
            ]);
            assert.deepEqual(kinds(r), ["start node-3"]);
        });

        it("does not start a replaced node when the fleet is above desired (it stops one instead)", () => {
            const five = { ...S, ceiling: 5 };
            const runningIds = {
                "node-1": "id-1",
                "node-2": "id-2",
                "node-3": "id-3",
                "node-4": "id-4",
                "node-5": "id-5",
            };
            const nodes = [node(1), node(2), node(3), standby(4, { id: "id-4-new" }), standby(5, { id: "id-5-new" })];
            const r = decide(obs(T0, nodes), five, { ...INITIAL_STATE, desired: 2, desiredChanged: true, runningIds });
            assert.deepEqual(kinds(r), ["stop node-3"]);
        });

        it("does not start a replaced node the deploy already started", () => {
            // node-3's new container runs (its check still starting); node-4 is gone: short by one, nobody decided it.
            const runningIds = { "node-1": "id-1", "node-2": "id-2", "node-3": "id-3", "node-4": "id-4" };
            const nodes = [node(1), node(2), node(3, { id: "id-3-new", health: "starting", startedAt: T0 - 1000 })];
            const r = decide(obs(T0, nodes), S, { ...INITIAL_STATE, desired: 4, runningIds });
            assert.deepEqual(kinds(r), []);
        });

        for (const [what, old] of [
            ["stopped", [stopped(3, T0 - 1000)]],
            ["deleted", []],
        ] as const) {
            it(`forgets a node that ran once it is ${what} while the fleet is not short: a later replacement is not started at once`, () => {
                const runningIds = { "node-1": "id-1", "node-2": "id-2", "node-3": "id-3" };
                const checks: NodeObservation[][] = [
                    [node(1), node(2), ...old],
                    [node(1), standby(3, { id: "id-3-new" })], // node-2 being replaced: short by one
                ];
                const r = run(2, (k) => checks[k], { ...INITIAL_STATE, desired: 2, runningIds });
                assert.deepEqual(r.map(kinds), [[], []]);
            });
        }

        it("forgets a vanished node once the starts of a check make up the count", () => {
            // node-4 ran and is gone; the API asks for 3: node-3 starts, so the count is met and node-4 is forgotten.
            const runningIds = { "node-1": "id-1", "node-2": "id-2", "node-4": "id-4" };
            const checks: NodeObservation[][] = [
                [node(1), node(2), standby(3)],
                [node(1), node(3, { health: "starting", startedAt: T0 + 5_000 }), standby(4, { id: "id-4-new" })],
            ];
            const r = run(2, (k) => checks[k], { ...INITIAL_STATE, desired: 3, desiredChanged: true, runningIds });
            assert.deepEqual(r.map(kinds), [["start node-3"], []]);
        });

        it("does not take a standby a deploy replaced for a node that ran, even when the fleet is short", () => {
            const before = [node(1), node(2), standby(3), standby(4)];
            const after = [node(1), standby(3, { id: "id-3-new" }), standby(4, { id: "id-4-new" })]; // node-2 replaced too
            const r = run(2, (k) => (k === 0 ? before : after), { ...INITIAL_STATE, desired: 2 });
            assert.deepEqual(r.map(kinds), [[], []]);
        });

        it("never starts a standby whose create is still under way (not yet on its network) for a shortfall", () => {
            const nodes = [node(1), standby(3, { wired: false }), standby(4)];
            const r = run(SHORTFALL_CHECKS, () => nodes, { ...INITIAL_STATE, desired: 2 });
            assert.deepEqual(kinds(r[SHORTFALL_CHECKS - 1]), ["start node-4"]);
        });

        it("leaves a node that was standby when a deploy replaced it stopped", () => {
            const before = [node(1), node(2), standby(3), standby(4)];
            const after = [node(1), node(2), standby(3, { id: "id-3-new" }), standby(4, { id: "id-4-new" })];
            const r = run(2 * SHORTFALL_CHECKS, (k) => (k === 0 ? before : after), { ...INITIAL_STATE, desired: 2 });
            assert.deepEqual(r.flatMap(kinds), []);
        });

        it("counts a node it is stopping as not running, and one it is starting as running", () => {
            const r = decide(
                obs(T0, [node(1), node(2), node(3, { busy: "stopping" }), standby(4, { busy: "starting" })]),
                S,
                { ...INITIAL_STATE, desired: 3 },
            );
            assert.deepEqual(kinds(r), []);
            assert.equal(r.nodeStates["node-3"], "stopping");
            assert.equal(r.nodeStates["node-4"], "starting");
        });
    });
});

/** The reasons the rarer decisions give (its log and GET /status show them). */
describe("controller decision reasons", () => {
    it("says why a node needs healing", () => {
        const cases: Array<[Partial<NodeObservation>, string | undefined]> = [
            [{ status: "running", health: "unhealthy" }, "its health check fails"],
            [{ status: "paused" }, "it is paused"],
            [{ status: "dead" }, "its container is dead"],
            [{ status: "exited", exitCode: 137, finishedAt: T0 - 1000 }, "it exited with code 137"],
            [{ status: "running", health: "healthy" }, undefined],
        ];
        for (const [over, why] of cases) assert.equal(failure(node(1, over), INITIAL_STATE), why, JSON.stringify(over));
    });

    it("says the engine gave no answer when an unreachable check has no error", () => {
        const r = decide({ atMs: T0, reachable: false, nodes: [] }, S, INITIAL_STATE);
        assert.deepEqual(r.decisions, [{ action: "none", reason: "Docker engine unreachable: no answer" }]);
        const e = decide({ atMs: T0, reachable: false, error: "connect ECONNREFUSED", nodes: [] }, S, INITIAL_STATE);
        assert.deepEqual(e.decisions, [{ action: "none", reason: "Docker engine unreachable: connect ECONNREFUSED" }]);
    });

    it("says how many nodes can run when there are too few standby nodes for the desired count", () => {
        // Desired set to 4 (POST /desired); 2 run, 1 standby: it starts that one, and 3 is all that can run.
        const nodes = [
            node(1),
            node(2),
            node(3, { status: "created", health: "none", startedAt: 0, cpuPercent: null, inBalancer: false }),
        ];
        const r = decide({ atMs: T0, reachable: true, nodes }, S, {
            ...INITIAL_STATE,
            desired: 4,
            desiredChanged: true,
        });
        assert.deepEqual(r.actions, [{ kind: "start", node: "node-3", container: "cloudlab-local-node-3" }]);
        assert.deepEqual(r.decisions, [
            { action: "start", node: "node-3", reason: "2 node(s) meant to run, desired 4" },
            { action: "none", reason: "desired 4 but only 3 node(s) can run" },
        ]);
    });
});
