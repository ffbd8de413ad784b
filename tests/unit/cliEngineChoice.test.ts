import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import * as zlib from "zlib";
import {
    BUILTIN_LABEL,
    builtCli,
    builtinAnnouncement,
    chooseEngine,
    decide,
    decisionEnv,
    LOCAL_STACK_PLUGINS,
    PulumiCommand,
    requestedMode,
} from "../../cli/engineChoice";
import { BUILT_PULUMI_BIN } from "../../engine/realPulumi";
import { CliError } from "../../cli/errors";
import { acquireLock } from "../../cli/lock";
import { assertBuiltinStackGone, assertPulumiStackGone, backendResourceCount } from "../../cli/modeGuard";
import { builtinOutputs, builtinStatePath } from "../../cli/builtinState";
import { tempDir } from "../support/tempDir";

const CLI: PulumiCommand = { command: "pulumi", prefix: [], env: {}, origin: "pulumi on PATH" };

describe("cli: which engine runs", () => {
    it("reads CLOUDLAB_ENGINE, refusing anything but pulumi or builtin by name", () => {
        assert.equal(requestedMode({}), undefined);
        assert.equal(requestedMode({ CLOUDLAB_ENGINE: "" }), undefined);
        assert.equal(requestedMode({ CLOUDLAB_ENGINE: "builtin" }), "builtin");
        assert.equal(requestedMode({ CLOUDLAB_ENGINE: "pulumi" }), "pulumi");
        assert.throws(() => requestedMode({ CLOUDLAB_ENGINE: "docker" }), /must be pulumi or builtin, not 'docker'/);
    });

    it("uses the CLI when one is found, else the built-in engine with one line saying why", async () => {
        let probed = 0;
        const found = async () => (probed++, { cli: CLI });
        const missing = async () => (probed++, { reason: "none on PATH; the npm package: fetch failed" });
        assert.deepEqual(await decide(undefined, found), { mode: "pulumi", cli: CLI });
        assert.deepEqual(await decide(undefined, missing), {
            mode: "builtin",
            notice: "no Pulumi CLI (none on PATH; the npm package: fetch failed): running on cloudlab's built-in engine",
        });
        assert.deepEqual(await decide("pulumi", found), { mode: "pulumi", cli: CLI });
        await assert.rejects(
            decide("pulumi", missing),
            (e: Error) => e instanceof CliError && /fetch failed/.test(e.message),
        );
        probed = 0;
        assert.deepEqual(await decide("builtin", found), { mode: "builtin" });
        assert.equal(probed, 0, "CLOUDLAB_ENGINE=builtin does not look for a CLI");
    });

    it("hands a child process the choice, CLI included, and refuses a handed CLI it cannot read by its value", async () => {
        assert.deepEqual(decisionEnv({ mode: "builtin", notice: "no CLI" }), {
            CLOUDLAB_ENGINE: "builtin",
            CLOUDLAB_ENGINE_ANNOUNCED: "1",
        });
        const handed = decisionEnv({ mode: "pulumi", cli: { ...CLI, command: "npx", prefix: ["--yes", "pulumi"] } });
        assert.deepEqual(await chooseEngine(handed), {
            mode: "pulumi",
            cli: { ...CLI, command: "npx", prefix: ["--yes", "pulumi"] },
        });
        await assert.rejects(
            chooseEngine({ CLOUDLAB_ENGINE: "pulumi", CLOUDLAB_PULUMI_CLI: '{"command":"pulumi"}' }),
            (e: Error) => e instanceof CliError && e.message.includes(`not '{"command":"pulumi"}'`),
        );
    });
});

describe("cli: the built-in engine said once per run", () => {
    it("announces why and the label where no parent process did, and nothing where one did", () => {
        const decision = { mode: "builtin" as const, notice: "no Pulumi CLI (x)" };
        assert.deepEqual(builtinAnnouncement(decision, {}), ["no Pulumi CLI (x)", BUILTIN_LABEL]);
        assert.deepEqual(builtinAnnouncement({}, {}), [BUILTIN_LABEL]);
        // What npm run up's later calls get: the choice and that it was said.
        assert.deepEqual(builtinAnnouncement(decision, decisionEnv(decision)), []);
    });
});

describe("cli: the CLI built from Go modules", () => {
    const all = ["pulumi", ...LOCAL_STACK_PLUGINS].map((b) => path.join(BUILT_PULUMI_BIN, b));

    it("runs the verbs only with every plugin they start, its plugins on PATH, no download attempted", () => {
        const found = builtCli({ PATH: "/usr/bin" }, (f) => all.includes(f));
        assert.ok("cli" in found, JSON.stringify(found));
        assert.equal(found.cli.command, path.join(BUILT_PULUMI_BIN, "pulumi"));
        assert.equal(found.cli.env.PATH, `${BUILT_PULUMI_BIN}${path.delimiter}/usr/bin`);
        assert.equal(found.cli.env.PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION, "true");
    });

    it("says which plugins are missing and which module the proxy refuses for each", () => {
        const built = ["pulumi", "pulumi-resource-docker"].map((b) => path.join(BUILT_PULUMI_BIN, b));
        const found = builtCli({}, (f) => built.includes(f));
        assert.ok("why" in found);
        assert.match(found.why, /no pulumi-language-nodejs, pulumi-resource-command, pulumi-resource-random \(/);
        assert.match(found.why, /refuses github\.com\/pulumi\/pulumi\/sdk\/nodejs\/cmd\/pulumi-language-nodejs\/v3, /);
        assert.match(
            found.why,
            /github\.com\/pulumi\/pulumi-command\/provider, github\.com\/pulumi\/pulumi-random\/provider\/v4\)$/,
        );
        const none = builtCli({}, () => false);
        assert.ok("why" in none && /no pulumi, .*npm run build-pulumi builds what can be built$/.test(none.why));
    });
});

describe("cli: one engine per stack", () => {
    let root: string;
    beforeEach(() => (root = tempDir("guard")));

    const checkpoint = (resources: number) =>
        JSON.stringify({
            version: 3,
            checkpoint: { stack: "local", latest: { resources: Array(resources).fill({}) } },
        });
    const write = (file: string, data: string | Buffer) => {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, data);
    };

    it("finds a stack in Pulumi's file backend where the diy backend keeps it: project-scoped, legacy, gzip", () => {
        const backend = path.join(root, ".pulumi-state");
        const stacks = path.join(backend, ".pulumi", "stacks");
        assert.equal(backendResourceCount(backend, "local"), 0);
        write(path.join(stacks, "cloudlab", "local.json"), checkpoint(3));
        assert.equal(backendResourceCount(backend, "local"), 3);
        write(path.join(stacks, "old.json"), checkpoint(2));
        assert.equal(backendResourceCount(backend, "old"), 2);
        write(path.join(stacks, "cloudlab", "z.json.gz"), zlib.gzipSync(checkpoint(4)));
        assert.equal(backendResourceCount(backend, "z"), 4);
        write(path.join(stacks, "cloudlab", "zst.json.zst"), "?");
        assert.equal(backendResourceCount(backend, "zst"), Number.POSITIVE_INFINITY);
        write(path.join(stacks, "cloudlab", "empty.json"), checkpoint(0));
        assert.equal(backendResourceCount(backend, "empty"), 0, "a destroyed stack keeps its file, with no resources");
    });

    it("refuses to switch modes while the other one still has the stack, saying how to proceed", () => {
        write(path.join(root, ".pulumi-state", ".pulumi", "stacks", "cloudlab", "local.json"), checkpoint(5));
        assert.throws(
            () => assertPulumiStackGone(root, "local"),
            /stack local still exists in the Pulumi backend .*\(5 resources\): run `CLOUDLAB_ENGINE=pulumi npm run destroy -- -s local` first/,
        );
        assertPulumiStackGone(root, "other");
        write(builtinStatePath(root, "local"), JSON.stringify({ resources: { a: {}, b: {} }, pendingDeletes: [{}] }));
        assert.throws(
            () => assertBuiltinStackGone(root, "local"),
            /still exists on cloudlab's built-in engine \(3 resources .*run `CLOUDLAB_ENGINE=builtin npm run destroy -- -s local` first/,
        );
        write(builtinStatePath(root, "gone"), JSON.stringify({ resources: {}, pendingDeletes: [] }));
        assertBuiltinStackGone(root, "gone");
    });

    it("names a built-in state file that is not one instead of failing on it with a stack trace", () => {
        for (const [stack, text, why] of [
            ["cut", '{"resources": {"a"', /is not readable JSON/],
            ["null", "null", /is not a state file/],
            ["flat", '{"resources": 3}', /is not a state file/],
        ] as const) {
            const file = builtinStatePath(root, stack);
            write(file, text);
            for (const read of [() => assertBuiltinStackGone(root, stack), () => builtinOutputs(root, stack)]) {
                assert.throws(
                    read,
                    (e: Error) =>
                        e instanceof CliError &&
                        e.message.startsWith(`the built-in engine's state ${file} `) &&
                        why.test(e.message),
                );
            }
        }
    });

    it("lets one run at a time change a stack, and takes over a lock whose process is gone", () => {
        const file = path.join(root, "s.lock");
        const release = acquireLock(file, "s");
        assert.throws(() => acquireLock(file, "s"), new RegExp(`being changed by process ${process.pid}`));
        release();
        assert.equal(fs.existsSync(file), false);
        fs.writeFileSync(file, "999999999\n"); // no such process
        acquireLock(file, "s")();
    });
});
