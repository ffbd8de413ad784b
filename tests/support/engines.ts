/** Which engine a system suite runs on, said in its title, and the real CLI a suite needs. */
import { EngineKind, builtPulumi, pulumiOnPath } from "../../engine";
import { requireOrSkip } from "./requirements";

export const ENGINE_TITLE: Readonly<Record<EngineKind, string>> = {
    "pulumi-automation": "real Pulumi CLI",
    "docker-test-engine": "built-in engine",
};

/** The real Pulumi CLI (on PATH, or built by npm run build-pulumi); a failure with CI=true. */
export function requireRealPulumi(ctx: Mocha.Context): void {
    requireOrSkip(
        ctx,
        pulumiOnPath() || builtPulumi() !== undefined,
        "the real Pulumi CLI",
        "none on PATH and none built: npm run build-pulumi",
    );
}
