/**
 * `npm run sweep -- --users 10,50,200 [--instances 1,2,3] [--cache on,off] [...]` (see --help): seed 001's load
 * sweep against a local stack (or any --url on 127.0.0.1). Writes a Locust-shaped _stats.csv per cell, a summary
 * CSV, a JSON record and a self-contained HTML report naming the knee. Autoscaling, paused while it runs, is
 * resumed at the end, on Ctrl-C and on failure.
 */
import Docker from "dockerode";
import * as fs from "fs";
import * as path from "path";
import { LABELS, ROLES } from "../../components/local/names";
import { stackPrefix } from "../../components/shared/naming";
import { parseCommandLine } from "../lib/argv";
import { describeMachine } from "./machine";
import { envRecord } from "./stackConfig";
import { findStack } from "./findStack";
import { runningNodes } from "./targets";
import { describeDistribution } from "./keys";
import { runLoad } from "./run";
import { Session, runMain } from "./session";
import { ControllerClient, Scaler, controllerScaler } from "./sweep/controller";
import { SWEEP_OWN_LAYOUT, SWEEP_OWN_TAG, SweepOptions, USAGE, parseFlags } from "./sweep/flags";
import { renderHtml } from "./sweep/htmlReport";
import { summaryCsv } from "./sweep/outputs";
import { Progress } from "./sweep/progress";
import { SweepRecord } from "./sweep/record";
import { SweepRefused, Target, runSweep } from "./sweep/runSweep";

/** The app's env names of the cache settings (app/src/config.ts), read back from a node container. */
const CACHE_ENV = ["BACKEND_DELAY_MS", "CACHE", "CACHE_TTL_SECONDS", "CACHE_MAX_ENTRIES"];

async function stackTarget(docker: Docker, opts: SweepOptions): Promise<Target> {
    const t = await findStack(docker, stackPrefix(opts.stack));
    return {
        url: new URL(opts.path, t.balancer.url).toString(),
        nodes: runningNodes(t).map((n) => ({ name: n.name, url: n.url! })),
        isStack: true,
    };
}

async function cacheSettings(docker: Docker, opts: SweepOptions): Promise<Record<string, string> | undefined> {
    const prefix = stackPrefix(opts.stack);
    const [node] = await docker.listContainers({
        filters: { label: [`${LABELS.stack}=${prefix}`, `${LABELS.role}=${ROLES.app}`] },
    });
    if (!node) return undefined;
    const env = envRecord((await docker.getContainer(node.Id).inspect()).Config.Env);
    return Object.fromEntries(CACHE_ENV.filter((k) => k in env).map((k) => [k, env[k]]));
}

async function main(argv: string[]): Promise<number> {
    const opts = parseCommandLine("sweep", argv, parseFlags, USAGE);
    if (typeof opts === "number") return opts;

    const controller = opts.controllerUrl
        ? new ControllerClient(opts.controllerUrl, process.env.CLOUDLAB_CONTROLLER_TOKEN)
        : undefined;
    const session = new Session({
        tool: "sweep",
        leftovers: () =>
            controller
                ? `; resume autoscaling with: curl -X POST -H "Authorization: Bearer $CLOUDLAB_CONTROLLER_TOKEN" ${controller.baseUrl}/resume`
                : "",
        firstInterrupt: "stopping the load, resuming autoscaling, writing what was measured",
        load: {
            users: `users ${opts.users.join(", ")}`,
            each: `${opts.durationS} s per cell after ${opts.warmupS} s of warm-up per instance count and cache arm`,
            timeoutS: opts.timeoutS,
        },
    });
    const { log, signal } = session;

    const counts = opts.instances ?? [1];
    const sizes = { nodeCount: String(counts[0]), nodeLimit: String(Math.max(4, ...counts)) };
    fs.mkdirSync(opts.outDir, { recursive: true });
    const record: SweepRecord = {
        tool: "cloudlab sweep (scripts/load/sweep.ts)",
        startedAt: session.header.startedAt.toISOString(),
        command: `npm run sweep -- ${argv.join(" ")}`,
        machine: describeMachine(session.header.machine),
        target: opts.url ?? `stack ${opts.stack} (${stackPrefix(opts.stack)}): its balancer`,
        instancesBy: "",
        load: session.header.load,
        options: opts,
        backend: {
            keys: opts.keys,
            keyDistribution: describeDistribution(opts.keyDistribution),
            seed: opts.seed,
        },
        connectivity: {},
        cells: [],
        warmups: [],
        knees: [],
        cacheVsNode: [],
    };
    let code = 0;
    try {
        const { docker, own } = await session.start({
            // With --url nothing is found through Docker.
            dockerFor: opts.url ? undefined : "finds the stack through Docker",
            ownStack: opts.ownStack
                ? {
                      layout: SWEEP_OWN_LAYOUT,
                      tags: { first: SWEEP_OWN_TAG, second: SWEEP_OWN_TAG },
                      settings: { cache: "on", ...sizes },
                  }
                : undefined,
        });
        const target = opts.url
            ? async (): Promise<Target> => ({ url: opts.url!, nodes: [], isStack: false })
            : () => stackTarget(docker, opts);
        let scaler: Scaler | undefined = controller && controllerScaler(controller, log, signal);
        if (own) {
            scaler = {
                describe: `set by an up of the sweep's own stack with nodeCount <n> (${own.engineKind}), as seed 001 scaled with docker-compose up --scale`,
                around: (body) => body(),
                set: (n) => own.upWith({ ...sizes, nodeCount: String(n) }),
            };
            record.target = `own stack ${SWEEP_OWN_LAYOUT.stack}: ${Object.entries(own.config)
                .map(([k, v]) => `${k} ${v}`)
                .join(", ")}`;
        }
        if (signal.aborted) throw new Error("interrupted before the first cell");
        if (opts.cache && !opts.url) record.backend.cacheSettings = await cacheSettings(docker, opts);
        await runSweep(opts, { target, scaler, load: runLoad, signal, log, progress: new Progress() }, record);
        if (signal.aborted) {
            record.incomplete = "interrupted (Ctrl-C)";
            code = 130;
        }
    } catch (err) {
        record.incomplete = `${err instanceof SweepRefused ? "refused" : "failed"}: ${(err as Error).message}`;
        log(record.incomplete);
        code = err instanceof SweepRefused ? 3 : 1;
    } finally {
        record.finishedAt = new Date().toISOString();
        const file = (suffix: string) => path.join(opts.outDir, `${opts.prefix}_${suffix}`);
        fs.writeFileSync(file("summary.csv"), summaryCsv(record.cells));
        fs.writeFileSync(file("record.json"), `${JSON.stringify(record, null, 2)}\n`);
        fs.writeFileSync(file("report.html"), renderHtml(record));
        log(
            `${record.cells.length} cell(s); wrote ${file("summary.csv")}, ${file("record.json")}, ${file("report.html")}`,
        );
        await session.teardown();
    }
    return code;
}

runMain("sweep", main);
