import { strict as assert } from "node:assert";
import { BackendReader, parseDataKey, wantsOrigin } from "../../../app/src/backendRead";

/** A backend whose "delay" is recorded instead of waited for, so the tests need no clock. */
function reader(cache: { enabled: boolean; ttlSeconds?: number; maxEntries?: number }) {
    const waits: number[] = [];
    const r = new BackendReader({ delayMs: 25, cache: { ttlSeconds: 60, maxEntries: 2, ...cache } }, async (ms) => {
        waits.push(ms);
    });
    return { r, waits };
}

describe("app/backendRead (GET /data)", () => {
    it("without a cache every read goes to the backend and says OFF", async () => {
        const { r, waits } = reader({ enabled: false });
        assert.deepEqual(await r.read("a"), { key: "a", value: "value of a", cache: "OFF" });
        assert.equal((await r.read("a")).cache, "OFF");
        assert.deepEqual(waits, [25, 25]);
    });

    it("with a cache the first read is a MISS at the backend's delay, the next a HIT without it", async () => {
        const { r, waits } = reader({ enabled: true });
        assert.equal((await r.read("a")).cache, "MISS");
        assert.deepEqual(await r.read("a"), { key: "a", value: "value of a", cache: "HIT" });
        assert.deepEqual(waits, [25]);
    });

    it("evicts the least recently used key beyond maxEntries", async () => {
        const { r, waits } = reader({ enabled: true, maxEntries: 2 });
        await r.read("a");
        await r.read("b");
        await r.read("a"); // a is now the most recent
        await r.read("c"); // evicts b
        assert.equal((await r.read("a")).cache, "HIT");
        assert.equal((await r.read("b")).cache, "MISS");
        assert.equal(waits.length, 4);
    });

    it("a bypassing read (Cache-Control: no-cache) goes to the backend and leaves the cache untouched", async () => {
        const { r, waits } = reader({ enabled: true });
        assert.equal((await r.read("a", true)).cache, "BYPASS");
        assert.equal((await r.read("a")).cache, "MISS");
        assert.equal((await r.read("a", true)).cache, "BYPASS");
        assert.equal((await r.read("a")).cache, "HIT");
        assert.deepEqual(waits, [25, 25, 25]);
    });

    it("with delay 0 the backend answers without waiting at all", async () => {
        const waits: number[] = [];
        const r = new BackendReader(
            { delayMs: 0, cache: { enabled: false, ttlSeconds: 60, maxEntries: 2 } },
            async (ms) => {
                waits.push(ms);
            },
        );
        assert.deepEqual(await r.read("a"), { key: "a", value: "value of a", cache: "OFF" });
        assert.deepEqual(waits, []);
    });

    it("reads Cache-Control's no-cache directive among others, in any case", () => {
        assert.equal(wantsOrigin("no-cache"), true);
        assert.equal(wantsOrigin("max-age=0, No-Cache"), true);
        assert.equal(wantsOrigin("no-store"), false);
        assert.equal(wantsOrigin(undefined), false);
    });

    it("parses key=..., and names a bad or missing key", () => {
        assert.deepEqual(parseDataKey("key=item-42"), { ok: true, key: "item-42" });
        for (const [query, shown] of [
            ["", "key given 0 times"],
            ["key=a&key=b", "key given 2 times"],
            ["key=has%20space", 'key="has space"'],
            ["key=" + "x".repeat(65), "key="],
            ["key=a&other=1", '"other"'],
        ]) {
            const r = parseDataKey(query);
            assert.equal(r.ok, false, query);
            if (!r.ok) assert.ok(r.error.includes(shown), `${query}: ${r.error}`);
        }
    });

    it("lists every unexpected parameter once, quoted and comma-separated", () => {
        assert.deepEqual(parseDataKey("b=1&key=a&c=2&b=3"), {
            ok: false,
            error: `unexpected query parameter(s) "b", "c"; expected key=<1..64 letters, digits, '_', '.', '-'>, e.g. /data?key=item-42`,
        });
    });
});
