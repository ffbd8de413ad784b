/**
 * How the Pulumi CLI's YAML and JSON libraries (gopkg.in/yaml.v3 v3.0.1, Go's encoding/json) see a config value, so
 * that the built-in config command reads and writes Pulumi.<stack>.yaml as `pulumi config` does. The `yaml` package
 * reads the files with its failsafe schema (every scalar a string); these rules then give a plain scalar the type
 * yaml.v3 gives it.
 */

/** A value as yaml.v3 decodes it into Go's `any`: bigint for int/uint64, number for float64. */
export type GoValue = string | boolean | bigint | number | null | GoValue[] | { [key: string]: GoValue };

/** A plain scalar yaml.v3 reads as a time.Time, which the CLI then turns into Go's time.String() text. */
export class GoTimestamp {
    constructor(readonly text: string) {}
}

const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;
/** yaml.v3 resolve.go yamlStyleFloat. */
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
/** yaml.v3 resolve.go resolveMap. */
const RESOLVE_MAP: Record<string, GoValue> = {
    true: true,
    True: true,
    TRUE: true,
    false: false,
    False: false,
    FALSE: false,
    "": null,
    "~": null,
    null: null,
    Null: null,
    NULL: null,
    ".nan": NaN,
    ".NaN": NaN,
    ".NAN": NaN,
    ".inf": Infinity,
    ".Inf": Infinity,
    ".INF": Infinity,
    "+.inf": Infinity,
    "+.Inf": Infinity,
    "+.INF": Infinity,
    "-.inf": -Infinity,
    "-.Inf": -Infinity,
    "-.INF": -Infinity,
};

/** Go's strconv.ParseInt/ParseUint(s, 0, 64) (underscores already removed): undefined when it fails. */
function parseGoInt(s: string): bigint | undefined {
    const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
    if (!m) return undefined;
    let digits = m[2];
    let prefix = "";
    if (/^0[xXoObB]/.test(digits)) {
        prefix = `0${digits[1].toLowerCase()}`;
        digits = digits.slice(2);
    } else if (digits.length > 1 && digits[0] === "0") {
        prefix = "0o"; // 0777: a Go octal literal
        digits = digits.slice(1);
    }
    const magnitude = BigInt(prefix + digits);
    const value = m[1] === "-" ? -magnitude : magnitude;
    if (value < INT64_MIN || value > UINT64_MAX || (m[1] === "+" && value > 2n ** 63n - 1n)) return undefined;
    return value;
}

/**
 * yaml.v3 resolve.go parseTimestamp: four digits and '-', then one of its time.Parse layouts. Approximated from
 * above (a few strings time.Parse refuses count as timestamps): the writer then quotes them, the reader refuses them.
 */
function looksLikeTimestamp(s: string): boolean {
    const m = /^(\d{4})-(\d{1,2})-(\d{1,2})([Tt ]\d{1,2}:\d{1,2}:\d{1,2}.*)?$/.exec(s);
    return m !== null && Number(m[2]) >= 1 && Number(m[2]) <= 12 && Number(m[3]) >= 1 && Number(m[3]) <= 31;
}

/** The value yaml.v3's resolve("", s) gives an untagged plain scalar (resolve.go). */
export function resolvePlain(s: string): GoValue | GoTimestamp {
    if (s === "") return null;
    const hint = /^[-+]/.test(s)
        ? "S"
        : /^[0-9]/.test(s)
          ? "D"
          : /^[yYnNtTfFoO~]/.test(s)
            ? "M"
            : s[0] === "."
              ? "."
              : "";
    if (hint === "") return s;
    if (s in RESOLVE_MAP) return RESOLVE_MAP[s];
    if (hint === ".") {
        // strconv.ParseFloat on text that starts with '.'
        return /^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(s) ? Number(s) : s;
    }
    if (hint === "D" || hint === "S") {
        if (looksLikeTimestamp(s)) return new GoTimestamp(s);
        const plain = s.replace(/_/g, "");
        const int = parseGoInt(plain);
        if (int !== undefined) return int;
        if (YAML_STYLE_FLOAT.test(plain) && Number.isFinite(Number(plain))) return Number(plain);
    }
    return s;
}

/** yaml.v3 encode.go isOldBool: YAML 1.1 booleans, which yaml.v3 still quotes when it writes a new string. */
function isOldBool(s: string): boolean {
    return ["y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "n", "N", "no", "No", "NO", "off", "Off", "OFF"].includes(
        s,
    );
}

/** yaml.v3 encode.go isBase60Float. */
function isBase60Float(s: string): boolean {
    return /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/.test(s);
}

/**
 * Whether libyaml's emitter (yaml_emitter_analyze_scalar) may write `s` as a plain scalar in block context.
 * Conservative: a few strings it would write plain come out single-quoted here (same value, other form).
 */
function plainAllowed(s: string): boolean {
    return (
        s !== "" &&
        !/^[\s\-?:,[\]{}#&*!|>'"%@`]/.test(s) &&
        !/^\.\.\./.test(s) &&
        !/\s$/.test(s) &&
        // eslint-disable-next-line no-control-regex -- control characters are what libyaml will not write plain
        !/: |:$| #|[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]/.test(s)
    );
}

export type ScalarStyle = "PLAIN" | "QUOTE_SINGLE" | "QUOTE_DOUBLE" | "BLOCK_LITERAL" | "BLOCK_FOLDED";

/**
 * The style yaml.v3 writes a string in, as `pulumi config set` saves it (sdk/go/common/util/yamlutil/edit.go Edit):
 * a key already in the file keeps its node and so its style, except that a plain scalar whose new text would not
 * read back as a string is double-quoted (encode.go node(): forceQuoting); a new key gets the style yaml.v3's
 * Marshal gives a Go string (encode.go stringv(): plain unless it would resolve to another type, or is a YAML 1.1
 * bool or base-60 float, then double-quoted). libyaml falls back from plain to single quotes when plain is not
 * allowed.
 */
export function styleFor(s: string, existing?: ScalarStyle): ScalarStyle {
    const resolvesToString = typeof resolvePlain(s) === "string";
    if (existing !== undefined && existing !== "PLAIN") return existing;
    const quote = existing === "PLAIN" ? !resolvesToString : !resolvesToString || isOldBool(s) || isBase60Float(s);
    if (quote) return "QUOTE_DOUBLE";
    return plainAllowed(s) ? "PLAIN" : "QUOTE_SINGLE";
}

/**
 * Go's encoding/json float64 text (encode.go floatEncoder): shortest round-trip digits, exponent form below 1e-6 and
 * from 1e21, as JavaScript's Number#toString does; Go keeps the sign of -0.
 */
function goFloat(f: number): string {
    if (!Number.isFinite(f)) throw new Error(`json: unsupported value: ${f}`);
    if (Object.is(f, -0)) return "-0";
    return String(f);
}

/**
 * Go's encoding/json Marshal of a decoded value: compact, map keys sorted, and (json.Marshal's default,
 * escapeHTML) <, > and & escaped; U+2028 and U+2029 are always escaped.
 */
export function goJson(v: GoValue, escapeHTML = true): string {
    if (v === null) return "null";
    if (typeof v === "bigint") return v.toString();
    if (typeof v === "number") return goFloat(v);
    if (typeof v === "boolean") return String(v);
    if (typeof v === "string") {
        let s = JSON.stringify(v)
            .replace(/\u2028/g, "\\u2028")
            .replace(/\u2029/g, "\\u2029");
        if (escapeHTML) s = s.replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026");
        return s;
    }
    if (Array.isArray(v)) return `[${v.map((x) => goJson(x, escapeHTML)).join(",")}]`;
    const keys = Object.keys(v).sort();
    return `{${keys.map((k) => `${goJson(k, escapeHTML)}:${goJson(v[k], escapeHTML)}`).join(",")}}`;
}

/** Go's fmt "%v" of a string, int or bool (pkg/workspace/config.go createConfigValue for primitive defaults). */
export function isGoPrimitive(v: GoValue): v is string | bigint | boolean {
    return typeof v === "string" || typeof v === "bigint" || typeof v === "boolean";
}
