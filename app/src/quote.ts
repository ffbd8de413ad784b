/**
 * Its own module, importing nothing: config.ts and the request parsers (backendRead.ts, parseLoadTimeout.ts) all
 * quote values, and config.ts names backendRead.ts's options type, so a shared helper there would be an import cycle.
 */

/** Quote a user-supplied value for an error message, truncated so junk cannot flood logs. */
export function quoteValue(value: string, max = 64): string {
    const shown = value.length > max ? `${value.slice(0, max)}…` : value;
    return JSON.stringify(shown);
}
