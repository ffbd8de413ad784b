/**
 * Convention for test suites that need a Docker engine:
 *
 *   before(async function () { await requireDocker(this); });
 *
 * No engine reachable: prints "SKIPPED: no Docker engine reachable (<reason>)" and skips the suite - except
 * with CI=true, where it fails (a CI run must never pass by skipping its system tests).
 */
import { dockerAvailable, removeDockerObjects } from "../../engine";
import { isCi } from "./requirements";

export async function requireDocker(ctx: Mocha.Context): Promise<void> {
    const availability = await dockerAvailable();
    if (availability.ok) return;
    const message = `no Docker engine reachable (${availability.reason ?? "unknown reason"})`;
    if (isCi()) throw new Error(`${message}; CI=true, so this is a failure, not a skip`);
    console.log(`SKIPPED: ${message}`);
    ctx.skip();
}

/**
 * Last-resort cleanup after a suite: force-removes containers, then networks, whose name contains `fragment`
 * (use a fragment unique to the test stack). Returns what it removed.
 */
export async function removeDockerObjectsNamed(fragment: string): Promise<string[]> {
    return removeDockerObjects({ name: [fragment] });
}
