/** A mistake in what the user asked for: printed as one line, exit code 1, nothing changed. */
export class CliError extends Error {}
