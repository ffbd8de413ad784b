/**
 * How terraform-provider-docker turns Docker's numbers into the strings it stores as state, reimplemented here
 * (independently of the program's own copy in components/config/dockerCpus.ts, so a test of the program against
 * the engine is not the program agreeing with itself).
 */

const NANOS_PER_SECOND = 1_000_000_000n;

/** Go big.Rat.FloatString(places) of nanos / 1e9 (positive values): rounds half away from zero. */
function ratFloatString(nanos: bigint, places: number): string {
    const unit = 10n ** BigInt(9 - places);
    const scaled = (nanos + unit / 2n) / unit;
    const scale = 10n ** BigInt(places);
    if (places === 0) return `${scaled}`;
    return `${scaled / scale}.${(scaled % scale).toString().padStart(places, "0")}`;
}

/**
 * terraform-provider-docker v4.5.0 internal/provider/helpers.go nanoInt64ToDecimalString (the container Read's
 * `cpus`): "0" for 0; FloatString(9) with trailing zeros trimmed, except that a string holding exactly nine '0'
 * characters becomes FloatString(1). So 1e9 -> "1.0", 2e9 -> "2.0", 1.5e9 -> "1.5", 5e8 -> "0.5", and the quirks:
 * 10e9 -> "10." (ten zeros), 5e7 -> "0.1" (nine zeros: rounded to one place).
 */
export function nanoCpusToDecimalString(nanos: number | bigint): string {
    const n = BigInt(nanos);
    if (n === 0n) return "0";
    const nine = ratFloatString(n, 9);
    if ([...nine].filter((c) => c === "0").length === 9) return ratFloatString(n, 1);
    return nine.replace(/0+$/, "");
}

/** moby opts.ParseCPUs: a decimal with at most 9 places, as NanoCPUs ("value is too precise" otherwise). */
export function parseCpus(text: string): number {
    const m = /^(\d+)(?:\.(\d+))?$/.exec(text.trim());
    if (!m) throw new Error(`Error setting cpus: invalid argument ${JSON.stringify(text)}`);
    if ((m[2] ?? "").replace(/0+$/, "").length > 9) throw new Error("Error setting cpus: value is too precise");
    const nanos = BigInt(m[1]) * NANOS_PER_SECOND + BigInt((m[2] ?? "").slice(0, 9).padEnd(9, "0"));
    return Number(nanos);
}

/** Go's fmtFrac: the fraction of v at prec digits, trailing zeros (and a lone point) dropped. */
function fmtFrac(v: bigint, prec: number): { frac: string; rest: bigint } {
    let digits = "";
    let print = false;
    let rest = v;
    for (let i = 0; i < prec; i++) {
        const digit = rest % 10n;
        print = print || digit !== 0n;
        if (print) digits = `${digit}${digits}`;
        rest /= 10n;
    }
    return { frac: print ? `.${digits}` : "", rest };
}

/**
 * Go time.Duration.String() of a number of nanoseconds (the container Read stores healthcheck interval, timeout,
 * start_period and start_interval this way): "0s", "500ms", "1.5µs", "1s", "1m0s", "1h2m3.5s".
 */
export function goDuration(nanos: number | bigint): string {
    let u = BigInt(nanos);
    const neg = u < 0n;
    if (neg) u = -u;
    let out: string;
    if (u < NANOS_PER_SECOND) {
        if (u === 0n) return "0s";
        let prec: number;
        let unit: string;
        if (u < 1000n) {
            prec = 0;
            unit = "ns";
        } else if (u < 1_000_000n) {
            prec = 3;
            unit = "µs";
        } else {
            prec = 6;
            unit = "ms";
        }
        const { frac, rest } = fmtFrac(u, prec);
        out = `${rest}${frac}${unit}`;
    } else {
        const { frac, rest } = fmtFrac(u, 9);
        let s = rest;
        out = `${s % 60n}${frac}s`;
        s /= 60n;
        if (s > 0n) {
            out = `${s % 60n}m${out}`;
            s /= 60n;
            if (s > 0n) out = `${s}h${out}`;
        }
    }
    return neg ? `-${out}` : out;
}
