/**
 * Entry point (node dist/main.js): the same file runs as the cluster primary
 * and, re-executed by cluster.fork(), as each worker.
 */
import cluster from "node:cluster";
import * as os from "node:os";
import { AppConfig, ConfigError, parseConfig } from "./config";
import { createLogger } from "./logger";
import { runPrimary } from "./primary";
import { runWorker } from "./worker";

/** sysexits EX_CONFIG: lets a supervisor tell "bad configuration" from a crash. */
const EXIT_BAD_CONFIG = 78;

function loadConfig(): AppConfig {
    try {
        return parseConfig(process.env, os.hostname());
    } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        process.stderr.write(`cloudlab-app: ${err.message}\n`);
        process.exit(EXIT_BAD_CONFIG);
    }
}

const config = loadConfig();
const log = createLogger(config.logLevel, {
    node: config.nodeId,
    role: cluster.isPrimary ? "primary" : "worker",
    ...(cluster.worker ? { worker: cluster.worker.id } : {}),
});

process.on("uncaughtException", (err) => {
    log.fatal({ err }, "uncaught exception");
    process.exit(1);
});
process.on("unhandledRejection", (err) => {
    log.fatal({ err }, "unhandled rejection");
    process.exit(1);
});

if (cluster.isPrimary) {
    runPrimary(config, log);
} else {
    runWorker(config, log).catch((err: unknown) => {
        log.fatal({ err, port: config.port }, "worker failed to start");
        process.exit(1);
    });
}
