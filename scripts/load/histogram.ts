/**
 * Response times of one load, in an HDR histogram (hdr-histogram-js: 3 significant digits over 1 µs .. 1 h),
 * with the count, sum, min and max kept exactly beside it. A percentile is HdrHistogram's: the smallest
 * recorded value v such that at least ceil(p/100 * count) of the samples are <= v (to the histogram's
 * resolution, and never above the exact maximum).
 */
import * as hdr from "hdr-histogram-js";

const HIGHEST_US = 3_600_000_000;

/** Plain figures of a histogram (JSON-friendly): what reports and CSV files are written from. */
export interface LatencySummary {
    /** Timed (answered) requests. */
    count: number;
    meanMs: number;
    minMs: number;
    maxMs: number;
    /** Percent (as written: "50", "99.9") -> ms. */
    percentilesMs: Record<string, number>;
}

export class LatencyHistogram {
    private readonly hist = hdr.build({
        lowestDiscernibleValue: 1,
        highestTrackableValue: HIGHEST_US,
        numberOfSignificantValueDigits: 3,
    });
    count = 0;
    private sumMs = 0;
    private minMs = Infinity;
    private maxMs = 0;

    record(ms: number): void {
        const us = Math.min(HIGHEST_US, Math.max(1, Math.round(ms * 1000)));
        this.hist.recordValue(us);
        this.count++;
        this.sumMs += ms;
        if (ms < this.minMs) this.minMs = ms;
        if (ms > this.maxMs) this.maxMs = ms;
    }

    /** `p` in percent (50, 99.9, 100); 0 when nothing was recorded. */
    percentileMs(p: number): number {
        if (this.count === 0) return 0;
        return Math.min(this.maxMs, this.hist.getValueAtPercentile(p) / 1000);
    }

    get meanMs(): number {
        return this.count === 0 ? 0 : this.sumMs / this.count;
    }

    get min(): number {
        return this.count === 0 ? 0 : this.minMs;
    }

    get max(): number {
        return this.maxMs;
    }

    summary(percents: readonly number[]): LatencySummary {
        return {
            count: this.count,
            meanMs: this.meanMs,
            minMs: this.min,
            maxMs: this.max,
            percentilesMs: Object.fromEntries(percents.map((p) => [String(p), this.percentileMs(p)])),
        };
    }
}
