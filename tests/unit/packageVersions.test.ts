import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import * as semver from "semver";

const ROOT = path.join(__dirname, "..", "..");

interface PackageJson {
    name: string;
    version: string;
    engines?: { node?: string };
    scripts?: Record<string, string>;
    pulumi?: { resource?: boolean; name?: string; version?: string };
}

const readJson = (file: string): PackageJson => JSON.parse(fs.readFileSync(file, "utf8"));

/** Every package.json under node_modules, nested ones included. */
function installedPackages(dir = path.join(ROOT, "node_modules")): PackageJson[] {
    const found: PackageJson[] = [];
    for (const entry of fs.readdirSync(dir)) {
        if (entry.startsWith(".")) continue;
        const where = path.join(dir, entry);
        if (entry.startsWith("@")) {
            found.push(...installedPackages(where));
            continue;
        }
        const manifest = path.join(where, "package.json");
        if (fs.existsSync(manifest)) found.push(readJson(manifest));
        const nested = path.join(where, "node_modules");
        if (fs.existsSync(nested)) found.push(...installedPackages(nested));
    }
    return found;
}

describe("package versions a user's `pulumi up` depends on", () => {
    const packages = installedPackages();
    const providers = packages.filter((p) => p.pulumi?.resource === true);

    it("finds the provider packages the program uses", () => {
        assert.deepEqual(providers.map((p) => p.name).sort(), [
            "@pulumi/aws",
            "@pulumi/command",
            "@pulumi/docker",
            "@pulumi/random",
        ]);
    });

    // The language host asks the engine for the plugin version in package.json's `pulumi.version`, else the
    // package version (pulumi/pulumi sdk/nodejs/cmd/pulumi-language-nodejs main.go getPluginVersion), and the SDK
    // sends the package version with each registration (utilities getVersion): a package published without a
    // plugin of that version (@pulumi/command 4.5.0) fails the first resource that needs it.
    for (const name of ["@pulumi/aws", "@pulumi/command", "@pulumi/docker", "@pulumi/random"]) {
        it(`${name} declares the plugin version it asks for, and installs that one`, () => {
            const pkg = providers.find((p) => p.name === name);
            assert.ok(pkg, `${name} is not installed`);
            assert.ok(pkg.pulumi?.version, `${name}@${pkg.version}: package.json has no pulumi.version`);
            assert.equal(pkg.pulumi.version, pkg.version, `${name}: pulumi.version differs from the package version`);
            const install = pkg.scripts?.install;
            if (install !== undefined) {
                const asked = /install-pulumi-plugin\.js resource \S+ v?(\S+)/.exec(install)?.[1];
                assert.equal(asked, pkg.version, `${name}: its install script installs ${asked}`);
            }
        });
    }

    it("runs on the Node.js the project declares: every installed package accepts its lowest version", () => {
        const declared = readJson(path.join(ROOT, "package.json")).engines?.node;
        assert.ok(declared, "package.json declares no engines.node");
        const lowest = semver.minVersion(declared)!.version;
        const refusing = packages
            .filter((p) => typeof p.engines?.node === "string" && !semver.satisfies(lowest, p.engines.node))
            .map((p) => `${p.name}@${p.version} (${p.engines!.node})`);
        assert.deepEqual(refusing, [], `Node ${lowest} (package.json engines ${declared}) is refused by`);
        assert.ok(semver.satisfies(process.version, declared), `this Node ${process.version} is outside ${declared}`);
    });

    // scripts/build-pulumi.sh builds the CLI from this module; the SDK talks to it over gRPC and the Automation API
    // checks its version, so the two are the same release.
    it("builds the real CLI from the Go module of the SDK's own version (tools/pulumi/cli/go.mod)", () => {
        const sdk = packages.find((p) => p.name === "@pulumi/pulumi");
        assert.ok(sdk, "@pulumi/pulumi is not installed");
        const goMod = fs.readFileSync(path.join(ROOT, "tools", "pulumi", "cli", "go.mod"), "utf8");
        for (const module of ["github.com/pulumi/pulumi/pkg/v3", "github.com/pulumi/pulumi/sdk/v3"]) {
            const pinned = new RegExp(`^\\s*${module.replace(/[./]/g, "\\$&")} (v\\S+)`, "m").exec(goMod)?.[1];
            assert.equal(pinned, `v${sdk.version}`, `${module} in tools/pulumi/cli/go.mod`);
        }
    });
});
