import * as pulumi from "@pulumi/pulumi";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const settings: { waitForRPCs(): Promise<void> } = require("@pulumi/pulumi/runtime/settings");

/** One resource the program registered under unit-test mocks. */
export interface Registered {
    type: string;
    name: string;
    inputs: Record<string, any>;
}

/**
 * Runs `defineStack` under `pulumi.runtime.setMocks` with the given stack config and returns every registered
 * resource and the resolved outputs. Config is set BEFORE the program module is loaded, and the module cache is
 * cleared first so each call is a fresh program, as each `pulumi up` is.
 */
export async function runProgram(
    config: Record<string, string>,
    opts: { stack?: string; preview?: boolean; calls?: (token: string, inputs: any) => Record<string, any> } = {},
): Promise<{ resources: Registered[]; outputs: Record<string, unknown> }> {
    const resources: Registered[] = [];
    await pulumi.runtime.setMocks(
        {
            newResource(args) {
                resources.push({ type: args.type, name: args.name, inputs: args.inputs });
                return { id: `${args.name}-id`, state: fakeState(args.type, args.name, args.inputs) };
            },
            call(args) {
                if (opts.calls) return opts.calls(args.token, args.inputs);
                throw new Error(`unexpected call ${args.token}`);
            },
        },
        "cloudlab",
        opts.stack ?? "local",
        opts.preview ?? false,
    );
    const full: Record<string, string> = {};
    for (const [k, v] of Object.entries(config)) full[k.includes(":") ? k : `cloudlab:${k}`] = v;
    pulumi.runtime.setAllConfig(full);
    for (const key of Object.keys(require.cache)) {
        if (key.includes("/components/")) delete require.cache[key];
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { defineStack } = require("../../components/stack") as typeof import("../../components/stack");
    const stack = defineStack();
    await settings.waitForRPCs(); // every registration answered: `resources` is complete
    const outputs: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(stack)) outputs[k] = await resolve(v);
    return { resources, outputs };
}

/** Outputs a real provider would compute, so the program's applies see realistic values. */
function fakeState(type: string, name: string, inputs: any): Record<string, any> {
    switch (type) {
        case "command:local:Command":
            return { ...inputs, stdout: `sha256:${Buffer.from(name).toString("hex").padEnd(64, "0").slice(0, 64)}`, stderr: "" };
        case "docker:index/remoteImage:RemoteImage":
            return { ...inputs, imageId: `sha256:${"1".repeat(64)}`, repoDigest: `${inputs.name}@sha256:${"1".repeat(64)}` };
        default:
            return inputs;
    }
}

function resolve(v: unknown): Promise<unknown> {
    if (pulumi.Output.isInstance(v)) return new Promise((r) => (v as pulumi.Output<unknown>).apply((x) => { r(x); return x; }));
    return Promise.resolve(v);
}

export function byType(resources: Registered[], type: string): Registered[] {
    return resources.filter((r) => r.type === type);
}

/** Config a test starts from: what Pulumi.local.yaml gives, with the offline-free defaults. */
export const LOCAL: Record<string, string> = { platform: "local" };
