import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import {
    ACCESS_LOG_FORMAT,
    DRAINING_NODE_SEEN_DOWN_MS,
    HaproxyConfigInput,
    renderHaproxyConfig,
} from "../../components/render/haproxyConfig";
import { hasCommand, requireOrSkip } from "../support/requirements";
import { tempDir } from "../support/tempDir";

const input: HaproxyConfigInput = {
    nodes: ["node-1", "node-2", "node-3", "node-4"],
    appPort: 3000,
    balance: "roundrobin",
    listenPort: 8080,
    statsPort: 8404,
    loadTimeoutSeconds: 620,
    accessLog: { to: "ring", address: "10.80.0.9", port: 5140 },
};

/** The lines of one section (from its header to the next blank line). */
function section(cfg: string, header: string): string[] {
    const lines = cfg.split("\n");
    const start = lines.indexOf(header);
    assert.ok(start >= 0, `no section ${header}`);
    const end = lines.indexOf("", start);
    return lines
        .slice(start + 1, end)
        .map((l) => l.trim())
        .filter((l) => !l.startsWith("#"));
}

describe("HAProxy config rendering", () => {
    const cfg = renderHaproxyConfig(input);

    it("lists every node, found through Docker's DNS, health-checked on /health and up only on a 200", () => {
        const backend = section(cfg, "backend nodes");
        for (const n of ["node-1", "node-2", "node-3", "node-4"])
            assert.ok(backend.includes(`server ${n} ${n}:3000`), `missing ${n}`);
        assert.equal(backend.filter((l) => l.startsWith("server ")).length, 4);
        assert.ok(backend.includes("option httpchk"));
        assert.ok(backend.includes("http-check send meth GET uri /health"));
        // The app answers 503 while it drains: anything but 200 must take the node out.
        assert.ok(backend.includes("http-check expect status 200"), "http-check expect status 200");
        assert.ok(section(cfg, "resolvers docker").includes("nameserver docker 127.0.0.11:53"));
    });

    it("checks every second (500 ms while failing or down), out after 2 failures, back after 2 successes, re-resolving names", () => {
        const defaults = section(cfg, "backend nodes").find((l) => l.startsWith("default-server"));
        assert.equal(
            defaults,
            "default-server check inter 1s fastinter 500ms downinter 500ms fall 2 rise 2 resolvers docker resolve-prefer ipv4" +
                " init-addr none maxconn 200",
        );
        const resolvers = section(cfg, "resolvers docker");
        assert.ok(resolvers.includes("timeout resolve 1s"), "names re-resolved every second");
        assert.ok(section(cfg, "defaults").includes("timeout check 1s"));
    });

    it("sees a draining node down within 1.5 s of its first 503: the next check within 1 s, the second 500 ms later", () => {
        // The line above: inter 1s, fastinter 500ms, fall 2. The local stack's shortest drain is built on this.
        assert.equal(DRAINING_NODE_SEEN_DOWN_MS, 1500);
    });

    it("balances round robin, or leastconn by config", () => {
        assert.ok(section(cfg, "backend nodes").includes("balance roundrobin"));
        const lc = renderHaproxyConfig({ ...input, balance: "leastconn" });
        assert.ok(section(lc, "backend nodes").includes("balance leastconn"));
    });

    it("retries a request a stopped, killed or frozen node failed on another node", () => {
        const d = section(cfg, "defaults");
        assert.ok(d.includes("retries 3"));
        assert.ok(d.includes("option redispatch 1"));
        // The README's list: a connection refused, an empty or garbled answer, a timeout and a 503 are all retried.
        assert.deepEqual(
            d.filter((l) => l.startsWith("retry-on")),
            ["retry-on conn-failure empty-response junk-response response-timeout 503"],
        );
    });

    it("gives up on a node after the README's timeouts: connect 1s, server 3s, queue 10s", () => {
        // Literal values (README, "Failover and capacity"), not the constants the renderer reads.
        const d = section(cfg, "defaults");
        for (const line of [
            "timeout connect 1s",
            "timeout server 3s",
            "timeout client 30s",
            "timeout http-request 10s",
            "timeout http-keep-alive 30s",
            "timeout queue 10s",
        ]) {
            assert.ok(d.includes(line), `defaults lack "${line}"`);
        }
        assert.equal(d.filter((l) => l.startsWith("timeout server")).length, 1);
    });

    it("lets /load run its full timeout, and only /load", () => {
        assert.ok(section(cfg, "backend nodes").includes("http-request set-timeout server 620s if { path /load }"));
    });

    it("is sized for 5000 concurrent clients within 20000 file descriptors", () => {
        const maxconn = (header: string) => {
            const lines = section(cfg, header).filter((l) => l.startsWith("maxconn "));
            assert.equal(lines.length, 1, `${header}: one maxconn`);
            return Number(lines[0].slice("maxconn ".length));
        };
        assert.equal(maxconn("global"), 9000);
        assert.equal(maxconn("frontend web"), 8000);
        assert.ok(maxconn("frontend web") >= 5000, "5000 clients fit the frontend");
        // The balancer container's nofile limit is 20000 (localStack.test.ts): two descriptors per proxied
        // connection, plus listeners, checks and resolvers.
        assert.ok(maxconn("global") * 2 + 500 < 20000, "global maxconn fits 20000 descriptors");
        assert.ok(maxconn("frontend web") <= maxconn("global"));
    });

    it("serves stats and Prometheus metrics on the stats port, access log through a ring to the service", () => {
        const stats = section(cfg, "frontend stats");
        assert.ok(stats.includes("bind :8404"));
        assert.ok(stats.includes("stats uri /stats"));
        assert.ok(stats.includes("http-request use-service prometheus-exporter if { path /metrics }"));
        // Raw: the message is the line itself (newline-framed over TCP), what logsink/ writes and the report parses.
        assert.deepEqual(
            section(cfg, "global").filter((l) => l.startsWith("log ")),
            ["log ring@accesslog len 2048 format raw local0 info"],
        );
        assert.deepEqual(section(cfg, "ring accesslog"), [
            "format raw",
            "maxlen 2048",
            "size 4194304",
            "timeout connect 1s",
            "timeout server 10s",
            "server access-log 10.80.0.9:5140",
        ]);
        assert.ok(section(cfg, "defaults").includes("log global"));
        assert.ok(section(cfg, "defaults").includes(`log-format "${ACCESS_LOG_FORMAT}"`));
    });

    it("logs over UDP or to stdout instead when asked (the bench's other paths), with no ring", () => {
        const stdout = renderHaproxyConfig({ ...input, accessLog: { to: "stdout" } });
        assert.deepEqual(
            section(stdout, "global").filter((l) => l.startsWith("log ")),
            ["log stdout format raw local0 info"],
        );
        const udp = renderHaproxyConfig({ ...input, accessLog: { to: "syslog", address: "10.80.0.9", port: 5140 } });
        assert.deepEqual(
            section(udp, "global").filter((l) => l.startsWith("log ")),
            ["log 10.80.0.9:5140 len 2048 format raw local0 info"],
        );
        assert.doesNotMatch(udp + stdout, /^ring /m);
    });

    it("passes `haproxy -c`", function () {
        requireOrSkip(this, hasCommand("haproxy", ["-v"]), "haproxy", "install it: apt-get install -y haproxy");
        const dir = tempDir("haproxy");
        for (const [name, variant] of Object.entries({
            rr: input,
            lc: { ...input, balance: "leastconn" as const, nodes: ["node-1"], accessLog: { to: "stdout" as const } },
            udp: { ...input, accessLog: { to: "syslog" as const, address: "10.80.0.9", port: 5140 } },
        })) {
            const file = path.join(dir, `${name}.cfg`);
            fs.writeFileSync(file, renderHaproxyConfig(variant));
            const r = spawnSync("haproxy", ["-c", "-f", file], { encoding: "utf8" });
            assert.equal(r.status, 0, `haproxy -c failed:\n${r.stdout}${r.stderr}`);
            assert.doesNotMatch(r.stderr, /WARNING|ALERT/, r.stderr);
        }
    });
});
