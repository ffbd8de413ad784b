/**
 * The provider version a registration asks for, checked against the SDK package that made it.
 *
 * With the real CLI, a RegisterResource request carries `version` (the generated SDK's
 * `utilities.resourceOptsDefaults()` = `{ version: getVersion() }`, the package.json `version`; @pulumi/pulumi
 * runtime/resource.js `req.setVersion(opts.version || "")`), and the engine loads - or downloads - the provider
 * plugin of exactly that version. Which plugins get installed comes from package.json's `pulumi` section
 * (`{ resource: true, name, version }`, read by the nodejs language host's GetRequiredPlugins). A package without
 * `pulumi.version`, or whose `pulumi.version` is not the version its resources ask for, makes the real engine ask
 * for a plugin version that may not exist (or is not the one installed). The docker test engine runs no plugin at
 * all, so it refuses such a registration instead of silently running the provider it models.
 */
import * as fs from "fs";
import * as path from "path";

export interface PackageJson {
    name?: string;
    version?: string;
    pulumi?: { resource?: boolean; name?: string; version?: string };
}

/** Why a registration of package `pkg` asking for `requested` cannot be trusted to find its plugin, if it can't. */
export function providerVersionProblem(
    pkg: string,
    requested: string,
    packageJson: PackageJson | undefined,
    where: string,
): string | undefined {
    const npmName = `@pulumi/${pkg}`;
    if (!packageJson) return `${npmName} is not installed (no ${where})`;
    const declared = packageJson.pulumi?.version;
    if (!declared) {
        return (
            `${npmName} (${where}) declares no pulumi.version in its package.json: the Pulumi CLI would ask for ` +
            `provider plugin ${pkg} ${requested ? `v${requested}` : "of no particular version"}, which may not exist`
        );
    }
    if (!requested) {
        return `${npmName}: the registration asks for no provider version (the package declares pulumi.version ${declared})`;
    }
    if (requested.replace(/^v/, "") !== declared.replace(/^v/, "")) {
        return (
            `${npmName} (${where}): its resources ask for provider plugin ${pkg} v${requested}, but its ` +
            `pulumi.version is ${declared} (the plugin the CLI installs)`
        );
    }
    return undefined;
}

/** package.json of @pulumi/<pkg> as the program resolves it (undefined when not installed). */
export function loadProviderPackage(pkg: string, fromDir: string): { json?: PackageJson; where: string } {
    const request = `@pulumi/${pkg}/package.json`;
    let file: string;
    try {
        file = require.resolve(request, { paths: [fromDir] });
    } catch {
        return { where: path.join(fromDir, "node_modules", request) };
    }
    return { json: JSON.parse(fs.readFileSync(file, "utf8")) as PackageJson, where: file };
}
