/**
 * The local controller's resources (mocks): the controller never gets the Docker socket, only the socket proxy
 * does, read-only, on a private internal network; the controller's settings are the stack's config; its token
 * is a generated secret; it depends on the nodes so `destroy` removes it first.
 */
import { strict as assert } from "assert";
import { settingsFromEnv } from "../../controller/src/settings";
import { renderSocketProxyConfig } from "../../components/render/socketProxyConfig";
import { MOCK_PASSWORD, Registered, byType, runProgram } from "../support/mocks";

const CONTAINER = "docker:index/container:Container";
const NETWORK = "docker:index/network:Network";
const PASSWORD = "random:index/randomPassword:RandomPassword";
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

/** A mock input that is a secret comes as Pulumi's envelope; plain values as they are. */
const plain = (v: any) => (v && typeof v === "object" && SECRET_SIG in v ? v.value : v);
const named = (rs: Registered[], suffix: string) => byType(rs, CONTAINER).find((c) => c.inputs.name.endsWith(suffix))!;

describe("local controller resources (mocks)", function () {
    this.timeout(60000);

    it("mounts the Docker socket read-only into the proxy only, on an internal network of its own", async () => {
        const { resources } = await runProgram({ platform: "local" });
        const proxy = named(resources, "-docker-proxy");
        assert.deepEqual(proxy.inputs.volumes, [
            { hostPath: "/var/run/docker.sock", containerPath: "/var/run/docker.sock", readOnly: true },
        ]);
        assert.deepEqual(
            proxy.inputs.networksAdvanced.map((n: any) => n.name),
            ["cloudlab-local-docker-api"],
        );
        const api = byType(resources, NETWORK).find((n) => n.inputs.name === "cloudlab-local-docker-api")!;
        assert.equal(api.inputs.internal, true, "the proxy's network must reach nothing outside");
        assert.equal(proxy.inputs.ports, undefined, "the proxy is published nowhere");
        assert.equal(
            proxy.inputs.uploads[0].content,
            renderSocketProxyConfig({
                listenPort: 2375,
                socketPath: "/var/run/docker.sock",
                serverTimeoutSeconds: 600,
            }),
        );
        // cAdvisor (only with cadvisorImage set) mounts /var/run read-only as its documented run does: it reads
        // every container's stats; the socket is in there. The access-log service gets its own two directories
        // (tests/unit/accessLogService.test.ts). Every other container gets no host path at all.
        const others = byType(resources, CONTAINER).filter(
            (c) => c !== proxy && !c.inputs.name.endsWith("-cadvisor") && !c.inputs.name.endsWith("-access-log"),
        );
        for (const c of others) assert.equal(c.inputs.volumes, undefined, `${c.inputs.name} must not get the socket`);
        const sink = byType(resources, CONTAINER).find((c) => c.inputs.name.endsWith("-access-log"))!;
        for (const v of sink.inputs.volumes) assert.doesNotMatch(v.hostPath, /docker\.sock|^\/var\/run/);
    });

    it("runs the controller on the stack network and the proxy's, its API on 127.0.0.1:controllerPort", async () => {
        const { resources } = await runProgram({ platform: "local", controllerPort: "9191" });
        const controller = named(resources, "-controller");
        assert.deepEqual(
            controller.inputs.networksAdvanced.map((n: any) => n.name),
            ["cloudlab-local", "cloudlab-local-docker-api"],
        );
        assert.deepEqual(controller.inputs.ports, [{ internal: 8090, external: 9191, ip: "127.0.0.1" }]);
        assert.equal(controller.inputs.restart, "unless-stopped", "killed, it comes back by itself");
    });

    it("hands the controller the stack's scaling settings, the window as cooldown by default", async () => {
        const { resources } = await runProgram({
            platform: "local",
            nodeCount: "2",
            nodeLimit: "3",
            checkPeriod: "2",
            evaluationPeriods: "3",
            cpuHighPercent: "60",
            cpuLowPercent: "10",
        });
        const envs = (plain(named(resources, "-controller").inputs.envs) as any[]).map(plain) as string[];
        const s = settingsFromEnv(Object.fromEntries(envs.map((e) => [e.split("=")[0], e.slice(e.indexOf("=") + 1)])));
        assert.equal(s.stack, "cloudlab-local");
        assert.deepEqual(
            { ...s.decisions, backoff: undefined },
            {
                floor: 2,
                ceiling: 3,
                checkPeriodSeconds: 2,
                evaluationPeriods: 3,
                cpuHighPercent: 60,
                cpuLowPercent: 10,
                cooldownSeconds: 6,
                backoff: undefined,
            },
        );
        assert.equal(s.decisions.backoff.baseSeconds, 2);
        assert.equal(s.dockerUrl, "http://docker-proxy:2375");
        assert.equal(s.statsCsvUrl, "http://lb:8404/stats;csv");
        assert.equal(s.token, MOCK_PASSWORD);

        const withCooldown = await runProgram({ platform: "local", cooldownSeconds: "45" });
        const envs2 = (plain(named(withCooldown.resources, "-controller").inputs.envs) as any[]).map(plain) as string[];
        assert.ok(envs2.includes("CONTROLLER_COOLDOWN_SECONDS=45"), envs2.join(" "));
    });

    it("generates the API token with @pulumi/random and exports it as a secret only", async () => {
        const { resources, outputs } = await runProgram({ platform: "local" });
        const [password] = byType(resources, PASSWORD);
        assert.ok(password.inputs.length >= 32, "a long token");
        assert.equal(password.inputs.special, false, "safe in a header and a shell");
        assert.ok(password.options.additionalSecretOutputs.includes("result"));
        assert.equal(outputs.controllerToken, MOCK_PASSWORD);
        assert.ok(!String(outputs.controller).includes(MOCK_PASSWORD), "the status sentence shows no token");
    });

    it("depends on every node container, so destroy removes the controller before the nodes", async () => {
        const { resources } = await runProgram({ platform: "local", nodeLimit: "3", nodeCount: "1" });
        const controller = named(resources, "-controller");
        for (const n of ["app-node-1", "app-node-2", "app-node-3", "controller-docker-proxy"])
            assert.ok(controller.options.dependencies.includes(n), `the controller does not depend on ${n}`);
        assert.equal(controller.options.deleteBeforeReplace, true, "fixed name and host port");
    });
});
