import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parseCidr } from "../../components/config/parsers";
import { addressPlan } from "../../components/local/names";
import { HAPROXY_PORTS, renderHaproxyConfig } from "../../components/render/haproxyConfig";
import { changedConfig, withoutAccessLog } from "../../scripts/load/bench/twin";
import { hasCommand, requireOrSkip } from "../support/requirements";
import { tempDir } from "../support/tempDir";

describe("bench: the balancer's twins (no access log, the other balancing)", () => {
    const cfg = renderHaproxyConfig({
        nodes: ["node-1", "node-2"],
        appPort: 3000,
        balance: "leastconn",
        listenPort: HAPROXY_PORTS.listen,
        statsPort: HAPROXY_PORTS.stats,
        loadTimeoutSeconds: 620,
        // As the stack runs it: the access log through the ring to the access-log service.
        accessLog: { to: "ring", address: "10.84.0.9", port: 5140 },
    });

    it("changes only the access log: `log global` becomes `no log`, its log-format goes", () => {
        const twin = withoutAccessLog(cfg).split("\n");
        const original = cfg.split("\n");
        const format = original.findIndex((l) => l.startsWith("    log-format "));
        assert.ok(format > 0, "the rendered config has a log-format");
        const kept = original.filter((_, i) => i !== format);
        assert.equal(twin.length, kept.length);
        const changed = kept.flatMap((line, i) => (line === twin[i] ? [] : [[line, twin[i]]]));
        assert.deepEqual(changed, [["    log global", "    no log"]]);
        // The global log (server state changes) stays: only the proxies' request lines go.
        assert.ok(twin.includes("    log ring@accesslog len 2048 format raw local0 info"));
    });

    it("refuses a config it cannot turn off, naming what it looked for", () => {
        assert.throws(() => withoutAccessLog(cfg.replace("    log global\n", "")), /no single ' {4}log global' line/);
        assert.throws(
            () => withoutAccessLog(cfg.replace("    log global\n", "    log global\n    log global\n")),
            /no single ' {4}log global' line/,
        );
    });

    it("passes `haproxy -c`, and logs no request line", function () {
        requireOrSkip(this, hasCommand("haproxy", ["-v"]), "haproxy", "install it: apt-get install -y haproxy");
        const file = path.join(tempDir("twin"), "haproxy.cfg");
        fs.writeFileSync(file, withoutAccessLog(cfg));
        const r = spawnSync("haproxy", ["-c", "-f", file], { encoding: "utf8" });
        assert.equal(r.status, 0, `haproxy -c failed:\n${r.stdout}${r.stderr}`);
        assert.doesNotMatch(r.stderr, /WARNING|ALERT/, r.stderr);
    });

    it("swaps leastconn and roundrobin in the backend, and changes nothing else", () => {
        const rr = changedConfig(cfg, "other-balance");
        assert.equal(rr.changed, "balance roundrobin for leastconn");
        const diff = (a: string, b: string) =>
            a.split("\n").flatMap((line, i) => (line === b.split("\n")[i] ? [] : [[line, b.split("\n")[i]]]));
        assert.deepEqual(diff(cfg, rr.config), [["    balance leastconn", "    balance roundrobin"]]);
        const back = changedConfig(rr.config, "other-balance");
        assert.equal(back.changed, "balance leastconn for roundrobin");
        assert.equal(back.config, cfg);
        assert.equal(changedConfig(cfg, "no-log").config, withoutAccessLog(cfg));
    });

    it("refuses to swap the balancing of a config without exactly one balance line", () => {
        assert.throws(
            () => changedConfig(cfg.replace("    balance leastconn\n", ""), "other-balance"),
            /has 0 ' {4}balance' lines, not one/,
        );
    });

    it("takes an address no container of the stack has (the plan's .3)", () => {
        const plan = addressPlan(parseCidr("10.84.0.0/24")!);
        const stack = [
            plan.gateway,
            plan.controller,
            plan.balancer,
            plan.accessLog,
            ...(["prometheus", "alertmanager", "grafana", "cadvisor"] as const).map((s) => plan.monitoring(s)),
            ...Array.from({ length: 200 }, (_, i) => plan.node(i + 1)),
        ];
        assert.equal(plan.tool, "10.84.0.3");
        assert.ok(!stack.includes(plan.tool));
    });
});
