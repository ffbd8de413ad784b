/**
 * The Docker socket proxy's allow list, checked by the real HAProxy: the rendered config passes `haproxy -c`,
 * and an HAProxy running it in front of a stand-in engine (an HTTP server on a unix socket that records what
 * reaches it) lets exactly the controller's calls through and answers 403 to everything else.
 */
import { strict as assert } from "assert";
import { ChildProcess, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as http from "http";
import * as net from "net";
import * as path from "path";
import { renderSocketProxyConfig } from "../../components/render/socketProxyConfig";
import { hasCommand, requireOrSkip } from "../support/requirements";
import { tempDir } from "../support/tempDir";

async function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const s = net.createServer().listen(0, "127.0.0.1", () => {
            const port = (s.address() as net.AddressInfo).port;
            s.close(() => resolve(port));
        });
        s.on("error", reject);
    });
}

function request(port: number, method: string, urlPath: string): Promise<number> {
    return new Promise((resolve, reject) => {
        const req = http.request({ host: "127.0.0.1", port, method, path: urlPath }, (res) => {
            res.resume();
            res.on("end", () => resolve(res.statusCode ?? 0));
        });
        req.on("error", reject);
        req.end();
    });
}

describe("Docker socket proxy config", () => {
    const dir = tempDir("socket-proxy");
    const socketPath = path.join(dir, "docker.sock");
    let port = 0;
    let haproxy: ChildProcess | undefined;
    let engine: http.Server | undefined;
    const reached: string[] = [];

    before(async function () {
        requireOrSkip(this, hasCommand("haproxy", ["-v"]), "haproxy", "install it: apt-get install -y haproxy");
        port = await freePort();
        engine = http.createServer((req, res) => {
            reached.push(`${req.method} ${req.url}`);
            res.end("{}");
        });
        await new Promise<void>((resolve) => engine!.listen(socketPath, resolve));
        const file = path.join(dir, "proxy.cfg");
        fs.writeFileSync(file, renderSocketProxyConfig({ listenPort: port, socketPath, serverTimeoutSeconds: 10 }));
        haproxy = spawn("haproxy", ["-db", "-f", file], { stdio: "ignore" });
        for (let i = 0; ; i++) {
            const up = await request(port, "GET", "/_ping").then(
                () => true,
                () => false,
            );
            if (up) break;
            if (i > 200) throw new Error("haproxy did not start listening");
            await new Promise((r) => setTimeout(r, 50));
        }
    });

    after(() => {
        haproxy?.kill();
        engine?.close();
    });

    it("passes `haproxy -c`", function () {
        requireOrSkip(this, hasCommand("haproxy", ["-v"]), "haproxy", "install it: apt-get install -y haproxy");
        const file = path.join(dir, "check.cfg");
        fs.writeFileSync(
            file,
            renderSocketProxyConfig({
                listenPort: 2375,
                socketPath: "/var/run/docker.sock",
                serverTimeoutSeconds: 120,
            }),
        );
        const r = spawnSync("haproxy", ["-c", "-f", file], { encoding: "utf8" });
        assert.equal(r.status, 0, `haproxy -c failed:\n${r.stdout}${r.stderr}`);
    });

    const allowed: Array<[string, string]> = [
        ["GET", "/containers/json?all=1&filters=%7B%7D"],
        ["GET", "/v1.41/containers/json"],
        ["GET", "/containers/cloudlab-local-node-3/json"],
        ["GET", "/v1.41/containers/0123abcdef/json"],
        ["GET", "/containers/0123abcdef/stats?stream=false"],
        ["POST", "/containers/cloudlab-local-node-3/start"],
        ["POST", "/v1.41/containers/0123abcdef/stop?t=5"],
        ["POST", "/v1.24/containers/0123abcdef/restart"],
    ];
    for (const [method, p] of allowed) {
        it(`lets ${method} ${p} through to the engine`, async () => {
            reached.length = 0;
            assert.equal(await request(port, method, p), 200);
            assert.deepEqual(reached, [`${method} ${p}`]);
        });
    }

    const refused: Array<[string, string]> = [
        ["POST", "/containers/create"],
        ["POST", "/v1.41/containers/create?name=x"],
        ["DELETE", "/containers/0123abcdef"],
        ["DELETE", "/v1.41/containers/0123abcdef?force=true"],
        ["POST", "/containers/0123abcdef/exec"],
        ["POST", "/containers/0123abcdef/kill"],
        ["POST", "/containers/0123abcdef/update"],
        ["POST", "/containers/0123abcdef/attach"],
        ["GET", "/containers/0123abcdef/logs"],
        ["GET", "/containers/0123abcdef/archive?path=/"],
        ["PUT", "/containers/0123abcdef/archive?path=/"],
        ["POST", "/containers/json"],
        ["GET", "/containers/0123abcdef/start"],
        ["GET", "/images/json"],
        ["GET", "/info"],
        ["GET", "/_ping"],
        ["GET", "/networks"],
        ["GET", "/volumes"],
        ["POST", "/build"],
        ["GET", "/v1.41/containers/../images/json"],
        ["GET", "/containers/%2e%2e%2fimages/json"],
        ["GET", "/vX/containers/json"],
        ["GET", "/prefix/containers/json"],
    ];
    for (const [method, p] of refused) {
        it(`answers 403 to ${method} ${p}, which never reaches the engine`, async () => {
            reached.length = 0;
            assert.equal(await request(port, method, p), 403);
            assert.deepEqual(reached, []);
        });
    }
});
