/**
 * `npm run status [-- --stack local] [--once]`: the lab on one terminal screen, refreshed every second: nodes,
 * state, release, CPU, memory, network, requests/s, in the balancer or not, alarms. Reads the controller's
 * /status, the balancer's stats CSV, Alertmanager's firing alerts and (with cAdvisor) cAdvisor's series through
 * Prometheus, all on 127.0.0.1, where the stack's outputs say they are (as `npm run outputs` shows them, on
 * either engine); scripts/status/view.ts renders.
 */
import { DEFAULT_STACK } from "../cli/args";
import { chooseEngine } from "../cli/engineChoice";
import { checkedStackName } from "../cli/stackName";
import { parseStatsCsv, fetchStatsCsv } from "../components/hooks/haproxyStats";
import { assertLoopback } from "../lib/loopback";
import { REPO } from "../lib/repo";
import { sleep } from "../lib/wait";
import { PromVector, USAGE_QUERIES, nodeUsage, stackStatusUrls, usageQuery } from "./status/sources";
import { ControllerStatus, NodeUsage, StatusSources, renderStatus } from "./status/view";

const reason = (err: unknown) => (err instanceof Error ? err.message : String(err));

async function getJson<T>(url: string): Promise<T> {
    assertLoopback(url);
    const res = await fetch(url, { signal: AbortSignal.timeout(900) });
    if (!res.ok) throw new Error(`GET ${url} -> ${res.status}`);
    return (await res.json()) as T;
}

/** cAdvisor's series by node, each query of {@link USAGE_QUERIES} run against Prometheus' query API. */
async function usage(queryUrl: string): Promise<Record<string, NodeUsage>> {
    const results = {} as Record<keyof NodeUsage, PromVector[]>;
    for (const [key, exprs] of Object.entries(USAGE_QUERIES) as Array<[keyof NodeUsage, string[]]>) {
        results[key] = await Promise.all(
            exprs.map((e) =>
                getJson<{ data: { result: PromVector } }>(
                    `${queryUrl}?query=${encodeURIComponent(usageQuery(e))}`,
                ).then((r) => r.data.result),
            ),
        );
    }
    return nodeUsage(results);
}

async function main(argv: string[]): Promise<void> {
    const at = argv.indexOf("--stack");
    const named = at >= 0 ? argv[at + 1] : DEFAULT_STACK;
    if (named === undefined) throw new Error("usage: npm run status -- [--stack <name>] [--once]");
    const stack = checkedStackName(named);
    const urls = await stackStatusUrls(REPO, stack, await chooseEngine(process.env));
    const once = argv.includes("--once");
    for (;;) {
        const [controller, balancer, alerts, containers] = await Promise.all([
            getJson<ControllerStatus>(urls.controller).catch((e: unknown) => ({ error: reason(e) })),
            fetchStatsCsv(urls.stats)
                .then(parseStatsCsv)
                .catch((e: unknown) => ({ error: reason(e) })),
            getJson<Array<{ labels: { alertname: string } }>>(urls.alerts)
                .then((list) => list.map((a) => a.labels.alertname))
                .catch((e: unknown) => ({ error: reason(e) })),
            urls.containers === undefined
                ? undefined
                : usage(urls.containers).catch((e: unknown) => ({ error: reason(e) })),
        ]);
        const sources: StatusSources = { stack, at: new Date(), controller, balancer, alerts, containers };
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
