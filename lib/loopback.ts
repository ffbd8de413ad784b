/**
 * The project sends test and load traffic to 127.0.0.1 only: a local stack publishes every port there, and a
 * URL with any other host (another address, `localhost`, `[::1]`, a name) could reach something else, so it is
 * refused before a socket is opened. Used by the bench and by the tests' HTTP helpers.
 */

/** The one address traffic may go to. */
export const LOOPBACK = "127.0.0.1";

/** `http://127.0.0.1:<port><path>`: a URL of a port a local stack publishes. */
export function loopbackUrl(port: number, path = ""): string {
    return `http://${LOOPBACK}:${port}${path}`;
}

/** Throws, naming the URL, unless `url` is a URL whose host is exactly 127.0.0.1. */
export function assertLoopback(url: string): void {
    let host: string;
    try {
        host = new URL(url).hostname;
    } catch {
        throw new Error(`refusing to send traffic to ${JSON.stringify(url)}: not a URL`);
    }
    if (host !== LOOPBACK)
        throw new Error(`refusing to send traffic to ${JSON.stringify(url)}: only ${LOOPBACK} is allowed`);
}
