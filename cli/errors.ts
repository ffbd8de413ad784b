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

/** Runs an entry point and exits: with its code; 1 after a CliError's message alone; 2 (a bug) after anything else. */
export function runEntry(main: () => Promise<number>): void {
    main().then(
        (code) => process.exit(code),
        (e: unknown) => {
            if (e instanceof CliError) {
                console.error(`error: ${e.message}`); // the Pulumi CLI's prefix
                process.exit(1);
            }
            console.error(e);
            process.exit(2);
        },
    );
}
