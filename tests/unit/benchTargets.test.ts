import { strict as assert } from "assert";
import { stackPrefix } from "../../components/shared/naming";
import { ContainerDescription, discoverTargets, runningNodes } from "../../scripts/load/targets";

/** Shaped like dockerode's listContainers({ all: true }) answer for a stack up with nodeCount 2, nodeLimit 4. */
function container(
    name: string,
    labels: Record<string, string>,
    state: string,
    ports: ContainerDescription["Ports"],
): ContainerDescription & Record<string, unknown> {
    return {
        Id: `${name}-id`,
        Names: [`/${name}`],
        Image: "sha256:4f7ded80e1b7",
        ImageID: "sha256:4f7ded80e1b7",
        Command: "docker-entrypoint.sh node dist/main.js",
        Created: 1795389000,
        Ports: ports,
        Labels: labels,
        State: state,
        Status: state === "running" ? "Up 3 minutes (healthy)" : "Created",
        HostConfig: { NetworkMode: "cloudlab-local" },
    };
}

const app = (stack: string, n: number, state: string, port?: number) =>
    container(
        `cloudlab-${stack}-node-${n}`,
        {
            "cloudlab.stack": `cloudlab-${stack}`,
            "cloudlab.role": "app",
            "cloudlab.node": `node-${n}`,
            "cloudlab.tag": "v1",
        },
        state,
        port ? [{ IP: "127.0.0.1", PrivatePort: 3000, PublicPort: port, Type: "tcp" }] : [],
    );
const lb = (stack: string, state = "running", ip = "127.0.0.1") =>
    container(`cloudlab-${stack}-lb`, { "cloudlab.stack": `cloudlab-${stack}`, "cloudlab.role": "balancer" }, state, [
        { IP: ip, PrivatePort: 8404, PublicPort: 8404, Type: "tcp" },
        { IP: ip, PrivatePort: 8080, PublicPort: 8080, Type: "tcp" },
    ]);

const LOCAL = [
    app("local", 3, "created"),
    app("local", 2, "running", 3002),
    lb("local"),
    app("local", 1, "running", 3001),
    app("local", 4, "exited"),
];

describe("bench target discovery", () => {
    it("finds a stack by the prefix components/shared/naming.ts gives its containers", () => {
        assert.equal(stackPrefix("local"), "cloudlab-local");
        assert.equal(stackPrefix("My Stack"), "cloudlab-my-stack");
    });

    it("finds the balancer, its stats page and every node, running ones with their 127.0.0.1 URL", () => {
        const t = discoverTargets("cloudlab-local", LOCAL);
        assert.equal(t.balancer.url, "http://127.0.0.1:8080");
        assert.equal(t.balancer.statsUrl, "http://127.0.0.1:8404/stats");
        assert.equal(t.balancer.containerName, "cloudlab-local-lb");
        assert.deepEqual(
            t.nodes.map((n) => [n.name, n.running, n.url, n.tag]),
            [
                ["node-1", true, "http://127.0.0.1:3001", "v1"],
                ["node-2", true, "http://127.0.0.1:3002", "v1"],
                ["node-3", false, undefined, "v1"],
                ["node-4", false, undefined, "v1"],
            ],
        );
        assert.deepEqual(
            runningNodes(t).map((n) => n.name),
            ["node-1", "node-2"],
        );
    });

    it("orders node-10 after node-9", () => {
        const many = [lb("s"), app("s", 10, "running", 3010), app("s", 9, "running", 3009)];
        assert.deepEqual(
            discoverTargets("cloudlab-s", many).nodes.map((n) => n.name),
            ["node-9", "node-10"],
        );
    });

    it("ignores another stack's containers", () => {
        const t = discoverTargets("cloudlab-local", [...LOCAL, lb("systest"), app("systest", 1, "running", 13001)]);
        assert.equal(t.nodes.length, 4);
        assert.equal(t.balancer.containerName, "cloudlab-local-lb");
    });

    it("uses 127.0.0.1 for a port published on all interfaces", () => {
        const t = discoverTargets("cloudlab-local", [
            lb("local", "running", "0.0.0.0"),
            app("local", 1, "running", 3001),
        ]);
        assert.equal(t.balancer.url, "http://127.0.0.1:8080");
    });

    it("says what is missing when the stack is not up", () => {
        assert.throws(
            () => discoverTargets("cloudlab-local", []),
            /no container labelled cloudlab.stack=cloudlab-local: is the stack up\?/,
        );
        assert.throws(
            () => discoverTargets("cloudlab-local", [app("local", 1, "running", 3001)]),
            /expected one balancer .* found 0/,
        );
        assert.throws(
            () => discoverTargets("cloudlab-local", [lb("local", "exited"), app("local", 1, "running", 3001)]),
            /cloudlab-local-lb is exited, not running/,
        );
        assert.throws(
            () => discoverTargets("cloudlab-local", [lb("local"), app("local", 1, "exited")]),
            /no running app node/,
        );
    });

    it("refuses a port published only on another address: traffic would leave the loopback", () => {
        assert.throws(
            () =>
                discoverTargets("cloudlab-local", [
                    lb("local", "running", "192.168.1.5"),
                    app("local", 1, "running", 3001),
                ]),
            /cloudlab-local-lb does not publish port 8080 on 127.0.0.1 \(only on 192.168.1.5:8080\)/,
        );
    });

    it("refuses an app container without a node label", () => {
        const odd = container(
            "cloudlab-local-x",
            { "cloudlab.stack": "cloudlab-local", "cloudlab.role": "app" },
            "running",
            [],
        );
        assert.throws(() => discoverTargets("cloudlab-local", [lb("local"), odd]), /no cloudlab.node=node-N label/);
    });
});
