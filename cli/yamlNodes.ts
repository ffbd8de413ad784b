import * as fs from "fs";
import YAML, { Document, isMap, isScalar, isSeq, Node } from "yaml";
import { CliError } from "./errors";
import { GoTimestamp, GoValue, resolvePlain } from "./goYaml";

/**
 * How the config files are read and written: the failsafe schema keeps every scalar's text as written (yaml.v3's
 * rules give it a type, see goYaml.ts), and stringifying keeps comments, key order and flow sequences as they are.
 */
export const PARSE_OPTIONS = { schema: "failsafe", keepSourceTokens: false, uniqueKeys: true } as const;
export const STRINGIFY_OPTIONS = { lineWidth: 0, flowCollectionPadding: false, indent: 2 } as const;

/** Reads a YAML file as a Document, or undefined when it does not exist; a file that is not valid YAML is an error. */
export function readYamlFile(file: string, label: string): Document | undefined {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw err;
    }
    return parseYaml(text.replace(/^\uFEFF/, ""), label); // the CLI strips a UTF-8 BOM (loaders.go readFileStripUTF8BOM)
}

export function parseYaml(text: string, label: string): Document {
    const doc = YAML.parseDocument(text, PARSE_OPTIONS);
    const problem = doc.errors[0] ?? doc.warnings[0];
    if (problem) {
        const where = problem.linePos ? ` (line ${problem.linePos[0].line})` : "";
        throw new CliError(
            `${label} is not valid YAML${where}: ${problem.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "")}; nothing was changed`,
        );
    }
    return doc;
}

/**
 * A node as yaml.v3 decodes it into Go's `any` (decode.go): quoted and block scalars are strings, plain ones are
 * resolved (resolve.go). Explicit tags, anchors and aliases are refused: the CLI's rules for them are not modelled.
 */
export function decodeNode(node: unknown, where: string): GoValue | GoTimestamp {
    if (node === null || node === undefined) return null;
    if (isScalar(node)) {
        if (node.tag)
            throw new CliError(`${where}: explicit YAML tags (${node.tag}) are not supported; remove the tag`);
        const text = String(node.value);
        return node.type === "PLAIN" ? resolvePlain(text) : text;
    }
    if (isSeq(node)) return node.items.map((item, i) => decoded(item, `${where}[${i}]`));
    if (isMap(node)) {
        const out: { [key: string]: GoValue } = {};
        for (const pair of node.items) {
            const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
            if (key === undefined) throw new CliError(`${where}: a map key that is not a string`);
            out[key] = decoded(pair.value, `${where}.${key}`);
        }
        return out;
    }
    throw new CliError(`${where}: YAML anchors and aliases are not supported; write the value out`);
}

/** decodeNode inside a sequence or map, where the CLI has no rule for a timestamp: refused. */
function decoded(node: unknown, where: string): GoValue {
    const v = decodeNode(node as Node, where);
    if (v instanceof GoTimestamp) throw new CliError(`${where} = ${v.text} reads as a YAML timestamp; quote it`);
    return v;
}
