/**
 * `npm run bench:access-log [-- --seconds 10 --rounds 2]`: what each path of the balancer's access log costs,
 * in one run. Two app nodes behind five balancers that differ in their log only (the rendered haproxy.cfg as
 * the stack runs it):
 *   off        `no log` (the baseline)
 *   json-file  lines to stdout through Docker's json-file driver, 3 x 20 MB (the old path)
 *   local      lines to stdout through Docker's `local` driver (compressed, 3 x 20 MB)
 *   syslog     UDP syslog (format raw) to the access-log service (logsink/), writing a rotated file set on a
 *              bind-mounted directory
 *   ring       HAProxy's memory ring forwarded over TCP to the same service and file set
 * loaded in turns (off, json-file, local, syslog, ring, off, ...) with the same client, 127.0.0.1 only. Prints req/s
 * per round, the mean and the ratio to `off` measured in the same run, and for syslog and ring the lines that
 * reached the file against the requests answered (UDP may drop lines under overload, a full ring its oldest).
 * Throughput on a shared 2-core machine is noisy, so it also prints the CPU time spent per request by the
 * balancer, the service and the Docker daemons (where a log driver works), which the neighbours disturb less. Everything it starts is removed.
 */
import Docker from "dockerode";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { KEYS } from "../../../components/config/schema";
import { LABELS } from "../../../components/local/names";
import { serviceImageRef } from "../../../components/local/serviceTag";
import {
    AccessLogTarget,
    HAPROXY_CONFIG_PATH,
    HAPROXY_PORTS,
    renderHaproxyConfig,
} from "../../../components/render/haproxyConfig";
import { removeDockerObjects } from "../../../engine";
import { tarArchive } from "../../../engine/tarArchive";
import { readLogDir } from "../../../logsink/src/rotatingLog";
import { DATA_DIR, SYSLOG_PORT, logsinkEnvironment } from "../../../logsink/src/settings";
import { buildImage, docker, localImageId, localTags } from "../../../components/hooks/appImage";
import { loopbackUrl } from "../../../lib/loopback";
import { serviceDir } from "../../../lib/serviceImage";
import { OFFLINE_BASE_IMAGES } from "../../lib/offlineImages";
import { waitFor } from "../../../lib/wait";
import { runLoad } from "../run";
import { chooseBaseImages } from "../ownStack";

const PREFIX = "cloudlab-logcost";
const SUBNET = "10.90.0.0/24";
const LOGSINK_ADDRESS = "10.90.0.5";
const NODES = ["node-1", "node-2"];
const ROTATION = { "max-size": "20m", "max-file": "3" };
const balancerName = (name: string) => `${PREFIX}-${name.toLowerCase()}`;

type Variant = "off" | "jsonFile" | "local" | "syslog" | "ring";
const VARIANTS: Record<Variant, { port: number; label: string }> = {
    off: { port: 28971, label: "off (no log)                  " },
    jsonFile: { port: 28972, label: "stdout, json-file driver (old)" },
    local: { port: 28973, label: "stdout, local driver          " },
    syslog: { port: 28974, label: "UDP syslog -> logsink file    " },
    ring: { port: 28975, label: "ring, TCP -> logsink file     " },
};
/** The variants that write the service's file: their lines are counted against the requests answered. */
const TO_FILE: Variant[] = ["syslog", "ring"];

function flag(argv: string[], name: string, fallback: number): number {
    const at = argv.indexOf(`--${name}`);
    if (at < 0) return fallback;
    const n = Number(argv[at + 1]);
    if (!Number.isInteger(n) || n < 1)
        throw new Error(`--${name} ${JSON.stringify(argv[at + 1])}: expected a whole number >= 1`);
    return n;
}

async function startContainer(client: Docker, options: Docker.ContainerCreateOptions, config?: string): Promise<void> {
    const c = await client.createContainer({ ...options, Labels: { [LABELS.stack]: PREFIX } });
    if (config !== undefined)
        await c.putArchive(tarArchive([{ name: HAPROXY_CONFIG_PATH, content: Buffer.from(config), mode: 0o644 }]), {
            path: "/",
        });
    await c.start();
}

/** CPU time a container has used, in µs (its cgroup's counter, as Docker's stats report it). */
async function containerCpuUs(client: Docker, name: string): Promise<number> {
    const stats = (await client.getContainer(name).stats({ stream: false })) as {
        cpu_stats: { cpu_usage: { total_usage: number } };
    };
    return stats.cpu_stats.cpu_usage.total_usage / 1000;
}

/**
 * CPU time of the Docker daemons on this host (dockerd, containerd, the shims), in µs: where a log driver's
 * work is done (the container only writes to a pipe). Other users of the daemons add to it too.
 */
function daemonsCpuUs(): number {
    const tick = 1e6 / 100; // USER_HZ is 100 on Linux.
    let total = 0;
    for (const pid of fs.readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
        try {
            const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
            const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
            if (!/^(dockerd|containerd|containerd-shim.*)$/.test(comm)) continue;
            const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
            total += (Number(fields[11]) + Number(fields[12])) * tick;
        } catch {
            // The process ended meanwhile.
        }
    }
    return total;
}

/** The access-log service's image, built from logsink/ when this source hash has none yet. */
async function logsinkImage(client: Docker, baseImage: string): Promise<string> {
    const ref = serviceImageRef("logsink");
    if (!(await localImageId(client, ref))) await buildImage(client, ref, baseImage, serviceDir("logsink"));
    return ref;
}

async function main(argv: string[]): Promise<void> {
    const seconds = flag(argv, "seconds", 10);
    const rounds = flag(argv, "rounds", 2);
    const client = docker();
    const repository = String(KEYS.appImage.default);
    const [tag] = await localTags(client, repository);
    if (tag === undefined)
        throw new Error(`no ${repository}:<tag> image here: build one first (npm run release -- bench)`);
    const present = new Set<string>();
    for (const ref of Object.values(OFFLINE_BASE_IMAGES)) if (await localImageId(client, ref)) present.add(ref);
    const images = chooseBaseImages(process.env, (ref) => present.has(ref));
    const appPort = Number(KEYS.appPort.default);
    const render = (accessLog: AccessLogTarget) =>
        renderHaproxyConfig({
            nodes: NODES,
            appPort,
            balance: "roundrobin",
            listenPort: HAPROXY_PORTS.listen,
            statsPort: HAPROXY_PORTS.stats,
            loadTimeoutSeconds: 620,
            accessLog,
        });
    const stdout = render({ to: "stdout" });
    if (!stdout.includes("    log global\n"))
        throw new Error("the rendered haproxy.cfg has no 'log global' line to turn off");
    const configs: Record<Variant, string> = {
        off: stdout.replace("    log global\n", "    no log\n"),
        jsonFile: stdout,
        local: stdout,
        syslog: render({ to: "syslog", address: LOGSINK_ADDRESS, port: SYSLOG_PORT }),
        ring: render({ to: "ring", address: LOGSINK_ADDRESS, port: SYSLOG_PORT }),
    };
    const logConfig: Record<Variant, Docker.HostConfig["LogConfig"]> = {
        off: { Type: "json-file", Config: ROTATION },
        jsonFile: { Type: "json-file", Config: ROTATION },
        local: { Type: "local", Config: ROTATION },
        syslog: { Type: "json-file", Config: ROTATION },
        ring: { Type: "json-file", Config: ROTATION },
    };
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cloudlab-logcost-"));
    await cleanUp();
    try {
        const sinkImage = await logsinkImage(client, images.nodeBaseImage);
        await client.createNetwork({
            Name: PREFIX,
            Labels: { [LABELS.stack]: PREFIX },
            IPAM: { Config: [{ Subnet: SUBNET }] },
        });
        await startContainer(client, {
            name: `${PREFIX}-logsink`,
            Image: sinkImage,
            User: `${os.userInfo().uid}:${os.userInfo().gid}`,
            Env: logsinkEnvironment({
                stack: PREFIX,
                port: SYSLOG_PORT,
                maxBytes: 20 * 1024 * 1024,
                files: 5,
                reportSchedule: "off",
                alertEmail: "",
                smtp: { host: "", port: 25, tls: "none", user: "", password: "", from: "cloudlab@localhost" },
            }),
            HostConfig: { NetworkMode: PREFIX, Binds: [`${dataDir}:${DATA_DIR}:rw`] },
            NetworkingConfig: { EndpointsConfig: { [PREFIX]: { IPAMConfig: { IPv4Address: LOGSINK_ADDRESS } } } },
        });
        for (const node of NODES)
            await startContainer(client, {
                name: `${PREFIX}-${node}`,
                Image: `${repository}:${tag}`,
                Env: [`NODE_ID=${node}`, `IMAGE_TAG=${tag}`, `PORT=${appPort}`],
                HostConfig: { NanoCpus: 0.5e9, NetworkMode: PREFIX, Init: true },
                NetworkingConfig: { EndpointsConfig: { [PREFIX]: { Aliases: [node] } } },
            });
        for (const name of Object.keys(VARIANTS) as Variant[])
            await startContainer(
                client,
                {
                    name: balancerName(name),
                    Image: images.lbImage,
                    User: "haproxy",
                    Cmd: ["haproxy", "-W", "-db", "-f", HAPROXY_CONFIG_PATH],
                    ExposedPorts: { [`${HAPROXY_PORTS.listen}/tcp`]: {} },
                    HostConfig: {
                        NetworkMode: PREFIX,
                        PortBindings: {
                            [`${HAPROXY_PORTS.listen}/tcp`]: [
                                { HostIp: "127.0.0.1", HostPort: String(VARIANTS[name].port) },
                            ],
                        },
                        Ulimits: [{ Name: "nofile", Soft: 20000, Hard: 20000 }],
                        LogConfig: logConfig[name],
                    },
                },
                configs[name],
            );
        for (const { port } of Object.values(VARIANTS))
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
        const logLines = () => readLogDir(path.join(dataDir, "access-log")).split("\n").length - 1;
        const figures: Record<Variant, number[]> = { off: [], jsonFile: [], local: [], syslog: [], ring: [] };
        const written: Partial<Record<Variant, { lines: number; answered: number }>> = {};
        /** CPU µs spent per answered request, by where: the balancer, the service, the Docker daemons. */
        const cpu = Object.fromEntries(
            (Object.keys(VARIANTS) as Variant[]).map((v) => [v, { balancer: 0, logsink: 0, daemons: 0, answered: 0 }]),
        ) as Record<Variant, { balancer: number; logsink: number; daemons: number; answered: number }>;
        const sinkName = `${PREFIX}-logsink`;
        for (let round = 1; round <= rounds; round++)
            for (const name of Object.keys(VARIANTS) as Variant[]) {
                const toFile = TO_FILE.includes(name);
                const linesBefore = toFile ? logLines() : 0;
                const [lb0, sink0, d0] = [
                    await containerCpuUs(client, balancerName(name)),
                    await containerCpuUs(client, sinkName),
                    daemonsCpuUs(),
                ];
                const load = await runLoad({
                    urls: [loopbackUrl(VARIANTS[name].port)],
                    connections: 60,
                    durationS: seconds,
                    timeoutS: 10,
                });
                figures[name].push(load.rps);
                const c = cpu[name];
                c.daemons += daemonsCpuUs() - d0;
                c.balancer += (await containerCpuUs(client, balancerName(name))) - lb0;
                c.logsink += (await containerCpuUs(client, sinkName)) - sink0;
                c.answered += load.requests;
                let extra = "";
                if (toFile) {
                    // The service writes a batch at most FLUSH_MS after its first line.
                    await new Promise((r) => setTimeout(r, 1000));
                    const lines = logLines() - linesBefore;
                    const w = (written[name] ??= { lines: 0, answered: 0 });
                    w.lines += lines;
                    w.answered += load.requests;
                    extra = `, ${lines} lines in the file for ${load.requests} answered`;
                }
                console.log(
                    `round ${round} ${VARIANTS[name].label}: ${Math.round(load.rps)} req/s (${load.errors} errors, non-2xx ${load.non2xx}, client CPU ${load.clientCpuPercent}%${extra})`,
                );
            }
        const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
        const off = mean(figures.off);
        console.log(
            `mean of ${rounds} rounds x ${seconds} s, 60 connections (${tag}, ${images.lbImage}, logsink on ${images.nodeBaseImage}):`,
        );
        const perRequest = (us: number, n: number) => (us / Math.max(1, n)).toFixed(1);
        for (const name of Object.keys(VARIANTS) as Variant[]) {
            const c = cpu[name];
            console.log(
                `  ${VARIANTS[name].label}: ${Math.round(mean(figures[name]))} req/s, / off = ${(mean(figures[name]) / off).toFixed(2)}; ` +
                    `CPU µs per request: balancer ${perRequest(c.balancer, c.answered)}, logsink ${perRequest(c.logsink, c.answered)}, ` +
                    `Docker daemons ${perRequest(c.daemons, c.answered)}, sum ${perRequest(c.balancer + c.logsink + c.daemons, c.answered)}`,
            );
        }
        for (const [name, w] of Object.entries(written))
            console.log(
                `  ${name}: lines written / requests answered = ${w.lines} / ${w.answered} (${((100 * w.lines) / Math.max(1, w.answered)).toFixed(2)}%)`,
            );
    } finally {
        await cleanUp();
        fs.rmSync(dataDir, { recursive: true, force: true });
    }
}

/** Everything labelled as this bench's: what it started, or what an interrupted run left. */
async function cleanUp(): Promise<void> {
    await removeDockerObjects({ label: [`${LABELS.stack}=${PREFIX}`] });
}

main(process.argv.slice(2)).catch((err: Error) => {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
});
