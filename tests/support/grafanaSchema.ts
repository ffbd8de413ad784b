/**
 * A Grafana dashboard JSON checked against Grafana's own published schema types (the npm package
 * @grafana/schema, generated from the CUE schemas Grafana validates with): the JSON is compiled by tsc as
 * object literals typed with those types, so a wrong type, a misspelled key (excess property) or a value outside
 * an enum is a compile error naming the panel. Each panel is checked against its own plugin's Options and
 * FieldConfig (composable/<type>/panelcfg), not only the loose dashboard-level Panel.
 */
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { REPO } from "../../lib/repo";

const SCHEMA = "@grafana/schema";
const SCHEMA_DIR = path.join(REPO, "node_modules", "@grafana", "schema");

/** A panel type's module of Options and FieldConfig, as the package exports it; undefined for a type it lacks. */
export function panelCfgModule(type: string): { module: string; hasFieldConfig: boolean } | undefined {
    const exports = Object.keys(JSON.parse(fs.readFileSync(path.join(SCHEMA_DIR, "package.json"), "utf8")).exports);
    const entry = exports.find((e) =>
        new RegExp(`^\\./dist/esm/raw/composable/${type}/panelcfg/x/\\w+_types\\.gen$`).test(e),
    );
    if (!entry) return undefined;
    const types = path.join(SCHEMA_DIR, "dist", "types", "raw", "composable", type, "panelcfg", "x", "types.gen.d.ts");
    return {
        module: `${SCHEMA}/${entry.slice(2)}`,
        hasFieldConfig: /export interface FieldConfig\b/.test(fs.readFileSync(types, "utf8")),
    };
}

// The schema's string enums (LegendDisplayMode.List...) as the strings a JSON file holds; numeric enums take
// their numbers as they are; everything else keeps its shape, so excess-property checks apply at every level.
const PRELUDE = `
type Json<T> = T extends string ? \`\${T}\`
    : T extends number | boolean | null | undefined ? T
    : T extends ReadonlyArray<infer U> ? Array<Json<U>>
    : T extends object ? { [K in keyof T]: Json<T[K]> }
    : T;
// A panel's options and custom field config as a JSON file may hold them: any key may be left out (Grafana fills
// in the plugin's defaults), but a key given must be the plugin's, with a value of its type.
type Partly<T> = T extends string ? \`\${T}\`
    : T extends number | boolean | null | undefined ? T
    : T extends ReadonlyArray<infer U> ? Array<Partly<U>>
    : T extends object ? { [K in keyof T]?: Partly<T[K]> }
    : T;
// The dashboard-level Panel leaves options and fieldConfig.defaults.custom open (Record<string, unknown>): here
// they are the panel plugin's own types.
type TypedPanel<O, C> = Json<Omit<Panel, "targets" | "options" | "fieldConfig">> & {
    options?: Partly<O>;
    fieldConfig?: Json<Omit<FieldConfigSource, "defaults">> & {
        defaults: Json<Omit<FieldConfig, "custom">> & { custom?: Partly<C> };
    };
};
// Grafana's Prometheus data source query (its PromQuery): the schema package has the common part only.
type PromTarget = Json<DataQuery> & {
    expr: string;
    legendFormat?: string;
    instant?: boolean;
    range?: boolean;
    format?: "time_series" | "table" | "heatmap";
    interval?: string;
    intervalFactor?: number;
    exemplar?: boolean;
    editorMode?: "code" | "builder";
};
`;

/** The dashboard's problems as Grafana's schema types see them, one line each ([] when it conforms). */
export function grafanaSchemaErrors(dashboardJson: string): string[] {
    const dashboard = JSON.parse(dashboardJson) as { panels?: Array<Record<string, unknown>> };
    const problems: string[] = [];
    const imports = [
        `import type { Dashboard, DataQuery, FieldConfig, FieldConfigSource, Panel, RowPanel } from "${SCHEMA}";`,
    ];
    const decls: string[] = [];
    const { panels = [], ...rest } = dashboard;
    decls.push(`// the dashboard\nconst dashboard: Json<Omit<Dashboard, "panels">> = ${JSON.stringify(rest)};`);
    panels.forEach((panel, i) => {
        const name = `panel_${i}`;
        const title = JSON.stringify(panel.title ?? `#${i}`);
        if (panel.type === "row") {
            decls.push(`// ${title}\nconst ${name}: Json<RowPanel> = ${JSON.stringify(panel)};`);
            return;
        }
        const cfg = panelCfgModule(String(panel.type));
        if (!cfg) {
            problems.push(`panel ${title}: type ${JSON.stringify(panel.type)} has no schema in ${SCHEMA}`);
            return;
        }
        imports.push(`import type * as cfg_${i} from "${cfg.module}";`);
        const fieldConfig = cfg.hasFieldConfig ? `cfg_${i}.FieldConfig` : "Record<string, unknown>";
        const { targets = [], ...withoutTargets } = panel;
        decls.push(
            `// ${title}\nconst ${name}: TypedPanel<cfg_${i}.Options, ${fieldConfig}> = ${JSON.stringify(withoutTargets)};`,
            `const ${name}_targets: PromTarget[] = ${JSON.stringify(targets)};`,
        );
    });
    const source = `${imports.join("\n")}\n${PRELUDE}\n${decls.join("\n")}\nexport {};\n`;
    return [...problems, ...compile(source)];
}

function compile(source: string): string[] {
    // Beside the tests, so that @grafana/schema resolves from the repository's node_modules.
    const file = path.join(REPO, "tests", "support", "__dashboard_schema_check__.ts");
    const options: ts.CompilerOptions = {
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.ESNext,
        // The package's types are reached through its `exports` map.
        moduleResolution: ts.ModuleResolutionKind.Bundler,
        types: [],
    };
    const host = ts.createCompilerHost(options);
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (name, lang, ...more) =>
        name === file ? ts.createSourceFile(name, source, lang) : getSourceFile(name, lang, ...more);
    const fileExists = host.fileExists.bind(host);
    host.fileExists = (name) => name === file || fileExists(name);
    const program = ts.createProgram([file], options, host);
    const lines = source.split("\n");
    return ts.getPreEmitDiagnostics(program).map((d) => {
        const message = ts.flattenDiagnosticMessageText(d.messageText, "\n  ");
        if (!d.file || d.file.fileName !== file || d.start === undefined) return message;
        const line = d.file.getLineAndCharacterOfPosition(d.start).line;
        // The comment above a panel's declaration names it.
        const owner = lines
            .slice(0, line + 1)
            .reverse()
            .find((l) => l.startsWith("// "));
        return `${owner === "// the dashboard" ? "the dashboard" : `panel ${owner?.slice(3)}`}: ${message}`;
    });
}
