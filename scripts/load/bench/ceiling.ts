/**
 * The load generator's own ceiling: requests/s from one client process against a trivial local server, beside
 * Locust's (Debian's python3-locust, HttpUser and FastHttpUser) in the same run, so "the balancer delivered N
 * req/s" can be read against what the client itself could send. The server is a bare Node http server in its
 * own process, pinned to the other core than the client (taskset) when the machine has two or more.
 */
import { ChildProcess, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { assertLoopback, loopbackUrl } from "../../../lib/loopback";

/** Debian's python3-locust puts the CLI here; no other Locust is used (its version is part of the figure). */
export const LOCUST = "/usr/bin/locust";
export const LOCUST_USERS = ["HttpUser", "FastHttpUser"] as const;
export type LocustUser = (typeof LOCUST_USERS)[number];

const SERVER_JS = [
    "const http = require('http');",
    "const s = http.createServer((req, res) => { res.writeHead(200, { 'content-type': 'text/plain' }); res.end('ok'); });",
    "s.keepAliveTimeout = 60000;",
    "s.listen(0, '127.0.0.1', () => process.stdout.write('listening ' + s.address().port + '\\n'));",
].join("\n");

/** `taskset -c <cpu>` when there is a second core to pin to, so the client keeps core 0 to itself. */
function pinned(cpu: number, cmd: string, args: string[]): [string, string[]] {
    if (os.cpus().length < 2 || spawnSync("taskset", ["-V"]).status !== 0) return [cmd, args];
    return ["taskset", ["-c", String(cpu), cmd, ...args]];
}

export interface TrivialServer {
    url: string;
    stop(): Promise<void>;
}

/** Starts the trivial server (pinned to core 1) and resolves once it listens on 127.0.0.1. */
export async function startTrivialServer(): Promise<TrivialServer> {
    const [cmd, args] = pinned(1, process.execPath, ["-e", SERVER_JS]);
    const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "inherit"] });
    const port = await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("trivial server did not listen within 10 s")), 10_000);
        child.once("exit", (code) => reject(new Error(`trivial server exited (${code}) before listening`)));
        child.stdout!.on("data", (d: Buffer) => {
            const m = /listening (\d+)/.exec(d.toString());
            if (m) {
                clearTimeout(timer);
                resolve(Number(m[1]));
            }
        });
    });
    return { url: loopbackUrl(port, "/"), stop: () => stopChild(child) };
}

function stopChild(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
    });
}

export function locustfile(user: LocustUser): string {
    const mod = user === "FastHttpUser" ? "locust.contrib.fasthttp" : "locust";
    return [
        `from ${mod} import ${user}`,
        "from locust import task, constant",
        "",
        `class Client(${user}):`,
        "    wait_time = constant(0)",
        "",
        "    @task",
        "    def get(self):",
        '        self.client.get("/")',
        "",
    ].join("\n");
}

/** Requests/s and failures of the Aggregated row of a Locust `_stats.csv`; throws naming the file when absent. */
export function parseLocustAggregated(csv: string, file: string): { rps: number; requests: number; failures: number } {
    const [header, ...rows] = csv.trim().split("\n");
    const cols = header.split(",").map((c) => c.replace(/^"|"$/g, ""));
    const agg = rows.map((r) => r.split(",").map((c) => c.replace(/^"|"$/g, ""))).find((r) => r[1] === "Aggregated");
    if (!agg) throw new Error(`${file}: no Aggregated row`);
    const col = (name: string) => {
        const i = cols.indexOf(name);
        if (i < 0) throw new Error(`${file}: no ${JSON.stringify(name)} column`);
        return Number(agg[i]);
    };
    return { rps: col("Requests/s"), requests: col("Request Count"), failures: col("Failure Count") };
}

export interface LocustFigures {
    user: LocustUser;
    rps: number;
    requests: number;
    failures: number;
    version: string;
}

export function locustVersion(): string | undefined {
    if (!fs.existsSync(LOCUST)) return undefined;
    // Debian's build prints "locust " with no version (its package metadata lacks one): ask dpkg instead.
    const r = spawnSync("dpkg-query", ["-W", "-f=${Version}", "python3-locust"], { encoding: "utf8" });
    return r.status === 0 && r.stdout.trim()
        ? `Locust ${r.stdout.trim()} (python3-locust)`
        : "Locust (version unknown)";
}

/** One headless Locust process (pinned to core 0, as the client) for `durationS` against `url`. */
export async function runLocust(
    user: LocustUser,
    url: string,
    users: number,
    durationS: number,
    signal: AbortSignal,
): Promise<LocustFigures> {
    assertLoopback(url);
    const version = locustVersion();
    if (!version) throw new Error(`no Locust at ${LOCUST}: apt-get install -y python3-locust`);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cloudlab-locust-"));
    try {
        fs.writeFileSync(path.join(dir, "locustfile.py"), locustfile(user));
        const prefix = path.join(dir, "run");
        const [cmd, args] = pinned(0, LOCUST, [
            "-f",
            path.join(dir, "locustfile.py"),
            "--headless",
            "--only-summary",
            "-u",
            String(users),
            "-r",
            String(users),
            "-t",
            `${durationS}s`,
            "--host",
            url.replace(/\/$/, ""),
            "--csv",
            prefix,
            "--exit-code-on-error",
            "0",
        ]);
        const child = spawn(cmd, args, { stdio: ["ignore", "ignore", "pipe"] });
        let stderr = "";
        child.stderr!.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
        const abort = () => child.kill("SIGINT");
        signal.addEventListener("abort", abort);
        const code = await new Promise<number | null>((resolve) => child.once("exit", resolve)).finally(() =>
            signal.removeEventListener("abort", abort),
        );
        const file = `${prefix}_stats.csv`;
        if (!fs.existsSync(file)) throw new Error(`locust ${user} exited ${code} without ${file}: ${stderr}`);
        const figures = parseLocustAggregated(fs.readFileSync(file, "utf8"), file);
        if (figures.requests === 0)
            throw new Error(`sent no request in ${durationS} s (Locust needs a few s to start)`);
        return { user, version, ...figures };
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}
