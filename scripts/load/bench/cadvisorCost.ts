/**
 * What cAdvisor costs: its CPU against the balancer's and the nodes', on a stack of its own (offline images,
 * the project's defaults: 2 nodes of 0.5 CPU, a 15 s scrape), idle and under a steady load through the balancer.
 *
 *   node --require ts-node/register/transpile-only scripts/load/bench/cadvisorCost.ts [--seconds 60]
 *       [--connections 10] [--tag <release of cloudlab-app, built when missing: cadcost>]
 *
 * Besides the stack's own cAdvisor (housekeeping at half the scrape interval, components/render/cadvisor.ts) it
 * runs two more of the same image and mounts, each scraped by this script at its own interval like Prometheus
 * would: cAdvisor's defaults (housekeeping every second, dynamic) at the same 15 s, and the system test's setting
 * (2 s scrape, 1 s housekeeping). All are measured over the same windows, from their cgroups' CPU counters
 * (Docker's stats). Must run on the Docker host; figures compare only within one run (the machine is shared).
 */
import autocannon from "autocannon";
import { KEYS } from "../../../components/config/schema";
import { cadvisorCommand } from "../../../components/render/cadvisor";
import {
    LABELS,
    balancerContainerName,
    monitoringContainerName,
    nodeContainerName,
    nodeName,
} from "../../../components/local/names";
import { docker } from "../../../engine";
import { EngineStack } from "../../lib/engineStack";
import { OFFLINE_BASE_IMAGES, offlineMonitoring } from "../../lib/offlineImages";
import { removeStackObjects } from "../ownStack";

const DEFAULT_SCRAPE_SECONDS = Number(KEYS.scrapeIntervalSeconds.default);
const LAYOUT = { stack: "cadcost", lbPort: 29080, lbStatsPort: 29404, nodePortBase: 29001, subnet: "10.93.0.0/24" };

interface Extra {
    label: string;
    command: string[];
    scrapeSeconds: number;
}

function flag(argv: string[], name: string, fallback: number): number {
    const at = argv.indexOf(`--${name}`);
    return at < 0 ? fallback : Number(argv[at + 1]);
}

async function cpuUs(name: string): Promise<number> {
    const stats = (await docker().getContainer(name).stats({ stream: false })) as {
        cpu_stats: { cpu_usage: { total_usage: number } };
    };
    return stats.cpu_stats.cpu_usage.total_usage / 1000;
}

async function main(argv: string[]): Promise<void> {
    const seconds = flag(argv, "seconds", 60);
    const connections = flag(argv, "connections", 10);
    const stack = new EngineStack(LAYOUT);
    const log = (m: string) => process.stderr.write(`[cadvisor-cost] ${m}\n`);
    await removeStackObjects(stack.prefix);
    const tagAt = argv.indexOf("--tag");
    const imageTag = tagAt < 0 ? "cadcost" : argv[tagAt + 1];
    const settings = { ...OFFLINE_BASE_IMAGES, ...offlineMonitoring(process.env), imageTag };
    const extras: Extra[] = [
        {
            label: "cAdvisor's own defaults (housekeeping 1 s, dynamic), scraped every 15 s",
            command: cadvisorCommand({ scrapeIntervalSeconds: DEFAULT_SCRAPE_SECONDS, labels: LABELS }).filter(
                (f) => !/^--(housekeeping_interval|allow_dynamic_housekeeping)=/.test(f),
            ),
            scrapeSeconds: DEFAULT_SCRAPE_SECONDS,
        },
        {
            label: "the system test's setting (2 s scrape, housekeeping 1 s)",
            command: cadvisorCommand({ scrapeIntervalSeconds: 2, labels: LABELS }),
            scrapeSeconds: 2,
        },
    ];
    const timers: NodeJS.Timeout[] = [];
    try {
        log("up (offline images, default scrape interval)...");
        const r = await stack.engine.up(stack.config(settings));
        if (!r.ok) throw new Error(`up failed: ${r.error}`);
        const image = String(settings.cadvisorImage);
        const cadvisor = monitoringContainerName(stack.prefix, "cadvisor");
        const own = await docker().getContainer(cadvisor).inspect();
        const names = extras.map((_, i) => `${cadvisor}-extra-${i + 1}`);
        for (const [i, extra] of extras.entries()) {
            const c = await docker().createContainer({
                name: names[i],
                Image: image,
                Cmd: extra.command,
                Labels: { [LABELS.stack]: stack.prefix },
                ExposedPorts: { "8080/tcp": {} },
                HostConfig: {
                    Binds: own.HostConfig.Binds ?? [],
                    PortBindings: {
                        "8080/tcp": [{ HostIp: "127.0.0.1", HostPort: String(LAYOUT.lbStatsPort + 10 + i) }],
                    },
                },
            });
            await c.start();
            timers.push(
                setInterval(
                    () =>
                        void fetch(`http://127.0.0.1:${LAYOUT.lbStatsPort + 10 + i}/metrics`)
                            .then((x) => x.text())
                            .catch(() => undefined),
                    extra.scrapeSeconds * 1000,
                ),
            );
        }
        const measured: Array<[string, string]> = [
            [
                cadvisor,
                `the stack's cAdvisor (housekeeping ${cadvisorCommand({ scrapeIntervalSeconds: DEFAULT_SCRAPE_SECONDS, labels: LABELS }).find((f) => f.startsWith("--housekeeping_interval"))}, scraped every 15 s)`,
            ],
            ...names.map((n, i): [string, string] => [n, extras[i].label]),
            [balancerContainerName(stack.prefix), "the balancer"],
            [nodeContainerName(stack.prefix, nodeName(1)), nodeName(1)],
            [nodeContainerName(stack.prefix, nodeName(2)), nodeName(2)],
            [monitoringContainerName(stack.prefix, "prometheus"), "Prometheus"],
        ];
        // Warm-up: cAdvisor's first housekeeping of every container, the nodes' start.
        await new Promise((res) => setTimeout(res, 20_000));
        const window = async (what: string, during: () => Promise<unknown>) => {
            const before = await Promise.all(measured.map(([n]) => cpuUs(n)));
            const started = Date.now();
            const extra = await during();
            const wall = (Date.now() - started) * 1000;
            const after = await Promise.all(measured.map(([n]) => cpuUs(n)));
            process.stdout.write(`\n${what} (${(wall / 1e6).toFixed(0)} s)${extra ? `: ${extra}` : ""}\n`);
            measured.forEach(([, label], i) =>
                process.stdout.write(
                    `  ${label}: ${((100 * (after[i] - before[i])) / wall).toFixed(2)} % of one core\n`,
                ),
            );
        };
        await window("idle", () => new Promise((res) => setTimeout(res, seconds * 1000)));
        await window(`${connections} connections through the balancer`, async () => {
            const result = await autocannon({ url: stack.balancerUrl, connections, duration: seconds });
            return `${Math.round(result.requests.average)} req/s, ${result.errors} errors`;
        });
    } finally {
        timers.forEach(clearInterval);
        log("destroy...");
        await stack.engine.destroy().catch(() => undefined);
        const left = await removeStackObjects(stack.prefix);
        if (left.length) log(`removed ${left.join(", ")}`);
    }
}

main(process.argv.slice(2)).catch((err: Error) => {
    process.stderr.write(`${err.stack ?? err.message}\n`);
    process.exit(1);
});
