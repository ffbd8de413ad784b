/** The bench's scaling figures: hand-written timestamps, expectations written from the definitions. */
import { strict as assert } from "assert";
import { GOAL_SLACK_SECONDS, scalingFigures, scalingNotes } from "../../scripts/load/bench/scalingFigures";

const T = 1_700_000_000_000;
const TIMES = {
    loadStart: T,
    decidedOut: T + 4_500,
    containerStarted: T + 4_900,
    appAnswering: T + 6_400,
    serving: T + 7_900,
    loadEnd: T + 8_000,
    decidedIn: T + 13_000,
    stopped: T + 16_500,
};

describe("bench scaling figures", () => {
    it("measures load start -> serving and load end -> stopped against the window plus 5 s", () => {
        assert.equal(GOAL_SLACK_SECONDS, 5);
        const f = scalingFigures(TIMES, 2, 2);
        assert.equal(f.windowSeconds, 4);
        assert.equal(f.goalSeconds, 9);
        assert.equal(f.outSeconds, 7.9);
        assert.equal(f.inSeconds, 8.5);
        assert.equal(f.outWithinGoal, true);
        assert.equal(f.inWithinGoal, true);
        assert.equal(scalingFigures({ ...TIMES, stopped: T + 17_100 }, 2, 2).inWithinGoal, false, "9.1 s > 9 s");
        assert.equal(scalingFigures({ ...TIMES, serving: T + 9_000 }, 2, 2).outWithinGoal, true, "exactly the goal");
    });

    it("breaks each reaction into its steps, each after the previous one seen", () => {
        const f = scalingFigures(TIMES, 2, 2);
        assert.deepEqual(
            f.outSteps.map(([name, s]) => [name, s === undefined ? s : Math.round(s * 10) / 10]),
            [
                ["decided", 4.5],
                ["container started", 0.4],
                ["app answering", 1.5],
                ["UP in the balancer", 1.5],
            ],
        );
        const missing = scalingFigures({ ...TIMES, appAnswering: undefined }, 2, 2);
        assert.deepEqual(
            missing.outSteps.map(([name, s]) => [name, s === undefined ? s : Math.round(s * 10) / 10]),
            [
                ["decided", 4.5],
                ["container started", 0.4],
                ["app answering", undefined],
                ["UP in the balancer", 3],
            ],
        );
        const notes = scalingNotes(f, "node-3", "2 x 2 s");
        assert.match(notes[0], /^load start → node-3 serving 7\.9 s \(window 2 x 2 s = 4 s; within the goal 9 s\)/);
        assert.match(
            notes[1],
            /^load end → node-3 stopped 8\.5 s \(within 9 s\): decided \+5\.0 s, drained and stopped \+3\.5 s$/,
        );
        assert.match(scalingNotes(missing, "node-3", "2 x 2 s")[0], /app answering \+\? s/);
    });
});
