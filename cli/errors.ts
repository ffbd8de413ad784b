/**
 * A mistake of the user's (a bad verb, key, value or file): its message is one line that names the bad value. The
 * CLI entry points print the message alone and exit 1, with no stack trace.
 */
export class CliError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "CliError";
    }
}
