import { strict as assert } from "assert";
import { AlarmRule, alarmState, cpuStatistic } from "../../../controller/src/alarm";

const high: AlarmRule = { threshold: 70, comparison: "GreaterThanThreshold", evaluationPeriods: 2 };
const low: AlarmRule = { threshold: 20, comparison: "LessThanThreshold", evaluationPeriods: 2 };

describe("controller CPU alarms (the dev stack's CloudWatch semantics)", () => {
    it("takes the Maximum over the nodes: one busy node is enough", () => {
        assert.equal(cpuStatistic([10, 95, 30]), 95);
        assert.equal(cpuStatistic([12.5]), 12.5);
    });

    it("has no value without nodes, or when any counted node lacks a sample", () => {
        assert.equal(cpuStatistic([]), null);
        assert.equal(cpuStatistic([10, null]), null);
        assert.equal(cpuStatistic([NaN, 10]), null);
    });

    it("is ALARM only when evaluationPeriods consecutive checks are beyond the threshold", () => {
        assert.equal(alarmState([80, 80], high), "ALARM");
        assert.equal(alarmState([50, 80], high), "OK");
        assert.equal(alarmState([80, 50], high), "OK");
        assert.equal(alarmState([10, 80, 90], high), "ALARM", "only the last evaluationPeriods count");
        assert.equal(alarmState([90, 90, 10], high), "OK");
    });

    it("compares strictly, as GreaterThanThreshold and LessThanThreshold do", () => {
        assert.equal(alarmState([70, 70], high), "OK");
        assert.equal(alarmState([70.1, 71], high), "ALARM");
        assert.equal(alarmState([20, 20], low), "OK");
        assert.equal(alarmState([19.9, 0], low), "ALARM");
    });

    it("is INSUFFICIENT_DATA with fewer checks than evaluationPeriods, or a gap among them", () => {
        assert.equal(alarmState([], high), "INSUFFICIENT_DATA");
        assert.equal(alarmState([90], high), "INSUFFICIENT_DATA");
        assert.equal(alarmState([90, null], high), "INSUFFICIENT_DATA");
        assert.equal(alarmState([null, 90], high), "INSUFFICIENT_DATA");
        assert.equal(alarmState([null, 90, 95], high), "ALARM", "an old gap no longer matters");
    });

    it("flapping load never alarms", () => {
        const history = [90, 10, 90, 10, 90, 10];
        for (let i = 1; i <= history.length; i++) {
            assert.notEqual(alarmState(history.slice(0, i), high), "ALARM");
            assert.notEqual(alarmState(history.slice(0, i), low), "ALARM");
        }
    });

    it("honours longer windows", () => {
        const three = { ...high, evaluationPeriods: 3 };
        assert.equal(alarmState([80, 80], three), "INSUFFICIENT_DATA");
        assert.equal(alarmState([80, 80, 80], three), "ALARM");
        assert.equal(alarmState([80, 60, 80], three), "OK");
    });
});
