import { strict as assert } from "assert";
import * as http from "http";
import { AddressInfo } from "net";
import { runLoad } from "../../scripts/load/run";

describe("load engine: shaped requests, X-Cache counting, exact times", function () {
    this.timeout(30_000);

    it("sends each request to the path asked for, with the headers given, and counts what X-Cache said", async () => {
        const seen = new Map<string, number>();
        let noCache = 0;
        const server = http.createServer((req, res) => {
            seen.set(req.url!, (seen.get(req.url!) ?? 0) + 1);
            if (req.headers["cache-control"] === "no-cache") noCache++;
            const hit = req.url!.endsWith("=a");
            res.writeHead(200, { "X-Cache": hit ? "HIT" : "MISS", "Content-Length": "5" });
            res.end("12345");
        });
        await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
        const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/data`;
        let turn = 0;
        try {
            const f = await runLoad({
                urls: [url],
                connections: 2,
                durationS: 1,
                timeoutS: 5,
                request: {
                    nextPath: () => (turn++ % 4 === 0 ? "/data?key=b" : "/data?key=a"),
                    headers: { "Cache-Control": "no-cache" },
                    countCacheHeader: true,
                },
            });
            assert.ok(f.requests > 20, `only ${f.requests} requests`);
            assert.deepEqual([...seen.keys()].sort(), ["/data?key=a", "/data?key=b"]);
            assert.equal(f.timesSource, "hdr-us");
            assert.equal(f.times?.count, f.requests, "every answer timed");
            assert.equal((f.cache.HIT ?? 0) + (f.cache.MISS ?? 0), f.requests);
            // One in four paths asked is key b: MISS, give or take the requests in flight when the load stopped.
            assert.ok(Math.abs((f.cache.MISS ?? 0) - f.requests / 4) <= 4, JSON.stringify(f.cache));
            assert.equal(f.contentBytes, f.requests * 5);
            assert.ok(noCache >= f.requests, `${noCache} requests carried Cache-Control: no-cache`);
            assert.ok(f.p95Ms !== undefined && f.p95Ms >= f.p50Ms && f.p99Ms >= f.p95Ms);
        } finally {
            server.closeAllConnections();
            server.close();
        }
    });
});
