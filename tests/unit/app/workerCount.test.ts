import { strict as assert } from "node:assert";
import { cpuCountFromQuota, parseCgroupCpuQuota, workerCount } from "../../../app/src/workerCount";

/** workers for given cgroup texts, available CPUs and WORKERS override */
function workersFor(files: Parameters<typeof parseCgroupCpuQuota>[0], available: number, override?: number): number {
    return workerCount(cpuCountFromQuota(parseCgroupCpuQuota(files), available), override);
}

describe("app/workerCount", () => {
    describe("parseCgroupCpuQuota", () => {
        it("reads a cgroup v2 cpu.max limit", () => {
            assert.deepEqual(parseCgroupCpuQuota({ v2CpuMax: "50000 100000\n" }), { quotaUs: 50000, periodUs: 100000 });
            assert.deepEqual(parseCgroupCpuQuota({ v2CpuMax: "150000 100000" }), { quotaUs: 150000, periodUs: 100000 });
        });
        it('treats cgroup v2 "max" as no limit', () => {
            assert.equal(parseCgroupCpuQuota({ v2CpuMax: "max 100000\n" }), null);
        });
        it("uses the 100 ms default when cpu.max has no period", () => {
            assert.deepEqual(parseCgroupCpuQuota({ v2CpuMax: "200000" }), { quotaUs: 200000, periodUs: 100000 });
        });
        it("reads cgroup v1 quota and period", () => {
            assert.deepEqual(parseCgroupCpuQuota({ v1QuotaUs: "250000\n", v1PeriodUs: "100000\n" }), {
                quotaUs: 250000,
                periodUs: 100000,
            });
        });
        it("treats cgroup v1 quota -1 as no limit", () => {
            assert.equal(parseCgroupCpuQuota({ v1QuotaUs: "-1\n", v1PeriodUs: "100000\n" }), null);
        });
        it("prefers v2 when both hierarchies are visible", () => {
            assert.deepEqual(
                parseCgroupCpuQuota({ v2CpuMax: "100000 100000", v1QuotaUs: "400000", v1PeriodUs: "100000" }),
                {
                    quotaUs: 100000,
                    periodUs: 100000,
                },
            );
        });
        it("treats missing or garbage files as no limit rather than failing", () => {
            assert.equal(parseCgroupCpuQuota({}), null);
            assert.equal(parseCgroupCpuQuota({ v1QuotaUs: "100000" }), null); // period missing
            assert.equal(parseCgroupCpuQuota({ v2CpuMax: "" }), null);
            assert.equal(parseCgroupCpuQuota({ v2CpuMax: "abc 100000" }), null);
            assert.equal(parseCgroupCpuQuota({ v2CpuMax: "50000 0" }), null);
            assert.equal(parseCgroupCpuQuota({ v1QuotaUs: "1.5", v1PeriodUs: "100000" }), null);
        });
        for (const cpuMax of ["1e5 100000", "+50000 100000", "0x10000 100000", "50000 1e5", "5e4"]) {
            it(`treats ${JSON.stringify(cpuMax)} (not plain decimal digits) as no limit, though Number() would read it`, () => {
                assert.equal(parseCgroupCpuQuota({ v2CpuMax: cpuMax }), null);
            });
        }
        it("tolerates blank padding and repeated blanks in cpu.max", () => {
            assert.deepEqual(parseCgroupCpuQuota({ v2CpuMax: "  50000 100000\n" }), {
                quotaUs: 50000,
                periodUs: 100000,
            });
            assert.deepEqual(parseCgroupCpuQuota({ v2CpuMax: "50000 \t 200000" }), {
                quotaUs: 50000,
                periodUs: 200000,
            });
        });
    });

    describe("worker count", () => {
        it("is one per CPU of the quota, rounded up", () => {
            assert.equal(workersFor({ v2CpuMax: "100000 100000" }, 16), 1);
            assert.equal(workersFor({ v2CpuMax: "150000 100000" }, 16), 2);
            assert.equal(workersFor({ v2CpuMax: "400000 100000" }, 16), 4);
            assert.equal(workersFor({ v1QuotaUs: "250000", v1PeriodUs: "100000" }, 16), 3);
        });
        it("is at least 1 for a fractional quota", () => {
            assert.equal(workersFor({ v2CpuMax: "50000 100000" }, 16), 1);
            assert.equal(workersFor({ v2CpuMax: "1000 100000" }, 16), 1);
        });
        it("is capped by the available CPUs", () => {
            assert.equal(workersFor({ v2CpuMax: "800000 100000" }, 2), 2);
            assert.equal(workersFor({ v1QuotaUs: "800000", v1PeriodUs: "100000" }, 3), 3);
        });
        it("equals the available CPUs without a limit", () => {
            assert.equal(workersFor({ v2CpuMax: "max 100000" }, 6), 6);
            assert.equal(workersFor({ v1QuotaUs: "-1", v1PeriodUs: "100000" }, 6), 6);
            assert.equal(workersFor({}, 2), 2);
        });
        it("never goes below 1 even with a bogus CPU count", () => {
            assert.equal(cpuCountFromQuota(null, 0), 1);
            assert.equal(cpuCountFromQuota(null, NaN), 1);
        });
        it("lets WORKERS override the computed count in both directions", () => {
            assert.equal(workersFor({ v2CpuMax: "100000 100000" }, 16, 4), 4);
            assert.equal(workersFor({ v2CpuMax: "max 100000" }, 16, 1), 1);
        });
    });
});
