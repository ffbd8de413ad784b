/**
 * The real Pulumi CLI this project runs when there is no `pulumi` on PATH: the one scripts/build-pulumi.sh builds
 * from Go modules, with the provider plugins it could build beside it (tools/pulumi/, README.md "The real Pulumi
 * engine").
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

const REPO = path.resolve(__dirname, "..");

/** Where scripts/build-pulumi.sh puts the CLI and the plugins (it reads this constant, its one home). */
export const BUILT_PULUMI_BIN = path.join(REPO, ".cloudlab", "pulumi", "bin");

/**
 * Plugins the CLI needs for the project that cannot be built here, and why: the Go module proxy these machines
 * reach answers 403 "This module version is not available" for each module (tried by tag and by pseudo-version).
 */
export const UNBUILDABLE_PLUGINS: Readonly<Record<string, string>> = {
    command: "github.com/pulumi/pulumi-command/provider",
    random: "github.com/pulumi/pulumi-random/provider/v4",
    "language-nodejs": "github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3",
};

/** The built CLI's path, when it has been built. */
export function builtPulumi(): string | undefined {
    const cli = path.join(BUILT_PULUMI_BIN, "pulumi");
    return fs.existsSync(cli) ? cli : undefined;
}

/**
 * The environment the built CLI runs in: its plugins found on PATH (the CLI's "ambient" plugins,
 * sdk/go/common/workspace/plugins.go), its own PULUMI_HOME inside the project, and no download attempted (these
 * machines reach no plugin server; each attempt would wait on the network).
 */
export function builtPulumiEnv(env: NodeJS.ProcessEnv): Record<string, string> {
    return {
        PATH: `${BUILT_PULUMI_BIN}${path.delimiter}${env.PATH ?? ""}`,
        PULUMI_HOME: env.PULUMI_HOME ?? path.join(REPO, ".cloudlab", "pulumi", "home"),
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        PULUMI_SKIP_UPDATE_CHECK: "true",
    };
}

let onPath: boolean | undefined;

/** True when a `pulumi` on PATH runs (`pulumi version`; asked once per process). */
export function pulumiOnPath(): boolean {
    if (onPath === undefined) {
        try {
            execFileSync("pulumi", ["version"], { stdio: "ignore", timeout: 30_000 });
            onPath = true;
        } catch {
            onPath = false;
        }
    }
    return onPath;
}
