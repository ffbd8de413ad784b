/**
 * The bench's load and scenarios against stand-ins on 127.0.0.1 (plain HTTP servers for the nodes and the
 * balancer, a fake stats page, a fake Docker and a fake `up`): a --quick smoke run of the whole scenario list
 * that needs no Docker and takes seconds.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as http from "http";
import * as path from "path";
import { AddressInfo } from "net";
import Docker from "dockerode";
import { parseFlags } from "../../scripts/load/bench/flags";
import { RunningLoad, cpuPercent, runLoad, startLoad } from "../../scripts/load/run";
import { renderTable } from "../../scripts/load/bench/report";
import { BenchContext, ScenarioResult, runScenario } from "../../scripts/load/bench/scenarios";
import { StackControl } from "../../scripts/load/stackControl";
import { StackTargets } from "../../scripts/load/targets";
import { tempDir } from "../support/tempDir";

async function serve(handler: http.RequestListener): Promise<{ url: string; close: () => Promise<void> }> {
    const server = http.createServer(handler);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return {
        url,
        close: () =>
            new Promise<void>((resolve) => {
                server.closeAllConnections();
                server.close(() => resolve());
            }),
    };
}

const ok: http.RequestListener = (_req, res) => res.end('{"node":"x"}');

describe("bench: load (autocannon as a library)", function () {
    this.timeout(30_000);

    it("measures a short load and finds nothing failed on a healthy server", async () => {
        const s = await serve(ok);
        try {
            const f = await runLoad({ urls: [s.url], connections: 4, durationS: 1, timeoutS: 5 });
            assert.ok(f.requests > 50, `only ${f.requests} requests`);
            assert.ok(f.rps > 0);
            assert.equal(f.failed, 0);
            // Over 50 requests cannot be sent and answered in a second without some CPU of this process.
            assert.ok(
                Number.isInteger(f.clientCpuPercent) && f.clientCpuPercent > 0,
                `client CPU ${f.clientCpuPercent}%`,
            );
        } finally {
            await s.close();
        }
    });

    it("states the client's CPU in % of one core: user + system time over wall time", () => {
        assert.equal(cpuPercent({ user: 300_000, system: 100_000 }, 1_000_000), 40);
        assert.equal(cpuPercent({ user: 1_200_000, system: 300_000 }, 1_000_000), 150);
        assert.equal(cpuPercent({ user: 1_000, system: 0 }, 3_000_000), 0);
        assert.equal(cpuPercent({ user: 2_000, system: 3_000 }, 1_000_000), 1);
    });

    it("counts every 503 as failed", async () => {
        const s = await serve((_req, res) => {
            res.statusCode = 503;
            res.end();
        });
        try {
            const f = await runLoad({ urls: [s.url], connections: 2, durationS: 1, timeoutS: 5 });
            assert.ok(f.non2xx > 0);
            assert.equal(f.failed, f.non2xx + f.errors);
            assert.equal(f.statusCodes["503"], f.non2xx);
        } finally {
            await s.close();
        }
    });

    it("counts refused connections as errors, by code", async () => {
        const s = await serve(ok);
        const url = s.url;
        await s.close();
        const f = await runLoad({ urls: [url], connections: 1, durationS: 1, timeoutS: 5 });
        assert.ok(f.errors > 0);
        assert.ok((f.errorCodes.ECONNREFUSED ?? 0) > 0, JSON.stringify(f.errorCodes));
    });

    it("spreads connections over several URLs", async () => {
        const hits = [0, 0];
        const a = await serve((req, res) => (hits[0]++, ok(req, res)));
        const b = await serve((req, res) => (hits[1]++, ok(req, res)));
        try {
            await runLoad({ urls: [a.url, b.url], connections: 2, durationS: 1, timeoutS: 5 });
            assert.ok(hits[0] > 0 && hits[1] > 0, `hits ${hits}`);
        } finally {
            await a.close();
            await b.close();
        }
    });

    it("stops a background load on demand, long before its bound", async () => {
        const s = await serve(ok);
        try {
            const started = Date.now();
            const load = startLoad({ urls: [s.url], connections: 2, durationS: 300, timeoutS: 5 });
            await new Promise((r) => setTimeout(r, 1200));
            const f = await load.stop();
            assert.ok(Date.now() - started < 5000);
            assert.ok(f.requests > 0);
        } finally {
            await s.close();
        }
    });

    it("refuses a target that is not 127.0.0.1 before opening a socket", () => {
        assert.throws(
            () => new RunningLoad({ urls: ["http://10.77.0.10:8080"], connections: 1, durationS: 1, timeoutS: 1 }),
            /only 127.0.0.1/,
        );
        assert.throws(
            () =>
                new RunningLoad({
                    urls: ["http://127.0.0.1:1", "http://localhost:2"],
                    connections: 1,
                    durationS: 1,
                    timeoutS: 1,
                }),
            /only 127.0.0.1/,
        );
    });
});

describe("bench: every scenario, --quick, against stand-ins", function () {
    this.timeout(90_000);

    const status: Record<string, string> = { "node-1": "UP", "node-2": "UP" };
    const tags: Record<string, string> = { "node-1": "bench-a", "node-2": "bench-a" };
    const ids: Record<string, string> = { "node-1": "id-1", "node-2": "id-2" };
    const servers: Array<Awaited<ReturnType<typeof serve>>> = [];
    let targets: () => StackTargets;

    before(async () => {
        const nodes = [await serve(ok), await serve(ok)];
        const balancer = await serve(ok);
        const stats = await serve((req, res) => {
            assert.equal(req.url, "/stats;csv");
            res.end(
                [
                    "# pxname,svname,scur,status",
                    "web,FRONTEND,7,OPEN",
                    ...Object.entries(status).map(([n, s]) => `nodes,${n},0,${s}`),
                    "nodes,BACKEND,0,UP",
                    "",
                ].join("\n"),
            );
        });
        servers.push(...nodes, balancer, stats);
        targets = () => ({
            prefix: "cloudlab-fake",
            balancer: {
                containerId: "lb",
                containerName: "cloudlab-fake-lb",
                url: balancer.url,
                statsUrl: `${stats.url}/stats`,
            },
            nodes: ["node-1", "node-2"].map((name, i) => ({
                name,
                index: i + 1,
                containerId: ids[name],
                containerName: `cloudlab-fake-${name}`,
                running: true,
                tag: tags[name],
                url: nodes[i].url,
            })),
        });
    });

    after(async () => {
        for (const s of servers) await s.close();
    });

    it("runs them all and fills every row", async () => {
        const later = (ms: number, f: () => void) => setTimeout(f, ms);
        const cpuUpdates: string[] = [];
        const fakeDocker = {
            // No controller container: the scaling scenario says it is skipped.
            listContainers: async () => [],
            getContainer: (id: string) => {
                const name = Object.keys(ids).find((n) => ids[n] === id)!;
                return {
                    kill: async () => {
                        status[name] = "UP 1/2";
                        later(150, () => (status[name] = "MAINT (resolution)"));
                    },
                    start: async () => {
                        // Like HAProxy after a restart: the old "going down" state first, in service only later.
                        status[name] = "UP 1/2";
                        later(300, () => (status[name] = "UP"));
                    },
                    restart: async () => undefined,
                    inspect: async () => ({ HostConfig: { NanoCpus: 500_000_000 } }),
                    update: async (u: { NanoCpus: number }) => void cpuUpdates.push(`${name}=${u.NanoCpus}`),
                };
            },
        } as unknown as Docker;
        const upsRun: string[] = [];
        const control: StackControl = {
            engine: "fake-engine",
            appImage: "cloudlab-app",
            nodeBaseImage: "base",
            originalTag: "bench-a",
            async setTag(tag) {
                upsRun.push(tag);
                await new Promise((r) => setTimeout(r, 200));
                for (const n of Object.keys(tags)) {
                    tags[n] = tag;
                    ids[n] = `${ids[n]}+`;
                }
                return { ok: true, wallMs: 200 };
            },
        };
        const released: string[] = [];
        const twinServer = await serve(ok);
        servers.push(twinServer);
        const twins = { started: 0, stopped: 0 };
        const out = tempDir("bench");
        const ctx: BenchContext = {
            opts: { ...parseFlags(["--quick", "--duration", "1", "--connections", "4", "--many", "40", "--out", out]) },
            docker: fakeDocker,
            discover: async () => targets(),
            control,
            ensureRelease: async (_c, tag) => (released.push(tag), true),
            otherTag: "bench-b",
            twin: async (_t, _n, change) => {
                twins.started++;
                return { url: twinServer.url, changed: change, stop: async () => void twins.stopped++ };
            },
            signal: new AbortController().signal,
            log: () => undefined,
        };
        const done: Partial<Record<string, ScenarioResult>> = {};
        const results: ScenarioResult[] = [];
        for (const id of ctx.opts.scenarios) {
            const r = await runScenario(id, ctx, done);
            done[id] = r;
            results.push(r);
        }
        const table = renderTable(results.map((r) => r.row));
        for (const r of results.filter((x) => x.id !== "scaling")) {
            assert.equal(r.error, undefined, `${r.id}: ${r.error}\n${table}`);
            assert.ok(r.load && r.load.requests > 0, `${r.id} made no requests`);
            assert.equal(r.row.failed, 0, `${r.id}\n${table}`);
        }
        const notes = Object.fromEntries(results.map((r) => [r.id, r.row.notes]));
        assert.match(notes.scaling, /^skipped \(no running controller in stack /);
        assert.match(notes.balancer, /balancer \/ direct-all: req\/s \d+\.\d\d×, p50 /);
        assert.match(
            notes["small-nodes"],
            /direct-all at 0.25 CPU: \d+ req\/s.*balancer \/ direct-all: req\/s \d+\.\d\d×/,
        );
        // Cut to 0.25 CPU, then given back the 0.5 they had.
        assert.deepEqual(cpuUpdates.sort(), [
            "node-1=250000000",
            "node-1=500000000",
            "node-2=250000000",
            "node-2=500000000",
        ]);
        assert.match(notes["small-nodes"], /without the access log: \d+ req\/s, 0 failed, \/ direct-all \d+\.\d\d×/);
        assert.match(
            notes["small-nodes"],
            /with other-balance \(log on\): \d+ req\/s, 0 failed, \/ direct-all \d+\.\d\d×/,
        );
        assert.match(
            notes["balancer-no-log"],
            /no-log balancer \/ direct-all: req\/s \d+\.\d\d×; balancer with its log \/ without: req\/s \d+\.\d\d×/,
        );
        // One twin for balancer-no-log, two for small-nodes (the other balancing, no log), each removed after.
        assert.deepEqual(twins, { started: 3, stopped: 3 });
        assert.match(notes.ceiling, /HttpUser: .*FastHttpUser: /);
        assert.match(notes.kill, /docker kill: out of rotation after \d+\.\d s; docker start: UP after \d+\.\d s/);
        assert.ok(
            (results.find((r) => r.id === "kill")!.extra!.backUpMs as number) >= 250,
            "UP 1/2 after a start is not in service",
        );
        assert.match(
            notes.deploy,
            /up took 0\.\d s \(fake-engine\); 2\/2 nodes replaced, 2\/2 running nodes on bench-b; .*release bench-b built beforehand/,
        );
        assert.match(
            notes.rollback,
            /up took 0\.\d s \(fake-engine\); 2\/2 nodes replaced, 2\/2 running nodes on bench-a/,
        );
        assert.match(
            notes.many,
            /errors 0 \(timeouts 0\), non-2xx 0; balancer frontend peaked at 7 client connections/,
        );
        assert.deepEqual(upsRun, ["bench-b", "bench-a"]);
        // Each steady load is a sweep cell: its Locust-shaped _stats.csv, counting what its row counted.
        const files: Record<string, string> = {
            ceiling: "bench_ceiling_u4_i1_stats.csv",
            "direct-one": "bench_direct-one_u4_i1_stats.csv",
            "direct-all": "bench_direct-all_u4_i2_stats.csv",
            balancer: "bench_balancer_u4_i2_stats.csv",
            "balancer-no-log": "bench_balancer-no-log_u4_i2_stats.csv",
            "small-nodes": "bench_small-nodes_balancer_u4_i2_stats.csv",
            many: "bench_many_u40_i2_stats.csv",
        };
        assert.deepEqual(
            fs.readdirSync(out).sort(),
            [
                ...Object.values(files),
                "bench_small-nodes_direct_u4_i2_stats.csv",
                "bench_small-nodes_no-log_u4_i2_stats.csv",
                "bench_small-nodes_other-balance_u4_i2_stats.csv",
            ].sort(),
        );
        for (const [id, file] of Object.entries(files)) {
            const [header, row, agg] = fs.readFileSync(path.join(out, file), "utf8").split("\r\n");
            const load = results.find((r) => r.id === id)!.load!;
            assert.match(header, /^Type,Name,Request Count,Failure Count,/);
            assert.match(row, /^GET,\/,/);
            assert.equal(Number(agg.split(",")[2]), load.requests + load.errors, `${file}: request count`);
        }
        assert.deepEqual(released, ["bench-b"]);
        assert.equal(results.find((r) => r.id === "many")!.row.connections, "40");
        assert.equal(results.find((r) => r.id === "direct-all")!.row.connections, "4 (2 × 2)");
    });

    it("skips deploy and rollback with the reason when nothing can run `up`", async () => {
        const ctx = {
            opts: parseFlags(["--quick"]),
            discover: async () => targets(),
            controlMissing: "no pulumi CLI; run with --own-stack",
            otherTag: "bench-b",
            signal: new AbortController().signal,
            log: () => undefined,
        } as unknown as BenchContext;
        for (const id of ["deploy", "rollback"] as const) {
            const r = await runScenario(id, ctx, {});
            assert.equal(r.error, undefined);
            assert.equal(r.row.notes, "skipped (no pulumi CLI; run with --own-stack)");
            assert.equal(r.row.rps, undefined);
        }
    });
});
