/**
 * The cAdvisor release the offline image is built from: tools/cadvisor/go.mod is its one home (scripts/lib/
 * common.sh's cadvisor_version reads the same line).
 */
import * as fs from "fs";
import * as path from "path";
import { REPO } from "../../lib/repo";

export const CADVISOR_GO_MOD = path.join(REPO, "tools", "cadvisor", "go.mod");
export const CADVISOR_MODULE = "github.com/google/cadvisor";

/** The version go.mod requires `module` at; an error when it does not require it. */
export function requiredVersion(goMod: string, module: string): string {
    const escaped = module.replace(/[.]/g, "\\.");
    const m = new RegExp(`^\\s*(?:require\\s+)?${escaped}\\s+(v\\S+)`, "m").exec(goMod);
    if (!m) throw new Error(`${CADVISOR_GO_MOD} does not require ${module}`);
    return m[1];
}

export const CADVISOR_VERSION = requiredVersion(fs.readFileSync(CADVISOR_GO_MOD, "utf8"), CADVISOR_MODULE);
