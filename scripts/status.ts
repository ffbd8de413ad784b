/**
 * `npm run status [-- --stack local] [--once]`: the lab on one terminal screen, refreshed every second: nodes,
 * state, release, CPU, requests/s, in the balancer or not, alarms. Reads the controller's /status, the
 * balancer's stats CSV and Alertmanager's firing alerts, all on 127.0.0.1 (scripts/status/view.ts renders).
 */
import { parseStatsCsv, fetchStatsCsv } from "./lib/haproxyStats";
import { assertLoopback, loopbackUrl } from "./lib/loopback";
import { stackConfig } from "./lib/stackFile";
import { sleep } from "./lib/wait";
import { CONTROLLER_TARGET } from "../components/render/monitoringTargets";
import { ControllerStatus, StatusSources, renderStatus } from "./status/view";

const reason = (err: unknown) => (err instanceof Error ? err.message : String(err));

async function getJson<T>(url: string): Promise<T> {
    assertLoopback(url);
    const res = await fetch(url, { signal: AbortSignal.timeout(900) });
    if (!res.ok) throw new Error(`GET ${url} -> ${res.status}`);
    return (await res.json()) as T;
}

async function main(argv: string[]): Promise<void> {
    const at = argv.indexOf("--stack");
    const stack = at >= 0 ? argv[at + 1] : "local";
    if (stack === undefined) throw new Error("usage: npm run status -- [--stack <name>] [--once]");
    const cfg = stackConfig(stack);
    // The controller publishes its API on controllerPort (issue 10's contract, 8090 by default).
    const controllerUrl = loopbackUrl(CONTROLLER_TARGET.port, "/status");
    const statsUrl = loopbackUrl(cfg.lbStatsPort, "/stats");
    const alertsUrl = loopbackUrl(cfg.alertmanagerPort, "/api/v2/alerts?active=true&silenced=false&inhibited=false");
    const once = argv.includes("--once");
    for (;;) {
        const [controller, balancer, alerts] = await Promise.all([
            getJson<ControllerStatus>(controllerUrl).catch((e: unknown) => ({ error: reason(e) })),
            fetchStatsCsv(statsUrl)
                .then(parseStatsCsv)
                .catch((e: unknown) => ({ error: reason(e) })),
            getJson<Array<{ labels: { alertname: string } }>>(alertsUrl)
                .then((list) => list.map((a) => a.labels.alertname))
                .catch((e: unknown) => ({ error: reason(e) })),
        ]);
        const sources: StatusSources = { stack, at: new Date(), controller, balancer, alerts };
        const screen = renderStatus(sources).join("\n");
        // Home + clear: the screen is redrawn in place, not scrolled.
        process.stdout.write(once ? `${screen}\n` : `\x1b[H\x1b[2J${screen}\n`);
        if (once) return;
        await sleep(1000);
    }
}

main(process.argv.slice(2)).catch((err: Error) => {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
});
