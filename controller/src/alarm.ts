/**
 * The CPU alarms, with the semantics of the dev stack's CloudWatch alarms (components/aws/controller.ts imports
 * CPU_STATISTIC from here, so both stacks read the same statistic): one value per check, the statistic over the
 * nodes that count; an alarm is in ALARM when the last `evaluationPeriods` values are all beyond its threshold.
 */

/**
 * The statistic both alarms read over the nodes: seed 004 raised an alarm per node, so one busy node is enough
 * to add a node, and a node is removed only when even the busiest one is idle.
 */
export const CPU_STATISTIC = "Maximum";

export type AlarmState = "OK" | "ALARM" | "INSUFFICIENT_DATA";

/**
 * The statistic of one check: the highest CPU % of the nodes that count, or null (no data) when there is none
 * or when one of them has no sample. Stricter than CloudWatch, which takes the Maximum of whatever reported: a
 * node without a sample could be the busy one, so a check that cannot see every node does not count at all.
 */
export function cpuStatistic(samples: ReadonlyArray<number | null>): number | null {
    if (samples.length === 0 || samples.some((s) => s === null || !Number.isFinite(s))) return null;
    return Math.max(...(samples as number[]));
}

export interface AlarmRule {
    threshold: number;
    /** GreaterThanThreshold (the high alarm) or LessThanThreshold (the low one), as on AWS. */
    comparison: "GreaterThanThreshold" | "LessThanThreshold";
    evaluationPeriods: number;
}

/**
 * The alarm's state after the checks in `history` (oldest first): fewer than `evaluationPeriods` values, or a
 * missing one among the last `evaluationPeriods`, is INSUFFICIENT_DATA (CloudWatch's treatMissingData=missing,
 * made strict); all of them beyond the threshold is ALARM; anything else OK.
 */
export function alarmState(history: ReadonlyArray<number | null>, rule: AlarmRule): AlarmState {
    if (history.length < rule.evaluationPeriods) return "INSUFFICIENT_DATA";
    const window = history.slice(history.length - rule.evaluationPeriods);
    if (window.some((v) => v === null)) return "INSUFFICIENT_DATA";
    const beyond = (v: number) =>
        rule.comparison === "GreaterThanThreshold" ? v > rule.threshold : v < rule.threshold;
    return (window as number[]).every(beyond) ? "ALARM" : "OK";
}
