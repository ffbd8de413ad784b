/**
 * THE list of what the docker test engine supports: resource types, their input properties, and for each
 * property whether a change forces a replacement (terraform-provider-docker's ForceNew / pulumi-command's
 * triggers). Anything not listed here makes a run fail with
 *   "docker test engine: <type>.<prop> is not supported"
 * so a program never silently relies on something the stand-in does not do. Extend it here (and in the
 * type's handler) when the program needs more.
 */
import { Json } from "./types";
import { UNKNOWN, isObject } from "./values";

export type Shape = "value" | "list" | "set" | "map" | "object";

export interface PropRule {
    /** A change of this property replaces the resource. */
    forceNew: boolean;
    /** value: scalar; list: ordered; set: order-insensitive (Terraform TypeSet); map: free-form keys; object: fixed fields. */
    shape: Shape;
    /** Supported fields of an object, or of the elements of a list/set of objects. */
    fields?: readonly string[];
    /** Value the provider assumes when the input is absent (Terraform Default): absent and default diff as same. */
    default?: Json;
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
}

const v = (forceNew: boolean, extra: Partial<PropRule> = {}): PropRule => ({ forceNew, shape: "value", ...extra });
const onlyFalse = (value: Json): string | undefined => (value === false ? undefined : "only false is implemented");

export const CONTAINER = "docker:index/container:Container";
export const NETWORK = "docker:index/network:Network";
export const REMOTE_IMAGE = "docker:index/remoteImage:RemoteImage";
export const LOCAL_COMMAND = "command:local:Command";

export const SUPPORTED_TYPES: Readonly<Record<string, TypeRules>> = {
    [CONTAINER]: {
        token: CONTAINER,
        computedOnUpdate: [],
        computedOnCreate: ["networkDatas", "exitCode"],
        props: {
            // ForceNew: any change replaces the container.
            name: v(true),
            image: v(true),
            hostname: v(true),
            envs: { forceNew: true, shape: "set" },
            command: { forceNew: true, shape: "list" },
            entrypoints: { forceNew: true, shape: "list" },
            user: v(true),
            workingDir: v(true),
            labels: { forceNew: true, shape: "set", fields: ["label", "value"] },
            networksAdvanced: { forceNew: true, shape: "set", fields: ["name", "aliases", "ipv4Address"] },
            ports: { forceNew: true, shape: "list", fields: ["internal", "external", "ip", "protocol"] },
            cpus: v(true),
            ulimits: { forceNew: true, shape: "set", fields: ["name", "soft", "hard"] },
            init: v(true),
            logDriver: v(true, { default: "json-file" }),
            logOpts: { forceNew: true, shape: "map" },
            stopSignal: v(true),
            stopTimeout: v(true),
            uploads: {
                forceNew: true,
                shape: "set",
                fields: ["file", "content", "contentBase64", "executable", "permissions"],
            },
            // Updatable in place (only restart/maxRetryCount/cpu/memory reach Docker, via ContainerUpdate).
            restart: v(false, { default: "no" }),
            maxRetryCount: v(false),
            cpuShares: v(false),
            cpuSet: v(false),
            memory: v(false),
            memoryReservation: v(false),
            memorySwap: v(false),
            // Accepted in place but never sent to Docker (the provider's known trap): use replaceOnChanges.
            healthcheck: {
                forceNew: false,
                shape: "object",
                fields: ["tests", "interval", "timeout", "startPeriod", "retries"],
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
    [NETWORK]: {
        token: NETWORK,
        computedOnUpdate: [],
        computedOnCreate: ["scope"],
        props: {
            name: v(true),
            driver: v(true, { default: "bridge" }),
            ipamConfigs: { forceNew: true, shape: "set", fields: ["subnet", "gateway", "ipRange"] },
            labels: { forceNew: true, shape: "set", fields: ["label", "value"] },
            internal: v(true, { default: false }),
            attachable: v(true, { default: false }),
            options: { forceNew: true, shape: "map" },
        },
    },
    [REMOTE_IMAGE]: {
        token: REMOTE_IMAGE,
        computedOnUpdate: [],
        computedOnCreate: ["imageId", "repoDigest"],
        props: {
            // Never pulls: the image must exist locally (no registry is reachable in the test environment).
            name: v(true),
            keepLocally: v(false, { default: false }),
            forceRemove: v(false, { default: false }),
        },
    },
    [LOCAL_COMMAND]: {
        token: LOCAL_COMMAND,
        computedOnUpdate: ["stdout", "stderr"],
        computedOnCreate: ["stdout", "stderr"],
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

/** Inputs with the provider defaults filled in (what the provider reports back as outputs). */
export function withDefaults(type: string, inputs: Record<string, Json>): Record<string, Json> {
    const out: Record<string, Json> = { ...inputs };
    for (const [key, rule] of Object.entries(rulesFor(type).props)) {
        if ((out[key] === undefined || out[key] === null) && rule.default !== undefined) out[key] = rule.default;
    }
    return out;
}

/**
 * What a preview hands back for a resource that will be created: its inputs (with provider defaults), the
 * provider-computed outputs unknown - including a container port's unassigned host port.
 */
export function plannedOutputs(type: string, inputs: Record<string, Json>): Record<string, Json> {
    const out = withDefaults(type, inputs);
    for (const key of rulesFor(type).computedOnCreate) out[key] = UNKNOWN;
    if (type === CONTAINER && Array.isArray(out.ports)) {
        out.ports = out.ports.map((p) => (isObject(p) && p.external === undefined ? { ...p, external: UNKNOWN } : p));
    }
    return out;
}
