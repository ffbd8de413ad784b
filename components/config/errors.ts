/** Raised when stack config is invalid; `problems` has one line per bad key. */
export class ConfigError extends Error {
    constructor(readonly problems: string[]) {
        super(
            `cloudlab: invalid stack configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
                problems.map((p) => `  - ${p}`).join("\n"),
        );
        this.name = "ConfigError";
    }
}
