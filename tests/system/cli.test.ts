/**
 * The README's main command for real (issue 9): a fresh copy of the project (the files a clone has: tracked and
 * not ignored ones, so uncommitted work is tested too; no node_modules, no Pulumi.local.yaml, no state) and its own
 * `npm run up` / `config` / `preview` / `outputs` / `destroy` on the built-in engine, as a user types them. A
 * stack of its own (`-s clitest`), on ports and a subnet of its own, so a user's `local` stack is never touched.
 */
import { strict as assert } from "assert";
import { ChildProcess, execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { BUILTIN_LABEL } from "../../cli/engineChoice";
import { builtinStatePath } from "../../cli/builtinState";
import { KEYS } from "../../components/config/schema";
import { MIN_LOCAL_DRAIN_SECONDS } from "../../components/config/validate";
import { LABELS } from "../../components/local/names";
import { stackPrefix } from "../../components/shared/naming";
import { StateFile, docker } from "../../engine";
import { loopbackUrl } from "../../lib/loopback";
import { REPO } from "../../lib/repo";
import { waitFor } from "../../lib/wait";
import { BackgroundLoad, describeLoad } from "../support/backgroundLoad";
import { removeDockerObjectsNamed, requireDocker } from "../support/dockerSuite";
import { nodesAnswering } from "../support/localStack";
import { tempDir } from "../support/tempDir";

const STACK = "clitest";
const PREFIX = stackPrefix(STACK);
const LAYOUT = {
    lbPort: 16080,
    lbStatsPort: 16404,
    nodePortBase: 16001,
    controllerPort: 16090,
    prometheusPort: 16091,
    alertmanagerPort: 16092,
    cadvisorPort: 16093,
    subnet: "10.82.0.0/24",
};
const TAG_A = "clitest-a";
const TAG_B = "clitest-b";
const NODE_COUNT = 2;
const NODE_LIMIT = 3;

interface Run {
    code: number | null;
    out: string;
}

describe("npm run up / config / preview / outputs / destroy from a fresh clone, on the built-in engine", function () {
    this.timeout(30 * 60_000);
    let clone: string;
    let pulumiOnPath = false;

    /** `npm run <args>` in the clone, as a user runs it; stdout and stderr together. */
    function npm(args: string[], env: Record<string, string> = {}): { child: ChildProcess; done: Promise<Run> } {
        const child = spawn("npm", ["run", "--silent", ...args], {
            cwd: clone,
            env: { ...process.env, CLOUDLAB_ENGINE: "builtin", ...env },
            stdio: ["ignore", "pipe", "pipe"],
            detached: true, // its own process group: a ^C below reaches npm and all it started, as a terminal's does
        });
        const chunks: Buffer[] = [];
        child.stdout!.on("data", (b: Buffer) => chunks.push(b));
        child.stderr!.on("data", (b: Buffer) => chunks.push(b));
        const done = new Promise<Run>((resolve, reject) => {
            child.on("error", reject);
            child.on("close", (code) => resolve({ code, out: Buffer.concat(chunks).toString("utf8") }));
        });
        return { child, done };
    }
    async function ok(args: string[], env: Record<string, string> = {}): Promise<string> {
        const r = await npm(args, env).done;
        assert.equal(r.code, 0, `npm run ${args.join(" ")} failed (${r.code}):\n${r.out.slice(-6000)}`);
        return r.out;
    }
    const state = (): StateFile => JSON.parse(fs.readFileSync(builtinStatePath(clone, STACK), "utf8")) as StateFile;
    const balancer = loopbackUrl(LAYOUT.lbPort);

    /** Every container Docker has with the stack's label is one the state knows: nothing orphaned. */
    async function assertNoOrphans(): Promise<void> {
        const known = new Set<string>();
        const s = state();
        for (const r of [...Object.values(s.resources), ...s.pendingDeletes]) if (r.id) known.add(r.id);
        const containers = await docker().listContainers({
            all: true,
            filters: { label: [`${LABELS.stack}=${PREFIX}`] },
        });
        const orphans = containers.filter((c) => !known.has(c.Id)).map((c) => c.Names.join(","));
        assert.deepEqual(orphans, [], "containers of the stack that the state does not know");
    }

    async function tagsAnswering(): Promise<string[]> {
        return [...new Set((await nodesAnswering(balancer, 8)).map((n) => n.tag))];
    }

    before(async function () {
        await requireDocker(this);
        await removeDockerObjectsNamed(PREFIX);
        clone = tempDir("clone");
        const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
            cwd: REPO,
        })
            .toString("utf8")
            .split("\0")
            .filter((f) => f !== "" && fs.existsSync(path.join(REPO, f)));
        for (const f of files) {
            fs.mkdirSync(path.dirname(path.join(clone, f)), { recursive: true });
            fs.copyFileSync(path.join(REPO, f), path.join(clone, f));
        }
        try {
            execFileSync("pulumi", ["version"], { stdio: "ignore" });
            pulumiOnPath = true;
        } catch {
            pulumiOnPath = false;
        }
    });

    after(async () => {
        if (clone && fs.existsSync(builtinStatePath(clone, STACK))) await npm(["destroy", "--", "-s", STACK]).done;
        await removeDockerObjectsNamed(PREFIX);
    });

    it("npm run config sets the stack's settings in Pulumi.clitest.yaml", async () => {
        const settings: Record<string, string> = {
            lbPort: String(LAYOUT.lbPort),
            lbStatsPort: String(LAYOUT.lbStatsPort),
            nodePortBase: String(LAYOUT.nodePortBase),
            controllerPort: String(LAYOUT.controllerPort),
            prometheusPort: String(LAYOUT.prometheusPort),
            alertmanagerPort: String(LAYOUT.alertmanagerPort),
            cadvisorPort: String(LAYOUT.cadvisorPort),
            subnet: LAYOUT.subnet,
            nodeCount: String(NODE_COUNT),
            nodeLimit: String(NODE_LIMIT),
            imageTag: TAG_A,
            drainSeconds: String(MIN_LOCAL_DRAIN_SECONDS),
            nodeBaseImage: process.env.CLOUDLAB_TEST_NODE_BASE_IMAGE ?? String(KEYS.nodeBaseImage.default),
            lbImage: process.env.CLOUDLAB_TEST_LB_IMAGE ?? String(KEYS.lbImage.default),
        };
        for (const [key, value] of Object.entries(settings)) await ok(["config", "--", "-s", STACK, "set", key, value]);
        assert.equal((await ok(["config", "--", "-s", STACK, "get", "lbPort"])).trim().split("\n").pop(), "16080");
        assert.match(fs.readFileSync(path.join(clone, `Pulumi.${STACK}.yaml`), "utf8"), /cloudlab:imageTag: clitest-a/);
    });

    it("npm run up installs what is missing and brings the stack up, saying which engine runs it", async () => {
        // Without CLOUDLAB_ENGINE when no CLI is on PATH: the real fallback (the npm package cannot fetch the CLI).
        const out = await ok(["up", "--", "-s", STACK], pulumiOnPath ? {} : { CLOUDLAB_ENGINE: "" });
        if (!pulumiOnPath) assert.match(out, /no Pulumi CLI \(.*\): running on cloudlab's built-in engine/);
        assert.ok(out.includes(BUILTIN_LABEL), out);
        assert.match(out, /docker:index:Container app-node-1 created/);
        assert.match(out, /Resources:\n {4}\+ \d+ created/);
        assert.deepEqual(await tagsAnswering(), [TAG_A]);
        await assertNoOrphans();
    });

    it("npm run outputs prints the stack outputs, as a table and as JSON", async () => {
        const table = await ok(["outputs", "--", "-s", STACK]);
        assert.match(table, new RegExp(`balancerUrl +${balancer.replace(/[/.]/g, "\\$&")}`));
        const json = JSON.parse(lastJson(await ok(["outputs", "--", "-s", STACK, "--json"])));
        assert.equal(json.balancerUrl, balancer);
        assert.equal((await ok(["outputs", "--", "-s", STACK, "imageTag"])).trim().split("\n").pop(), TAG_A);
    });

    it("npm run preview after a config change lists exactly the nodes to replace, and changes nothing", async () => {
        await ok(["config", "--", "-s", STACK, "set", "imageTag", TAG_B]);
        const before = fs.readFileSync(builtinStatePath(clone, STACK), "utf8");
        const ids = (await docker().listContainers({ all: true, filters: { label: [`${LABELS.stack}=${PREFIX}`] } }))
            .map((c) => c.Id)
            .sort();
        const out = await ok(["preview", "--", "-s", STACK]);
        const replaced = out
            .split("\n")
            .filter((l) => /^\+- +docker:index:Container /.test(l))
            .map((l) => l.split(/ +/)[2])
            .sort();
        const expected = Array.from({ length: NODE_LIMIT }, (_, i) => `app-node-${i + 1}`);
        assert.deepEqual(replaced, expected, out);
        assert.equal(fs.readFileSync(builtinStatePath(clone, STACK), "utf8"), before, "a preview wrote the state");
        const after = (await docker().listContainers({ all: true, filters: { label: [`${LABELS.stack}=${PREFIX}`] } }))
            .map((c) => c.Id)
            .sort();
        assert.deepEqual(after, ids, "a preview touched containers");
        assert.deepEqual(await tagsAnswering(), [TAG_A]);
    });

    it("npm run up rolls the nodes to the new tag with no failed request under load", async () => {
        const load = new BackgroundLoad(balancer, { maxSeconds: 600 });
        const out = await ok(["up", "--", "-s", STACK]);
        const seen = await load.stop();
        console.log(`      rolling deploy through npm run up: ${describeLoad(seen)}`);
        assert.match(out, /app-node-1 replaced/);
        assert.ok(seen.requests > 100, describeLoad(seen));
        assert.equal(seen.failed, 0, `${describeLoad(seen)} ${JSON.stringify(seen.statusCodes)}`);
        assert.deepEqual(await tagsAnswering(), [TAG_B]);
        await assertNoOrphans();
    });

    it("a ^C during a rolling deploy leaves state the next npm run up continues from, with no orphan", async () => {
        await ok(["config", "--", "-s", STACK, "set", "imageTag", TAG_A]);
        const run = npm(["up", "--", "-s", STACK]);
        let seen = "";
        run.child.stdout!.on("data", (b: Buffer) => (seen += b.toString("utf8")));
        await waitFor("node-1 replaced", async () => /app-node-1 replaced/.test(seen), 10 * 60_000);
        process.kill(-run.child.pid!, "SIGINT"); // the whole process group, as a terminal's ^C
        const r = await run.done;
        console.log(`      interrupted up: exit ${r.code}`);
        assert.notEqual(r.code, 0, r.out);
        assert.match(r.out, /\^C received; cancelling/);
        assert.match(r.out, /error: update canceled/);
        await assertNoOrphans();
        const tagsAfterCancel = await tagsAnswering();
        assert.ok(tagsAfterCancel.length > 0, "no node answers after the ^C");

        const again = await ok(["up", "--", "-s", STACK]);
        assert.doesNotMatch(again, /app-node-1 replaced/, "node-1 was done before the ^C: the next up keeps it");
        assert.deepEqual(await tagsAnswering(), [TAG_A]);
        await assertNoOrphans();
    });

    it("refuses bad input with one line and changes nothing", async () => {
        const file = path.join(clone, `Pulumi.${STACK}.yaml`);
        const before = fs.readFileSync(file, "utf8");
        const bad = [
            ["outputs", "--", "-s", STACK, "balancerUrl", "imageTag"],
            ["config", "--", "-s", STACK, "set", "nodeCount", "many"],
            ["config", "--", "-s", STACK, "set", "nodeCont", "3"],
            ["up", "--", "-s", STACK, "--target", "x"],
        ];
        for (const args of bad) {
            const r = await npm(args).done;
            assert.equal(r.code, 1, `${args.join(" ")}: ${r.out}`);
        }
        assert.equal(fs.readFileSync(file, "utf8"), before);
        fs.writeFileSync(path.join(clone, "Pulumi.awsy.yaml"), "config:\n  cloudlab:platform: aws\n");
        for (const verb of ["up", "preview", "destroy", "refresh", "outputs"]) {
            // destroy above all: "destroyed" must never be said of an AWS stack the built-in engine cannot see.
            const aws = await npm([verb, "--", "-s", "awsy"]).done;
            assert.equal(aws.code, 1, `${verb}: ${aws.out}`);
            assert.match(aws.out, /stack awsy has platform aws: the built-in engine runs the local stack only/, verb);
        }
    });

    it("npm run destroy leaves nothing behind", async () => {
        await ok(["destroy", "--", "-s", STACK]);
        const containers = await docker().listContainers({
            all: true,
            filters: { label: [`${LABELS.stack}=${PREFIX}`] },
        });
        const networks = await docker().listNetworks({ filters: { label: [`${LABELS.stack}=${PREFIX}`] } });
        assert.deepEqual([...containers.map((c) => c.Names), ...networks.map((n) => n.Name)], []);
        assert.deepEqual(Object.keys(state().resources), []);
    });
});

/** The JSON document at the end of an output (the engine's label goes to stderr, which the test captures too). */
function lastJson(out: string): string {
    const start = out.indexOf("{");
    return out.slice(start);
}
