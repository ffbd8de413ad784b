const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `--since` of the report: a whole number and a unit (s, m, h, d), e.g. 24h or 90m. Throws naming the bad value. */
export function parseSince(text: string): number {
    const m = /^(\d{1,6})([smhd])$/.exec(text.trim());
    if (!m || Number(m[1]) === 0)
        throw new Error(
            `--since ${JSON.stringify(text)} is not a duration: expected a whole number above 0 and a unit (s, m, h or d), e.g. 24h or 90m`,
        );
    return Number(m[1]) * UNITS[m[2]];
}
