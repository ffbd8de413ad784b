import { strict as assert } from "assert";
import { chooseBaseImages, stackFileConfig } from "../../scripts/load/ownStack";
import {
    InspectedContainer,
    balanceOf,
    describeStack,
    firstFileInTar,
    formatStack,
} from "../../scripts/load/stackConfig";
import {
    EngineControl,
    Exec,
    PulumiCliControl,
    pulumiConfigGet,
    pulumiSetTagCommands,
} from "../../scripts/load/stackControl";
import { renderHaproxyConfig } from "../../components/render/haproxyConfig";

const node = (n: number, running: boolean, tag = "v1"): InspectedContainer => ({
    Name: `/cloudlab-local-node-${n}`,
    State: { Running: running },
    Config: {
        Labels: { "cloudlab.node": `node-${n}`, "cloudlab.tag": tag },
        Env: ["PORT=3000", "DRAIN_SECONDS=2", `NODE_ID=node-${n}`],
        Image: "sha256:abc",
    },
    HostConfig: { NanoCpus: 0.5e9, Memory: 256 * 2 ** 20 },
});

/** A ustar archive holding one file, as Docker's archive endpoint returns it. */
function tarOf(name: string, content: string): Buffer {
    const data = Buffer.from(content);
    const header = Buffer.alloc(512);
    header.write(name, 0, "utf8");
    header.write("0000644\0", 100);
    header.write(`${data.length.toString(8).padStart(11, "0")}\0`, 124);
    header.write("0", 156);
    header.write("ustar\0", 257);
    const padded = Buffer.alloc(Math.ceil(data.length / 512) * 512);
    data.copy(padded);
    return Buffer.concat([header, padded, Buffer.alloc(1024)]);
}

describe("bench: the stack config it ran with", () => {
    const cfg = renderHaproxyConfig({
        nodes: ["node-1", "node-2"],
        appPort: 3000,
        balance: "leastconn",
        listenPort: 8080,
        statsPort: 8404,
        loadTimeoutSeconds: 620,
        accessLog: { to: "stdout" },
    });

    it("reads it from the containers: running and total nodes, size, tag, drain, balance, balancer image", () => {
        const d = describeStack("cloudlab-local", [node(1, true), node(2, true), node(3, false), node(4, false)], {
            image: "haproxy:2.8",
            haproxyConfig: cfg,
        });
        assert.deepEqual(d, {
            prefix: "cloudlab-local",
            nodeCount: 2,
            nodeLimit: 4,
            nodeCpus: "0.5",
            nodeMemoryMb: "256",
            imageTags: ["v1"],
            drainSeconds: "2",
            balance: "leastconn",
            lbImage: "haproxy:2.8",
        });
        assert.equal(
            formatStack(d),
            "nodeCount 2, nodeLimit 4, nodeCpus 0.5, nodeMemoryMb 256, balance leastconn, imageTag v1, drainSeconds 2, lbImage haproxy:2.8",
        );
    });

    it("shows a canary (two tags) and an unreadable balancer config for what they are", () => {
        const d = describeStack("p", [node(1, true, "v1"), node(2, true, "v2")], { image: "x" });
        assert.deepEqual(d.imageTags, ["v1", "v2"]);
        assert.equal(d.balance, "?");
    });

    it("finds the backend's balance in haproxy.cfg, not another section's", () => {
        assert.equal(balanceOf(cfg), "leastconn");
        assert.equal(
            balanceOf("backend other\n    balance source\nbackend nodes\n    balance roundrobin\n"),
            "roundrobin",
        );
        assert.equal(balanceOf("global\n    maxconn 10\n"), undefined);
    });

    it("unpacks the one file of a Docker archive", () => {
        assert.equal(firstFileInTar(tarOf("haproxy.cfg", cfg)), cfg);
        assert.equal(firstFileInTar(tarOf("empty", "")), "");
        assert.throws(() => firstFileInTar(Buffer.alloc(1024)), /no regular file/);
    });
});

describe("bench: own stack config", () => {
    it("takes the user's Pulumi.local.yaml but not the keys the bench sets itself", () => {
        const yaml =
            "config:\n  cloudlab:platform: local\n  cloudlab:imageTag: latest\n  cloudlab:nodeCount: 3\n  cloudlab:lbPort: 8080\n  cloudlab:balance: leastconn\n  aws:region: eu-west-1\n";
        assert.deepEqual(stackFileConfig(yaml), { nodeCount: "3", balance: "leastconn" });
        assert.deepEqual(stackFileConfig(""), {});
    });

    it("uses the base images from the environment, else the offline ones when present, else the official ones", () => {
        assert.deepEqual(
            chooseBaseImages({ CLOUDLAB_TEST_NODE_BASE_IMAGE: "n:1", CLOUDLAB_TEST_LB_IMAGE: "h:1" }, () => true),
            { nodeBaseImage: "n:1", lbImage: "h:1" },
        );
        assert.deepEqual(
            chooseBaseImages({}, () => true),
            { nodeBaseImage: "cloudlab/node:bookworm", lbImage: "cloudlab/haproxy:bookworm" },
        );
        assert.deepEqual(
            chooseBaseImages({ CLOUDLAB_TEST_LB_IMAGE: " " }, () => false),
            { nodeBaseImage: "node:22-bookworm-slim", lbImage: "haproxy:2.8" },
        );
    });
});

describe("bench: deploy and rollback through the pulumi CLI", () => {
    /** A fake `pulumi`: answers config gets from `config`, records every call, fails `up` when told to. */
    function fakePulumi(config: Record<string, string>, failUp = false): { exec: Exec; calls: string[] } {
        const calls: string[] = [];
        const exec: Exec = async (cmd, args) => {
            calls.push(`${cmd} ${args.join(" ")}`);
            if (args[0] === "config" && args[1] === "get") {
                const v = config[args[2]];
                return v === undefined
                    ? { code: 255, output: `error: configuration key '${args[2]}' not found for stack 'local'` }
                    : { code: 0, output: `${v}\n` };
            }
            if (args[0] === "up" && failUp) return { code: 255, output: "Updating (local)\nerror: update failed\n" };
            return { code: 0, output: "" };
        };
        return { exec, calls };
    }

    it("sets the tag and runs up; restoring an unset tag removes the key again", () => {
        assert.deepEqual(pulumiSetTagCommands("local", "v2"), [
            ["config", "set", "imageTag", "v2", "-s", "local"],
            ["up", "--yes", "--non-interactive", "-s", "local"],
        ]);
        assert.deepEqual(pulumiSetTagCommands("local", undefined)[0], ["config", "rm", "imageTag", "-s", "local"]);
    });

    it("deploys the other tag, then rolls back to the stack's own setting", async () => {
        const { exec, calls } = fakePulumi({ imageTag: "v1", appImage: "myapp" });
        const c = await PulumiCliControl.open(exec, "local", "v1", {
            appImage: "cloudlab-app",
            nodeBaseImage: "node:22",
        });
        assert.equal(c.originalTag, "v1");
        assert.equal(c.appImage, "myapp");
        assert.equal(c.nodeBaseImage, "node:22");
        calls.length = 0;
        assert.equal((await c.setTag("bench-b")).ok, true);
        assert.equal((await c.setTag("v1")).ok, true);
        assert.deepEqual(calls, [
            "pulumi config set imageTag bench-b -s local",
            "pulumi up --yes --non-interactive -s local",
            "pulumi config set imageTag v1 -s local",
            "pulumi up --yes --non-interactive -s local",
        ]);
    });

    it("rolls back a stack without an imageTag setting by removing the key, to the tag its nodes ran", async () => {
        const { exec, calls } = fakePulumi({});
        const c = await PulumiCliControl.open(exec, "local", "latest", {
            appImage: "cloudlab-app",
            nodeBaseImage: "node:22",
        });
        assert.equal(c.originalTag, "latest");
        calls.length = 0;
        await c.setTag("latest");
        assert.deepEqual(calls, ["pulumi config rm imageTag -s local", "pulumi up --yes --non-interactive -s local"]);
    });

    it("reports a failed up with the end of its output", async () => {
        const { exec } = fakePulumi({ imageTag: "v1" }, true);
        const c = await PulumiCliControl.open(exec, "local", "v1", { appImage: "a", nodeBaseImage: "b" });
        const r = await c.setTag("v2");
        assert.equal(r.ok, false);
        assert.match(r.error!, /pulumi up --yes --non-interactive -s local exited with 255/);
        assert.match(r.logTail!, /error: update failed/);
    });

    it("treats an unset key as undefined but any other config error as an error", async () => {
        assert.equal(await pulumiConfigGet(fakePulumi({}).exec, "local", "imageTag"), undefined);
        const broken: Exec = async () => ({ code: 255, output: "error: no Pulumi.yaml project file found" });
        await assert.rejects(
            pulumiConfigGet(broken, "local", "imageTag"),
            /pulumi config get imageTag -s local failed: error: no Pulumi.yaml/,
        );
    });

    it("times each up from before the first pulumi command to after the last", async () => {
        const { exec } = fakePulumi({ imageTag: "v1" });
        // A clock that moves 1000 ms at every reading: start, then end of the up.
        let t = 0;
        const c = await PulumiCliControl.open(
            exec,
            "local",
            "v1",
            { appImage: "a", nodeBaseImage: "b" },
            () => (t += 1000),
        );
        assert.deepEqual(await c.setTag("v2"), { ok: true, wallMs: 1000 });
        const failing = await PulumiCliControl.open(
            fakePulumi({ imageTag: "v1" }, true).exec,
            "local",
            "v1",
            { appImage: "a", nodeBaseImage: "b" },
            () => (t += 250),
        );
        assert.equal((await failing.setTag("v2")).wallMs, 250);
    });

    it("drives the own stack through the test engine, timing each up", async () => {
        const tags: string[] = [];
        // The clock reads 10_000 when the up starts and 10_000 + the engine's own duration when it ends.
        let t = 10_000;
        const clock = () => t;
        const c = new EngineControl(
            "docker-test-engine",
            async (tag) => {
                tags.push(tag);
                t += tag === "bad" ? 1500 : 18_100;
                return tag === "bad"
                    ? {
                          ok: false,
                          error: "urn:x: boom",
                          op: "up",
                          engine: "docker-test-engine",
                          outputs: {},
                          steps: [],
                          timeline: [],
                          durationMs: 1,
                          log: "a\nb",
                      }
                    : {
                          ok: true,
                          op: "up",
                          engine: "docker-test-engine",
                          outputs: {},
                          steps: [],
                          timeline: [],
                          durationMs: 1,
                      };
            },
            "bench-a",
            "cloudlab-app",
            "cloudlab/node:bookworm",
            clock,
        );
        assert.deepEqual(await c.setTag("bench-b"), { ok: true, wallMs: 18_100 });
        assert.deepEqual(await c.setTag("bad"), { ok: false, wallMs: 1500, error: "urn:x: boom", logTail: "a\nb" });
        assert.deepEqual(tags, ["bench-b", "bad"]);
    });
});
