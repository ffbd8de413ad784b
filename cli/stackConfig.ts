/**
 * The stack config the Pulumi CLI hands the program, read without the CLI, and the `pulumi config` subset the
 * built-in engine offers (`npm run config`). Every rule names the CLI source it follows (pulumi/pulumi at
 * 1b5949891b3c, gopkg.in/yaml.v3 v3.0.1); where the CLI is lenient at `set` and only fails at `up` (types,
 * the program's own validation), this refuses at once. Secrets and nested paths need the real CLI.
 */
import * as fs from "fs";
import * as path from "path";
import { Document, isScalar, Pair } from "yaml";
import { KEYS } from "../components/config/schema";
import { RawConfig, validateConfig } from "../components/config/validate";
import { ConfigError } from "../components/config/errors";
import { CliError } from "./errors";
import { GoTimestamp } from "./goYaml";
import { checkedStackName } from "./stackName";
import { configMap, editStackText, findPairs } from "./stackFileEdit";
import { applyProjectConfig, ConfigValue, configValue, fullKey, Project, readProject } from "./projectConfig";
import { parseYaml, readYamlFile, decodeNode } from "./yamlNodes";
import { closest, configJson, configTable, JsonEntry } from "./configOutput";

/** `<root>/Pulumi.<stack>.yaml` (sdk/go/common/workspace/paths.go DetectProjectStackPath, for Pulumi.yaml). */
export function stackConfigPath(root: string, stack: string): string {
    return path.join(root, `Pulumi.${checkedStackName(stack)}.yaml`);
}

/**
 * The flat config the CLI gives the program for `stack`: "ns:key" -> text, objects and arrays as JSON
 * (sdk/go/common/resource/config/map.go Map.Decrypt, plaintext.go marshalText), the stack file's values merged with
 * Pulumi.yaml's defaults and type-checked (pkg/workspace/config.go ValidateStackConfigAndApplyProjectConfig). A
 * missing stack file is an empty stack config. Throws a CliError naming every problem.
 */
export function readStackConfig(root: string, stack: string): Record<string, string> {
    const project = readProject(root);
    const file = stackConfigPath(root, stack);
    const state = evaluate(project, stack, readYamlFile(file, path.basename(file)), path.basename(file), false);
    if (state.problems.length > 0) throw new CliError(`${path.basename(file)}: ${state.problems.join("; ")}`);
    const out: Record<string, string> = {};
    for (const [key, v] of state.merged) out[key] = v.text;
    return out;
}

export interface ConfigContext {
    root: string;
    stack: string;
    print: (line: string) => void;
}

const SECRET_HINT = "secrets need the Pulumi CLI: pulumi config set --secret <key> <value>";
const USAGE = "usage: config [--json] | config get <key> [--json] | config set <key> <value> | config rm <key>";

/**
 * `pulumi config` (pkg/cmd/pulumi/config/config.go): no verb lists, `get`, `set`, `rm` (aliases `remove`,
 * `delete`); `--json` for list and get. Bad input throws a CliError and writes nothing.
 */
export function runConfigCommand(argv: string[], ctx: ConfigContext): void {
    const { words, json } = parseArgs(argv);
    const [verb, ...args] = words;
    const project = readProject(ctx.root);
    if (project.name !== "cloudlab") throw new CliError(`Pulumi.yaml names project '${project.name}', not cloudlab`);
    const file = stackConfigPath(ctx.root, ctx.stack);
    const label = path.basename(file);
    const arity = (n: number, form: string) => {
        if (args.length !== n)
            throw new CliError(
                `config ${verb} takes ${form}, got ${args.length} argument${args.length === 1 ? "" : "s"}: ${USAGE}`,
            );
    };
    if (json && verb !== undefined && verb !== "get")
        throw new CliError(`--json is for listing and get, not config ${verb}`);
    switch (verb) {
        case undefined:
            return list(project, ctx, file, label, json);
        case "get":
            arity(1, "one key");
            return get(project, ctx, file, label, args[0], json);
        case "set":
            arity(2, "a key and a value");
            return edit(project, ctx.stack, file, label, settableKey(project, args[0]), args[1]);
        case "rm":
        case "remove":
        case "delete":
            arity(1, "one key");
            return edit(project, ctx.stack, file, label, removableKey(project, file, label, args[0]), undefined);
        case "set-all":
        case "rm-all":
        case "remove-all":
        case "copy":
        case "cp":
        case "refresh":
        case "env":
            throw new CliError(`config ${verb} needs the Pulumi CLI: pulumi config ${verb} ...`);
        default:
            throw new CliError(`unknown config verb '${verb}': ${USAGE}`);
    }
}

function parseArgs(argv: string[]): { words: string[]; json: boolean } {
    const words: string[] = [];
    let json = false;
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        if (a === "--") {
            words.push(...argv.slice(i + 1));
            break;
        }
        if (a === "--json" || a === "-j") json = true;
        else if (a === "--plaintext")
            continue; // what this command stores anyway
        else if (a === "--secret" || a.startsWith("--secret=")) throw new CliError(SECRET_HINT);
        else if (a === "--show-secrets")
            throw new CliError("secrets need the Pulumi CLI: pulumi config --show-secrets");
        else if (a === "--path" || a.startsWith("--path="))
            throw new CliError(
                "nested values (--path) need the Pulumi CLI: pulumi config set --path '<key>[0]' <value>",
            );
        else if (a === "--type" || a.startsWith("--type="))
            throw new CliError(
                "typed values (--type) need the Pulumi CLI: pulumi config set --type <type> <key> <value>",
            );
        else if (a.startsWith("-") && a.length > 1) throw new CliError(`unknown config flag '${a}': ${USAGE}`);
        else words.push(a);
    }
    return { words, json };
}

/** A key of components/config/schema.ts, given bare or as `cloudlab:key` (config/io.go parseConfigKey). */
function settableKey(project: Project, arg: string): string {
    const name = cloudlabName(project, arg);
    if (!(name in KEYS)) {
        throw new CliError(
            `unknown config key '${arg}': not a cloudlab setting; did you mean '${closest(name, Object.keys(KEYS))}'? (docs/configuration.md lists them)`,
        );
    }
    return name;
}

/** As settableKey, but a key the file sets is removable even when it is not a setting (a typo, a stale key). */
function removableKey(project: Project, file: string, label: string, arg: string): string {
    const name = cloudlabName(project, arg);
    if (name in KEYS) return name;
    const doc = readYamlFile(file, label);
    if (doc && findPairs(configMap(doc, label), project.name, name).length > 0) return name;
    return settableKey(project, arg);
}

function cloudlabName(project: Project, arg: string): string {
    if (arg === "") throw new CliError(`an empty config key: ${USAGE}`);
    if (!arg.includes(":")) return arg;
    const parts = arg.split(":");
    if (parts.length === 2 && parts[0] === project.name && parts[1] !== "") return parts[1];
    throw new CliError(
        `'${arg}' is not a ${project.name} key: this command manages ${project.name}:<key> only; for other keys use the Pulumi CLI: pulumi config set ${arg} <value>`,
    );
}

interface Evaluated {
    /** The stack file's own values (namespaced keys). */
    values: Map<string, ConfigValue>;
    /** With Pulumi.yaml's defaults. */
    merged: Map<string, ConfigValue>;
    problems: string[];
}

/**
 * Reads a stack file's `config:` map as the CLI loads it (sdk/go/common/workspace/loaders.go LoadProjectStackBytes:
 * bare keys are the project's, stackConfigNamespacedWithProject) and merges the project's config. With
 * `withProgram`, also the program's own validation (components/config/validate.ts) of the merged cloudlab keys.
 */
function evaluate(
    project: Project,
    stack: string,
    doc: Document | undefined,
    label: string,
    withProgram: boolean,
): Evaluated {
    const values = new Map<string, ConfigValue>();
    const problems: string[] = [];
    const map = doc ? configMap(doc, label) : undefined;
    for (const pair of map?.items ?? []) {
        const key = keyText(pair, label);
        const full = fullKey(project, key);
        if (full.split(":").length !== 2)
            throw new CliError(`${label}: config key '${key}' is not of the form <namespace>:<name>`);
        if (values.has(full)) {
            problems.push(`${full} is set twice (as ${key} and ${full}); keep one`);
            continue;
        }
        const decoded = decodeNode(pair.value, `${label} ${key}`);
        if (decoded instanceof GoTimestamp) {
            problems.push(`${full} = ${decoded.text} reads as a YAML timestamp, not text: quote it`);
        } else if (decoded === null) {
            problems.push(`${full} has no value: write "" for an empty string`);
        } else {
            try {
                const v = configValue(decoded);
                if (v.secure)
                    problems.push(`${full} is a secret: ${SECRET_HINT.replace("set --secret <key> <value>", "up")}`);
                values.set(full, v);
            } catch {
                problems.push(
                    `${full} = ${String(decoded)} is not a value the Pulumi CLI can pass on (not a finite number)`,
                );
            }
        }
    }
    const { merged, problems: typeProblems } = applyProjectConfig(project, stack, values, label);
    problems.push(...typeProblems);
    if (withProgram) problems.push(...programProblems(project, merged));
    return { values, merged, problems };
}

/** components/config/validate.ts validateConfig on the cloudlab keys, as loadConfig (load.ts) hands them over. */
function programProblems(project: Project, merged: Map<string, ConfigValue>): string[] {
    const raw: RawConfig = {};
    const prefix = `${project.name}:`;
    for (const [key, v] of merged) if (key.startsWith(prefix) && !v.secure) raw[key.slice(prefix.length)] = v.text;
    try {
        validateConfig(raw);
        return [];
    } catch (err) {
        if (err instanceof ConfigError) return err.problems;
        throw err;
    }
}

function keyText(pair: Pair, label: string): string {
    if (!isScalar(pair.key)) throw new CliError(`${label}: a config key that is not text`);
    return String(pair.key.value);
}

/**
 * `pulumi config set` / `rm`: the CLI loads the stack file, changes its config.Map and saves it with a
 * comment-preserving edit (sdk/go/common/encoding/marshal.go yamlMarshaler.Marshal -> util/yamlutil/edit.go Edit):
 * keys keep their place, comments and styles; a new key goes at the end of `config:` (pulumi/pulumi#14860), written
 * `cloudlab:key: value` (config.Map.MarshalYAML writes Key.String()); the value is always a string (config set with
 * no --type: config.NewTypedValue(value, TypeUnknown)), so yaml.v3 quotes text that would read as another type
 * (goYaml.ts styleFor). An emptied `config:` is dropped (ProjectStack's `omitempty`). A missing file is created
 * (project.go save, 0644). Refused when the result has a problem the file did not already have.
 */
function edit(
    project: Project,
    stack: string,
    file: string,
    label: string,
    name: string,
    value: string | undefined,
): void {
    const original = fs.existsSync(file) ? fs.readFileSync(file, "utf8").replace(/^\uFEFF/, "") : undefined;
    const beforeState = evaluate(
        project,
        stack,
        original === undefined ? undefined : parseYaml(original, label),
        label,
        true,
    );
    const full = `${project.name}:${name}`;
    if (value !== undefined && /[\n\r]/.test(value))
        throw new CliError(`the value for ${full} has a line break: multi-line values need the Pulumi CLI`);
    const text = editStackText(original, label, project.name, name, value);
    if (text === undefined) return;
    const doc = parseYaml(text, label);
    const after = evaluate(project, stack, doc, label, true);
    const fresh = after.problems.filter((p) => !beforeState.problems.includes(p));
    if (fresh.length > 0) {
        const hint =
            value !== undefined && KEYS[name as keyof typeof KEYS]?.yamlType === "array"
                ? ` (lists need the Pulumi CLI: pulumi config set --path '${name}[0]' <value>)`
                : "";
        throw new CliError(
            `${value === undefined ? `config rm ${name}` : `config set ${name} ${JSON.stringify(value)}`} refused, ${label} unchanged: ${fresh.join("; ")}${hint}`,
        );
    }
    const written = after.values.get(full);
    if (value === undefined ? written !== undefined : written?.text !== value)
        throw new Error(
            `internal error: the edited ${label} gives ${full} = ${JSON.stringify(written?.text)}, not ${JSON.stringify(value)}`,
        );
    if (text === original) return;
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, text, { mode: 0o644 });
    fs.renameSync(tmp, file);
}

function list(project: Project, ctx: ConfigContext, file: string, label: string, json: boolean): void {
    const { merged } = evaluate(project, ctx.stack, readYamlFile(file, label), label, false);
    const entries = sortedEntries(merged);
    if (json) {
        const out: Record<string, JsonEntry> = {};
        for (const [key, v] of entries) out[key] = jsonEntry(v);
        for (const line of configJson(out, false).split("\n")) ctx.print(line);
        return;
    }
    // listConfig: KEY VALUE, the project's own keys without their namespace (PrettyKeyForProject), secrets blinded.
    const rows = entries.map(([key, v]) => [pretty(project, key), v.secure ? "[secret]" : v.text]);
    for (const line of configTable(["KEY", "VALUE"], rows)) ctx.print(line);
}

function get(project: Project, ctx: ConfigContext, file: string, label: string, arg: string, json: boolean): void {
    const full = arg.includes(":") ? arg : `${project.name}:${arg}`;
    const { merged } = evaluate(project, ctx.stack, readYamlFile(file, label), label, false);
    const v = merged.get(full);
    if (v === undefined) {
        if (full.startsWith(`${project.name}:`)) settableKey(project, arg);
        throw new CliError(`configuration key '${pretty(project, full)}' not found for stack '${ctx.stack}'`);
    }
    if (v.secure)
        throw new CliError(`${full} is a secret: ${SECRET_HINT.replace("set --secret <key> <value>", `get ${arg}`)}`);
    if (json) for (const line of configJson(jsonEntry(v), true).split("\n")) ctx.print(line);
    else ctx.print(v.text);
}

/** The shape of `pulumi config --json` entries (config.go configValueJSON). */
function jsonEntry(v: ConfigValue): JsonEntry {
    if (v.secure) return { secret: true };
    return v.object
        ? { value: v.text, objectValue: JSON.parse(v.text), secret: false }
        : { value: v.text, secret: false };
}

/** Sorted by namespace, then name (config.KeyArray.Less). */
function sortedEntries(merged: Map<string, ConfigValue>): Array<[string, ConfigValue]> {
    const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    return [...merged].sort(([a], [b]) => {
        const [na, ka] = a.split(":");
        const [nb, kb] = b.split(":");
        return cmp(na, nb) || cmp(ka, kb);
    });
}

function pretty(project: Project, key: string): string {
    return key.startsWith(`${project.name}:`) ? key.slice(project.name.length + 1) : key;
}
