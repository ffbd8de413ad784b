/**
 * The report's schedule (config key reportSchedule): `off`, or an interval, a whole number and a unit (s, m, h,
 * d). Runs are aligned to the epoch (UTC), so `24h` is every day at 00:00 UTC and `1h` every hour on the hour;
 * each run reports the interval that just ended.
 */
const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Shorter would report on a log that is still being flushed (FLUSH_MS) and mail every few seconds. */
export const MIN_INTERVAL_MS = 10_000;
export const MAX_INTERVAL_MS = 31 * UNITS.d;

/** What a schedule may be, for the error that names a bad one. */
export const SCHEDULE_ALLOWED =
    `off, or an interval of ${MIN_INTERVAL_MS / 1000} s to ${MAX_INTERVAL_MS / UNITS.d} d as a whole number and a unit ` +
    "(s, m, h or d), e.g. 24h (daily at 00:00 UTC) or 1h";

/** Milliseconds between runs, null for `off`, undefined for anything that is not a schedule. */
export function scheduleIntervalMs(text: string): number | null | undefined {
    if (text === "off") return null;
    const m = /^([1-9]\d{0,5})([smhd])$/.exec(text);
    const ms = m ? Number(m[1]) * UNITS[m[2]] : NaN;
    return ms >= MIN_INTERVAL_MS && ms <= MAX_INTERVAL_MS ? ms : undefined;
}

/** Milliseconds between runs, or null for `off`; throws naming the bad value. */
export function parseSchedule(text: string): number | null {
    const ms = scheduleIntervalMs(text);
    if (ms === undefined)
        throw new Error(`reportSchedule ${JSON.stringify(text)} is not a schedule: expected ${SCHEDULE_ALLOWED}`);
    return ms;
}

/** The first run strictly after `now` (ms since the epoch): the next multiple of the interval. */
export function nextRun(now: number, intervalMs: number): number {
    return (Math.floor(now / intervalMs) + 1) * intervalMs;
}

/** Node's timers hold at most 2^31-1 ms (24.8 days); a longer delay fires at once (TimeoutOverflowWarning). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The next timer on the way to `target`: the whole wait when a timer can hold it (`last`), else the longest one,
 * after which the caller sets the next (a 31 d schedule would otherwise run the report in a loop).
 */
export function timerStep(now: number, target: number): { delayMs: number; last: boolean } {
    const left = Math.max(0, target - now);
    return left > MAX_TIMER_MS ? { delayMs: MAX_TIMER_MS, last: false } : { delayMs: left, last: true };
}
