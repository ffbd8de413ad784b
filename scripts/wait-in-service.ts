/**
 * Pulumi's local.Command runs this after a node container is (re)created: it returns once the balancer reports
 * the node UP, so a rolling deploy only takes the next node down when this one already takes traffic. Exactly
 * "UP": HAProxy shows "UP 1/2" for a node that restarted but has not passed a health check yet.
 * Env: CLOUDLAB_STATS_URL (the balancer's stats page), CLOUDLAB_NODE (server name), CLOUDLAB_TIMEOUT_SECONDS.
 */
import { log } from "./lib/log";
import { serverStatus } from "./lib/haproxyStats";

async function main(): Promise<void> {
    const statsUrl = process.env.CLOUDLAB_STATS_URL ?? "";
    const node = process.env.CLOUDLAB_NODE ?? "";
    const timeoutSeconds = Number(process.env.CLOUDLAB_TIMEOUT_SECONDS ?? "90");
    if (!statsUrl || !node || !(timeoutSeconds > 0)) {
        throw new Error("CLOUDLAB_STATS_URL, CLOUDLAB_NODE and a positive CLOUDLAB_TIMEOUT_SECONDS are required");
    }
    const started = Date.now();
    let last = "no answer from the balancer yet";
    while (Date.now() - started < timeoutSeconds * 1000) {
        try {
            const res = await fetch(`${statsUrl};csv`, { signal: AbortSignal.timeout(2000) });
            last = serverStatus(await res.text(), "nodes", node) ?? `${node} is not in the balancer's config`;
            if (last === "UP") {
                log.info({ node, seconds: (Date.now() - started) / 1000 }, "node is in service");
                process.stdout.write("UP");
                return;
            }
        } catch (err) {
            last = `stats page unreachable: ${(err as Error).message}`;
        }
        await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`${node} did not come UP in the balancer within ${timeoutSeconds} s (last status: ${last})`);
}

main().catch((err: Error) => {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
});
