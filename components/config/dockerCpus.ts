/**
 * A container's CPU limit as the docker provider reads it back. `pulumi up` diffs the program's inputs against
 * the state the provider READ after the last create (pulumi-terraform-bridge pkg/tfbridge/provider.go Diff builds
 * the prior state from the old outputs), and `cpus` forces a replacement: an input that does not equal its read-back
 * form ("1" is read back as "1.0") replaces every node on every `up`.
 */

const NANOS_PER_CPU = 1_000_000_000n;

/**
 * Docker's `--cpus` parsing (moby opts.ParseCPUs): a decimal with at most 9 places, as NanoCPUs. Undefined for
 * anything else (Docker refuses it: "value is too precise").
 */
export function cpusToNanos(text: string): bigint | undefined {
    const m = /^(\d+)(?:\.(\d{1,9}))?$/.exec(text.trim());
    if (!m) return undefined;
    return BigInt(m[1]) * NANOS_PER_CPU + BigInt((m[2] ?? "").padEnd(9, "0"));
}

/** big.Rat.FloatString(places) of nanos / 1e9, for places 1 or 9: rounds half away from zero (positive values). */
function floatString(nanos: bigint, places: 1 | 9): string {
    const unit = 10n ** BigInt(9 - places);
    const scaled = (nanos + unit / 2n) / unit;
    const scale = 10n ** BigInt(places);
    return `${scaled / scale}.${(scaled % scale).toString().padStart(places, "0")}`;
}

/**
 * terraform-provider-docker v4.5.0 internal/provider/helpers.go nanoInt64ToDecimalString, which its container Read
 * stores as `cpus`: nine decimal places, trailing zeros trimmed, except that a string with exactly nine '0'
 * characters becomes FloatString(1) (1e9 -> "1.0"). Kept faithfully, quirks included: 10 CPUs read back as "10."
 * (ten zeros: trimmed to the point) and 10.05 as "10.1" (nine zeros: rounded to one place).
 */
export function cpusReadBack(nanos: bigint): string {
    if (nanos === 0n) return "0";
    const nine = floatString(nanos, 9);
    if ([...nine].filter((c) => c === "0").length === 9) return floatString(nanos, 1);
    return nine.replace(/0+$/, "");
}

/**
 * The `cpus` input to declare for a CPU count: its read-back form when that form means the same count to Docker
 * (then a second `up` sees no change); undefined when no input can be stable (the read-back is another number, or
 * ends in '.' as for 10, which is not worth relying on Docker to parse).
 */
export function stableCpusInput(text: string): string | undefined {
    const nanos = cpusToNanos(text);
    if (nanos === undefined || nanos === 0n) return undefined;
    const back = cpusReadBack(nanos);
    return !back.endsWith(".") && cpusToNanos(back) === nanos ? back : undefined;
}
