/**
 * The scaling scenario's figures (issue 10): load start -> the first new node serving, load end -> that node
 * stopped, each beside the controller's alarm window (checkPeriod x evaluationPeriods) and the goal (the window
 * plus {@link GOAL_SLACK_SECONDS}), with where the time went. Pure: timestamps in, table notes out.
 */

/** The goal of issue 10: each reaction within the alarm window plus this. */
export const GOAL_SLACK_SECONDS = 5;

/** Epoch ms of each step; a step not seen is undefined (its part of the breakdown says so). */
export interface ScalingTimes {
    loadStart: number;
    /** The controller's scale-out decision (its /status `at`). */
    decidedOut?: number;
    /** The new node's container State.StartedAt. */
    containerStarted?: number;
    /** Its app first answered GET /health directly (polled on its own port). */
    appAnswering?: number;
    /** The balancer first reported it UP (it gets requests from then on). */
    serving: number;
    loadEnd: number;
    /** The controller's scale-in decision. */
    decidedIn?: number;
    /** Its container seen not running. */
    stopped: number;
}

export interface ScalingFigures {
    outSeconds: number;
    inSeconds: number;
    windowSeconds: number;
    goalSeconds: number;
    outWithinGoal: boolean;
    inWithinGoal: boolean;
    /** Seconds of each step after the previous one seen, in order. */
    outSteps: Array<[string, number | undefined]>;
    inSteps: Array<[string, number | undefined]>;
}

/** Seconds from `from` to each step, each one after the previous step that was seen. */
function steps(from: number, named: Array<[string, number | undefined]>): Array<[string, number | undefined]> {
    let previous = from;
    return named.map(([name, at]) => {
        if (at === undefined) return [name, undefined];
        const s = (at - previous) / 1000;
        previous = at;
        return [name, s];
    });
}

export function scalingFigures(t: ScalingTimes, checkPeriodSeconds: number, evaluationPeriods: number): ScalingFigures {
    const windowSeconds = checkPeriodSeconds * evaluationPeriods;
    const goalSeconds = windowSeconds + GOAL_SLACK_SECONDS;
    const outSeconds = (t.serving - t.loadStart) / 1000;
    const inSeconds = (t.stopped - t.loadEnd) / 1000;
    return {
        outSeconds,
        inSeconds,
        windowSeconds,
        goalSeconds,
        outWithinGoal: outSeconds <= goalSeconds,
        inWithinGoal: inSeconds <= goalSeconds,
        outSteps: steps(t.loadStart, [
            ["decided", t.decidedOut],
            ["container started", t.containerStarted],
            ["app answering", t.appAnswering],
            ["UP in the balancer", t.serving],
        ]),
        inSteps: steps(t.loadEnd, [
            ["decided", t.decidedIn],
            ["drained and stopped", t.stopped],
        ]),
    };
}

function describeSteps(s: Array<[string, number | undefined]>): string {
    return s.map(([name, v]) => `${name} +${v === undefined ? "?" : v.toFixed(1)} s`).join(", ");
}

/** The table's notes: each reaction beside the window and the goal, then its steps. */
export function scalingNotes(f: ScalingFigures, node: string, window: string): string[] {
    const verdict = (ok: boolean) => (ok ? "within" : "OVER");
    return [
        `load start → ${node} serving ${f.outSeconds.toFixed(1)} s (window ${window} = ${f.windowSeconds} s; ${verdict(f.outWithinGoal)} the goal ${f.goalSeconds} s): ${describeSteps(f.outSteps)}`,
        `load end → ${node} stopped ${f.inSeconds.toFixed(1)} s (${verdict(f.inWithinGoal)} ${f.goalSeconds} s): ${describeSteps(f.inSteps)}`,
    ];
}
