import { cpusReadBack, cpusToNanos, stableCpusInput } from "./dockerCpus";

/**
 * Parsers turn one raw config string into a typed value or a reason it is not allowed.
 * The reason says what IS allowed; the caller prefixes the key and the bad value.
 */
export type Parsed<T> = { ok: true; value: T } | { ok: false; allowed: string };
export type Parser<T> = (raw: string) => Parsed<T>;

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = <T>(allowed: string): Parsed<T> => ({ ok: false, allowed });

export function integer(min: number, max: number): Parser<number> {
    return (raw) => {
        const t = raw.trim();
        if (!/^-?\d+$/.test(t)) return bad(`an integer from ${min} to ${max}`);
        const n = Number(t);
        return n >= min && n <= max ? ok(n) : bad(`an integer from ${min} to ${max}`);
    };
}

export function decimal(min: number, max: number): Parser<number> {
    return (raw) => {
        const t = raw.trim();
        if (!/^\d+(\.\d+)?$/.test(t)) return bad(`a number from ${min} to ${max}`);
        const n = Number(t);
        return n >= min && n <= max ? ok(n) : bad(`a number from ${min} to ${max}`);
    };
}

/**
 * A container CPU count between min and max, returned in the form the docker provider reads back (see
 * dockerCpus.ts): "1" becomes "1.0", so that an unchanged stack shows no replacement.
 */
export function dockerCpus(min: number, max: number): Parser<string> {
    return (raw) => {
        const range = decimal(min, max)(raw);
        if (!range.ok) return bad(range.allowed);
        const stable = stableCpusInput(raw.trim());
        if (stable !== undefined) return ok(stable);
        const nanos = cpusToNanos(raw.trim());
        const back = nanos === undefined ? "nothing Docker accepts" : `"${cpusReadBack(nanos)}"`;
        return bad(
            `a CPU count with at most 9 decimal places that the docker provider reads back unchanged, e.g. 0.5, 1, 1.5 or 2 ` +
                `(it reads this one back as ${back}, so every \`up\` would replace every node)`,
        );
    };
}

export function oneOf<T extends string>(...choices: T[]): Parser<T> {
    return (raw) =>
        (choices as string[]).includes(raw.trim()) ? ok(raw.trim() as T) : bad(`one of ${choices.join(", ")}`);
}

export function matching(re: RegExp, allowed: string): Parser<string> {
    return (raw) => (re.test(raw) ? ok(raw) : bad(allowed));
}

/** Docker's tag grammar: https://docs.docker.com/reference/cli/docker/image/tag/ */
export const IMAGE_TAG_RE = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
export const imageTag = matching(
    IMAGE_TAG_RE,
    "a Docker tag: letters, digits, '_', '.', '-', not starting with '.' or '-', at most 128 characters",
);

/** ECR's repository name grammar: lowercase path components separated by '/' (no registry host, no tag). */
export const ECR_NAME_RE = /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/;

/** A repository reference without tag or digest, optionally with a registry host[:port]. */
const REPO_RE = /^(?:[a-zA-Z0-9.-]+(?::\d+)?\/)?[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/;
export const repository = matching(
    REPO_RE,
    "an image repository such as cloudlab-app or registry:5000/team/app (no tag)",
);

/** An image reference with an optional tag (base images, balancer image). */
export const imageRef = matching(
    /^(?:[a-zA-Z0-9.-]+(?::\d+)?\/)?[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?$/,
    "an image reference such as node:22-bookworm-slim",
);

export function ipv4ToInt(ip: string): number | undefined {
    const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
    if (!m) return undefined;
    const parts = m.slice(1).map(Number);
    if (parts.some((p) => p > 255)) return undefined;
    return ((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3];
}

export function intToIpv4(n: number): string {
    return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
}

export interface Cidr {
    text: string;
    base: number;
    prefix: number;
    size: number;
}

export function parseCidr(raw: string): Cidr | undefined {
    const m = /^([\d.]+)\/(\d{1,2})$/.exec(raw.trim());
    if (!m) return undefined;
    const base = ipv4ToInt(m[1]);
    const prefix = Number(m[2]);
    if (base === undefined || prefix > 32) return undefined;
    const size = 2 ** (32 - prefix);
    if (base % size !== 0) return undefined; // host bits set: 10.0.0.5/24 is almost always a typo
    return { text: raw.trim(), base, prefix, size };
}

export function cidr(minPrefix: number, maxPrefix: number): Parser<Cidr> {
    return (raw) => {
        const c = parseCidr(raw);
        const allowed = `an IPv4 network in CIDR notation with no host bits set and a prefix from /${minPrefix} to /${maxPrefix}, e.g. 10.77.0.0/24`;
        if (!c || c.prefix < minPrefix || c.prefix > maxPrefix) return bad(allowed);
        return ok(c);
    };
}

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
    return a.base < b.base + b.size && b.base < a.base + a.size;
}

/** A comma-separated list, each item parsed by `item`. Empty string = empty list. */
export function list<T>(item: Parser<T>, what: string): Parser<T[]> {
    return (raw) => {
        const parts = splitList(raw);
        if (parts === undefined) return bad(`a list of ${what}: a JSON array of strings or comma-separated values`);
        const out: T[] = [];
        for (const p of parts) {
            const r = item(p);
            if (!r.ok) return bad(`a comma-separated list of ${what} ('${p}' is not: ${r.allowed})`);
            out.push(r.value);
        }
        return ok(out);
    };
}

/** Pulumi stores `type: array` config as a JSON array; people also type "a,b" by hand. Accept both. */
function splitList(raw: string): string[] | undefined {
    const t = raw.trim();
    if (t.startsWith("[")) {
        try {
            const v: unknown = JSON.parse(t);
            if (Array.isArray(v) && v.every((x) => typeof x === "string")) return v.map((x: string) => x.trim());
        } catch {
            /* fall through to the error below */
        }
        return undefined;
    }
    return t
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s.length > 0);
}
