/** How the Pulumi CLI reports an error the program itself threw (for the docker test engine's RunResult.error). */
import * as util from "util";
import * as pulumi from "@pulumi/pulumi";

/**
 * The message `pulumi up` prints for an error the program threw, as @pulumi/pulumi cmd/run/run.js's
 * uncaughtHandler words it: a RunError prints only its message; a ResourceError its message when it hides its
 * stack, else the inspected error; anything else "Running program '<program>' failed with an unhandled
 * exception:" and the inspected error (cmd/run/error.js defaultErrorMessage: util.inspect, stack included; the
 * CLI colours it, the engine does not). `<program>` is the program module here; the CLI names its entry point
 * (for this repo, index.ts through package.json's main).
 */
export function programFailure(e: unknown, program: string): Error {
    if (pulumi.RunError.isInstance(e)) return new Error((e as Error).message);
    if (pulumi.ResourceError.isInstance(e)) {
        const err = e as pulumi.ResourceError;
        return new Error(err.hideStack ? err.message : inspectError(err));
    }
    return new Error(`Running program '${program}' failed with an unhandled exception:\n${inspectError(e)}`);
}

function inspectError(e: unknown): string {
    const err = e as { stack?: string; message?: string } | undefined;
    if (err?.stack) return util.inspect(e);
    if (err?.message) return err.message;
    return String(e);
}
