/**
 * `npm run sweep` against a stack of its own on Docker (issue 13): every file is written, the Locust CSVs
 * count what the nodes' own metrics counted, and the cache arm's hit ratio and the backend's delay are in
 * the record. Small (2 user counts x cache on/off, 2 s cells) so CI stays quick; instances are fixed at the
 * stack's two nodes until the controller's POST /desired exists (issue 10).
 */
import { strict as assert } from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import { REPO } from "../../lib/repo";
import type { SweepRecord } from "../../scripts/load/sweep/record";
import { drawnSeries, findChromium, screenshot } from "../support/chromium";
import { removeDockerObjectsNamed, requireDocker } from "../support/dockerSuite";
import { isCi } from "../support/requirements";
import { LocalTestStack, removeImageTags } from "../support/localStack";
import { ENGINE_TITLE } from "../support/engines";
import { testEngineKind } from "../../engine";

const run = promisify(execFile);

/** http_requests_total{route="/data"} of one node, summed over status codes. */
async function dataRequests(nodeUrl: string): Promise<number> {
    const text = await (await fetch(`${nodeUrl}/metrics`)).text();
    let sum = 0;
    for (const line of text.split("\n")) {
        const m = /^http_requests_total\{([^}]*)\} ([0-9.e+]+)$/.exec(line);
        if (m && /route="\/data"/.test(m[1])) sum += Number(m[2]);
    }
    return sum;
}

describe(`npm run sweep on a local stack, on the ${ENGINE_TITLE[testEngineKind()]}`, function () {
    this.timeout(15 * 60_000);
    const stack = new LocalTestStack({
        stack: "sweeptest",
        lbPort: 26080,
        lbStatsPort: 26404,
        nodePortBase: 26001,
        subnet: "10.86.0.0/24",
    });
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "cloudlab-sweep-"));
    const tag = "sweep-a";

    before(async function () {
        await requireDocker(this);
        await removeDockerObjectsNamed(stack.prefix);
        // The release must hold this checkout's app (GET /data): never one left over from an older run.
        await removeImageTags([`cloudlab-app:${tag}`]);
        await stack.up({ imageTag: tag, nodeCount: "2", nodeLimit: "2", cache: "on", backendDelayMs: "10" });
    });

    after(async () => {
        await stack.engine.destroy().catch(() => undefined);
        await removeDockerObjectsNamed(stack.prefix);
        await removeImageTags([`cloudlab-app:${tag}`]);
    });

    it("writes a Locust CSV per cell, the summary, the record and the report; the nodes counted every request", async () => {
        const before = (await Promise.all([1, 2].map((i) => dataRequests(stack.nodeUrl(i))))).reduce((a, b) => a + b);
        const { stderr } = await run(
            process.execPath,
            [
                "--require",
                "ts-node/register/transpile-only",
                "scripts/load/sweep.ts",
                "--stack",
                "sweeptest",
                "--users",
                "2,8",
                "--cache",
                "on,off",
                "--duration",
                "2s",
                "--warmup",
                "1s",
                "--keys",
                "100",
                "--out",
                out,
            ],
            { cwd: REPO, timeout: 5 * 60_000 },
        );
        console.log(
            stderr
                .split("\n")
                .filter((l) => /done:|direct|balancer/.test(l))
                .map((l) => `      ${l}`)
                .join("\n"),
        );
        const after = (await Promise.all([1, 2].map((i) => dataRequests(stack.nodeUrl(i))))).reduce((a, b) => a + b);

        const files = fs.readdirSync(out).sort();
        assert.deepEqual(files, [
            "sweep_record.json",
            "sweep_report.html",
            "sweep_summary.csv",
            "sweep_u2_i2_cache-off_stats.csv",
            "sweep_u2_i2_cache-on_stats.csv",
            "sweep_u8_i2_cache-off_stats.csv",
            "sweep_u8_i2_cache-on_stats.csv",
        ]);
        const record = JSON.parse(fs.readFileSync(path.join(out, "sweep_record.json"), "utf8")) as SweepRecord;
        assert.equal(record.incomplete, undefined);
        assert.equal(record.backend.backendDelayMs, 10);
        assert.equal(record.backend.cacheSettings?.CACHE, "on");
        assert.deepEqual(record.connectivity["2 instance(s)"].slice(0, 2), ["node-1 direct: ok", "node-2 direct: ok"]);

        let counted = 0;
        for (const c of record.cells) {
            const csv = fs.readFileSync(path.join(out, c.statsFile!), "utf8").split("\r\n");
            const row = csv[1].split(",");
            const agg = csv[2].split(",");
            assert.equal(agg[1], "Aggregated");
            assert.equal(row[2], agg[2]);
            assert.equal(Number(row[3]), 0, `${c.statsFile}: failures`);
            counted += Number(row[2]);
            if (c.cache === "on") assert.ok((c.figures.cache.HIT ?? 0) > 0, `${c.statsFile}: no cache hit`);
            else
                assert.ok(
                    (c.figures.cache.BYPASS ?? 0) > 0 && !c.figures.cache.HIT,
                    `${c.statsFile}: cache not bypassed`,
                );
        }
        counted += record.warmups.reduce((a, w) => a + w.requests, 0) + 2; // + the two probe reads
        // A load that stops leaves at most one request per connection in flight: answered by a node, never by the client.
        const inFlight = [...record.cells.map((c) => c.users), ...record.warmups.map((w) => w.users)].reduce(
            (a, b) => a + b,
        );
        const nodes = after - before;
        assert.ok(
            nodes >= counted && nodes <= counted + inFlight,
            `nodes counted ${nodes}, the CSVs ${counted} (+ at most ${inFlight} in flight)`,
        );

        const html = fs.readFileSync(path.join(out, "sweep_report.html"), "utf8");
        assert.equal((html.match(/<path class="series"/g) ?? []).length, 5 * 2, "five charts, two series each");
        assert.match(html, /Cache against one more node|no knee|one instance count only/);
        console.log(`      report: ${path.join(out, "sweep_report.html")}`);
    });

    it("the report renders in headless Chromium: every chart line drew, and a screenshot is kept", async function () {
        const chromium = findChromium();
        if (!chromium) {
            if (isCi()) throw new Error("chromium is missing (apt-get install chromium); CI=true, so this fails");
            console.log("      SKIPPED: no chromium on PATH (apt-get install chromium)");
            return this.skip();
        }
        const html = path.join(out, "sweep_report.html");
        const drawn = await drawnSeries(chromium, html);
        assert.equal(drawn.length, 10, JSON.stringify(drawn));
        for (const d of drawn) assert.ok(d.length > 0 && d.width > 0, `${d.label} did not draw: ${JSON.stringify(d)}`);
        // Kept with the sweep's files in the test's temporary directory (printed), which the test leaves in place.
        const png = path.join(out, "sweep_report.png");
        await screenshot(chromium, html, png);
        assert.ok(fs.statSync(png).size > 10_000, `${png} is nearly empty`);
        console.log(`      screenshot: ${png}`);
    });
});
