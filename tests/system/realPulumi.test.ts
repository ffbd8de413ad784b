/**
 * The real Pulumi CLI and the docker provider plugin as scripts/build-pulumi.sh builds them from Go modules: the
 * versions they report, and a program that loads @pulumi/aws running with no aws plugin. The scenarios both engines
 * run side by side are in engine.test.ts.
 */
import { strict as assert } from "assert";
import { ChildProcess, execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import { PluginInfo } from "@pulumi/pulumi/proto/plugin_pb";
import { BUILT_PULUMI_BIN, builtPulumiEnv, engineForTests } from "../../engine";
import { REPO } from "../../lib/repo";
import { requireDocker } from "../support/dockerSuite";
import { mustSucceed } from "../support/localStack";
import { requireOrSkip } from "../support/requirements";
import { tempDir } from "../support/tempDir";

const packageJson = (name: string): { version: string; pulumi?: { version?: string } } =>
    JSON.parse(fs.readFileSync(require.resolve(`${name}/package.json`), "utf8"));

/** Starts a provider plugin as the engine does and asks it for its version (the GetPluginInfo call). */
async function pluginVersion(binary: string): Promise<string> {
    const child: ChildProcess = spawn(binary, [], { stdio: ["ignore", "pipe", "inherit"] });
    try {
        const port = await new Promise<string>((resolve, reject) => {
            child.stdout!.once("data", (chunk: Buffer) => resolve(chunk.toString().trim().split("\n")[0]));
            child.once("exit", (code) => reject(new Error(`${binary} exited with ${code} before printing its port`)));
        });
        const client = new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
        const info = await new Promise<PluginInfo>((resolve, reject) =>
            client.getPluginInfo(new Empty(), (err, reply) => (err ? reject(err) : resolve(reply))),
        );
        client.close();
        return info.getVersion();
    } finally {
        child.kill();
    }
}

describe("real Pulumi CLI built from Go modules (npm run build-pulumi)", function () {
    this.timeout(10 * 60_000);

    before(function () {
        requireOrSkip(
            this,
            fs.existsSync(path.join(BUILT_PULUMI_BIN, "pulumi")),
            "the CLI built from Go modules",
            "npm run build-pulumi",
        );
    });

    it("pulumi reports the version of the installed SDK", () => {
        const version = execFileSync(path.join(BUILT_PULUMI_BIN, "pulumi"), ["version"], {
            encoding: "utf8",
            env: { ...process.env, ...builtPulumiEnv(process.env) },
        }).trim();
        assert.equal(version, `v${packageJson("@pulumi/pulumi").version}`);
    });

    it("pulumi-resource-docker reports the plugin version @pulumi/docker asks for (its pulumi.version)", async () => {
        const wanted = packageJson("@pulumi/docker").pulumi?.version;
        assert.ok(wanted, "@pulumi/docker declares no pulumi.version");
        assert.equal(await pluginVersion(path.join(BUILT_PULUMI_BIN, "pulumi-resource-docker")), wanted);
    });

    it("runs a program that loads @pulumi/aws but registers no aws resource, with no aws plugin anywhere", async function () {
        await requireDocker(this);
        const stateDir = tempDir("noaws");
        const engine = engineForTests(
            {
                programModule: path.join(REPO, "tests", "fixtures", "engine", "noAwsProgram.ts"),
                stack: `noaws${process.pid}`,
                project: "noaws",
                stateDir,
            },
            "pulumi-automation",
        );
        try {
            const r = mustSucceed(await engine.up());
            assert.equal(r.outputs.awsSdkLoaded, true);
            const home = path.join(builtPulumiEnv(process.env).PULUMI_HOME, "plugins");
            const plugins = [BUILT_PULUMI_BIN, home]
                .flatMap((dir) => (fs.existsSync(dir) ? fs.readdirSync(dir) : []))
                .filter((f) => f.includes("aws"));
            assert.deepEqual(plugins, [], "no aws plugin was built or installed");
        } finally {
            mustSucceed(await engine.destroy());
        }
    });
});
