import * as path from "path";
import { isMap, isScalar } from "yaml";
import { CliError } from "./errors";
import { GoTimestamp, GoValue, goJson, isGoPrimitive } from "./goYaml";
import { decodeNode, readYamlFile } from "./yamlNodes";

/** Pulumi.yaml's declaration of one config key (sdk/go/common/workspace/project.go ProjectConfigType). */
export interface ProjectConfigType {
    type?: string;
    items?: ItemsType;
    default?: GoValue;
    value?: GoValue;
    secret: boolean;
}
interface ItemsType {
    type: string;
    items?: ItemsType;
}

export interface Project {
    name: string;
    /** As Pulumi.yaml writes the keys: `imageTag` (the project's namespace) or `aws:region`. */
    config: Record<string, ProjectConfigType>;
}

/**
 * One stack config value as the CLI holds it (sdk/go/common/resource/config/value.go Value): the text the program
 * receives, and whether it is JSON of an object or array, or a secret.
 */
export interface ConfigValue {
    text: string;
    object: boolean;
    secure: boolean;
}

/** Reads Pulumi.yaml's name and `config:` block and checks it as the CLI's Project.Validate does (project.go). */
export function readProject(root: string): Project {
    const file = path.join(root, "Pulumi.yaml");
    const doc = readYamlFile(file, "Pulumi.yaml");
    if (!doc || !isMap(doc.contents))
        throw new CliError(`${file}: no Pulumi project here (Pulumi.yaml missing or empty)`);
    const name = doc.get("name");
    if (typeof name !== "string" || name === "")
        throw new CliError("Pulumi.yaml: project is missing a 'name' attribute");
    const config: Record<string, ProjectConfigType> = {};
    const block = doc.get("config", true);
    if (block !== undefined && block !== null && !isMap(block))
        throw new CliError("Pulumi.yaml: `config:` is not a map");
    for (const pair of isMap(block) ? block.items : []) {
        const key = String(isScalar(pair.key) ? pair.key.value : pair.key);
        config[key] = declaration(name, key, pair.value);
    }
    return { name, config };
}

function declaration(project: string, key: string, node: unknown): ProjectConfigType {
    const where = `Pulumi.yaml config ${key}`;
    const raw = decodeNode(node, where);
    if (raw instanceof GoTimestamp) throw new CliError(`${where}: a timestamp; quote it`);
    // A bare value is shorthand for a default (project key) or a value (other namespace): project.go
    // RewriteConfigPathIntoProject's rule (isPrimitiveValue || isArray).
    const own = !key.includes(":") || key.startsWith(`${project}:`);
    if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
        return own ? { default: raw ?? undefined, secret: false } : { value: raw ?? undefined, secret: false };
    }
    const t: ProjectConfigType = {
        type: raw.type === undefined ? undefined : String(raw.type),
        items: raw.items === undefined ? undefined : (raw.items as unknown as ItemsType),
        default: raw.default ?? undefined,
        value: raw.value ?? undefined,
        secret: raw.secret === true,
    };
    // project.go Project.Validate
    if (t.default !== undefined && t.value !== undefined)
        throw new CliError(`Pulumi.yaml: project config '${key}' cannot have both a 'default' and 'value' attribute`);
    if (own) {
        if (t.type === "array" && t.items === undefined)
            throw new CliError(
                `Pulumi.yaml: the configuration key '${key}' declares an array but does not specify the underlying type via the 'items' attribute`,
            );
        if (t.type !== undefined && t.default !== undefined && !validateConfigValue(t.type, t.items, t.default))
            throw new CliError(
                `Pulumi.yaml: the default value specified for configuration key '${key}' is not of the expected type '${fullTypeName(t.type, t.items)}'`,
            );
    } else if (t.type !== undefined || t.default !== undefined || t.value === undefined) {
        throw new CliError(
            `Pulumi.yaml: configuration key '${key}' is not namespaced by the project: give it only a 'value'`,
        );
    }
    return t;
}

/** project.go InferFullTypeName. */
export function fullTypeName(type: string, items?: ItemsType): string {
    return items ? `array<${fullTypeName(items.type, items.items)}>` : type;
}

/**
 * project.go ValidateConfigValue: a stack's value is its text, or for an object value the JSON-decoded content;
 * integers may be whole floats or text strconv.Atoi accepts, booleans the text "true"/"false".
 */
export function validateConfigValue(type: string, items: ItemsType | undefined, value: unknown): boolean {
    switch (type) {
        case "string":
            return typeof value === "string";
        case "integer":
            if (typeof value === "bigint") return true;
            if (typeof value === "number") return Number.isInteger(value);
            return typeof value === "string" && isAtoi(value);
        case "boolean":
            return typeof value === "boolean" || value === "true" || value === "false";
        case "object":
            return typeof value === "object" && value !== null && !Array.isArray(value);
    }
    if (!Array.isArray(value) || !items) return false;
    return value.every((item) => validateConfigValue(items.type, items.items, item));
}

/** Go's strconv.Atoi on a 64-bit machine: optional sign, decimal digits, within int64. */
function isAtoi(s: string): boolean {
    if (!/^[+-]?[0-9]+$/.test(s)) return false;
    const n = BigInt(s);
    return n >= -(2n ** 63n) && n <= 2n ** 63n - 1n;
}

/** The CLI's config.Value for a decoded YAML value (value.go UnmarshalYAML, object.go MarshalString). */
export function configValue(v: GoValue): ConfigValue {
    if (typeof v === "string") return { text: v, object: false, secure: false };
    if (v !== null && typeof v === "object" && !Array.isArray(v)) {
        const keys = Object.keys(v);
        if (keys.length === 1 && keys[0] === "secure" && typeof v.secure === "string")
            return { text: v.secure, object: false, secure: true };
    }
    const object = v === null || typeof v === "object";
    return { text: goJson(v), object, secure: containsSecure(v) };
}

/** object.go Secure: a composite value holding a `{secure: ...}` map anywhere. */
function containsSecure(v: GoValue): boolean {
    if (v === null || typeof v !== "object") return false;
    if (Array.isArray(v)) return v.some(containsSecure);
    const keys = Object.keys(v);
    if (keys.length === 1 && keys[0] === "secure" && typeof v.secure === "string") return true;
    return Object.values(v).some(containsSecure);
}

/** pkg/workspace/config.go createConfigValue: a primitive default is its %v text, anything else JSON. */
function defaultValue(v: GoValue): ConfigValue {
    if (isGoPrimitive(v)) return { text: String(v), object: false, secure: false };
    return { text: goJson(v), object: true, secure: false };
}

/** pkg/workspace/config.go parseConfigKey: an un-namespaced project key is in the project's namespace. */
export function fullKey(project: Project, key: string): string {
    return key.includes(":") ? key : `${project.name}:${key}`;
}

/**
 * pkg/workspace/config.go mergeConfig (ApplyProjectConfig, and ValidateStackConfigAndApplyProjectConfig when
 * `validate`): every project key the stack does not set takes the project's `value` or `default`; with `validate`,
 * a project key with neither is missing, and every explicitly typed key's value must have its type (secret keys
 * must be secure). Returns the merged map and the problems, in the CLI's order (keys sorted) and words.
 */
export function applyProjectConfig(
    project: Project,
    stack: string,
    values: Map<string, ConfigValue>,
    file: string,
): { merged: Map<string, ConfigValue>; problems: string[] } {
    const merged = new Map(values);
    const problems: string[] = [];
    const keys = Object.keys(project.config).sort();
    const missing: string[] = [];
    for (const key of keys) {
        const t = project.config[key];
        const full = fullKey(project, key);
        if (merged.has(full)) continue;
        const given = t.default ?? t.value;
        if (given !== undefined) merged.set(full, defaultValue(given));
        else if (full.startsWith(`${project.name}:`)) missing.push(key);
    }
    if (missing.length > 0)
        problems.push(
            `Stack '${stack}' is missing configuration value${missing.length > 1 ? "s" : ""} ${missing.map((k) => `'${k}'`).join(", ")}`,
        );
    // validateStackConfigValues / validateStackConfigValue
    for (const key of keys) {
        const t = project.config[key];
        const v = merged.get(fullKey(project, key));
        if (v === undefined) continue;
        if (t.secret && !v.secure) {
            problems.push(`Stack '${stack}' with configuration key '${key}' must be encrypted as it's secret`);
            continue;
        }
        if (t.type === undefined || v.secure) continue;
        const content: unknown = v.object ? JSON.parse(v.text) : v.text;
        if (!validateConfigValue(t.type, t.items, content)) {
            const origin = values.has(fullKey(project, key)) ? file : "Pulumi.yaml's default";
            problems.push(
                `Stack '${stack}' with configuration key '${key}' must be of type '${fullTypeName(t.type, t.items)}' ` +
                    `(${origin} gives ${JSON.stringify(v.text)})`,
            );
        }
    }
    return { merged, problems };
}
