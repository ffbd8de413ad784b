import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { hasCommand, requireOrSkip } from "./requirements";
import { tempDir } from "./tempDir";

/** promtool and amtool come with Debian's prometheus and prometheus-alertmanager packages (.ci/run installs them). */
export function requirePromTools(ctx: Mocha.Context): void {
    for (const tool of ["promtool", "amtool"])
        requireOrSkip(
            ctx,
            hasCommand(tool, ["--version"]),
            tool,
            "install it: apt-get install -y prometheus prometheus-alertmanager",
        );
}

/** A fresh directory with `files` (name -> content) written into it. */
export function writeFiles(files: Record<string, string>): string {
    const dir = tempDir("promtool");
    for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), content);
    return dir;
}

/** Runs a tool in `dir`; returns its exit status and everything it printed. */
export function runTool(tool: string, args: string[], dir: string): { status: number | null; output: string } {
    const r = spawnSync(tool, args, { cwd: dir, encoding: "utf8" });
    return { status: r.status, output: `${r.stdout}${r.stderr}` };
}
