/**
 * `npm run bench:access-log [-- --seconds 10 --rounds 2]`: what the balancer's access log costs. Two app nodes
 * behind two balancers that differ in one line only (the rendered haproxy.cfg as the stack runs it, logging
 * every request to stdout through Docker's json-file driver, rotated 3 x 20 MB; and the same with `no log`),
 * loaded in turns (log, no log, log, no log, ...) with the same client, 127.0.0.1 only. Prints req/s per round
 * and the ratio to the baseline measured in the same run. Everything it starts is removed at the end.
 */
import Docker from "dockerode";
import { KEYS } from "../../components/config/schema";
import { HAPROXY_CONFIG_PATH, HAPROXY_PORTS, renderHaproxyConfig } from "../../components/render/haproxyConfig";
import { removeDockerObjects } from "../../engine";
import { tarArchive } from "../../engine/tarArchive";
import { docker, localTags } from "../lib/appImage";
import { loopbackUrl } from "../lib/loopback";
import { OFFLINE_IMAGES } from "../lib/offlineImages";
import { waitFor } from "../lib/wait";
import { runLoad } from "../load/run";

const PREFIX = "cloudlab-logcost";
const PORTS = { withLog: 28971, withoutLog: 28972 } as const;
const NODES = ["node-1", "node-2"];

function flag(argv: string[], name: string, fallback: number): number {
    const at = argv.indexOf(`--${name}`);
    if (at < 0) return fallback;
    const n = Number(argv[at + 1]);
    if (!Number.isInteger(n) || n < 1)
        throw new Error(`--${name} ${JSON.stringify(argv[at + 1])}: expected a whole number >= 1`);
    return n;
}

async function startContainer(client: Docker, options: Docker.ContainerCreateOptions, config?: string): Promise<void> {
    const c = await client.createContainer(options);
    if (config !== undefined)
        await c.putArchive(tarArchive([{ name: HAPROXY_CONFIG_PATH, content: Buffer.from(config), mode: 0o644 }]), {
            path: "/",
        });
    await c.start();
}

async function main(argv: string[]): Promise<void> {
    const seconds = flag(argv, "seconds", 10);
    const rounds = flag(argv, "rounds", 2);
    const client = docker();
    const repository = String(KEYS.appImage.default);
    const [tag] = await localTags(client, repository);
    if (tag === undefined)
        throw new Error(`no ${repository}:<tag> image here: build one first (npm run release -- bench)`);
    const lbImage = process.env.CLOUDLAB_TEST_LB_IMAGE ?? OFFLINE_IMAGES.lbImage;
    const appPort = Number(KEYS.appPort.default);
    const base = renderHaproxyConfig({
        nodes: NODES,
        appPort,
        balance: "roundrobin",
        listenPort: HAPROXY_PORTS.listen,
        statsPort: HAPROXY_PORTS.stats,
        loadTimeoutSeconds: 620,
    });
    if (!base.includes("    log global\n"))
        throw new Error("the rendered haproxy.cfg has no 'log global' line to turn off");
    const variants = {
        withLog: base,
        withoutLog: base.replace("    log global\n", "    no log\n"),
    };
    await cleanUp();
    try {
        await client.createNetwork({ Name: PREFIX, Labels: { "cloudlab.stack": PREFIX } });
        for (const node of NODES)
            await startContainer(client, {
                name: `${PREFIX}-${node}`,
                Image: `${repository}:${tag}`,
                Env: [`NODE_ID=${node}`, `IMAGE_TAG=${tag}`, `PORT=${appPort}`],
                Labels: { "cloudlab.stack": PREFIX },
                HostConfig: { NanoCpus: 0.5e9, NetworkMode: PREFIX, Init: true },
                NetworkingConfig: { EndpointsConfig: { [PREFIX]: { Aliases: [node] } } },
            });
        for (const [name, config] of Object.entries(variants))
            await startContainer(
                client,
                {
                    name: `${PREFIX}-${name}`,
                    Image: lbImage,
                    User: "haproxy",
                    Cmd: ["haproxy", "-W", "-db", "-f", HAPROXY_CONFIG_PATH],
                    Labels: { "cloudlab.stack": PREFIX },
                    ExposedPorts: { [`${HAPROXY_PORTS.listen}/tcp`]: {} },
                    HostConfig: {
                        NetworkMode: PREFIX,
                        PortBindings: {
                            [`${HAPROXY_PORTS.listen}/tcp`]: [
                                { HostIp: "127.0.0.1", HostPort: String(PORTS[name as keyof typeof PORTS]) },
                            ],
                        },
                        Ulimits: [{ Name: "nofile", Soft: 20000, Hard: 20000 }],
                        LogConfig: { Type: "json-file", Config: { "max-size": "20m", "max-file": "3" } },
                    },
                },
                config,
            );
        for (const port of Object.values(PORTS))
            await waitFor(
                `balancer on ${port} answering from both nodes`,
                async () => {
                    const seen = new Set<string>();
                    for (let i = 0; i < 4; i++) {
                        const r = await fetch(loopbackUrl(port), { signal: AbortSignal.timeout(1000) }).catch(
                            () => undefined,
                        );
                        if (r?.ok) seen.add(((await r.json()) as { node: string }).node);
                    }
                    return seen.size === 2;
                },
                60_000,
            );
        const figures: Record<string, number[]> = { withLog: [], withoutLog: [] };
        for (let round = 1; round <= rounds; round++)
            for (const name of Object.keys(variants) as Array<keyof typeof PORTS>) {
                const load = await runLoad({
                    urls: [loopbackUrl(PORTS[name])],
                    connections: 60,
                    durationS: seconds,
                    timeoutS: 10,
                });
                figures[name].push(load.rps);
                console.log(
                    `round ${round} ${name === "withLog" ? "access log on (stdout, json-file)" : "access log off       "}: ${Math.round(load.rps)} req/s (${load.errors} errors, non-2xx ${load.non2xx}, client CPU ${load.clientCpuPercent}%)`,
                );
            }
        const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
        const on = mean(figures.withLog);
        const off = mean(figures.withoutLog);
        console.log(
            `mean: log on ${Math.round(on)} req/s, log off ${Math.round(off)} req/s; log on / log off = ${(on / off).toFixed(2)} (${tag}, ${lbImage}, 60 connections, ${seconds} s x ${rounds} rounds)`,
        );
    } finally {
        await cleanUp();
    }
}

/** Everything labelled as this bench's: what it started, or what an interrupted run left. */
async function cleanUp(): Promise<void> {
    await removeDockerObjects({ label: [`cloudlab.stack=${PREFIX}`] });
}

main(process.argv.slice(2)).catch((err: Error) => {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
});
