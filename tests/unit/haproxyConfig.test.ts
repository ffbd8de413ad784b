import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { HaproxyConfigInput, LIMITS, TIMINGS, renderHaproxyConfig } from "../../components/render/haproxyConfig";
import { hasCommand, requireOrSkip } from "../support/requirements";

const input: HaproxyConfigInput = {
    nodes: ["node-1", "node-2", "node-3", "node-4"],
    appPort: 3000,
    balance: "roundrobin",
    listenPort: 8080,
    statsPort: 8404,
    loadTimeoutSeconds: 620,
};

/** The lines of one section (from its header to the next blank line). */
function section(cfg: string, header: string): string[] {
    const lines = cfg.split("\n");
    const start = lines.indexOf(header);
    assert.ok(start >= 0, `no section ${header}`);
    const end = lines.indexOf("", start);
    return lines.slice(start + 1, end).map((l) => l.trim()).filter((l) => !l.startsWith("#"));
}

describe("HAProxy config rendering", () => {
    const cfg = renderHaproxyConfig(input);

    it("is deterministic", () => assert.equal(renderHaproxyConfig(input), cfg));

    it("lists every node, found through Docker's DNS, health-checked on /health", () => {
        const backend = section(cfg, "backend nodes");
        for (const n of input.nodes) assert.ok(backend.includes(`server ${n} ${n}:3000`), `missing ${n}`);
        const defaults = backend.find((l) => l.startsWith("default-server"))!;
        for (const word of ["check", "resolvers docker", "init-addr none", "fall 2", "rise 2", "inter 1s"]) {
            assert.ok(defaults.includes(word), `default-server lacks ${word}`);
        }
        assert.ok(backend.includes("http-check send meth GET uri /health"));
        assert.ok(section(cfg, "resolvers docker").includes("nameserver docker 127.0.0.11:53"));
    });

    it("balances round robin, or leastconn by config", () => {
        assert.ok(section(cfg, "backend nodes").includes("balance roundrobin"));
        const lc = renderHaproxyConfig({ ...input, balance: "leastconn" });
        assert.ok(section(lc, "backend nodes").includes("balance leastconn"));
    });

    it("retries a failed request on another node", () => {
        const d = section(cfg, "defaults");
        assert.ok(d.includes("retries 3"));
        assert.ok(d.includes("option redispatch 1"));
        const retryOn = d.find((l) => l.startsWith("retry-on"))!;
        for (const e of ["conn-failure", "empty-response", "response-timeout", "503"]) assert.ok(retryOn.includes(e));
        assert.ok(d.includes(`timeout server ${TIMINGS.server}`));
        assert.ok(d.includes(`timeout connect ${TIMINGS.connect}`));
    });

    it("lets /load run its full timeout, and only /load", () => {
        assert.ok(section(cfg, "backend nodes").includes("http-request set-timeout server 620s if { path /load }"));
    });

    it("is sized for 5000 concurrent clients within 20000 file descriptors", () => {
        assert.ok(section(cfg, "global").includes(`maxconn ${LIMITS.globalMaxconn}`));
        assert.ok(LIMITS.frontendMaxconn >= 5000);
        assert.ok(LIMITS.globalMaxconn * 2 + 500 < 20000, "two descriptors per proxied connection plus margin");
        assert.ok(section(cfg, "frontend web").includes(`maxconn ${LIMITS.frontendMaxconn}`));
    });

    it("serves stats and Prometheus metrics on the stats port, access log on stdout", () => {
        const stats = section(cfg, "frontend stats");
        assert.ok(stats.includes("bind :8404"));
        assert.ok(stats.includes("stats uri /stats"));
        assert.ok(stats.includes("http-request use-service prometheus-exporter if { path /metrics }"));
        assert.ok(section(cfg, "global").includes("log stdout format raw local0 info"));
        assert.ok(section(cfg, "defaults").includes("option httplog"));
    });

    it("passes `haproxy -c`", function () {
        requireOrSkip(this, hasCommand("haproxy", ["-v"]), "haproxy", "install it: apt-get install -y haproxy");
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cloudlab-haproxy-"));
        for (const [name, variant] of Object.entries({ rr: input, lc: { ...input, balance: "leastconn" as const, nodes: ["node-1"] } })) {
            const file = path.join(dir, `${name}.cfg`);
            fs.writeFileSync(file, renderHaproxyConfig(variant));
            const r = spawnSync("haproxy", ["-c", "-f", file], { encoding: "utf8" });
            assert.equal(r.status, 0, `haproxy -c failed:\n${r.stdout}${r.stderr}`);
            assert.doesNotMatch(r.stderr, /WARNING|ALERT/, r.stderr);
        }
    });
});
