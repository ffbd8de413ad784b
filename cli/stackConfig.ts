// TEMPORARY stand-in until h-config lands
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { CliError } from "./errors";
export function readStackConfig(root: string, stack: string): Record<string, string> {
    const f = path.join(root, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(f)) return {};
    const c = (parse(fs.readFileSync(f, "utf8")) as { config?: Record<string, unknown> }).config ?? {};
    return Object.fromEntries(Object.entries(c).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
}
export function runConfigCommand(_a: string[], _c: { root: string; stack: string; print: (l: string) => void }): void {
    throw new CliError("not yet");
}
