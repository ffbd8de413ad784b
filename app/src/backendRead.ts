/**
 * GET /data?key=K: a read from a slow backend (a database, as seed 001 has behind its app), with an optional
 * per-process LRU cache in front of it. The backend is a timer, not CPU: a database read costs the app waiting,
 * not computing, which is what makes a cache and another node compete on latency.
 *
 * What happened to a read is in its `X-Cache` header (HIT, MISS, BYPASS, OFF) so a load generator can count the
 * hit ratio without asking the node. A request with `Cache-Control: no-cache` (RFC 9111 5.2.1.4: the client wants
 * the origin's answer) bypasses the cache and leaves it as it was: one stack then serves both arms of the
 * sweep's `--cache on,off` axis.
 */
import { LRUCache } from "lru-cache";
import { quoteValue } from "./quote";

export type CacheOutcome = "HIT" | "MISS" | "BYPASS" | "OFF";

export interface BackendOptions {
    /** Time every backend read takes, ms. */
    delayMs: number;
    cache: { enabled: boolean; ttlSeconds: number; maxEntries: number };
}

export interface BackendAnswer {
    key: string;
    value: string;
    cache: CacheOutcome;
}

const KEY_RE = /^[A-Za-z0-9_.-]{1,64}$/;
const EXPECTED = "expected key=<1..64 letters, digits, '_', '.', '-'>, e.g. /data?key=item-42";

export type DataKeyResult = { ok: true; key: string } | { ok: false; error: string };

/** @param query the raw query string after "?", "" when there is none. */
export function parseDataKey(query: string): DataKeyResult {
    const params = new URLSearchParams(query);
    const unexpected = [...new Set(params.keys())].filter((n) => n !== "key");
    if (unexpected.length > 0)
        return {
            ok: false,
            error: `unexpected query parameter(s) ${unexpected.map((n) => quoteValue(n)).join(", ")}; ${EXPECTED}`,
        };
    const values = params.getAll("key");
    if (values.length !== 1) return { ok: false, error: `key given ${values.length} times; give it once; ${EXPECTED}` };
    const key = values[0] as string;
    if (!KEY_RE.test(key)) return { ok: false, error: `key=${quoteValue(key)} is not valid; ${EXPECTED}` };
    return { ok: true, key };
}

/** True when a request's Cache-Control asks for the origin's answer (no-cache), e.g. "no-cache" or "max-age=0, no-cache". */
export function wantsOrigin(cacheControl: string | undefined): boolean {
    return (cacheControl ?? "").split(",").some((d) => d.trim().toLowerCase() === "no-cache");
}

export class BackendReader {
    private readonly cache: LRUCache<string, string> | undefined;

    constructor(
        readonly options: BackendOptions,
        private readonly wait: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
    ) {
        if (options.cache.enabled)
            this.cache = new LRUCache<string, string>({
                max: options.cache.maxEntries,
                ttl: options.cache.ttlSeconds * 1000,
            });
    }

    async read(key: string, bypassCache = false): Promise<BackendAnswer> {
        if (!this.cache) return { key, value: await this.fromBackend(key), cache: "OFF" };
        if (bypassCache) return { key, value: await this.fromBackend(key), cache: "BYPASS" };
        const cached = this.cache.get(key);
        if (cached !== undefined) return { key, value: cached, cache: "HIT" };
        const value = await this.fromBackend(key);
        this.cache.set(key, value);
        return { key, value, cache: "MISS" };
    }

    private async fromBackend(key: string): Promise<string> {
        if (this.options.delayMs > 0) await this.wait(this.options.delayMs);
        return `value of ${key}`;
    }
}
