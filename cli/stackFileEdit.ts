/**
 * The text of Pulumi.<stack>.yaml after `pulumi config set` / `rm` of one key. The CLI re-encodes the whole file with
 * a comment-preserving edit (sdk/go/common/util/yamlutil/edit.go Edit); this changes only the bytes of the edited
 * entry, so the file's comments, blank lines and other keys stay byte-identical. Layouts the splice does not handle
 * (flow maps, block scalars, a key given twice) are re-stringified from the parsed Document instead, which keeps
 * comments and order but may normalise spacing.
 */
import { Document, isMap, isScalar, Pair, Scalar, YAMLMap } from "yaml";
import { CliError } from "./errors";
import { ScalarStyle, styleFor } from "./goYaml";
import { parseYaml, STRINGIFY_OPTIONS } from "./yamlNodes";

/** The stack file's `config:` map; undefined when the file has none. */
export function configMap(doc: Document, label: string): YAMLMap | undefined {
    const top = doc.contents;
    if (isEmpty(top)) return undefined;
    if (!isMap(top)) throw new CliError(`${label}: the file is not a YAML map (expected \`config:\` at the top)`);
    const config = top.get("config", true);
    if (config === undefined || isEmpty(config)) return undefined;
    if (!isMap(config)) throw new CliError(`${label}: \`config:\` is not a map of key: value`);
    return config;
}

function isEmpty(node: unknown): boolean {
    return node === null || node === undefined || (isScalar(node) && node.type === "PLAIN" && node.value === "");
}

/** The entries of `config:` for a key, bare (`imageTag`) or namespaced (`cloudlab:imageTag`). */
export function findPairs(map: YAMLMap | undefined, namespace: string, name: string): Pair[] {
    return (map?.items ?? []).filter(
        (p) => isScalar(p.key) && [name, `${namespace}:${name}`].includes(String(p.key.value)),
    );
}

/**
 * The file's text with `namespace:name` set to `value` (undefined: removed); undefined when an rm has nothing to
 * remove (config.Map.Remove of an absent key). A missing file is `original` undefined.
 */
export function editStackText(
    original: string | undefined,
    label: string,
    namespace: string,
    name: string,
    value: string | undefined,
): string | undefined {
    const text = original ?? "";
    const doc = parseYaml(text, label);
    const map = configMap(doc, label);
    const pairs = findPairs(map, namespace, name);
    if (value === undefined && pairs.length === 0) return undefined;
    const spliced =
        value === undefined
            ? splicedRemove(text, doc, map!, pairs)
            : splicedSet(text, doc, map, pairs, `${namespace}:${name}`, value);
    return spliced ?? restringified(doc, label, namespace, name, value);
}

/** The scalar as yaml.v3 writes it in `style` (one line: values with line breaks are refused before). */
function render(value: string, style: ScalarStyle): string {
    const s = new Scalar(value);
    s.type = style;
    return new Document(s).toString(STRINGIFY_OPTIONS).replace(/\n$/, "");
}

function splicedSet(
    text: string,
    doc: Document,
    map: YAMLMap | undefined,
    pairs: Pair[],
    full: string,
    value: string,
): string | undefined {
    if (pairs.length > 1) return undefined;
    if (map === undefined) {
        // No `config:` yet: the CLI's Edit appends the new top-level key at the end (handleMappingNode).
        if (isMap(doc.contents) && doc.contents.has("config")) return undefined; // `config:` with no value
        if (!isEmpty(doc.contents) && !isMap(doc.contents)) return undefined;
        if (isMap(doc.contents) && doc.contents.flow) return undefined;
        const sep = text === "" || text.endsWith("\n") ? "" : "\n";
        return `${text}${sep}config:\n  ${full}: ${render(value, styleFor(value))}\n`;
    }
    if (map.flow || map.items.length === 0) return undefined;
    const [pair] = pairs;
    if (pair) {
        const v = pair.value;
        const k = pair.key as Scalar;
        if (!isScalar(v) || !v.range || !k.range || !["PLAIN", "QUOTE_SINGLE", "QUOTE_DOUBLE"].includes(String(v.type)))
            return undefined;
        if (v.range[1] <= v.range[0]) return undefined; // `key:` with no value
        const rendered = render(value, styleFor(value, v.type as ScalarStyle));
        let out = text.slice(0, v.range[0]) + rendered + text.slice(v.range[1]);
        // A bare `imageTag:` becomes `cloudlab:imageTag:` in place (the CLI's Edit drops it and appends the new key).
        if (String(k.value) !== full) out = out.slice(0, k.range[0]) + full + out.slice(k.range[1]);
        return out;
    }
    const first = map.items[0].key as Scalar;
    const last = map.items[map.items.length - 1];
    const lastNode = (last.value ?? last.key) as Scalar;
    if (!first.range || !lastNode.range) return undefined;
    const indent = first.range[0] - (text.lastIndexOf("\n", first.range[0] - 1) + 1);
    if (!/^ *$/.test(text.slice(first.range[0] - indent, first.range[0]))) return undefined;
    const at = endOfLine(text, lastNode.range[1]);
    const line = `${" ".repeat(indent)}${full}: ${render(value, styleFor(value))}\n`;
    return text.slice(0, at) + (text[at - 1] === "\n" ? "" : "\n") + line + text.slice(at);
}

/**
 * Removes the entry's lines, with the comment lines right above it at its indentation (yaml.v3 keeps them as the
 * key's head comment, which Edit drops with the key); an emptied `config:` goes too (ProjectStack's omitempty).
 */
function splicedRemove(text: string, doc: Document, map: YAMLMap, pairs: Pair[]): string | undefined {
    if (map.flow) return undefined;
    let out = text;
    const spans = pairs.map((p) => entrySpan(text, p)).sort((a, b) => (a && b ? b[0] - a[0] : 0));
    if (spans.some((s) => s === undefined)) return undefined;
    for (const [start, end] of spans as Array<[number, number]>) out = out.slice(0, start) + out.slice(end);
    if (pairs.length === map.items.length) {
        const top = doc.contents as YAMLMap;
        const configPair = top.items.find((p) => isScalar(p.key) && p.key.value === "config");
        const span = configPair && entrySpan(out, configPair, (configPair.key as Scalar).range![1]);
        if (!span) return undefined;
        out = out.slice(0, span[0]) + out.slice(span[1]);
    }
    return out;
}

/** [start, end) of an entry's lines in `text`; `valueEnd` overrides where the entry ends (before later edits). */
function entrySpan(text: string, pair: Pair, valueEnd?: number): [number, number] | undefined {
    const k = pair.key as Scalar;
    const v = pair.value as Scalar | null;
    if (!k.range) return undefined;
    let start = text.lastIndexOf("\n", k.range[0] - 1) + 1;
    const indent = text.slice(start, k.range[0]);
    if (!/^ *$/.test(indent)) return undefined;
    const endOfValue = valueEnd ?? v?.range?.[1] ?? k.range[1];
    const end = endOfLine(text, endOfValue);
    while (start > 0) {
        const prev = text.lastIndexOf("\n", start - 2) + 1;
        if (!text.slice(prev, start - 1).startsWith(`${indent}#`)) break;
        start = prev;
    }
    return [start, end];
}

/** Just after the line break that ends the line holding `end` (a block collection's range already ends after one). */
function endOfLine(text: string, end: number): number {
    if (end > 0 && text[end - 1] === "\n") return end;
    const lineEnd = text.indexOf("\n", end);
    return lineEnd === -1 ? text.length : lineEnd + 1;
}

/** The fallback: the change made on the Document, which is stringified again. */
function restringified(
    doc: Document,
    label: string,
    namespace: string,
    name: string,
    value: string | undefined,
): string {
    if (isEmpty(doc.contents)) doc.contents = new YAMLMap() as unknown as typeof doc.contents;
    const top = doc.contents as YAMLMap;
    let map = configMap(doc, label);
    const full = `${namespace}:${name}`;
    const pairs = findPairs(map, namespace, name);
    if (map) map.items = map.items.filter((p) => !pairs.slice(value === undefined ? 0 : 1).includes(p));
    if (value === undefined) {
        if (map && map.items.length === 0) top.delete("config");
        return doc.toString(STRINGIFY_OPTIONS);
    }
    if (!map) {
        map = new YAMLMap();
        top.set(new Scalar("config"), map);
    }
    const [pair] = pairs;
    if (pair) {
        (pair.key as Scalar).value = full;
        const style = isScalar(pair.value) ? (pair.value.type as ScalarStyle) : undefined;
        pair.value = scalar(value, styleFor(value, style));
    } else {
        map.items.push(new Pair(new Scalar(full), scalar(value, styleFor(value))));
    }
    return doc.toString(STRINGIFY_OPTIONS);
}

function scalar(value: string, style: ScalarStyle): Scalar {
    const s = new Scalar(value);
    s.type = style;
    return s;
}
