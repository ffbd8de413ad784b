import { strict as assert } from "assert";
import * as fs from "fs";
import * as http from "http";
import { AddressInfo } from "net";
import * as path from "path";
import { runCell } from "../../scripts/load/cell";
import { bodyBytes, runLoad } from "../../scripts/load/run";
import { tempDir } from "../support/tempDir";

/**
 * The `_stats.csv`'s Average Content Size is measured, not written as 0.0: each answer's body bytes (what
 * Locust's `len(response.content)` counts), averaged over the requests. The servers below answer bodies of a
 * size fixed by the test, so the expected average is that size, whatever the number of requests.
 */
describe("load engine: Average Content Size is the answers' body bytes", function () {
    this.timeout(30_000);

    let outDir: string;
    beforeEach(() => (outDir = tempDir("content-size")));

    async function serve(handler: http.RequestListener): Promise<{ url: string; close: () => void }> {
        const server = http.createServer(handler);
        await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
        return {
            url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
            close: () => {
                server.closeAllConnections();
                server.close();
            },
        };
    }

    /** The cell's rows (entry, Aggregated) as column name -> value. */
    async function cellRows(url: string): Promise<Array<Record<string, string>>> {
        const cell = await runCell(
            { urls: [url], users: 2, instances: 1, nodes: [], durationS: 1, timeoutS: 5, statsFile: "t_stats.csv" },
            { load: runLoad, signal: new AbortController().signal, outDir },
        );
        assert.ok(cell.figures.requests > 10, `only ${cell.figures.requests} requests`);
        const [header, ...rows] = fs
            .readFileSync(path.join(outDir, "t_stats.csv"), "utf8")
            .split("\r\n")
            .filter(Boolean)
            .map((l) => l.split(","));
        return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
    }

    it("a plain GET (the sweep's `/` cells, no request shaping) of a 37-byte answer averages 37.0", async () => {
        // 37 bytes, counted by hand: 26 letters + 10 digits + "\n".
        const body = "abcdefghijklmnopqrstuvwxyz0123456789\n";
        const server = await serve((_req, res) => {
            res.writeHead(200, { "Content-Type": "text/plain", "Content-Length": String(Buffer.byteLength(body)) });
            res.end(body);
        });
        try {
            const rows = await cellRows(server.url);
            assert.deepEqual(
                rows.map((r) => [r.Name, r["Average Content Size"]]),
                [
                    ["/", "37.0"],
                    ["Aggregated", "37.0"],
                ],
            );
        } finally {
            server.close();
        }
    });

    it("a chunked answer (no Content-Length) counts its body, not its chunk framing: 15.0", async () => {
        const server = await serve((_req, res) => {
            res.writeHead(200, { "Content-Type": "text/plain" }); // no length: Node sends it chunked
            res.write("abcdefghij"); // 10 bytes
            res.end("klmno"); // + 5 = 15
        });
        try {
            const rows = await cellRows(server.url);
            assert.deepEqual(
                rows.map((r) => r["Average Content Size"]),
                ["15.0", "15.0"],
            );
        } finally {
            server.close();
        }
    });

    it("bodyBytes: the declared Content-Length in any case of its name, else the body's UTF-8 bytes", () => {
        assert.equal(bodyBytes("x", { "Content-Length": "84" }), 84);
        assert.equal(bodyBytes("x", { "content-length": "85" }), 85);
        assert.equal(bodyBytes("héllo", {}), 6); // é is 2 bytes in UTF-8
        assert.equal(bodyBytes("héllo", { "Content-Length": "bad" }), 6);
        assert.equal(bodyBytes(undefined, undefined), 0);
    });
});
