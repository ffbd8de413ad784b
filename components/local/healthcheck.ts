import type { types } from "@pulumi/docker";

/**
 * The probe, in bash (Debian's bash is Essential, so it is in cloudlab/node:bookworm and in node:*-bookworm-slim;
 * neither image has curl or wget). One bash process and one request: no Node process is started, because a check
 * runs inside the node's own CPU limit and the controller reads that CPU as the node's load.
 *
 * - `PORT` is in every node container's env (LocalAppNode sets it to the app port).
 * - HTTP/1.0, so the app closes the connection after its answer.
 * - Healthy only on a 200 status line: the app answers 503 while it drains, which must fail the check.
 * - It bounds its own wait for the answer (1 s, under Docker's 2 s `timeout`) so a stuck app is reported as
 *   such; a connect that hangs is cut by Docker's `timeout`.
 */
const PROBE = [
    'exec 3<>"/dev/tcp/127.0.0.1/$PORT" || exit 1',
    "printf 'GET /health HTTP/1.0\\r\\n\\r\\n' >&3",
    'read -r -t 1 proto status _ <&3 || { echo "no status line within 1 s"; exit 1; }',
    'echo "$proto $status"',
    "[[ $proto == HTTP/* && $status == 200 ]]",
].join("\n");

/**
 * The node container's health check: the only definition (service.Dockerfile declares none, see there). Docker
 * reports the node `healthy`, which `pulumi up` waits for (`wait`) before the balancer gate.
 *
 * Durations are written as Docker returns them (Go's time.Duration String(): "2s", "500ms", "1m0s"), because the
 * provider reads them back in that form: "2000ms" or "1m" would show a diff on every `pulumi up`.
 */
export const NODE_HEALTHCHECK = {
    /** Exec'd directly (no /bin/sh in between, which is dash and has no /dev/tcp). */
    tests: ["CMD", "bash", "-c", PROBE],
    /**
     * Docker 20.10 runs the first check one interval after start (no start interval before Docker 25): 2 s keeps
     * `up` quick, and the probe is cheap enough to run that often. Measured (scripts/load/bench/healthcheckCost.ts):
     * ~15 ms of the node's CPU per check, 13 of them Docker's exec itself, so 1.5 % of a 0.5-CPU node; the Node
     * check it replaced took ~129 ms, 12.9 %.
     */
    interval: "2s",
    /** Docker kills a check that runs longer (e.g. a connect that hangs); the probe stops waiting after 1 s itself. */
    timeout: "2s",
    /** Two failures in a row (~4 s) make it unhealthy: one slow answer during a /load burst does not. */
    retries: 2,
    /**
     * Failures in the first 20 s do not count, while a success marks the node healthy at once: so it costs a
     * fast start nothing and gives a slow one (0.5 CPU, cluster workers forking) time.
     */
    startPeriod: "20s",
} satisfies types.input.ContainerHealthcheck;
