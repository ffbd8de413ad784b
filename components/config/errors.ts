import * as pulumi from "@pulumi/pulumi";

/**
 * Raised when stack config is invalid; `problems` has one line per bad key. A RunError, which the Node.js language
 * host prints as its message alone (@pulumi/pulumi cmd/run/run.js), not as an "unhandled exception" with a stack.
 */
export class ConfigError extends pulumi.RunError {
    constructor(readonly problems: string[]) {
        super(
            `cloudlab: invalid stack configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
                problems.map((p) => `  - ${p}`).join("\n"),
        );
        this.name = "ConfigError";
    }
}
