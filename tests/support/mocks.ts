import * as pulumi from "@pulumi/pulumi";
import { RegisterRequest, interceptRegistrations, waitForRPCs } from "./sdkInternals";

/** One resource the program registered under unit-test mocks. */
export interface Registered {
    type: string;
    name: string;
    inputs: Record<string, any>;
    /** The resource options, as the engine receives them in the RegisterResource request. */
    options: RecordedOptions;
}

/**
 * Resource options as the SDK sends them to the engine, resources named by their logical name (the last part of
 * their URN). The SDK resolves `dependsOn` before it sends anything: a component stands for its custom resources
 * (transitively), and the request's one `dependencies` list also holds every resource an input's value comes
 * from; `propertyDependencies` says which, per input.
 */
export interface RecordedOptions {
    /** Every resource the engine waits for before it touches this one: explicit and through inputs. */
    dependencies: string[];
    /** Per input property that has any, the resources its value comes from (the edges a replacement cascades along). */
    propertyDependencies: Record<string, string[]>;
    /**
     * The dependencies no input explains: what `dependsOn` adds. A resource that is both in `dependsOn` and behind
     * an input (the in-service gate and its container) is only in `dependencies` and `propertyDependencies`.
     */
    dependsOn: string[];
    /** The parent's logical name; undefined at the top level. */
    parent?: string;
    /** Undefined when the program did not set it. */
    deleteBeforeReplace?: boolean;
    replaceOnChanges: string[];
    ignoreChanges: string[];
    additionalSecretOutputs: string[];
    /** Undefined when the program did not set them. */
    protect?: boolean;
    retainOnDelete?: boolean;
    /** Logical name of the `deletedWith` resource, if any. */
    deletedWith?: string;
}

/** A resource's logical name from its URN (`urn:pulumi:<stack>::<project>::<type chain>::<name>`). */
const nameOf = (urn: string): string => urn.slice(urn.lastIndexOf("::") + 2);

/** Reads the options of a RegisterResource request. */
function optionsOf(req: RegisterRequest): RecordedOptions {
    const propertyDependencies: Record<string, string[]> = {};
    req.getPropertydependenciesMap().forEach((deps: any, key: string) => {
        const urns = deps.getUrnsList() as string[];
        if (urns.length > 0) propertyDependencies[key] = urns.map(nameOf);
    });
    const dependencies = (req.getDependenciesList() as string[]).map(nameOf);
    const behindInputs = new Set(Object.values(propertyDependencies).flat());
    return {
        dependencies,
        propertyDependencies,
        dependsOn: dependencies.filter((d) => !behindInputs.has(d)),
        parent: req.getParent() ? nameOf(req.getParent()) : undefined,
        deleteBeforeReplace: req.getDeletebeforereplacedefined() ? req.getDeletebeforereplace() : undefined,
        replaceOnChanges: req.getReplaceonchangesList(),
        ignoreChanges: req.getIgnorechangesList(),
        additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
        protect: req.hasProtect() ? req.getProtect() : undefined,
        retainOnDelete: req.hasRetainondelete() ? req.getRetainondelete() : undefined,
        deletedWith: req.getDeletedwith() ? nameOf(req.getDeletedwith()) : undefined,
    };
}

/** Keeps each RegisterResource request's options (by type and name): `newResource` gets no options. */
function recordOptions(): Map<string, RecordedOptions> {
    const recorded = new Map<string, RecordedOptions>();
    interceptRegistrations((req) => recorded.set(`${req.getType()}::${req.getName()}`, optionsOf(req)));
    return recorded;
}

/**
 * Runs `defineStack` under `pulumi.runtime.setMocks` with the given stack config and returns every registered
 * resource and the resolved outputs. Config is set BEFORE the program module is loaded, and the module cache is
 * cleared first so each call is a fresh program, as each `pulumi up` is.
 */
export async function runProgram(
    config: Record<string, string>,
    opts: RunOptions = {},
): Promise<{ resources: Registered[]; outputs: Record<string, unknown> }> {
    const resources: Registered[] = [];
    const outputs = await execute(config, opts, resources);
    return { resources, outputs };
}

export interface RunOptions {
    stack?: string;
    preview?: boolean;
    calls?: (token: string, inputs: any) => Record<string, any>;
}

/**
 * Runs a program that must fail (bad config): the error it threw, and every resource that registered before or
 * after the throw. Registrations are asynchronous, so it waits for those in flight before it counts.
 */
export async function runFailingProgram(
    config: Record<string, string>,
    opts: RunOptions = {},
): Promise<{ error: unknown; resources: Registered[] }> {
    const resources: Registered[] = [];
    try {
        await execute(config, opts, resources);
    } catch (error) {
        await waitForRPCs().catch(() => undefined);
        return { error, resources };
    }
    throw new Error(`the program succeeded with ${JSON.stringify(config)}; it was expected to fail`);
}

/**
 * Runs a program that must fail in an apply (a check on looked-up values, as `pulumi preview` would run it): the
 * message of the first error. Such an error leaves the program's outputs unresolved under mocks; the Pulumi
 * runtime fails the run on it, and here it arrives as an unhandled rejection.
 */
export async function runProgramError(config: Record<string, string>, opts: RunOptions = {}): Promise<string> {
    let listener: (e: unknown) => void = () => undefined;
    const failed = new Promise<string>((resolve) => {
        listener = (e) => resolve(String((e as Error)?.message ?? e));
        process.on("unhandledRejection", listener);
    });
    try {
        return await Promise.race([
            failed,
            runProgram(config, opts).then((): never => {
                throw new Error(`the program succeeded with ${JSON.stringify(config)}; it was expected to fail`);
            }),
        ]);
    } finally {
        process.off("unhandledRejection", listener);
    }
}

/**
 * Builds one component under the same mocks as {@link runProgram}, as pulumi/examples' testing-unit-ts does: the
 * test constructs it (`new LocalAppNode(...)`) with the arguments a stack would pass, and reads its resources and
 * outputs. No stack config is set: a component knows only its arguments.
 */
export async function buildComponent<T>(
    build: () => T,
    opts: RunOptions = {},
): Promise<{ component: T; resources: Registered[] }> {
    const resources: Registered[] = [];
    await installMocks(opts, resources);
    pulumi.runtime.setAllConfig({});
    const component = build();
    // Every registration started by the constructor answered. Those an invoke's answer starts (the AWS image
    // builds) are in `resources` once the test has awaited the output that depends on them.
    await waitForRPCs();
    return { component, resources };
}

/** The value an output resolves to under mocks. */
export function valueOf<T>(output: pulumi.Input<T>): Promise<T> {
    return resolve(output) as Promise<T>;
}

/** Installs the mocks of one run: each resource registered lands in `resources`, with its options. */
async function installMocks(opts: RunOptions, resources: Registered[]): Promise<void> {
    let recorded = new Map<string, RecordedOptions>();
    const mocks: pulumi.runtime.Mocks = {
        newResource(args) {
            const options = recorded.get(`${args.type}::${args.name}`);
            if (!options) throw new Error(`mocks: no options recorded for ${args.type} ${args.name}`);
            resources.push({ type: args.type, name: args.name, inputs: args.inputs, options });
            return { id: `${args.name}-id`, state: fakeState(args.type, args.name, args.inputs) };
        },
        call(args) {
            if (opts.calls) return opts.calls(args.token, args.inputs);
            throw new Error(`unexpected call ${args.token}`);
        },
    };
    await pulumi.runtime.setMocks(mocks, "cloudlab", opts.stack ?? "local", opts.preview ?? false);
    recorded = recordOptions();
}

async function execute(
    config: Record<string, string>,
    opts: RunOptions,
    resources: Registered[],
): Promise<Record<string, unknown>> {
    await installMocks(opts, resources);
    const full: Record<string, string> = {};
    for (const [k, v] of Object.entries(config)) full[k.includes(":") ? k : `cloudlab:${k}`] = v;
    pulumi.runtime.setAllConfig(full);
    for (const key of Object.keys(require.cache)) {
        if (key.includes("/components/")) delete require.cache[key];
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { defineStack } = require("../../components/stack") as typeof import("../../components/stack");
    const stack = defineStack();
    await waitForRPCs(); // every registration answered: `resources` is complete
    const outputs: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(stack)) outputs[k] = await resolve(v);
    // Resources declared once an invoke answered (the AWS stack's image builds) register after the first wait.
    await waitForRPCs();
    return outputs;
}

/** Outputs a real provider would compute, so the program's applies see realistic values. */
function fakeState(type: string, name: string, inputs: any): Record<string, any> {
    if (type.startsWith("aws:")) return fakeAwsState(type, name, inputs);
    switch (type) {
        case "command:local:Command":
            return {
                ...inputs,
                stdout: `sha256:${Buffer.from(name).toString("hex").padEnd(64, "0").slice(0, 64)}`,
                stderr: "",
            };
        case "docker:index/remoteImage:RemoteImage":
            return {
                ...inputs,
                imageId: `sha256:${"1".repeat(64)}`,
                repoDigest: `${inputs.name}@sha256:${"1".repeat(64)}`,
            };
        case "random:index/randomPassword:RandomPassword":
            return { ...inputs, result: MOCK_PASSWORD };
        case "docker:index/image:Image":
            return { ...inputs, repoDigest: `${String(inputs.imageName).split(":")[0]}@sha256:${"2".repeat(64)}` };
        default:
            return inputs;
    }
}

/** What a RandomPassword comes out as under mocks: a test can look for it where it must not be. */
export const MOCK_PASSWORD = "mock-random-password-0123456789abcdef";

/** The account and region the AWS mocks pretend to be in. */
export const AWS_ACCOUNT = "123456789012";
export const AWS_REGION = "eu-west-1";

/** What AWS computes on create: ARNs, names, URLs and the launch template's version. */
function fakeAwsState(type: string, name: string, inputs: any): Record<string, any> {
    const service = type.split(":")[1].split("/")[0];
    const arn = `arn:aws:${service}:${AWS_REGION}:${AWS_ACCOUNT}:${name}`;
    switch (type) {
        case "aws:ecr/repository:Repository":
            return {
                ...inputs,
                arn,
                registryId: AWS_ACCOUNT,
                repositoryUrl: `${AWS_ACCOUNT}.dkr.ecr.${AWS_REGION}.amazonaws.com/${inputs.name}`,
            };
        case "aws:ec2/launchTemplate:LaunchTemplate":
            // A new version whenever the content changes, as EC2 numbers them (here: derived from the user data).
            return { ...inputs, arn, latestVersion: 1 + (hash(String(inputs.userData)) % 997), defaultVersion: 1 };
        case "aws:autoscaling/group:Group":
            return { ...inputs, arn, name: inputs.name ?? `${name}-asg` };
        case "aws:lb/loadBalancer:LoadBalancer":
            return {
                ...inputs,
                arn,
                arnSuffix: `app/${name}/0123456789abcdef`,
                dnsName: `${name}-1234567890.${AWS_REGION}.elb.amazonaws.com`,
            };
        case "aws:lb/targetGroup:TargetGroup":
            return { ...inputs, arn, arnSuffix: `targetgroup/${name}/fedcba9876543210` };
        case "aws:s3/bucket:Bucket": {
            // Auto-named as the bridge does (logical name and a random suffix); S3 ARNs have no region or account.
            const bucket = inputs.bucket ?? `${name}-0a1b2c3`;
            return { ...inputs, bucket, arn: `arn:aws:s3:::${bucket}` };
        }
        case "aws:iam/role:Role":
            return { ...inputs, arn, name: inputs.name ?? `${name}-role` };
        default:
            return { ...inputs, arn: inputs.arn ?? arn };
    }
}

function hash(text: string): number {
    let h = 0;
    for (const ch of text) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
    return h;
}

/**
 * A data source's failure as the engine hands it to the SDK: a gRPC error whose `details` the SDK turns into the
 * invoke's error message (a plain Error would reach the program with an empty message).
 */
function providerError(message: string): Error {
    return Object.assign(new Error(message), { details: `invoking provider: 1 error occurred:\n\t* ${message}` });
}

/** The ECR token password the mocks hand out: it must never show up outside the image build's registry input. */
export const ECR_PASSWORD = "ecr-token-password-must-stay-secret";

/** What the AWS data sources answer under mocks; `tags` are the releases already in ECR. */
export interface AwsWorld {
    /** Releases already in the app's repository; undefined: the repository does not exist yet. */
    tags?: string[];
    /** The repository ECR has (default: the dev stack's own, cloudlab-dev/cloudlab-app). */
    repository?: string;
    /** Configured subnets as EC2 describes them; a subnet not listed is in vpc-0123456789abcdef0, zone by its last digit. */
    subnets?: Record<string, { vpcId: string; availabilityZone: string }>;
    /** Docker's architecture name per release in ECR (its manifest's platform); amd64 when not listed. */
    architectures?: Record<string, string>;
    /** Releases ECR serves as a single image (architecture in its config blob), not an image index. */
    singleImageTags?: string[];
    /** AMIs Amazon has deprecated: DescribeImages leaves them out unless IncludeDeprecated is set. */
    deprecatedAmis?: string[];
    /** The nodes' group's desired capacity as AWS has it now; undefined: the group does not exist yet. */
    desiredCapacity?: number;
}

/**
 * `call` mocks for every AWS invoke the program makes. An unknown token fails the run at once (through
 * `failure`), so a new data source cannot slip in untested.
 */
export function awsCalls(world: AwsWorld = {}) {
    const invoked: Array<{ token: string; inputs: any }> = [];
    let fail: (e: Error) => void = () => undefined;
    const failure = new Promise<never>((_, reject) => (fail = reject));
    const failWith = (error: Error): Error => {
        fail(error);
        return error;
    };
    const repository = world.repository ?? "cloudlab-dev/cloudlab-app";
    const answers: Record<string, (inputs: any) => Record<string, any>> = {
        "aws:ec2/getAmi:getAmi": (inputs) => {
            const arch = inputs.filters.find((f: any) => f.name === "architecture").values[0];
            const pinned = inputs.filters.find((f: any) => f.name === "image-id")?.values[0];
            const newest = arch === "arm64" ? "ami-0a1b2c3d4e5f60718" : "ami-0123456789abcdef0";
            // The provider's text when DescribeImages answers nothing (ec2_ami_data_source.go).
            // Also through `failure`: a failed invoke leaves the program's outputs unresolved, not rejected.
            if (pinned && world.deprecatedAmis?.includes(pinned) && inputs.includeDeprecated !== true)
                throw failWith(
                    providerError(
                        "reading EC2 AMIs: Your query returned no results. Please change your search criteria and try again.",
                    ),
                );
            return {
                id: `ami-al2023-${arch}`,
                imageId: pinned ?? newest,
                rootDeviceName: "/dev/xvda",
                architecture: arch,
            };
        },
        "aws:ec2/getVpc:getVpc": () => ({ id: "vpc-0d3fa017a5c0c1000", cidrBlock: "172.31.0.0/16", default: true }),
        "aws:ec2/getSubnets:getSubnets": () => ({
            id: AWS_REGION,
            ids: ["subnet-0b000000000000002", "subnet-0a000000000000001"],
        }),
        "aws:ec2/getSubnet:getSubnet": (inputs) => {
            const known = world.subnets?.[inputs.id];
            const zone = `${AWS_REGION}${"abcdefghij"[Number.parseInt(inputs.id.slice(-1), 16) % 10]}`;
            return {
                id: inputs.id,
                vpcId: known?.vpcId ?? "vpc-0123456789abcdef0",
                availabilityZone: known?.availabilityZone ?? zone,
                mapPublicIpOnLaunch: false,
            };
        },
        "aws:index/getRegion:getRegion": () => ({ id: AWS_REGION, name: AWS_REGION, region: AWS_REGION }),
        "aws:index/getPartition:getPartition": () => ({ id: "aws", partition: "aws", dnsSuffix: "amazonaws.com" }),
        "aws:index/getCallerIdentity:getCallerIdentity": () => ({
            id: AWS_ACCOUNT,
            accountId: AWS_ACCOUNT,
            arn: `arn:aws:iam::${AWS_ACCOUNT}:user/dev`,
            userId: "AIDEXAMPLE",
        }),
        "aws:ecr/getImages:getImages": (inputs) => {
            // The provider's text for RepositoryNotFoundException (retry.NotFoundError drops the AWS message).
            if (inputs.repositoryName !== repository || world.tags === undefined)
                throw providerError("reading ECR Images: couldn't find resource");
            return {
                repositoryName: repository,
                imageIds: world.tags.map((t, i) => ({ imageTag: t, imageDigest: `sha256:${String(i).repeat(64)}` })),
            };
        },
        "aws:ecr/getRepository:getRepository": (inputs) => {
            if (inputs.name !== repository || world.tags === undefined)
                throw providerError(`reading ECR Repository (${inputs.name}): couldn't find resource`);
            return {
                id: inputs.name,
                name: inputs.name,
                arn: `arn:aws:ecr:${AWS_REGION}:${AWS_ACCOUNT}:repository/${inputs.name}`,
                registryId: AWS_ACCOUNT,
                repositoryUrl: `${AWS_ACCOUNT}.dkr.ecr.${AWS_REGION}.amazonaws.com/${inputs.name}`,
            };
        },
        // aws_autoscaling_groups: DescribeAutoScalingGroups by name, an empty list when none matches.
        "aws:autoscaling/getAmiIds:getAmiIds": (inputs) => {
            const names = world.desiredCapacity === undefined ? [] : inputs.names;
            return { id: AWS_REGION, names, arns: names.map((n: string) => `arn:aws:autoscaling:${n}`) };
        },
        // aws_autoscaling_group: a group that does not exist is an error (the program asks only for one that does).
        "aws:autoscaling/getGroup:getGroup": (inputs) => {
            if (world.desiredCapacity === undefined)
                throw providerError(`reading Auto Scaling Group (${inputs.name}): couldn't find resource`);
            return { id: inputs.name, name: inputs.name, desiredCapacity: world.desiredCapacity };
        },
        "aws:ecr/getAuthorizationToken:getAuthorizationToken": () => ({
            id: AWS_ACCOUNT,
            userName: "AWS",
            password: ECR_PASSWORD,
            authorizationToken: Buffer.from(`AWS:${ECR_PASSWORD}`).toString("base64"),
            proxyEndpoint: `https://${AWS_ACCOUNT}.dkr.ecr.${AWS_REGION}.amazonaws.com`,
            expiresAt: "2026-11-23T12:00:00Z",
        }),
    };
    const calls = (token: string, inputs: any): Record<string, any> => {
        invoked.push({ token, inputs });
        const answer = answers[token];
        if (!answer) {
            const error = new Error(
                `unexpected invoke ${token} ${JSON.stringify(inputs)}: add it to awsCalls in tests/support/mocks.ts`,
            );
            fail(error);
            throw error;
        }
        return answer(inputs);
    };
    installRegistry(world, repository);
    return { calls, invoked, failure };
}

/** What the fake registry answers, per URL, for the releases in `world` (the rest goes to the real fetch). */
let registryAnswers: (url: string) => unknown = () => undefined;
const realFetch = globalThis.fetch;

/**
 * ECR's registry API under mocks: GET /v2/<repository>/manifests/<tag> answers an image index (the platform and
 * buildx's "unknown" attestation entry) or a single image's manifest, and /blobs/<digest> its config. Installed
 * once as the global fetch; any other URL goes to the real one.
 */
function installRegistry(world: AwsWorld, repository: string): void {
    const base = `https://${AWS_ACCOUNT}.dkr.ecr.${AWS_REGION}.amazonaws.com/v2/${repository}`;
    const archOf = (tag: string) => world.architectures?.[tag] ?? "amd64";
    registryAnswers = (url) => {
        for (const tag of world.tags ?? []) {
            if (url === `${base}/manifests/${tag}`)
                return world.singleImageTags?.includes(tag)
                    ? { mediaType: "application/vnd.oci.image.manifest.v1+json", config: { digest: `sha256:${tag}` } }
                    : {
                          mediaType: "application/vnd.oci.image.index.v1+json",
                          manifests: [
                              { digest: "sha256:1", platform: { architecture: archOf(tag), os: "linux" } },
                              { digest: "sha256:2", platform: { architecture: "unknown", os: "unknown" } },
                          ],
                      };
            if (url === `${base}/blobs/sha256:${tag}`) return { architecture: archOf(tag), os: "linux" };
        }
        return undefined;
    };
    if (globalThis.fetch === realFetch)
        globalThis.fetch = (async (input: any, init?: any) => {
            const url = String(input);
            if (!url.startsWith(`https://${AWS_ACCOUNT}.dkr.ecr.`)) return realFetch(input, init);
            const body = registryAnswers(url);
            if (!String(init?.headers?.Authorization).startsWith("Basic ")) return new Response("", { status: 401 });
            return body === undefined
                ? new Response("", { status: 404 })
                : new Response(JSON.stringify(body), { status: 200 });
        }) as typeof fetch;
}

function resolve(v: unknown): Promise<unknown> {
    if (pulumi.Output.isInstance(v))
        return new Promise((r) =>
            (v as pulumi.Output<unknown>).apply((x) => {
                r(x);
                return x;
            }),
        );
    return Promise.resolve(v);
}

export function byType(resources: Registered[], type: string): Registered[] {
    return resources.filter((r) => r.type === type);
}

/** Config a test starts from: what Pulumi.local.yaml gives, with the offline-free defaults. */
export const LOCAL: Record<string, string> = { platform: "local" };
