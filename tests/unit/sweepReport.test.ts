import { strict as assert } from "assert";
import type { LoadFiguresWithClient } from "../../scripts/load/run";
import { parseFlags } from "../../scripts/load/sweep/flags";
import { renderHtml, kneeSentences } from "../../scripts/load/sweep/htmlReport";
import { findKnees } from "../../scripts/load/sweep/knee";
import { CellResult, statsFileName } from "../../scripts/load/cell";
import { hitRatio, knee, summaryCsv } from "../../scripts/load/sweep/outputs";
import { SweepRecord } from "../../scripts/load/sweep/record";
import { SweepRefused, runSweep } from "../../scripts/load/sweep/runSweep";
import { Progress, bar } from "../../scripts/load/sweep/progress";
import { lineChart, niceMax } from "../../scripts/load/sweep/svgChart";

function figures(
    requests: number,
    durationS: number,
    p95Ms: number,
    extra: Partial<LoadFiguresWithClient> = {},
): LoadFiguresWithClient {
    return {
        requests,
        durationS,
        rps: requests / durationS,
        p50Ms: p95Ms / 2,
        p95Ms,
        p99Ms: p95Ms * 2,
        maxMs: p95Ms * 3,
        timesSource: "hdr-us",
        times: { count: requests, meanMs: p95Ms / 2, minMs: 0.5, maxMs: p95Ms * 3, percentilesMs: {} },
        contentBytes: requests * 10,
        cache: {},
        non2xx: 0,
        errors: 0,
        timeouts: 0,
        resets: 0,
        failed: 0,
        unanswered: 0,
        statusCodes: {},
        errorCodes: {},
        clientCpuPercent: 12,
        ...extra,
    };
}

const cell = (users: number, instances: number, f: LoadFiguresWithClient, cache?: "on" | "off"): CellResult => ({
    users,
    instances,
    ...(cache ? { cache } : {}),
    nodes: Array.from({ length: instances }, (_, i) => `node-${i + 1}`),
    method: "GET",
    name: "/",
    figures: f,
    statsFile: statsFileName("sweep", { users, instances, cache }),
});

describe("sweep: summary CSV, file names and the HTML report", () => {
    it("names each cell's file <prefix>_u<users>_i<instances>[_cache-<arm>]_stats.csv", () => {
        assert.equal(statsFileName("sweep", { users: 50, instances: 2 }), "sweep_u50_i2_stats.csv");
        assert.equal(
            statsFileName("run1", { users: 10, instances: 1, cache: "off" }),
            "run1_u10_i1_cache-off_stats.csv",
        );
    });

    it("writes one summary row per cell: Locust-style requests/s (all requests over the duration), ms with 3 decimals", () => {
        const csv = summaryCsv([
            cell(10, 1, figures(1000, 4, 12.5, { errors: 2, failed: 5, cache: { HIT: 900, MISS: 100 } }), "on"),
        ]);
        assert.equal(
            csv,
            "users,instances,cache,requests,failures,requests_per_s,p50_ms,p95_ms,p99_ms,max_ms,mean_ms,failure_ratio,cache_hit_ratio,client_cpu_percent,nodes,stats_file\r\n" +
                "10,1,on,1002,5,250.5,6.250,12.500,25.000,37.500,6.250,0.004990,0.900000,12,node-1,sweep_u10_i1_cache-on_stats.csv\r\n",
        );
    });

    it("the hit ratio is HIT / (HIT + MISS); bypassed reads do not count", () => {
        assert.equal(hitRatio(figures(1, 1, 1, { cache: { HIT: 3, MISS: 1, BYPASS: 50 } })), 0.75);
        assert.equal(hitRatio(figures(1, 1, 1, { cache: { BYPASS: 5 } })), undefined);
    });

    it("draws one SVG path per series, on a round axis", () => {
        assert.equal(niceMax(0), 1);
        assert.equal(niceMax(7), 10);
        assert.equal(niceMax(1100), 2000);
        assert.equal(niceMax(450), 500);
        const svg = lineChart({
            title: "t",
            xLabel: "users",
            yLabel: "rps",
            x: [10, 50],
            series: [
                { label: "1 instance", values: [100, 200], color: "#000" },
                { label: "2 instances", values: [150, undefined], color: "#111", dashed: true },
            ],
        });
        assert.equal((svg.match(/<path class="series"/g) ?? []).length, 2);
        assert.match(svg, /d="M64\.0 \d+\.\d L410\.0 32\.0"/); // 200 on a 0..200 axis is the top of the plot
        assert.match(svg, /stroke-dasharray/);
    });

    it("the report names the knee per user count and carries five charts and the record", () => {
        const cells = [
            cell(10, 1, figures(4000, 4, 20)),
            cell(10, 2, figures(7600, 4, 12)),
            cell(10, 3, figures(7700, 4, 11.9)),
        ];
        const opts = parseFlags(["--users", "10", "--instances", "1,2,3"]);
        const record: SweepRecord = {
            tool: "t",
            startedAt: "2026-12-01T10:00:00Z",
            command: "npm run sweep -- --users 10 --instances 1,2,3",
            machine: "2 cores",
            target: "stack local",
            instancesBy: "controller",
            load: "autocannon",
            options: opts,
            backend: { keys: 1000, keyDistribution: "zipf:1", seed: 1 },
            connectivity: { "1 instance(s)": ["node-1 direct: ok"] },
            cells,
            warmups: [],
            knees: findKnees(cells.map(knee), opts.minGain),
            cacheVsNode: [],
        };
        assert.deepEqual(kneeSentences(record), [
            "10 users: knee at 2 instances (one more node buys less than 10 % in p95 and in throughput)",
        ]);
        const html = renderHtml(record);
        assert.equal((html.match(/<svg /g) ?? []).length, 5);
        assert.match(html, /knee at 2 instances/);
        assert.match(html, /npm run sweep -- --users 10 --instances 1,2,3/);
        // Self-contained: nothing fetched (no src, href or url()), nothing run.
        assert.doesNotMatch(html, /<script|\ssrc=|\shref=|url\(/);
    });

    it("shows the cell, its elapsed seconds and the last second's requests/s: redrawn on a terminal, every 5 s in a log", () => {
        assert.equal(bar(0.5, 10), "[#####-----]");
        assert.equal(bar(2, 4), "[####]");
        const log: string[] = [];
        const p = new Progress({ write: (s: string) => log.push(s) > 0, isTTY: false });
        p.cell("cell u=10 i=2", 10);
        for (const n of [100, 200, 300, 400, 500, 600]) p.tick(n);
        assert.deepEqual(log, ["cell u=10 i=2 5/10 s [##########----------] 500 req/s\n"]);
        const tty: string[] = [];
        const t = new Progress({ write: (s: string) => tty.push(s) > 0, isTTY: true });
        t.cell("c", 2);
        t.tick(7);
        assert.deepEqual(tty, ["\r\x1b[2Kc 1/2 s [##########----------] 7 req/s"]);
    });

    it("refuses --cache on when the nodes' cache is off (X-Cache: OFF), before any load", async () => {
        const opts = parseFlags(["--users", "2", "--cache", "on,off", "--url", "http://127.0.0.1:9/", "--warmup", "0"]);
        let loads = 0;
        const record = {
            backend: { keys: 1, keyDistribution: "uniform", seed: 1 },
            connectivity: {},
            cells: [],
            warmups: [],
        } as unknown as SweepRecord;
        await assert.rejects(
            runSweep(
                opts,
                {
                    target: async () => ({ url: "http://127.0.0.1:9/", nodes: [], isStack: false }),
                    connectivity: undefined,
                    probe: async () => ({ status: 200, xCache: "OFF", body: '{"backendDelayMs":20}' }),
                    load: async () => {
                        loads++;
                        throw new Error("no load expected");
                    },
                    signal: new AbortController().signal,
                    log: () => undefined,
                    progress: new Progress({ write: () => true }),
                },
                record,
            ),
            (err: Error) =>
                err instanceof SweepRefused &&
                /--cache on: the nodes' cache is off .*X-Cache OFF, then OFF.*cloudlab:cache on/.test(err.message),
        );
        assert.equal(loads, 0);
        assert.equal(record.backend.backendDelayMs, 20);
    });
});
