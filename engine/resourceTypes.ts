/**
 * THE list of what the docker test engine supports: resource types, their input properties, and for each
 * property whether a change forces a replacement (terraform-provider-docker's ForceNew / pulumi-command's
 * triggers). Anything not listed here makes a run fail with
 *   "docker test engine: <type>.<prop> is not supported"
 * so a program never silently relies on something the stand-in does not do. Extend it here (and in the
 * type's handler) when the program needs more.
 */
import { Json, JsonObject } from "./types";
import { UNKNOWN, isObject } from "./values";

export type Shape = "value" | "list" | "set" | "map" | "object";

/**
 * Where a rule comes from: terraform-provider-docker v4.5.0 (the upstream pulumi-docker 5.x wraps, its
 * provider/resources.go names it), internal/provider/resource_docker_container.go and resource_docker_network.go
 * (the Terraform schema: Optional / Computed / ForceNew / Default), and pulumi-command v1.2.1 (triggers).
 */
export interface FieldRule {
    /** Terraform Default of a nested field: absent and default are the same value. */
    default?: Json;
    /** Optional+Computed nested field: absent from the new inputs keeps the old (read-back) value. */
    computed?: boolean;
}

export interface PropRule {
    /** A change of this property replaces the resource (Terraform ForceNew). */
    forceNew: boolean;
    /** value: scalar; list: ordered; set: order-insensitive (Terraform TypeSet); map: free-form keys; object: fixed fields. */
    shape: Shape;
    /** Supported fields of an object, or of the elements of a list/set of objects. */
    fields?: readonly string[];
    /** Defaults / Computed flags of nested fields (also of fields the engine does not accept as input). */
    fieldRules?: Readonly<Record<string, FieldRule>>;
    /** Value the provider assumes when the input is absent (Terraform Default): absent and default diff as same. */
    default?: Json;
    /**
     * Optional+Computed in the schema: when the new inputs leave it out, the bridge keeps the old state's
     * (read-back) value and reports no diff. Without it, an absent input is compared with the type's zero value
     * (terraform-plugin-sdk v2 schemaMap.diff: "removed"), so a read-back non-zero value shows as a change.
     */
    computed?: boolean;
    /** DiffSuppressFunc "treat an empty new value as a no-op" (container user, working_dir). */
    emptyNewIsNoop?: boolean;
    /** Extra constraint on the value; returns why a value is not supported. */
    check?: (value: Json) => string | undefined;
}

export interface TypeRules {
    token: string;
    props: Record<string, PropRule>;
    /** Outputs an in-place update recomputes (unknown during a preview). */
    computedOnUpdate: readonly string[];
    /** Outputs only the provider knows after a create (unknown during a preview). */
    computedOnCreate: readonly string[];
    /**
     * When the provider asks for delete-before-replace. pulumi-terraform-bridge v3.136.0 pkg/tfbridge/provider.go
     * Diff: `deleteBeforeReplace := len(replaces) > 0 && (res.Schema.DeleteBeforeReplace ||
     * nameRequiresDeleteBeforeReplace(news, olds, ...))`: true = the resource's own flag (pulumi-docker
     * provider/resources.go sets `DeleteBeforeReplace: true` for docker_container); "whenNamed" = the program
     * set the auto-named `name` itself (pulumi-docker calls `prov.SetAutonaming(255, "-")`, which auto-names
     * every string `name` input; pkg/tfbridge/schema.go nameRequiresDeleteBeforeReplace is then true for a name
     * not filled in by the bridge). The program's explicit deleteBeforeReplace option overrides it either way
     * (pulumi/pulumi pkg/resource/deploy/step_generator.go: `deleteBeforeReplace := diff.DeleteBeforeReplace;
     * if goal.DeleteBeforeReplace != nil { deleteBeforeReplace = *goal.DeleteBeforeReplace }`).
     */
    providerDeleteBeforeReplace: boolean | "whenNamed";
}

const v = (forceNew: boolean, extra: Partial<PropRule> = {}): PropRule => ({ forceNew, shape: "value", ...extra });
const onlyFalse = (value: Json): string | undefined => (value === false ? undefined : "only false is implemented");

export const CONTAINER = "docker:index/container:Container";
export const NETWORK = "docker:index/network:Network";
export const REMOTE_IMAGE = "docker:index/remoteImage:RemoteImage";
export const LOCAL_COMMAND = "command:local:Command";
export const RANDOM_PASSWORD = "random:index/randomPassword:RandomPassword";

/** Every volume must bind a host path to a container path (the only kind implemented). */
function hostPathVolumes(value: Json): string | undefined {
    const list = Array.isArray(value) ? value : [value];
    for (const v of list) {
        if (!isObject(v) || typeof v.hostPath !== "string" || typeof v.containerPath !== "string")
            return "only { hostPath, containerPath, readOnly? } bind mounts are implemented";
    }
    return undefined;
}

export const SUPPORTED_TYPES: Readonly<Record<string, TypeRules>> = {
    // resource_docker_container.go (v4.5.0) for every flag below.
    [CONTAINER]: {
        token: CONTAINER,
        computedOnUpdate: [],
        computedOnCreate: ["networkDatas", "exitCode"],
        providerDeleteBeforeReplace: true,
        props: {
            // ForceNew: any change replaces the container.
            name: v(true),
            image: v(true),
            hostname: v(true, { computed: true }),
            envs: { forceNew: true, shape: "set", computed: true },
            command: { forceNew: true, shape: "list", computed: true },
            entrypoints: { forceNew: true, shape: "list", computed: true },
            user: v(true, { emptyNewIsNoop: true }),
            workingDir: v(true, { emptyNewIsNoop: true }),
            labels: { forceNew: true, shape: "set", fields: ["label", "value"], computed: true },
            networksAdvanced: { forceNew: true, shape: "set", fields: ["name", "aliases", "ipv4Address"] },
            ports: {
                forceNew: true,
                shape: "list",
                fields: ["internal", "external", "ip", "protocol"],
                fieldRules: { external: { computed: true }, ip: { default: "0.0.0.0" }, protocol: { default: "tcp" } },
            },
            // Read back as the provider formats NanoCPUs ("1" comes back "1.0": a replacement on every up).
            cpus: v(true),
            ulimits: { forceNew: true, shape: "set", fields: ["name", "soft", "hard"] },
            // Optional+ForceNew set, NOT Computed, and NOT read back (resourceDockerContainerRead has a bare
            // `// volumes` comment where it would be): the state keeps what was declared. Only bind mounts of a
            // host path are implemented (volume_name, from_container, selinux_relabel refused); read_only has no
            // Default, so absent is false (volumeSetToDockerVolumes: "<host>:<container>:rw|ro" in HostConfig.Binds).
            volumes: {
                forceNew: true,
                shape: "set",
                fields: ["hostPath", "containerPath", "readOnly"],
                check: hostPathVolumes,
            },
            // Optional+Computed, NOT ForceNew: a change is an update that Update never sends to Docker.
            init: v(false, { computed: true }),
            // Optional+Computed+ForceNew with no Default: read back as the daemon's actual driver.
            logDriver: v(true, { computed: true }),
            logOpts: { forceNew: true, shape: "map" },
            stopSignal: v(true, { computed: true }),
            stopTimeout: v(true, { computed: true }),
            uploads: {
                forceNew: true,
                shape: "set",
                fields: ["file", "content", "contentBase64", "executable", "permissions"],
                fieldRules: { executable: { default: false } },
            },
            // Updatable in place (only restart/maxRetryCount/cpu/memory reach Docker, via ContainerUpdate).
            restart: v(false, { default: "no" }),
            maxRetryCount: v(false),
            cpuShares: v(false),
            cpuSet: v(false),
            memory: v(false),
            memoryReservation: v(false, { default: 0 }),
            // Optional, NOT Computed: Docker's 2 x memory read back against an absent input is an update.
            memorySwap: v(false),
            // Optional+Computed, accepted in place but never sent to Docker (the provider's trap): use
            // replaceOnChanges. Durations are read back as Go's time.Duration.String() ("60s" -> "1m0s").
            healthcheck: {
                forceNew: false,
                shape: "object",
                computed: true,
                fields: ["tests", "interval", "timeout", "startPeriod", "retries"],
                fieldRules: {
                    interval: { default: "0s" },
                    timeout: { default: "0s" },
                    startPeriod: { default: "0s" },
                    startInterval: { default: "0s" },
                    retries: { default: 0 },
                },
            },
            start: v(false, { default: true }),
            // Provider-side behaviour only.
            wait: v(false, { default: false }),
            waitTimeout: v(false, { default: 60 }),
            mustRun: v(false, { default: true }),
            removeVolumes: v(false, { default: true }),
            destroyGraceSeconds: v(false),
            containerReadRefreshTimeoutMilliseconds: v(false, { default: 15000 }),
            attach: v(false, { default: false, check: onlyFalse }),
            logs: v(false, { default: false, check: onlyFalse }),
        },
    },
    // resource_docker_network.go (v4.5.0): every input ForceNew, no Update.
    [NETWORK]: {
        token: NETWORK,
        computedOnUpdate: [],
        computedOnCreate: ["scope"],
        providerDeleteBeforeReplace: "whenNamed",
        props: {
            name: v(true),
            driver: v(true, { computed: true }),
            ipamConfigs: {
                forceNew: true,
                shape: "set",
                fields: ["subnet", "gateway", "ipRange"],
                computed: true,
            },
            labels: { forceNew: true, shape: "set", fields: ["label", "value"] },
            internal: v(true, { computed: true }),
            attachable: v(true),
            options: { forceNew: true, shape: "map", computed: true },
        },
    },
    // resource_docker_image.go (v4.5.0, docker_remote_image): keep_locally / force_remove Optional, no Default.
    [REMOTE_IMAGE]: {
        token: REMOTE_IMAGE,
        computedOnUpdate: [],
        computedOnCreate: ["imageId", "repoDigest"],
        // Not auto-named, so never delete-before-replace by itself: pulumi-docker provider/resources.go gives
        // docker_image's `name` a Fields entry of its own (`"name": {Name: "name"}`), and the bridge's
        // SetAutonaming (pkg/tfbridge/info/autonaming.go) skips "properties that already have a SchemaInfo entry".
        // Seen on the real CLI: tests/system/engine.test.ts, "replaces a RemoteImage create-before-delete".
        providerDeleteBeforeReplace: false,
        props: {
            // Never pulls: the image must exist locally (no registry is reachable in the test environment).
            name: v(true),
            keepLocally: v(false),
            forceRemove: v(false),
        },
    },
    // terraform-provider-random (pulumi-random v4.21.1's provider/go.mod pins commit f8d869dc98d9; the
    // installed @pulumi/random is 4.21.2, see engine/README.md) internal/provider/resource_password.go: every
    // argument RequiresReplace; special/upper/lower/numeric Optional+Computed with Default true, min_* Default
    // 0; result and bcrypt_hash Computed+Sensitive (the SDK adds them to additionalSecretOutputs); id "none";
    // Read does nothing (the state is kept), Update copies the plan, Delete does nothing. Only length and the
    // four character classes are implemented (min_*, override_special, keepers refused).
    [RANDOM_PASSWORD]: {
        token: RANDOM_PASSWORD,
        computedOnUpdate: [],
        computedOnCreate: ["result", "bcryptHash"],
        providerDeleteBeforeReplace: false,
        props: {
            length: v(true),
            special: v(true, { default: true }),
            upper: v(true, { default: true }),
            lower: v(true, { default: true }),
            numeric: v(true, { default: true }),
        },
    },
    // pulumi-command v1.2.1 provider/pkg/provider/local/command.go: triggers replace, the rest updates.
    [LOCAL_COMMAND]: {
        token: LOCAL_COMMAND,
        computedOnUpdate: ["stdout", "stderr"],
        computedOnCreate: ["stdout", "stderr"],
        providerDeleteBeforeReplace: false,
        props: {
            create: v(false),
            update: v(false),
            delete: v(false),
            dir: v(false),
            environment: { forceNew: false, shape: "map" },
            triggers: { forceNew: true, shape: "list" },
        },
    },
};

/** Whether the provider's Diff asks for delete-before-replace, for these (new) inputs. */
export function providerWantsDeleteBeforeReplace(type: string, inputs: JsonObject): boolean {
    const rule = rulesFor(type).providerDeleteBeforeReplace;
    if (rule === "whenNamed") return inputs.name !== undefined && inputs.name !== null;
    return rule;
}

/** Message prefix of every "not supported" failure. */
export function unsupported(what: string, why?: string): Error {
    return new Error(`docker test engine: ${what} is not supported${why ? ` (${why})` : ""}`);
}

export function rulesFor(type: string): TypeRules {
    const rules = SUPPORTED_TYPES[type];
    if (!rules) throw unsupported(type, `supported resource types: ${Object.keys(SUPPORTED_TYPES).join(", ")}`);
    return rules;
}

/** Throws "docker test engine: <type>.<prop> is not supported" for anything outside the table. */
export function assertSupportedInputs(type: string, inputs: Record<string, Json>): void {
    const rules = rulesFor(type);
    for (const [key, value] of Object.entries(inputs)) {
        if (value === null || value === undefined) continue;
        const rule = rules.props[key];
        if (!rule) throw unsupported(`${type}.${key}`);
        if (value === UNKNOWN) continue;
        if (rule.check) {
            const why = rule.check(value);
            if (why) throw unsupported(`${type}.${key}=${JSON.stringify(value)}`, why);
        }
        if (rule.fields) {
            const elements = rule.shape === "object" ? [value] : Array.isArray(value) ? value : [value];
            for (const element of elements) {
                if (!isObject(element)) continue;
                for (const [field, fieldValue] of Object.entries(element)) {
                    if (fieldValue === null || fieldValue === undefined) continue;
                    if (!rule.fields.includes(field)) throw unsupported(`${type}.${key}.${field}`);
                }
            }
        }
    }
}

/** A nested object with its fields' Terraform Defaults filled in. */
export function withFieldDefaults(value: Json, rule: PropRule): Json {
    if (!rule.fieldRules || value === UNKNOWN) return value;
    const fill = (element: Json): Json => {
        if (!isObject(element)) return element;
        const out: JsonObject = { ...element };
        for (const [field, fr] of Object.entries(rule.fieldRules ?? {})) {
            if ((out[field] === undefined || out[field] === null) && fr.default !== undefined) out[field] = fr.default;
        }
        return out;
    };
    return Array.isArray(value) ? value.map(fill) : fill(value);
}

/**
 * Inputs with the provider defaults filled in, nested ones included: the state terraform-plugin-sdk plans for a
 * create (what the provider holds before its Read overwrites what it reads back).
 */
export function withDefaults(type: string, inputs: Record<string, Json>): Record<string, Json> {
    const out: Record<string, Json> = { ...inputs };
    for (const [key, rule] of Object.entries(rulesFor(type).props)) {
        if ((out[key] === undefined || out[key] === null) && rule.default !== undefined) out[key] = rule.default;
        if (out[key] !== undefined && out[key] !== null && out[key] !== UNKNOWN) {
            out[key] = withFieldDefaults(out[key], rule);
        }
    }
    return out;
}

/**
 * What a preview hands back for a resource that will be created: its inputs (with provider defaults), the
 * provider-computed outputs unknown - Optional+Computed properties the inputs leave out, and a container port's
 * unassigned host port, included (the bridge's planned state marks them computed).
 */
export function plannedOutputs(type: string, inputs: Record<string, Json>): Record<string, Json> {
    const rules = rulesFor(type);
    const out = withDefaults(type, inputs);
    for (const key of rules.computedOnCreate) out[key] = UNKNOWN;
    for (const [key, rule] of Object.entries(rules.props)) {
        if (rule.computed && (out[key] === undefined || out[key] === null)) out[key] = UNKNOWN;
    }
    if (type === CONTAINER && Array.isArray(out.ports)) {
        out.ports = out.ports.map((p) => (isObject(p) && p.external === undefined ? { ...p, external: UNKNOWN } : p));
    }
    return out;
}

/**
 * The state after an in-place update: terraform-plugin-sdk v2 applies the planned diff to the old state and
 * the container's Update does NOT read back (resource_docker_container_funcs.go resourceDockerContainerUpdate
 * ends with `return nil`). So: a property the new inputs set takes that value; one they leave out keeps the
 * old (read-back) value if it is Optional+Computed, else is removed; provider-only outputs (networkDatas, ...)
 * stay. Nested Optional+Computed fields (a port's external) keep their old value element by element.
 */
export function plannedState(type: string, oldOutputs: JsonObject, newInputs: JsonObject): JsonObject {
    const rules = rulesFor(type);
    const planned = withDefaults(type, newInputs);
    const out: JsonObject = { ...oldOutputs };
    for (const [key, rule] of Object.entries(rules.props)) {
        const value = planned[key];
        if (value === undefined || value === null) {
            if (!rule.computed) delete out[key];
            continue;
        }
        out[key] = keepComputedFields(value, oldOutputs[key], rule);
    }
    return out;
}

function keepComputedFields(value: Json, old: Json | undefined, rule: PropRule): Json {
    const computedFields = Object.entries(rule.fieldRules ?? {})
        .filter(([, fr]) => fr.computed)
        .map(([f]) => f);
    if (computedFields.length === 0 || rule.shape !== "list" || !Array.isArray(value)) return value;
    const olds = Array.isArray(old) ? old : [];
    return value.map((element, i) => {
        const before = olds[i];
        if (!isObject(element) || !isObject(before)) return element;
        const merged: JsonObject = { ...element };
        for (const f of computedFields) {
            if ((merged[f] === undefined || merged[f] === null) && before[f] !== undefined) merged[f] = before[f];
        }
        return merged;
    });
}
