/**
 * The docker test engine's model of what the providers store (read-back, planned state after an update) and of
 * the engine's own refusals and messages: pure functions, no Docker.
 */
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import Docker from "dockerode";
import { containerCreateProblem, containerReadBack } from "../../engine/handlers/containerHandler";
import { goDuration, nanoCpusToDecimalString, parseCpus } from "../../engine/handlers/goFormat";
import { programFailure } from "../../engine/programErrors";
import { providerVersionProblem } from "../../engine/providerVersions";
import {
    CONTAINER,
    LOCAL_COMMAND,
    NETWORK,
    REMOTE_IMAGE,
    plannedState,
    providerWantsDeleteBeforeReplace,
    withDefaults,
} from "../../engine/resourceTypes";
import { JsonObject } from "../../engine/types";

const MB = 1024 * 1024;

/** The parts of a `docker inspect` the container Read looks at. */
function inspect(patch: {
    running?: boolean;
    exitCode?: number;
    host?: Partial<Docker.HostConfig> & { Init?: boolean };
    config?: Partial<Docker.ContainerInspectInfo["Config"]> & { StopTimeout?: number };
    ports?: Record<string, Array<{ HostIp: string; HostPort: string }>>;
}): Docker.ContainerInspectInfo {
    return {
        Id: "abc",
        Name: "/lab-node-1",
        Image: "sha256:aaa",
        State: { Running: patch.running ?? true, ExitCode: patch.exitCode ?? 0 },
        HostConfig: {
            RestartPolicy: { Name: "unless-stopped", MaximumRetryCount: 0 },
            Memory: 256 * MB,
            MemorySwap: 512 * MB,
            MemoryReservation: 0,
            NanoCpus: 1e9,
            CpuShares: 0,
            CpusetCpus: "",
            LogConfig: { Type: "journald", Config: { "max-size": "10m" } },
            Init: true,
            ...patch.host,
        },
        Config: {
            Hostname: "node-1",
            Image: "cloudlab-app:v1",
            Cmd: ["node", "server.js"],
            Entrypoint: null,
            User: "node",
            WorkingDir: "/app",
            Healthcheck: { Test: ["CMD", "true"], Interval: 60e9, Timeout: 2e9, StartPeriod: 0, Retries: 3 },
            ...patch.config,
        },
        NetworkSettings: {
            Ports: patch.ports ?? { "3000/tcp": [{ HostIp: "127.0.0.1", HostPort: "13001" }] },
            Networks: { lab: { IPAddress: "10.0.0.11", IPPrefixLen: 24, Gateway: "10.0.0.1", MacAddress: "02:42" } },
        },
    } as unknown as Docker.ContainerInspectInfo;
}

const inputs: JsonObject = {
    name: "lab-node-1",
    image: "sha256:aaa",
    cpus: "1",
    memory: 256,
    logOpts: { "max-size": "10m" },
    ports: [{ internal: 3000, external: 13001, ip: "127.0.0.1" }],
    healthcheck: { tests: ["CMD", "true"], interval: "60s", timeout: "2s", retries: 3 },
    init: true,
    mustRun: true,
};

describe("docker test engine: Go formatting of read-back values", () => {
    it("formats NanoCPUs like nanoInt64ToDecimalString, quirks included", () => {
        const cases: Array<[number, string]> = [
            [1e9, "1.0"],
            [2e9, "2.0"],
            [1.5e9, "1.5"],
            [5e8, "0.5"],
            [2.5e8, "0.25"],
            [10e9, "10."],
            [5e7, "0.1"],
            [0, "0"],
        ];
        for (const [nanos, text] of cases) assert.equal(nanoCpusToDecimalString(nanos), text, String(nanos));
        assert.equal(parseCpus("0.5"), 5e8);
        assert.equal(parseCpus("1.0"), 1e9);
        assert.throws(() => parseCpus("0.0000000001"), /too precise/);
    });

    it("formats durations like time.Duration.String()", () => {
        const cases: Array<[number, string]> = [
            [0, "0s"],
            [1e9, "1s"],
            [60e9, "1m0s"],
            [90e9, "1m30s"],
            [3723.5e9, "1h2m3.5s"],
            [5e8, "500ms"],
            [1.5e6, "1.5ms"],
            [1500, "1.5µs"],
            [7, "7ns"],
        ];
        for (const [nanos, text] of cases) assert.equal(goDuration(nanos), text, String(nanos));
    });
});

describe("docker test engine: container read-back (resourceDockerContainerRead)", () => {
    it("stores cpus, memorySwap, logDriver, healthcheck and ports the way the provider reads them", () => {
        const out = containerReadBack(inspect({}), withDefaults(CONTAINER, inputs));
        assert.equal(out.cpus, "1.0");
        assert.equal(out.memory, 256);
        assert.equal(out.memorySwap, 512);
        assert.equal(out.logDriver, "journald");
        assert.deepEqual(out.logOpts, { "max-size": "10m" });
        assert.deepEqual(out.healthcheck, {
            tests: ["CMD", "true"],
            interval: "1m0s",
            timeout: "2s",
            startPeriod: "0s",
            startInterval: "0s",
            retries: 3,
        });
        assert.deepEqual(out.ports, [{ internal: 3000, external: 13001, ip: "127.0.0.1", protocol: "tcp" }]);
        assert.equal(out.init, true);
        assert.equal(out.name, "lab-node-1");
        assert.equal(out.image, "sha256:aaa");
        assert.equal(out.user, "node");
        assert.equal(out.mustRun, true);
        assert.equal(out.exitCode, undefined);
    });

    it("does not read ports of a stopped container with mustRun=false, only its exit code", () => {
        const state = withDefaults(CONTAINER, { ...inputs, mustRun: false, start: false });
        const out = containerReadBack(inspect({ running: false, exitCode: 0, ports: {} }), state);
        assert.deepEqual(out.ports, state.ports);
        assert.equal(out.exitCode, 0);
        assert.equal(out.mustRun, false);
    });

    it("turns mustRun into false for a stopped container that must run (the next up starts it)", () => {
        const out = containerReadBack(inspect({ running: false, exitCode: 137 }), withDefaults(CONTAINER, inputs));
        assert.equal(out.mustRun, false);
        assert.equal(out.exitCode, 137);
    });

    it("reads logOpts only when configured, and a negative or zero swap as it is", () => {
        const noOpts: JsonObject = { ...inputs, logOpts: null };
        const out = containerReadBack(inspect({ host: { MemorySwap: -1 } }), withDefaults(CONTAINER, noOpts));
        assert.equal(out.logOpts, null);
        assert.equal(out.memorySwap, -1);
    });
});

describe("docker test engine: state after an in-place update (no read-back)", () => {
    it("takes the new inputs, drops plain Optional ones left out, keeps Computed ones and provider outputs", () => {
        const old: JsonObject = {
            ...withDefaults(CONTAINER, inputs),
            memorySwap: 512,
            logDriver: "journald",
            networkDatas: [{ networkName: "lab" }],
            ports: [{ internal: 3000, external: 32768, ip: "127.0.0.1", protocol: "tcp" }],
        };
        const next = plannedState(CONTAINER, old, { ...inputs, ports: [{ internal: 3000, ip: "127.0.0.1" }] });
        assert.equal(next.memorySwap, undefined, "memorySwap was not set: removed from the state");
        assert.equal(next.logDriver, "journald", "Computed: kept");
        assert.deepEqual(next.networkDatas, [{ networkName: "lab" }]);
        assert.deepEqual(next.ports, [{ internal: 3000, ip: "127.0.0.1", protocol: "tcp", external: 32768 }]);
        assert.equal(next.cpus, "1");
    });
});

describe("docker test engine: the provider's delete-before-replace", () => {
    it("asks for it for every container and a network whose auto-named name the program set, never an image", () => {
        assert.equal(providerWantsDeleteBeforeReplace(CONTAINER, {}), true);
        assert.equal(providerWantsDeleteBeforeReplace(NETWORK, { name: "lab" }), true);
        assert.equal(providerWantsDeleteBeforeReplace(NETWORK, {}), false);
        // docker_image's name has a Fields entry of its own, which SetAutonaming skips (seen on the real CLI).
        assert.equal(providerWantsDeleteBeforeReplace(REMOTE_IMAGE, { name: "haproxy:2.8" }), false);
        assert.equal(providerWantsDeleteBeforeReplace(LOCAL_COMMAND, { create: "true" }), false);
    });
});

describe("docker test engine: refusals and messages", () => {
    it("refuses logOpts without logDriver, and wait without start", () => {
        assert.match(
            containerCreateProblem({ logOpts: { "max-size": "1m" } }) ?? "",
            /default log driver is not json-file/,
        );
        assert.equal(containerCreateProblem({ logOpts: { "max-size": "1m" }, logDriver: "json-file" }), undefined);
        assert.match(containerCreateProblem({ wait: true, start: false }) ?? "", /wait without start/);
        assert.equal(containerCreateProblem({ wait: true }), undefined);
    });

    it("refuses a provider package without pulumi.version or asking for another version", () => {
        const pkg = {
            name: "@pulumi/docker",
            version: "5.2.0",
            pulumi: { resource: true, name: "docker", version: "5.2.0" },
        };
        assert.equal(providerVersionProblem("docker", "5.2.0", pkg, "p.json"), undefined);
        assert.match(
            providerVersionProblem("docker", "5.2.0", { ...pkg, pulumi: { resource: true } }, "p.json") ?? "",
            /@pulumi\/docker \(p\.json\) declares no pulumi\.version/,
        );
        assert.match(
            providerVersionProblem("docker", "4.5.0", pkg, "p.json") ?? "",
            /v4\.5\.0, but its pulumi\.version is 5\.2\.0/,
        );
        assert.match(providerVersionProblem("docker", "", pkg, "p.json") ?? "", /asks for no provider version/);
    });

    it("words a program's error as the CLI does: RunError alone, anything else with the program and stack", () => {
        assert.equal(programFailure(new pulumi.RunError("bad config"), "/p/index.ts").message, "bad config");
        const other = programFailure(new TypeError("boom"), "/p/index.ts").message;
        assert.match(
            other,
            /^Running program '\/p\/index\.ts' failed with an unhandled exception:\nTypeError: boom\n {4}at /,
        );
        assert.equal(
            programFailure("plain", "/p").message,
            "Running program '/p' failed with an unhandled exception:\nplain",
        );
    });
});
