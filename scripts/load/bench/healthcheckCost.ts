/**
 * What the node health check costs the node: CPU seconds per check, and the share of a node's CPU limit it takes
 * at its interval. Compares the check in components/local/healthcheck.ts (bash, /dev/tcp) with the one it
 * replaced (a Node process per check), measured in the same run on the same container.
 *
 *   node --require ts-node/register/transpile-only scripts/load/bench/healthcheckCost.ts [--image cloudlab-app:latest]
 *       [--checks 40] [--cpus 0.5] [--name cloudlab-bench-healthcheck]
 *
 * It starts one container of the app image (no network, no published port, no health check of its own), waits
 * for the app, then runs each check `--checks` times with `docker exec`, which is how dockerd runs a health check
 * (an exec in the container, so in its cgroup and under its CPU limit). The container's CPU time is read from its
 * cgroup on the host (v1 cpuacct.usage or v2 cpu.stat usage_usec) before and after each batch, so the docker CLI
 * costs nothing in the figures. Batches are interleaved over several rounds; the app's idle CPU over a batch's
 * wall time is subtracted, and `docker exec true` shows what any exec costs before the check does anything.
 * Must run on the Docker host (it reads /proc and /sys/fs/cgroup); figures compare only within one run.
 */
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import { NODE_HEALTHCHECK } from "../../../components/local/healthcheck";

/** The check this project ran before (app/dist/healthcheck.js, removed): Node itself GETs /health, 2 s timeout. */
const OLD_CHECK_JS = [
    "const http = require('http');",
    "const port = Number(process.env.PORT || 3000);",
    "setTimeout(() => process.exit(1), 2000).unref();",
    "http.get({ host: '127.0.0.1', port, path: '/health', agent: false }, (res) => {",
    "  res.resume();",
    "  process.stdout.write(`healthcheck: status ${res.statusCode}\\n`);",
    "  process.exit(res.statusCode === 200 ? 0 : 1);",
    "}).on('error', () => process.exit(1));",
].join("\n");
const OLD_CHECK_FILE = "/app/dist/healthcheck.js";
/** The old check's interval on the container (components/local/appNode.ts before the bash probe). */
const OLD_INTERVAL_S = 2;

interface Options {
    image: string;
    checks: number;
    cpus: number;
    name: string;
}

function parseArgs(argv: string[]): Options {
    const opts: Options = {
        image: "cloudlab-app:latest",
        checks: 40,
        cpus: 0.5,
        name: `cloudlab-bench-healthcheck-${process.pid}`,
    };
    for (let i = 0; i < argv.length; i++) {
        const flag = argv[i];
        const value = argv[i + 1];
        if (flag === "--help" || flag === "-h") {
            process.stdout.write(
                "usage: healthcheckCost.ts [--image IMAGE] [--checks N] [--cpus CPUS] [--name CONTAINER]\n",
            );
            process.exit(0);
        }
        if (value === undefined) throw new Error(`${flag} needs a value`);
        i++;
        if (flag === "--image") opts.image = value;
        else if (flag === "--name") opts.name = value;
        else if (flag === "--checks" && /^[1-9][0-9]{0,3}$/.test(value)) opts.checks = Number(value);
        else if (flag === "--cpus" && /^[0-9]+(\.[0-9]+)?$/.test(value) && Number(value) > 0) opts.cpus = Number(value);
        else throw new Error(`bad flag or value: ${flag} ${JSON.stringify(value)}`);
    }
    return opts;
}

function docker(args: string[]): string {
    return execFileSync("docker", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
}

/** Reads the container's total CPU time in microseconds from its cgroup, on the host. */
function cgroupCpuReader(pid: number): () => number {
    const lines = fs.readFileSync(`/proc/${pid}/cgroup`, "utf8").trim().split("\n");
    for (const line of lines) {
        const [, controllers, path] = line.split(":");
        if (!controllers?.split(",").includes("cpuacct")) continue;
        for (const mount of [controllers, "cpuacct", "cpu,cpuacct", "cpuacct,cpu"]) {
            const file = `/sys/fs/cgroup/${mount}${path}/cpuacct.usage`;
            if (fs.existsSync(file)) return () => Number(fs.readFileSync(file, "utf8")) / 1000;
        }
    }
    const unified = lines.find((l) => l.startsWith("0::"));
    if (unified) {
        const file = `/sys/fs/cgroup${unified.slice(3)}/cpu.stat`;
        if (fs.existsSync(file)) {
            return () => Number(/^usage_usec (\d+)$/m.exec(fs.readFileSync(file, "utf8"))![1]);
        }
    }
    throw new Error(`no CPU accounting file found for pid ${pid} (cgroup: ${lines.join(" | ")})`);
}

interface Batch {
    cpuUs: number;
    wallMs: number;
    failures: number;
}

const sleepMs = (ms: number): void => void Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

function main(): void {
    const opts = parseArgs(process.argv.slice(2));
    const [, newCmd, ...newArgs] = NODE_HEALTHCHECK.tests;
    const newInterval = Number(/^(\d+)s$/.exec(NODE_HEALTHCHECK.interval)?.[1]);
    if (!newInterval) throw new Error(`interval ${NODE_HEALTHCHECK.interval}: expected whole seconds`);

    docker([
        "run",
        "--detach",
        "--name",
        opts.name,
        "--network",
        "none",
        "--no-healthcheck",
        "--init",
        "--cpus",
        String(opts.cpus),
        "--memory",
        "256m",
        "--env",
        "PORT=3000",
        "--env",
        "NODE_ID=bench",
        "--env",
        "IMAGE_TAG=bench",
        "--env",
        "DRAIN_SECONDS=0",
        opts.image,
    ]);
    const cleanup = (): void => void spawnSync("docker", ["rm", "--force", opts.name], { stdio: "ignore" });
    process.on("SIGINT", () => {
        cleanup();
        process.exit(130);
    });
    try {
        const exec = (cmd: string[]): boolean =>
            spawnSync("docker", ["exec", opts.name, ...cmd], { stdio: "ignore" }).status === 0;
        const newCheck = [newCmd!, ...newArgs];
        for (let i = 0; !exec(newCheck); i++) {
            if (i >= 60) throw new Error(`the app in ${opts.name} did not answer /health within 30 s`);
            sleepMs(500);
        }
        const hasOldFile = exec(["test", "-f", OLD_CHECK_FILE]);
        const oldCheck = hasOldFile ? ["node", OLD_CHECK_FILE] : ["node", "-e", OLD_CHECK_JS];
        if (!exec(oldCheck)) throw new Error("the old check fails against the running app");

        const cpuUs = cgroupCpuReader(Number(docker(["inspect", "--format", "{{.State.Pid}}", opts.name])));
        const idleRate = (): number => {
            const c0 = cpuUs();
            const t0 = Date.now();
            sleepMs(3000);
            return (cpuUs() - c0) / (Date.now() - t0); // µs of CPU per ms of wall
        };
        const idleBefore = idleRate();

        const kinds: Array<[string, string[]]> = [
            ["exec floor (`true`)", ["true"]],
            ["old: node per check", oldCheck],
            ["new: bash /dev/tcp", newCheck],
        ];
        const totals = new Map<string, Batch>(kinds.map(([k]) => [k, { cpuUs: 0, wallMs: 0, failures: 0 }]));
        const rounds = 4;
        for (let r = 0; r < rounds; r++) {
            for (const [kind, cmd] of kinds) {
                const n = Math.ceil(opts.checks / rounds);
                const t = totals.get(kind)!;
                const c0 = cpuUs();
                const t0 = Date.now();
                for (let i = 0; i < n; i++) if (!exec(cmd)) t.failures++;
                t.cpuUs += cpuUs() - c0;
                t.wallMs += Date.now() - t0;
            }
        }
        const idleAfter = idleRate();
        const idle = (idleBefore + idleAfter) / 2;
        const perCheck = (kind: string): { cpuMs: number; wallMs: number; failures: number } => {
            const t = totals.get(kind)!;
            const n = Math.ceil(opts.checks / rounds) * rounds;
            return { cpuMs: (t.cpuUs - idle * t.wallMs) / n / 1000, wallMs: t.wallMs / n, failures: t.failures };
        };
        const floor = perCheck(kinds[0][0]);
        const old = perCheck(kinds[1][0]);
        const cur = perCheck(kinds[2][0]);
        const share = (cpuMs: number, intervalS: number): string =>
            `${((cpuMs / 1000 / intervalS / opts.cpus) * 100).toFixed(2)} %`;

        const out: string[] = [];
        out.push(
            `image ${opts.image}, --cpus ${opts.cpus}, ${Math.ceil(opts.checks / rounds) * rounds} execs of each, ${rounds} interleaved rounds`,
        );
        out.push(
            `old check: ${hasOldFile ? `node ${OLD_CHECK_FILE} (in the image)` : "node -e <the removed dist/healthcheck.js, inlined>"}`,
        );
        out.push(
            `app idle CPU subtracted: ${(idle / 10).toFixed(3)} % of one CPU (before ${(idleBefore / 10).toFixed(3)}, after ${(idleAfter / 10).toFixed(3)})`,
        );
        out.push("");
        out.push(
            "| check | CPU ms per check | wall ms per exec | failures | share of the node's CPU at its interval |",
        );
        out.push("|---|---:|---:|---:|---|");
        out.push(`| ${kinds[0][0]} | ${floor.cpuMs.toFixed(2)} | ${floor.wallMs.toFixed(0)} | ${floor.failures} | |`);
        out.push(
            `| ${kinds[1][0]} | ${old.cpuMs.toFixed(2)} | ${old.wallMs.toFixed(0)} | ${old.failures} | ${share(old.cpuMs, OLD_INTERVAL_S)} every ${OLD_INTERVAL_S} s of ${opts.cpus} CPU |`,
        );
        out.push(
            `| ${kinds[2][0]} | ${cur.cpuMs.toFixed(2)} | ${cur.wallMs.toFixed(0)} | ${cur.failures} | ${share(cur.cpuMs, newInterval)} every ${newInterval} s of ${opts.cpus} CPU |`,
        );
        out.push("");
        out.push(`ratio new/old, as Docker runs them (exec included): ${(cur.cpuMs / old.cpuMs).toFixed(3)}`);
        out.push(
            `ratio new/old, the check alone (exec floor taken off): ${((cur.cpuMs - floor.cpuMs) / (old.cpuMs - floor.cpuMs)).toFixed(3)}`,
        );
        process.stdout.write(`${out.join("\n")}\n`);
        if (old.failures + cur.failures + floor.failures > 0) process.exitCode = 1;
    } finally {
        cleanup();
    }
}

try {
    main();
} catch (err) {
    process.stderr.write(`healthcheckCost: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
}
