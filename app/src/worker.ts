/**
 * A cluster worker: serves HTTP on the port shared through the primary,
 * forwards /load and /metrics to the primary, drains when told to.
 */
import { AggregatorRegistry } from "prom-client";
import type { Logger } from "pino";
import { AppServer } from "./appServer";
import { BackendReader } from "./backendRead";
import { isPrimaryToWorker, PrimaryChannel } from "./clusterIpc";
import type { AppConfig } from "./config";
import { HttpMetrics } from "./httpMetrics";

export async function runWorker(config: AppConfig, log: Logger): Promise<void> {
    const metrics = new HttpMetrics({ nodeId: config.nodeId, imageTag: config.imageTag });
    // prom-client answers the primary's aggregation requests from these
    // registries; the listener is only installed by constructing an AggregatorRegistry.
    AggregatorRegistry.setRegistries([metrics.registry]);
    new AggregatorRegistry();

    const primary = new PrimaryChannel(process);
    const app = new AppServer({
        nodeId: config.nodeId,
        imageTag: config.imageTag,
        drainSeconds: config.drainSeconds,
        logger: log,
        metrics,
        metricsSource: primary,
        load: primary,
        // Per worker: a node with two CPUs has two caches (like two app processes on one VM).
        backend: new BackendReader(config.backend),
    });

    const drain = (reason: string): void => {
        app.shutdown(reason).then(
            ({ forced }) => {
                log.info({ forced }, "worker exiting");
                process.exit(forced ? 1 : 0);
            },
            (err: unknown) => {
                log.error({ err }, "drain failed");
                process.exit(1);
            },
        );
    };

    process.on("message", (message) => {
        if (isPrimaryToWorker(message) && message.type === "cloudlab:drain") drain("primary asked to drain");
    });
    // Ctrl-C in a terminal signals the whole process group, workers included;
    // without these handlers the default action would kill them mid-request.
    process.on("SIGTERM", () => drain("SIGTERM"));
    process.on("SIGINT", () => drain("SIGINT"));
    // Primary died: no one will replace or drain us, and /load and /metrics cannot work.
    process.on("disconnect", () => drain("cluster primary disconnected"));

    await app.listen(config.port);
    log.info({ port: config.port }, "worker listening");
}
