import { strict as assert } from "assert";
import { spawn } from "child_process";
import * as http from "http";
import * as net from "net";
import { AddressInfo } from "net";
import { NODE_HEALTHCHECK } from "../../../../components/local/healthcheck";
// The engine's model of how Docker (and so the provider) hands durations back: Go's time.Duration String().
import { goDuration } from "../../../../engine/handlers/goFormat";
import { durationNs } from "../../../../engine/handlers/inputs";
import { hasCommand, requireOrSkip } from "../../../support/requirements";

const canonical = (d: string): boolean => goDuration(durationNs(d)!) === d;

interface CheckRun {
    code: number | null;
    signal: NodeJS.Signals | null;
    output: string;
}

/** Runs the check's command exactly as Docker would for CMD (exec'd directly), with PORT in its env. */
function runCheck(port: number, guardMs = 10_000): Promise<CheckRun> {
    const [kind, cmd, ...args] = NODE_HEALTHCHECK.tests;
    assert.equal(kind, "CMD");
    return new Promise((resolve, reject) => {
        // The guard only keeps a broken check from hanging the suite; it is no bound on the check's speed.
        const child = spawn(cmd!, args, { env: { PATH: process.env.PATH, PORT: String(port) }, timeout: guardMs });
        let output = "";
        child.stdout.on("data", (b: Buffer) => (output += b.toString()));
        child.stderr.on("data", (b: Buffer) => (output += b.toString()));
        child.on("error", reject);
        child.on("close", (code, signal) => resolve({ code, signal, output }));
    });
}

async function listen(server: net.Server): Promise<number> {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return (server.address() as AddressInfo).port;
}

async function close(server: net.Server): Promise<void> {
    await new Promise<void>((resolve) => server.close(() => resolve()));
}

describe("node health check (components/local/healthcheck.ts)", function () {
    // Generous: bash starts per check, and the mute-server case waits for the probe's own 1 s bound.
    this.timeout(30_000);
    const servers: net.Server[] = [];
    const sockets: net.Socket[] = [];
    const requests: string[] = [];

    before(function () {
        requireOrSkip(this, hasCommand("bash", ["-c", "true"]), "bash", "the check is a bash script");
    });

    afterEach(async () => {
        for (const s of sockets.splice(0)) s.destroy();
        await Promise.all(servers.splice(0).map(close));
        requests.length = 0;
    });

    async function httpServer(status: number): Promise<number> {
        const server = http.createServer((req, res) => {
            requests.push(`${req.method} ${req.url} HTTP/${req.httpVersion}`);
            res.writeHead(status, { "content-type": "application/json" });
            res.end(JSON.stringify({ status: status === 200 ? "ok" : "draining" }));
        });
        servers.push(server);
        return listen(server);
    }

    it("is healthy on a 200 from GET /health on 127.0.0.1:$PORT", async () => {
        const port = await httpServer(200);
        const r = await runCheck(port);
        assert.equal(r.code, 0, r.output);
        assert.deepEqual(requests, ["GET /health HTTP/1.0"]);
        assert.match(r.output, /HTTP\/1\.1 200/);
    });

    it("is unhealthy on a 503 (the app draining)", async () => {
        const port = await httpServer(503);
        const r = await runCheck(port);
        assert.notEqual(r.code, 0, r.output);
        assert.equal(r.signal, null);
        assert.deepEqual(requests, ["GET /health HTTP/1.0"]);
    });

    it("is unhealthy on any other status (e.g. 204, 500)", async () => {
        for (const status of [204, 500]) {
            const port = await httpServer(status);
            const r = await runCheck(port);
            assert.notEqual(r.code, 0, `${status}: ${r.output}`);
        }
    });

    it("is unhealthy when nothing listens on the port", async () => {
        const probe = net.createServer();
        const port = await listen(probe);
        await close(probe);
        const r = await runCheck(port);
        assert.notEqual(r.code, 0, r.output);
        assert.equal(r.signal, null);
        assert.match(r.output, /refused/i);
    });

    it("gives up by itself on a server that accepts but never answers, sooner than Docker's timeout", async () => {
        const mute = net.createServer((socket) => sockets.push(socket));
        servers.push(mute);
        const port = await listen(mute);
        const r = await runCheck(port);
        assert.notEqual(r.code, 0, r.output);
        assert.equal(r.signal, null, "the check did not end by itself");
        assert.match(r.output, /no status line/);
        // Its own bound, read from the script, is below the timeout Docker enforces.
        const own = /\bread\b[^\n]*\s-t\s+(\d+(?:\.\d+)?)\b/.exec(NODE_HEALTHCHECK.tests.join(" "));
        assert.ok(own, "the probe does not bound its read");
        assert.ok(
            Number(own[1]) * 1e9 < durationNs(NODE_HEALTHCHECK.timeout)!,
            `read -t ${own[1]} vs timeout ${NODE_HEALTHCHECK.timeout}`,
        );
    });

    it("passes shellcheck", function () {
        requireOrSkip(this, hasCommand("shellcheck", ["--version"]), "shellcheck", "apt-get install -y shellcheck");
        const [, cmd, flag, script] = NODE_HEALTHCHECK.tests;
        assert.deepEqual([cmd, flag], ["bash", "-c"]);
        return new Promise<void>((resolve, reject) => {
            const sc = spawn("shellcheck", ["--shell=bash", "--severity=style", "-"]);
            let out = "";
            sc.stdout.on("data", (b: Buffer) => (out += b.toString()));
            sc.on("error", reject);
            sc.on("close", (code) => (code === 0 ? resolve() : reject(new Error(out))));
            sc.stdin.end(script);
        });
    });

    it("writes its durations the way Docker reads them back (no diff on every up)", () => {
        // The formatter itself, on literal values.
        assert.deepEqual(["2s", "500ms", "1m0s", "1m30s", "1h0m0s", "1.5s"].map(canonical), [
            true,
            true,
            true,
            true,
            true,
            true,
        ]);
        assert.deepEqual(["1m", "2000ms", "60s", "0.5s", "1h"].map(canonical), [false, false, false, false, false]);
        for (const key of ["interval", "timeout", "startPeriod"] as const) {
            assert.ok(
                canonical(NODE_HEALTHCHECK[key]),
                `${key} = ${NODE_HEALTHCHECK[key]} is not a canonical Go duration`,
            );
        }
        assert.ok(Number.isInteger(NODE_HEALTHCHECK.retries) && NODE_HEALTHCHECK.retries >= 1);
    });
});
