/**
 * The cluster primary (what seed 000 used pm2 for): forks one worker per CPU
 * the container is given, replaces workers that die, owns the node's CPU-load
 * thread pool and the aggregated metrics, and turns SIGTERM/SIGINT into a
 * graceful drain of every worker.
 */
import cluster, { Worker } from "node:cluster";
import type { Logger } from "pino";
import { AggregatorRegistry } from "prom-client";
import { availableParallelism, detectCpuCount } from "./cgroupCpuFiles";
import { PrimaryRequestHandler, PrimaryToWorker } from "./clusterIpc";
import { INFLIGHT_BOUND_MS, KILL_SLACK_MS } from "./drainBound";
import { createPrimaryRegistry, joinExpositions } from "./httpMetrics";
import type { AppConfig } from "./config";
import { LoadCoordinator } from "./loadCoordinator";
import { workerCount } from "./workerCount";

/** A worker that dies sooner than this after its start is crash-looping: back off. */
const HEALTHY_UPTIME_MS = 5_000;
const MAX_RESTART_DELAY_MS = 10_000;

export function nextRestartDelayMs(previousDelayMs: number, livedMs: number): number {
    if (livedMs >= HEALTHY_UPTIME_MS) return 0;
    return Math.min(MAX_RESTART_DELAY_MS, Math.max(250, previousDelayMs * 2));
}

export function runPrimary(config: AppConfig, log: Logger): void {
    const cpuCount = detectCpuCount();
    const count = workerCount(cpuCount, config.workersOverride);
    log.info(
        {
            cpuCount,
            workers: count,
            workersOverride: config.workersOverride ?? null,
            availableParallelism: availableParallelism(),
            port: config.port,
            tag: config.imageTag,
        },
        "starting cluster primary",
    );

    const aggregator = new AggregatorRegistry();
    const coordinator = new LoadCoordinator(cpuCount, undefined, (err) => log.error({ err }, "load thread failed"));
    const primaryRegistry = createPrimaryRegistry(coordinator);
    const requests = new PrimaryRequestHandler(coordinator, {
        render: async () => {
            const [workers, own] = await Promise.all([aggregator.clusterMetrics(), primaryRegistry.metrics()]);
            return { contentType: aggregator.contentType, body: joinExpositions(workers, own) };
        },
    });

    const live = new Set<Worker>();
    let shuttingDown = false;
    let restartDelayMs = 0;
    let uncleanExits = 0;

    const send = (worker: Worker, message: PrimaryToWorker): void => {
        // The worker may have exited between its request and our answer.
        if (!worker.isConnected()) return;
        try {
            worker.send(message);
        } catch (err) {
            log.warn({ err, worker: worker.id }, "could not message worker");
        }
    };

    const finish = async (): Promise<void> => {
        await coordinator.stop();
        const code = uncleanExits === 0 ? 0 : 1;
        log.info({ code }, "all workers exited, primary exiting");
        process.exit(code);
    };

    const fork = (): void => {
        if (shuttingDown) return;
        const worker = cluster.fork();
        const startedAt = Date.now();
        live.add(worker);
        worker.on("message", (message: unknown) =>
            requests.handle(String(worker.id), message, (reply) => send(worker, reply)),
        );
        worker.on("exit", (code: number | null, signal: string | null) => {
            live.delete(worker);
            requests.forgetWorker(String(worker.id));
            if (shuttingDown) {
                if (code !== 0) uncleanExits++;
                log.info({ worker: worker.id, code, signal, remaining: live.size }, "worker exited");
                if (live.size === 0) void finish();
                return;
            }
            restartDelayMs = nextRestartDelayMs(restartDelayMs, Date.now() - startedAt);
            log.error({ worker: worker.id, code, signal, restartInMs: restartDelayMs }, "worker died, replacing it");
            setTimeout(fork, restartDelayMs);
        });
    };

    const shutdown = (signal: NodeJS.Signals): void => {
        if (shuttingDown) {
            log.info({ signal }, "drain already in progress");
            return;
        }
        shuttingDown = true;
        log.info(
            { signal, workers: live.size, drainSeconds: config.drainSeconds },
            "shutdown requested, draining workers",
        );
        if (live.size === 0) {
            void finish();
            return;
        }
        for (const worker of live) send(worker, { type: "cloudlab:drain" });
        // Workers bound their own drain; this only catches a worker that is stuck.
        setTimeout(
            () => {
                log.error({ workers: [...live].map((w) => w.id) }, "workers did not exit in time, killing them");
                for (const worker of live) worker.process.kill("SIGKILL");
            },
            config.drainSeconds * 1000 + INFLIGHT_BOUND_MS + KILL_SLACK_MS,
        ).unref();
    };

    process.on("SIGTERM", () => shutdown("SIGTERM"));
    process.on("SIGINT", () => shutdown("SIGINT"));

    for (let i = 0; i < count; i++) fork();
}
