/**
 * `npm run bench -- [--stack local | --own-stack] [...]` (see --help): load figures of a running local stack,
 * all traffic to 127.0.0.1, printed as one markdown table on stdout (progress goes to stderr).
 *
 * Figures are only comparable within one run: the balancer is judged against direct-all measured minutes
 * earlier on the same machine, never against a number from elsewhere.
 */
import Docker from "dockerode";
import * as fs from "fs";
import { KEYS } from "../../components/config/schema";
import { LABELS } from "../../components/local/names";
import { stackPrefix } from "../../components/shared/naming";
import { HAPROXY_CONFIG_PATH } from "../../components/render/haproxyConfig";
import { buildAppImage, localImageId } from "../../components/hooks/appImage";
import { REPO } from "../../lib/repo";
import { sleep } from "../../lib/wait";
import { BENCH_OWN_STACK, BenchOptions, ScenarioId, USAGE, parseFlags } from "./bench/flags";
import { parseCommandLine } from "../lib/argv";
import { Session, runMain } from "./session";
import type { OwnStack } from "./ownStack";
import { ReportHeader, Row, renderReport } from "./bench/report";
import { startTwin } from "./bench/twin";
import { AutoscalingHold, findController } from "./bench/fixedNodes";
import { BenchContext, ScenarioResult, runScenario } from "./bench/scenarios";
import { InspectedContainer, StackDescription, describeStack, formatStack, readFileFromContainer } from "./stackConfig";
import { PulumiCliControl, StackControl, execCommand, pulumiOnPath } from "./stackControl";
import { waitAllUp } from "./stackStats";
import { findStack } from "./findStack";
import { StackTargets, runningNodes } from "./targets";

async function main(argv: string[]): Promise<number> {
    const opts = parseCommandLine("bench", argv, parseFlags, USAGE);
    if (typeof opts === "number") return opts;

    let hold: AutoscalingHold | undefined;
    const session = new Session({
        tool: "bench",
        leftovers: (own) =>
            (own
                ? `; remove leftovers with: docker rm -f $(docker ps -aq --filter label=${LABELS.stack}=${own.prefix})`
                : "") + (hold?.resumeHint ?? ""),
        firstInterrupt: "stopping the load, then cleaning up",
        load: {
            users: `${opts.connections} connections`,
            each: `${opts.durationS} s per scenario (disruptions: as long as they take)`,
            timeoutS: opts.timeoutS,
            notes: [
                "failed = non-2xx + socket errors (autocannon counts timeouts among the errors)",
                ...(opts.quick ? ["--quick smoke run"] : []),
            ],
        },
    });
    const { log, signal } = session;

    const results: ScenarioResult[] = [];
    let header: ReportHeader | undefined;
    let stack: StackDescription | undefined;
    try {
        const w = opts.ownStackWindow;
        const settings: Record<string, string> = {};
        if (w?.checkPeriod !== undefined) settings.checkPeriod = String(w.checkPeriod);
        if (w?.evaluationPeriods !== undefined) settings.evaluationPeriods = String(w.evaluationPeriods);
        const { docker, own } = await session.start({
            dockerFor: "finds the stack through Docker",
            ownStack: opts.ownStack ? { ...BENCH_OWN_STACK, settings } : undefined,
        });
        if (signal.aborted) return 130;
        fs.mkdirSync(opts.outDir, { recursive: true });
        const prefix = own?.prefix ?? stackPrefix(opts.stack);
        const nodesHeld = new AutoscalingHold(() => findController(docker, prefix), log, signal);
        hold = nodesHeld;
        const discover = (): Promise<StackTargets> => findStack(docker, prefix);
        const targets = await discover();
        log(
            `stack ${prefix}: balancer ${targets.balancer.url}, nodes ${runningNodes(targets)
                .map((n) => `${n.name} ${n.url}`)
                .join(", ")}`,
        );
        await waitAllUp(
            targets.balancer.statsUrl,
            runningNodes(targets).map((n) => n.name),
            120_000,
            signal,
        );
        stack = await describeFromDocker(docker, targets);

        const { control, missing } = await stackControl(opts, own, targets);
        const ctx: BenchContext = {
            opts,
            docker,
            discover,
            control,
            controlMissing: missing,
            ensureRelease: (c, tag) => ensureRelease(docker, c, tag, log),
            otherTag: own?.otherTag ?? opts.rollbackTag,
            twin: (t, nodes, change) => startTwin(docker, t, nodes, change),
            signal: signal,
            log,
        };
        header = {
            ...session.header,
            stack: `${prefix}: ${formatStack(stack)}${own ? `; nodeBaseImage ${own.config.nodeBaseImage} (own stack, brought up and destroyed by this run)` : ""}`,
            engine: engineLine(own, control, missing),
            load: `${session.header.load}; autoscaling paused for the run but the scaling scenario (the node count stays as found)`,
        };

        const done: Partial<Record<ScenarioId, ScenarioResult>> = {};
        for (const id of opts.scenarios) {
            if (signal.aborted) break;
            await nodesHeld.before(id).catch((err: Error) => {
                const why = `autoscaling NOT paused for ${id} (${err.message}): the controller may change the nodes in this row`;
                nodesHeld.notes.push(why);
                log(why);
            });
            const r = await runScenario(id, ctx, done);
            results.push(r);
            done[id] = r;
            if (signal.aborted) break;
            // Every scenario starts from a whole stack, whatever the previous one did to it.
            const now = await discover().catch(() => undefined);
            if (now)
                await waitAllUp(
                    now.balancer.statsUrl,
                    runningNodes(now).map((n) => n.name),
                    120_000,
                    signal,
                ).catch((e: Error) => log(e.message));
            await sleep(1000, signal);
        }
    } finally {
        const resumeHint = hold?.resumeHint ?? "";
        await hold?.release().catch((err: Error) => log(`COULD NOT RESUME AUTOSCALING (${err.message})${resumeHint}`));
        if (header) {
            if (hold?.notes.length) header.load += `; ${hold.notes.join("; ")}`;
            const rows: Row[] = results.map((r) => r.row);
            if (signal.aborted)
                rows.push({
                    scenario: "interrupted",
                    connections: "–",
                    notes: "Ctrl-C: the remaining scenarios did not run",
                });
            process.stdout.write(renderReport(header, rows));
            if (opts.jsonPath) {
                fs.writeFileSync(
                    opts.jsonPath,
                    `${JSON.stringify({ ...header, stackDescription: stack, ownStackConfig: session.own?.config, options: opts, results }, null, 2)}\n`,
                );
                log(`raw figures written to ${opts.jsonPath}`);
            }
        }
        const csvs = fs.existsSync(opts.outDir)
            ? fs.readdirSync(opts.outDir).filter((f) => f.endsWith("_stats.csv"))
            : [];
        if (csvs.length) log(`${csvs.length} Locust-shaped _stats.csv in ${opts.outDir}`);
        for (const r of results.filter((x) => x.error)) log(`${r.id} failed: ${r.error}`);
        await session.teardown();
    }
    if (signal.aborted) return 130;
    return results.some((r) => r.error) ? 1 : 0;
}

async function stackControl(
    opts: BenchOptions,
    own: OwnStack | undefined,
    targets: StackTargets,
): Promise<{ control?: StackControl; missing?: string }> {
    if (own) return { control: own.control };
    if (!opts.scenarios.some((s) => s === "deploy" || s === "rollback")) return {};
    const exec = execCommand(REPO);
    if (!(await pulumiOnPath(exec))) return { missing: "no pulumi CLI; run with --own-stack" };
    const runningTag = runningNodes(targets)[0]?.tag ?? String(KEYS.imageTag.default);
    const control = await PulumiCliControl.open(exec, opts.stack, runningTag, {
        appImage: String(KEYS.appImage.default),
        nodeBaseImage: String(KEYS.nodeBaseImage.default),
    });
    return { control };
}

function engineLine(own: OwnStack | undefined, control: StackControl | undefined, missing: string | undefined): string {
    if (own)
        return `${own.engineKind} (engine/, the system tests' engine too: no Pulumi CLI can be installed here) for up, deploy, rollback and destroy`;
    if (control) return "pulumi CLI (deploy/rollback: `pulumi config set imageTag` + `pulumi up --yes`)";
    return missing ? `none (${missing})` : "none needed (no deploy/rollback scenario selected)";
}

/** A release must exist before it is deployed, so the `up` measured is a deploy, not an image build. */
async function ensureRelease(
    docker: Docker,
    control: StackControl,
    tag: string,
    log: (msg: string) => void,
): Promise<boolean> {
    const ref = `${control.appImage}:${tag}`;
    if (await localImageId(docker, ref)) return false;
    log(`building release ${ref} (not timed)...`);
    await buildAppImage(docker, ref, control.nodeBaseImage);
    return true;
}

async function describeFromDocker(docker: Docker, t: StackTargets): Promise<StackDescription> {
    const nodes = (await Promise.all(
        t.nodes.map((n) => docker.getContainer(n.containerId).inspect()),
    )) as unknown as InspectedContainer[];
    const lb = await docker.getContainer(t.balancer.containerId).inspect();
    const lbImage = await docker
        .getImage(lb.Config.Image)
        .inspect()
        .then((i) => i.RepoTags?.[0] ?? lb.Config.Image)
        .catch(() => lb.Config.Image);
    const haproxyConfig = await readFileFromContainer(
        docker.getContainer(t.balancer.containerId),
        HAPROXY_CONFIG_PATH,
    ).catch(() => undefined);
    return describeStack(t.prefix, nodes, { image: lbImage, haproxyConfig });
}

runMain("bench", main);
