/**
 * Which key each GET /data request reads: a seeded pseudo-random draw (mulberry32) from a uniform or a Zipf
 * distribution over `count` keys, so a run's key sequence, and with it the cache's hit ratio, can be
 * reproduced from the seed written in its record. Pure.
 */

export type KeyDistribution = { kind: "uniform" } | { kind: "zipf"; exponent: number };

/** mulberry32: a 32-bit seeded generator, uniform on [0, 1). */
export function seededRandom(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

/**
 * Cumulative probabilities of keys 1..count: uniform k/count, Zipf (weight of key k = 1 / k^s) the running sum
 * of the weights over their total. The last is exactly 1.
 */
export function cumulative(count: number, d: KeyDistribution): number[] {
    const weights = Array.from({ length: count }, (_, i) => (d.kind === "uniform" ? 1 : 1 / (i + 1) ** d.exponent));
    const total = weights.reduce((a, b) => a + b, 0);
    let run = 0;
    const cdf = weights.map((w) => (run += w) / total);
    cdf[count - 1] = 1;
    return cdf;
}

/** The 1-based key whose cumulative probability is the first one above `u` (binary search). */
export function keyAt(cdf: number[], u: number): number {
    let lo = 0;
    let hi = cdf.length - 1;
    while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (u < cdf[mid]) hi = mid;
        else lo = mid + 1;
    }
    return lo + 1;
}

/** An endless sequence of keys `key-<n>` drawn from `d` with `seed`. */
export function keySequence(count: number, d: KeyDistribution, seed: number): () => string {
    const cdf = cumulative(count, d);
    const random = seededRandom(seed);
    return () => `key-${keyAt(cdf, random())}`;
}

export function describeDistribution(d: KeyDistribution): string {
    return d.kind === "uniform" ? "uniform" : `zipf:${d.exponent}`;
}
