import { spawnSync } from "child_process";

/** True on CI (CI=true or CI=1): there a missing tool or engine is a failure, never a skip. */
export function isCi(env: NodeJS.ProcessEnv = process.env): boolean {
    const ci = (env.CI ?? "").toLowerCase();
    return ci === "true" || ci === "1";
}

/**
 * A suite that needs an outside tool (a Docker engine, haproxy) calls this first. Without the tool it says
 * clearly that it SKIPPED and why; with CI=true a missing tool is a failure, never a skip.
 */
export function requireOrSkip(ctx: Mocha.Context, available: boolean, what: string, reason: string): void {
    if (available) return;
    if (isCi()) throw new Error(`${what} is required when CI=true: ${reason}`);
    console.log(`      SKIPPED: ${what} is not available (${reason})`);
    ctx.skip();
}

export function hasCommand(cmd: string, args: string[] = ["-v"]): boolean {
    const r = spawnSync(cmd, args, { stdio: "ignore" });
    return r.error === undefined && r.status === 0;
}
