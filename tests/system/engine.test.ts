/**
 * System test of the engines, on a real Docker engine, with tests/fixtures/engine. The sample program (up -> same
 * again -> rolling replacement on a config change -> preview -> destroy) needs the command plugin, so it runs on
 * the real CLI only where a `pulumi` is on PATH, else on engine/. The probe scenarios run on both the real CLI
 * built from Go modules and engine/, side by side. Skips (fails with CI=true) without Docker or the built CLI.
 */
import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as net from "net";
import * as path from "path";
import Docker from "dockerode";
import {
    EngineEvent,
    MockEngine,
    RunResult,
    StepRecord,
    TestEngine,
    TimelineEvent,
    UNKNOWN_OUTPUT,
    docker,
    engineForTests,
} from "../../engine";
import { probeName } from "../fixtures/engine/probeProgram";
import { SAMPLE_IMAGE, sampleNames } from "../fixtures/engine/sampleProgram";
import { REPO } from "../../lib/repo";
import { removeDockerObjectsNamed, requireDocker } from "../support/dockerSuite";
import { mustSucceed } from "../support/localStack";
import { ENGINE_TITLE, requireRealPulumi } from "../support/engines";
import { isCi } from "../support/requirements";
import { testEngineKind } from "../../engine";
import { tempDir } from "../support/tempDir";

const FIXTURES = path.join(__dirname, "..", "fixtures", "engine");
const PROJECT = "sample";

const byName = (r: RunResult, name: string, op?: string): StepRecord => {
    const step = r.steps.find((s) => s.name === name && (op === undefined || s.op === op));
    assert.ok(step, `no ${op ?? ""} step for ${name}: ${JSON.stringify(r.steps.map((s) => [s.name, s.op]))}`);
    return step;
};

const containerEvents = (r: RunResult): TimelineEvent[] =>
    r.timeline.filter((e) => e.type === "docker:index/container:Container");

/** The fixtures' image must be here (no registry to pull it from): skip without it, or fail with CI=true. */
async function requireSampleImage(ctx: Mocha.Context): Promise<void> {
    try {
        await docker().getImage(SAMPLE_IMAGE).inspect();
    } catch {
        const message = `image ${SAMPLE_IMAGE} is not present (no registry: it must be built locally)`;
        if (isCi()) throw new Error(message);
        console.log(`SKIPPED: ${message}`);
        ctx.skip();
    }
}

/** A tag of the fixtures' image under `ref` (repo:tag), removed after the run; returns `ref`. */
async function tagSampleImage(ref: string): Promise<string> {
    const [repo, tag] = ref.split(":");
    await docker().getImage(SAMPLE_IMAGE).tag({ repo, tag });
    taggedImages.push(ref);
    return ref;
}
const taggedImages: string[] = [];
after(async () => {
    for (const ref of taggedImages)
        await docker()
            .getImage(ref)
            .remove()
            .catch(() => undefined);
});

async function inspect(name: string): Promise<Docker.ContainerInspectInfo> {
    return docker().getContainer(name).inspect();
}

function readFileIn(container: string, file: string): string {
    return execFileSync("docker", ["exec", container, "cat", file], { encoding: "utf8" });
}

describe(`the sample program on a real Docker engine, on the ${ENGINE_TITLE[testEngineKind()]}`, function () {
    this.timeout(10 * 60_000);

    const stack = `et${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
    const names = sampleNames(stack);
    let stateDir = "";
    let engine: TestEngine | undefined;
    let first: { c1: string; c2: string; network: string; c1Started: string; c2Started: string } | undefined;

    before(async function () {
        await requireDocker(this);
        await requireSampleImage(this);
        stateDir = tempDir("engine-test");
        engine = engineForTests({
            programModule: path.join(FIXTURES, "sampleProgram.ts"),
            stack,
            project: PROJECT,
            stateDir,
            cwd: REPO,
        });
        console.log(`      engine: ${engine.kind}, stack ${stack}, state in ${stateDir}`);
    });

    after(async function () {
        if (engine) {
            const r = await engine.destroy();
            if (!r.ok) console.log(`      cleanup destroy failed: ${r.error}`);
        }
        if (stateDir) {
            const leftovers = await removeDockerObjectsNamed(`sample-${stack}-`);
            if (leftovers.length > 0) console.log(`      force-removed leftovers: ${leftovers.join(", ")}`);
        }
    });

    it("up creates the network, runs the command and starts two healthy containers, reporting real ids", async () => {
        const r = await engine!.up({ "sample:tag": "v1" });
        mustSucceed(r);
        console.log(`      up (create): ${r.durationMs} ms`);
        for (const name of ["net", "image-id", "c1", "c2"]) byName(r, name, "create");

        const imageId = (await docker().getImage(SAMPLE_IMAGE).inspect()).Id;
        assert.equal(r.outputs.imageId, imageId);
        const net = await docker().getNetwork(names.network).inspect();
        assert.equal(r.outputs.networkId, net.Id);
        assert.equal(net.IPAM?.Config?.[0]?.Subnet, "10.213.0.0/24");

        const c1 = await inspect(names.c1);
        const c2 = await inspect(names.c2);
        assert.equal(r.outputs.c1Id, c1.Id);
        assert.equal(r.outputs.c2Id, c2.Id);
        for (const [c, address] of [
            [c1, "10.213.0.11"],
            [c2, "10.213.0.12"],
        ] as const) {
            assert.equal(c.State.Running, true);
            assert.equal(c.State.Health?.Status, "healthy");
            assert.equal(c.Image, imageId);
            assert.equal(c.NetworkSettings.Networks[names.network]?.IPAddress, address);
            // The provider's way: created on network_mode "bridge", disconnected from it, then connected.
            assert.deepEqual(Object.keys(c.NetworkSettings.Networks), [names.network]);
            assert.equal(c.HostConfig.NetworkMode, "bridge");
            assert.ok(c.Config.Env.includes("SAMPLE_TAG=v1"));
            assert.equal(c.Config.Labels["cloudlab.test-stack"], stack);
            assert.equal(c.HostConfig.RestartPolicy?.Name, "unless-stopped");
        }
        assert.equal(r.outputs.c1Address, "10.213.0.11");
        const binding = c1.NetworkSettings.Ports["8080/tcp"]?.[0];
        assert.equal(binding?.HostIp, "127.0.0.1");
        assert.equal(Number(binding?.HostPort), r.outputs.c1HostPort);
        assert.equal(readFileIn(names.c1, "/etc/sample/tag"), "v1\n");

        // c2 dependsOn c1: it is only created once c1 is created and healthy.
        assert.ok(byName(r, "c1").endSeq! < byName(r, "c2").startSeq);
        first = { c1: c1.Id, c2: c2.Id, network: net.Id, c1Started: c1.State.StartedAt, c2Started: c2.State.StartedAt };
    });

    it("a second up with the same config is all 'same' and leaves Docker untouched", async () => {
        assert.ok(first, "needs the first up");
        const r = await engine!.up({ "sample:tag": "v1" });
        mustSucceed(r);
        console.log(`      up (no change): ${r.durationMs} ms`);
        assert.deepEqual(
            r.steps.filter((s) => s.op !== "same").map((s) => `${s.op} ${s.name}`),
            [],
        );
        assert.deepEqual(r.timeline, []);
        const c1 = await inspect(names.c1);
        const c2 = await inspect(names.c2);
        assert.equal(c1.Id, first.c1);
        assert.equal(c2.Id, first.c2);
        assert.equal(c1.State.StartedAt, first.c1Started);
        assert.equal(c2.State.StartedAt, first.c2Started);
        assert.equal(r.outputs.c1Id, first.c1);
    });

    it("a changed tag replaces both containers one after the other (delete c1, create c1, delete c2, create c2)", async () => {
        assert.ok(first, "needs the first up");
        const r = await engine!.up({ "sample:tag": "v2" });
        mustSucceed(r);
        console.log(`      up (rolling replace of 2 containers): ${r.durationMs} ms`);
        for (const name of ["net", "image-id", PROJECT + "-" + stack]) byName(r, name, "same");
        for (const name of ["c1", "c2"]) {
            const step = byName(r, name, "replace");
            assert.ok(step.replaceKeys?.includes("envs"), JSON.stringify(step));
            assert.equal(step.deleteBeforeReplace, true);
        }

        const events = containerEvents(r).map((e) => `${e.action} ${e.urn.split("::").pop()}`);
        assert.deepEqual(events, ["delete c1", "create c1", "delete c2", "create c2"]);
        const ordered = containerEvents(r);
        for (let i = 1; i < ordered.length; i++) {
            assert.ok(
                ordered[i - 1].endSeq! < ordered[i].seq,
                `${events[i - 1]} must finish before ${events[i]} starts`,
            );
            assert.ok(ordered[i - 1].finishedAt! <= ordered[i].startedAt);
        }

        const c1 = await inspect(names.c1);
        const c2 = await inspect(names.c2);
        assert.notEqual(c1.Id, first.c1);
        assert.notEqual(c2.Id, first.c2);
        assert.equal(r.outputs.c1Id, c1.Id);
        assert.equal(r.outputs.c2Id, c2.Id);
        assert.equal(r.outputs.networkId, first.network);
        assert.equal(c1.State.Health?.Status, "healthy");
        assert.equal(c2.State.Health?.Status, "healthy");
        assert.ok(c2.Config.Env.includes("SAMPLE_TAG=v2"));
        assert.equal(readFileIn(names.c2, "/etc/sample/tag"), "v2\n");
        // c2 was deleted only after the new c1 was healthy.
        assert.ok(new Date(c1.State.Health!.Log[0].Start) < new Date(ordered[2].startedAt));
        const old = await docker().listContainers({ all: true, filters: { id: [first.c1, first.c2] } });
        assert.deepEqual(old, []);
        first = { ...first, c1: c1.Id, c2: c2.Id, c1Started: c1.State.StartedAt, c2Started: c2.State.StartedAt };
    });

    it("preview with another tag plans the replacement of the two containers and touches nothing", async () => {
        assert.ok(first, "needs the earlier ups");
        const r = await engine!.preview({ "sample:tag": "v3" });
        mustSucceed(r);
        console.log(`      preview: ${r.durationMs} ms`);
        byName(r, "c1", "replace");
        byName(r, "c2", "replace");
        for (const name of ["net", "image-id"]) byName(r, name, "same");
        assert.deepEqual(r.timeline, []);
        if (engine!.kind === "docker-test-engine") assert.equal(r.outputs.c1Id, UNKNOWN_OUTPUT);

        const c1 = await inspect(names.c1);
        const c2 = await inspect(names.c2);
        assert.equal(c1.Id, first.c1);
        assert.equal(c2.Id, first.c2);
        assert.equal(c1.State.StartedAt, first.c1Started);
        assert.ok(c1.Config.Env.includes("SAMPLE_TAG=v2"));

        // The preview did not move the state either: an up with the deployed tag is still all 'same'.
        const again = await engine!.up({ "sample:tag": "v2" });
        mustSucceed(again);
        assert.deepEqual(
            again.steps.filter((s) => s.op !== "same").map((s) => s.name),
            [],
        );
    });

    it("a ^C while c1 is being replaced lets c1 finish, starts nothing more, and the next up replaces only c2", async function () {
        assert.ok(first, "needs the earlier ups");
        if (engine!.kind !== "docker-test-engine") this.skip(); // live events are the built-in engine's
        const events: EngineEvent[] = [];
        const cancelling: TestEngine = new MockEngine({
            programModule: path.join(FIXTURES, "sampleProgram.ts"),
            stack,
            project: PROJECT,
            stateDir,
            cwd: REPO,
            onEvent: (e, op) => {
                if (op !== "up") return;
                events.push(e);
                // While c1's create waits for its health check: c2's registration can only come after it.
                if (e.kind === "status" && e.name === "c1") cancelling.cancel();
            },
        });
        const r = await cancelling.up({ "sample:tag": "v3" });
        assert.equal(r.ok, false);
        assert.equal(r.error, "update canceled");
        const lines = events.map((e) => (e.kind === "cancelling" ? e.kind : `${e.kind} ${e.name}`));
        assert.ok(lines.includes("status c1"), `the provider's wait was reported: ${lines.join(", ")}`);
        assert.ok(lines.includes("cancelling"), lines.join(", "));
        assert.ok(!lines.includes("step-start c2"), `nothing starts after the ^C: ${lines.join(", ")}`);

        const c1 = await inspect(names.c1);
        const c2 = await inspect(names.c2);
        assert.ok(c1.Config.Env.includes("SAMPLE_TAG=v3"));
        assert.equal(c2.Id, first.c2, "c2 was left as it was");

        const next = await engine!.up({ "sample:tag": "v3" });
        mustSucceed(next);
        assert.deepEqual(
            next.steps.filter((s) => s.op !== "same").map((s) => `${s.op} ${s.name}`),
            ["replace c2"],
        );
        const c2Now = await inspect(names.c2);
        first = { ...first, c1: c1.Id, c2: c2Now.Id, c1Started: c1.State.StartedAt, c2Started: c2Now.State.StartedAt };
    });

    it("destroy deletes everything in reverse dependency order and leaves no container or network behind", async () => {
        const r = await engine!.destroy();
        mustSucceed(r);
        console.log(`      destroy: ${r.durationMs} ms`);
        assert.ok(r.steps.every((s) => s.op === "delete"));
        const seqOf = (name: string): number => {
            const e = r.timeline.find((t) => t.urn.endsWith(`::${name}`) && t.action === "delete");
            assert.ok(e, `no delete of ${name}`);
            return e.seq;
        };
        assert.ok(seqOf("c2") < seqOf("c1"));
        assert.ok(seqOf("c1") < seqOf("net"));

        const labelled = await docker().listContainers({
            all: true,
            filters: { label: [`cloudlab.test-stack=${stack}`] },
        });
        const named = await docker().listContainers({ all: true, filters: { name: [`sample-${stack}-`] } });
        const networks = await docker().listNetworks({ filters: { name: [names.network] } });
        assert.deepEqual([...labelled, ...named, ...networks], []);
    });

    it("fails loudly on a property it does not implement, and creates nothing", async function () {
        if (engine?.kind !== "docker-test-engine") this.skip();
        const unsupported = new MockEngine({
            programModule: path.join(FIXTURES, "unsupportedProgram.ts"),
            stack: `${stack}u`,
            project: PROJECT,
            stateDir,
            cwd: REPO,
        });
        const r = await unsupported.up();
        assert.equal(r.ok, false);
        assert.match(
            r.error ?? "",
            /docker test engine: docker:index\/container:Container\.privileged is not supported/,
        );
        const leaked = await docker().listContainers({ all: true, filters: { name: [`unsupported-${stack}u`] } });
        assert.deepEqual(leaked, []);
        mustSucceed(await unsupported.destroy());
    });
});

/**
 * What the provider stores and the engine does around it, one fixture container per case
 * (tests/fixtures/engine/probeProgram.ts, config `probe:<key>`): read-back values the next diff compares with,
 * options left to the provider, the preview an `up` starts with, the CLI's error shapes, and refresh. The same
 * cases run on the real Pulumi CLI with the docker provider built from Go modules (npm run build-pulumi) and on
 * engine/: where engine/ is deliberately stricter, each engine has its own case, and engine/README.md says so.
 */
for (const kind of ["pulumi-automation", "docker-test-engine"] as const) {
    describe(`${ENGINE_TITLE[kind]}: read-back state, provider options, preview, errors, refresh`, function () {
        this.timeout(10 * 60_000);
        const base = `ep${kind[0]}${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
        let stateDir = "";
        let cases = 0;
        const engines: TestEngine[] = [];
        /** A case whose rule only this engine has (engine/ is stricter where unsure): not registered on the other. */
        const on = (only: typeof kind, title: string, fn: () => Promise<void>): void => {
            if (only === kind) it(title, fn);
        };

        before(async function () {
            await requireDocker(this);
            await requireSampleImage(this);
            if (kind === "pulumi-automation") requireRealPulumi(this);
            stateDir = tempDir("engine-probe");
        });

        after(async function () {
            for (const e of engines) {
                const r = await e.destroy();
                if (!r.ok) console.log(`      cleanup destroy failed: ${r.error}`);
            }
            if (stateDir) {
                const leftovers = await removeDockerObjectsNamed(`probe-${base}`);
                if (leftovers.length > 0) console.log(`      force-removed leftovers: ${leftovers.join(", ")}`);
            }
        });

        /** A fresh stack of the probe program; `cfg` keys without the `probe:` namespace. */
        function probe(): {
            engine: TestEngine;
            stack: string;
            up: (cfg?: Record<string, string>) => Promise<RunResult>;
        } {
            const stack = `${base}${++cases}`;
            const engine = engineForTests(
                {
                    programModule: path.join(FIXTURES, "probeProgram.ts"),
                    stack,
                    project: "probe",
                    stateDir,
                    cwd: REPO,
                },
                kind,
            );
            engines.push(engine);
            const up = (cfg: Record<string, string> = {}) =>
                engine.up(Object.fromEntries(Object.entries(cfg).map(([k, v]) => [`probe:${k}`, v])));
            return { engine, stack, up };
        }
        const step = (r: RunResult): StepRecord => byName(r, "probe");
        const exists = async (stack: string): Promise<boolean> =>
            (await docker().listContainers({ all: true, filters: { name: [probeName(stack)] } })).length > 0;

        it('replaces, on the second up, a container declared with cpus "1" (read back as "1.0"); "1.0" is stable', async () => {
            const p = probe();
            mustSucceed(await p.up({ cpus: "1" }));
            const second = mustSucceed(await p.up({ cpus: "1" }));
            assert.deepEqual(
                [step(second).op, step(second).changed, step(second).replaceKeys],
                ["replace", ["cpus"], ["cpus"]],
            );
            const stable = mustSucceed(await p.up({ cpus: "1.0" }));
            assert.equal(step(stable).op, "same");
        });

        it("updates memorySwap on the second up when only memory is declared (Docker's 2 x memory read back)", async () => {
            const p = probe();
            mustSucceed(await p.up({ memory: "64" }));
            assert.equal((await inspect(probeName(p.stack))).HostConfig.MemorySwap, 128 * 1024 * 1024);
            const second = mustSucceed(await p.up({ memory: "64" }));
            assert.deepEqual([step(second).op, step(second).changed], ["update", ["memorySwap"]]);
            // Update does not read back: the state holds the planned (removed) memorySwap, the third up is same...
            assert.equal(step(mustSucceed(await p.up({ memory: "64" }))).op, "same");
            // ...until a refresh reads Docker's unchanged 2 x memory again.
            const refreshed = mustSucceed(await p.engine.refresh());
            assert.ok(step(refreshed).changed?.includes("memorySwap"), JSON.stringify(step(refreshed)));
            assert.equal(step(mustSucceed(await p.up({ memory: "64" }))).op, "update");

            const q = probe();
            mustSucceed(await q.up({ memory: "64", memorySwap: "64" }));
            assert.equal(step(mustSucceed(await q.up({ memory: "64", memorySwap: "64" }))).op, "same");
        });

        // engine/ is stricter here (engine/README.md "Where it is stricter than the real engine").
        on(
            "docker-test-engine",
            "fails the create of a container with logOpts but no logDriver, and creates nothing",
            async () => {
                const p = probe();
                const r = await p.up({ logOpts: "1" });
                assert.equal(r.ok, false);
                assert.match(
                    r.error ?? "",
                    /logOpts without logDriver: .*daemon whose default log driver is not json-file/,
                );
                assert.equal(await exists(p.stack), false);
                const named = mustSucceed(await p.up({ logOpts: "1", logDriver: "json-file" }));
                assert.equal(step(named).op, "create");
                assert.equal(step(mustSucceed(await p.up({ logOpts: "1", logDriver: "json-file" }))).op, "same");
            },
        );

        // engine/ is stricter here (engine/README.md "Where it is stricter than the real engine").
        on("docker-test-engine", "refuses wait without start (the provider would skip the wait)", async () => {
            const p = probe();
            const r = await p.up({ wait: "true", start: "false" });
            assert.equal(r.ok, false);
            assert.match(r.error ?? "", /wait without start/);
            assert.equal(await exists(p.stack), false);
        });

        it("updates init in place, state only: Docker keeps the old setting", async () => {
            const p = probe();
            mustSucceed(await p.up({ init: "true" }));
            const id = (await inspect(probeName(p.stack))).Id;
            const r = mustSucceed(await p.up({ init: "false" }));
            assert.deepEqual([step(r).op, step(r).changed], ["update", ["init"]]);
            const after = await inspect(probeName(p.stack));
            assert.equal(after.Id, id);
            assert.equal((after.HostConfig as { Init?: boolean }).Init, true);
        });

        it("replaces a container delete-before-replace without the option (the provider's), not with an explicit false", async () => {
            const p = probe();
            mustSucceed(await p.up({ tag: "v1" }));
            const r = mustSucceed(await p.up({ tag: "v2" }));
            assert.deepEqual([step(r).op, step(r).deleteBeforeReplace], ["replace", true]);
            const events = r.timeline.map((e) => e.action);
            assert.deepEqual(events, ["delete", "create"]);
            // deleteBeforeReplace: false overrides the provider: create first, and the fixed name is still taken.
            const cbd = await p.up({ tag: "v3", dbr: "false" });
            assert.equal(cbd.ok, false);
            assert.match(cbd.error ?? "", /already in use/);
        });

        // engine/ is stricter here (engine/README.md "Where it is stricter than the real engine").
        on(
            "docker-test-engine",
            "refuses a resource asking for a provider version its package does not declare (pulumi.version)",
            async () => {
                const p = probe();
                const r = await p.up({ providerVersion: "4.0.0" });
                assert.equal(r.ok, false);
                // eslint-disable-next-line @typescript-eslint/no-require-imports
                const declared = (require("@pulumi/docker/package.json") as { pulumi: { version: string } }).pulumi
                    .version;
                assert.ok(
                    (r.error ?? "").includes(
                        `ask for provider plugin docker v4.0.0, but its pulumi.version is ${declared}`,
                    ),
                    r.error,
                );
                assert.equal(await exists(p.stack), false);
            },
        );

        it("runs an up's preview first: a program failing only in a preview applies nothing", async () => {
            const p = probe();
            const r = await p.up({ throw: "preview" });
            assert.equal(r.ok, false);
            assert.equal(r.failedIn, "preview");
            assert.match(r.error ?? "", /probe: this program fails in a preview/);
            assert.deepEqual(r.timeline, []);
            assert.equal(await exists(p.stack), false);
        });

        it("reports a RunError by its message alone and any other error as the CLI's unhandled exception", async () => {
            const p = probe();
            const run = await p.up({ throw: "run" });
            assert.equal(run.ok, false);
            assert.equal(run.error, "probe: a configuration error the program reports as a RunError");
            const type = await p.up({ throw: "type" });
            assert.equal(type.ok, false);
            const program = path.join(FIXTURES, "probeProgram.ts");
            // The CLI's language host words it in @pulumi/pulumi cmd/run/run.js; the Automation API's inline-program
            // server, which the real-CLI suite runs on, in automation/server.js.
            const expected =
                kind === "pulumi-automation"
                    ? "Unhandled exception: TypeError: probe: a bug in the program"
                    : `Running program '${program}' failed with an unhandled exception:\nTypeError: probe: a bug in the program\n    at `;
            assert.ok((type.error ?? "").startsWith(expected), type.error);
        });

        it("replaces a container whose start failed after Docker made it: the next up repairs it once the cause is gone", async () => {
            const p = probe();
            const busy = net.createServer();
            await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
            const port = String((busy.address() as net.AddressInfo).port);
            try {
                const failed = await p.up({ port });
                assert.equal(failed.ok, false);
                assert.match(failed.error ?? "", /address already in use/);
                assert.equal((await inspect(probeName(p.stack))).State.Status, "created");
                const again = await p.up({ port });
                assert.deepEqual([again.ok, step(again).op], [false, "replace"], "still busy: tried again");
            } finally {
                await new Promise((resolve) => busy.close(resolve));
            }
            const repaired = mustSucceed(await p.up({ port }));
            assert.equal(step(repaired).op, "replace");
            assert.equal((await inspect(probeName(p.stack))).State.Running, true);
            assert.equal(step(mustSucceed(await p.up({ port }))).op, "same");
        });

        it("builds a replacement from the program's inputs as they are: ignoreChanges applies to the diff only", async () => {
            const p = probe();
            mustSucceed(await p.up({ tag: "v1", ignoreEnvs: "true" }));
            assert.equal(step(mustSucceed(await p.up({ tag: "v2", ignoreEnvs: "true" }))).op, "same");
            const r = mustSucceed(await p.up({ tag: "v2", ignoreEnvs: "true", cpus: "0.5" }));
            assert.deepEqual([step(r).op, step(r).replaceKeys], ["replace", ["cpus"]]);
            const env = (await inspect(probeName(p.stack))).Config.Env;
            assert.ok(env.includes("PROBE_TAG=v2"), `the replacement's env: ${env.join(" ")}`);
        });

        it("replaces a RemoteImage create-before-delete (its name is not auto-named) and leaves its container be", async () => {
            const p = probe();
            const alt = await tagSampleImage(`cloudlab/probe-alt:${p.stack}`);
            mustSucceed(await p.up({ image: SAMPLE_IMAGE }));
            const r = mustSucceed(await p.up({ image: alt }));
            const image = byName(r, "probe-image", "replace");
            assert.equal(image.deleteBeforeReplace, false);
            const order = r.timeline.filter((e) => e.urn.endsWith("::probe-image")).map((e) => e.action);
            assert.deepEqual(order, ["create", "delete"]);
            assert.equal(step(r).op, "same", "the same image id under another name");
        });

        it("reads a RemoteImage back by its name: after the image is rebuilt, refresh and up replace its container", async () => {
            const p = probe();
            const name = await tagSampleImage(`cloudlab/probe-rebuilt:${p.stack}`);
            mustSucceed(await p.up({ image: name }));
            const before = (await inspect(probeName(p.stack))).Image;
            execFileSync("docker", ["build", "-q", "-t", name, "-"], {
                input: `FROM ${SAMPLE_IMAGE}\nLABEL cloudlab.rebuilt=${p.stack}\n`,
                env: { ...process.env, DOCKER_BUILDKIT: "0" },
                stdio: ["pipe", "ignore", "pipe"],
            });
            const rebuilt = (await docker().getImage(name).inspect()).Id;
            assert.equal(step(mustSucceed(await p.up({ image: name }))).op, "same", "an up alone does not look");
            const refreshed = byName(mustSucceed(await p.engine.refresh()), "probe-image");
            assert.deepEqual([refreshed.op, refreshed.changed?.includes("imageId")], ["update", true]);
            const r = mustSucceed(await p.up({ image: name }));
            assert.deepEqual([step(r).op, step(r).replaceKeys], ["replace", ["image"]]);
            const after = (await inspect(probeName(p.stack))).Image;
            assert.deepEqual([after !== before, after], [true, rebuilt]);
        });

        it("refresh of a container stopped with mustRun=false notes only its computed outputs; the next up is same", async () => {
            const p = probe();
            mustSucceed(await p.up({ mustRun: "false" }));
            await docker().getContainer(probeName(p.stack)).stop({ t: 0 });
            const refreshed = mustSucceed(await p.engine.refresh());
            const changed = step(refreshed).changed ?? [];
            assert.ok(changed.includes("exitCode"), JSON.stringify(step(refreshed)));
            assert.deepEqual(
                changed.filter((k) => !["exitCode", "networkDatas"].includes(k)),
                [],
                "only the exit code (and the addresses Docker no longer reports) may change",
            );
            const up = mustSucceed(await p.up({ mustRun: "false" }));
            assert.equal(step(up).op, "same");
            assert.deepEqual(up.timeline, []);
            assert.equal((await inspect(probeName(p.stack))).State.Running, false);
        });

        it("refresh drops a network removed by hand with its container; the next up creates both", async () => {
            const p = probe();
            mustSucceed(await p.up({ network: "1" }));
            await docker().getContainer(probeName(p.stack)).remove({ force: true });
            await docker()
                .getNetwork(`${probeName(p.stack)}-net`)
                .remove();
            const refreshed = mustSucceed(await p.engine.refresh());
            assert.deepEqual(
                refreshed.steps
                    .filter((s) => s.op !== "same")
                    .map((s) => `${s.op} ${s.name}`)
                    .sort(),
                ["delete probe", "delete probe-net"],
            );
            const up = mustSucceed(await p.up({ network: "1" }));
            assert.deepEqual(
                up.steps
                    .filter((s) => s.op !== "same")
                    .map((s) => `${s.op} ${s.name}`)
                    .sort(),
                ["create probe", "create probe-net"],
            );
            const info = await inspect(probeName(p.stack));
            assert.deepEqual(Object.keys(info.NetworkSettings.Networks), [`${probeName(p.stack)}-net`]);
        });

        it("refresh drops a container removed by hand (the next up creates it) and notes a stopped must-run one", async () => {
            const p = probe();
            mustSucceed(await p.up());
            await docker().getContainer(probeName(p.stack)).remove({ force: true });
            const gone = mustSucceed(await p.engine.refresh());
            assert.equal(step(gone).op, "delete");
            assert.equal(step(mustSucceed(await p.up())).op, "create");

            await docker().getContainer(probeName(p.stack)).stop({ t: 0 });
            const stopped = mustSucceed(await p.engine.refresh());
            assert.equal(step(stopped).op, "update");
            assert.ok(step(stopped).changed?.includes("mustRun"), JSON.stringify(step(stopped)));
            const restart = mustSucceed(await p.up());
            assert.deepEqual([step(restart).op, step(restart).changed], ["update", ["mustRun"]]);
            assert.equal((await inspect(probeName(p.stack))).State.Running, true);
            assert.equal(step(mustSucceed(await p.up())).op, "same");
        });
    });
}
