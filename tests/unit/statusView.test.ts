/**
 * `npm run status`'s screen, from what the controller, the balancer, Alertmanager and cAdvisor's series said (or
 * failed to say).
 */
import { strict as assert } from "assert";
import { parseStatsCsv } from "../../components/hooks/haproxyStats";
import { nodeUsage } from "../../scripts/status/sources";
import { ControllerStatus, renderStatus } from "../../scripts/status/view";

const CSV = [
    "# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight,act,bck,chkfail,chkdown,lastchg,downtime,qlimit,pid,iid,sid,throttle,lbtot,tracked,type,rate,",
    "web,FRONTEND,,,3,10,8000,1234,0,0,0,0,0,,,,,OPEN,,,,,,,,,1,2,0,,,,0,42,",
    "nodes,node-1,0,0,1,5,200,600,0,0,,0,,0,0,0,0,UP,1,1,0,0,0,10,0,,1,3,1,,600,,2,25,",
    "nodes,node-2,0,0,0,5,200,634,0,0,,0,,0,0,0,0,DOWN,1,1,0,3,1,2,0,,1,3,2,,634,,2,0,",
    "nodes,node-3,0,0,0,0,200,0,0,0,,0,,0,0,0,0,MAINT (resolution),1,1,0,0,0,100,0,,1,3,3,,0,,2,,",
    "nodes,BACKEND,0,0,1,5,,1234,0,0,0,0,,0,0,0,0,UP,1,1,0,,0,10,0,,1,3,0,,1234,,1,25,",
].join("\n");
const CONTROLLER: ControllerStatus = {
    paused: false,
    desired: 2,
    floor: 2,
    ceiling: 4,
    nodes: [
        { name: "node-1", state: "running", healthy: true, cpuPercent: 37.4, inBalancer: true, tag: "v2" },
        { name: "node-2", state: "unhealthy", healthy: false, cpuPercent: null, inBalancer: false, tag: "v2" },
        { name: "node-3", state: "standby", healthy: false, cpuPercent: null, inBalancer: false, tag: "v1" },
    ],
    alarms: { high: "OK", low: "ALARM" },
};
const at = new Date("2026-12-01T11:00:00.250Z");

describe("status view", () => {
    it("shows each node's state, release, CPU, requests/s and place in the balancer, and the alarms", () => {
        const lines = renderStatus({
            stack: "local",
            at,
            controller: CONTROLLER,
            balancer: parseStatsCsv(CSV),
            alerts: ["NodeDown", "HighErrorRate", "NodeDown"],
        });
        assert.deepEqual(lines, [
            "cloudlab local  2026-12-01T11:00:00Z",
            "controller: autoscaling, desired 2 (floor 2, ceiling 4)",
            "balancer: 42 req/s now, 1234 sessions since start",
            "",
            "NODE    STATE     RELEASE   CPU   MEM    NET     REQ/S  BALANCER",
            "node-1  running   v2        37%   -      -       25     in (UP)",
            "node-2  unhealthy v2        -     -      -       0      out (DOWN)",
            "node-3  standby   v1        -     -      -       0      out (MAINT (resolution))",
            "",
            "alarms: cpu-high OK, cpu-low ALARM; FIRING: HighErrorRate, NodeDown",
            "CPU: the controller's; MEM, NET: not measured (no cAdvisor in this stack)",
        ]);
        for (const l of lines) assert.ok(l.length <= 80, l);
    });

    it("still shows the balancer's view when the controller and Alertmanager do not answer, saying so", () => {
        const lines = renderStatus({
            stack: "local",
            at,
            controller: { error: "fetch failed" },
            balancer: parseStatsCsv(CSV),
            alerts: { error: "fetch failed" },
        });
        assert.equal(lines[1], "controller: unreachable (fetch failed)");
        assert.equal(lines[5], "node-1  ?         ?         -     -      -       25     in (UP)");
        assert.equal(lines[lines.length - 2], "alarms: cpu alarms unknown; alerts unknown (fetch failed)");
    });

    it("takes CPU, memory and network from cAdvisor's series where it has a node's, the controller's CPU elsewhere", () => {
        const vector = (values: Record<string, number>) =>
            Object.entries(values).map(([node, v]) => ({
                metric: { node },
                value: [0, String(v)] as [number, string],
            }));
        const containers = nodeUsage({
            cpuPercent: [vector({ "node-1": 81.6 })],
            memoryBytes: [vector({ "node-1": 52 * 2 ** 20 })],
            // Received and sent add up.
            networkBytesPerSecond: [vector({ "node-1": 1000 }), vector({ "node-1": 1560 })],
        });
        const lines = renderStatus({
            stack: "local",
            at,
            controller: CONTROLLER,
            balancer: parseStatsCsv(CSV),
            alerts: [],
            containers,
        });
        assert.equal(lines[5], "node-1  running   v2        82%   52M    2.5k/s  25     in (UP)");
        assert.equal(lines[6], "node-2  unhealthy v2        -     -      -       0      out (DOWN)");
        assert.match(lines[lines.length - 1], /^CPU, MEM, NET: cAdvisor/);
        const down = renderStatus({
            stack: "local",
            at,
            controller: CONTROLLER,
            balancer: [],
            alerts: [],
            containers: { error: "GET x -> 503" },
        });
        assert.equal(down[5], "node-1  running   v2        37%   -      -       -      -");
        assert.equal(down[down.length - 1], "CPU: the controller's; MEM, NET: unknown (GET x -> 503)");
    });

    it("says when no source knows any node, and orders node-10 after node-9", () => {
        const none = renderStatus({ stack: "x", at, controller: { error: "e" }, balancer: { error: "e" }, alerts: [] });
        assert.ok(none.some((l) => l.startsWith("(no node known")));
        assert.ok(none.includes("alarms: cpu alarms unknown; no alert firing"));
        const many = renderStatus({
            stack: "x",
            at,
            controller: {
                ...CONTROLLER,
                nodes: ["node-10", "node-9"].map((name) => ({ ...CONTROLLER.nodes[0], name })),
            },
            balancer: [],
            alerts: [],
        });
        assert.deepEqual(
            many.filter((l) => l.startsWith("node-")).map((l) => l.split(" ")[0]),
            ["node-9", "node-10"],
        );
    });
});
