/**
 * The local monitoring for real (offline config: Prometheus and Alertmanager from Debian's packages, cAdvisor
 * built from its Go module, no Grafana): after traffic, Prometheus scrapes every running node, the balancer and
 * cAdvisor (its targets API and samples say so); cAdvisor reports the pinned version and CPU, memory and network
 * for every running node container by name, none for a stopped one, and a node under /load within two scrapes;
 * every dashboard panel query and every alert rule's measure runs against it and returns data (those only the
 * controller can feed are listed, with the reason, when it is absent), a stopped node fires NodeDown in
 * Alertmanager and a mail reaches the test's SMTP server, and the access-log
 * report (from the access-log service's files, HAProxy ring -> TCP -> logsink/) counts exactly the requests
 * the test sent, per node, both on demand and as the stack's scheduled reports (reportSchedule 15s here).
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { ALERTS, alertRules } from "../../components/render/alertRules";
import { panelQueries, readDashboard } from "../../components/render/grafanaProvisioning";
import { parseCidr } from "../../components/config/parsers";
import { REPORTS_DIR, accessLogDir, addressPlan } from "../../components/local/names";
import { docker } from "../../engine";
import { runReport } from "../../scripts/report/run";
import { CADVISOR_VERSION } from "../../scripts/lib/cadvisor";
import { waitFor } from "../../lib/wait";
import { removeDockerObjectsNamed, requireDocker } from "../support/dockerSuite";
import { getJson } from "../support/http";
import { LocalTestStack } from "../support/localStack";
import { SmtpSink } from "../support/smtpSink";
import { ENGINE_TITLE } from "../support/engines";
import { testEngineKind } from "../../engine";
import { tempDir } from "../support/tempDir";

const SCRAPE_SECONDS = 2;
const SMTP_PORT = 12525;
const ALERT_EMAIL = "lab-alerts@example.com";
const REPORT_EVERY_S = 15;

/** A raw message with its folded header lines joined (RFC 5322 folding may split a long Subject anywhere). */
const unfolded = (data: string) => data.replace(/\r?\n[ \t]+/g, " ");

/** Prometheus' HTTP API: GET <prometheusUrl>/api/v1/<what>. */
async function prometheus(stack: LocalTestStack, what: string): Promise<any> {
    const r = await getJson(`${stack.prometheusUrl}/api/v1/${what}`);
    assert.equal(r.status, 200, `GET /api/v1/${what} -> ${r.status} ${JSON.stringify(r.body)}`);
    assert.equal(r.body.status, "success", JSON.stringify(r.body));
    return r.body.data;
}

const instant = (stack: LocalTestStack, expr: string) =>
    prometheus(stack, `query?query=${encodeURIComponent(expr)}`).then((d) => d.result as any[]);

describe(`local monitoring on Docker, on the ${ENGINE_TITLE[testEngineKind()]}`, function () {
    this.timeout(15 * 60_000);
    const stack = new LocalTestStack({
        stack: "montest",
        lbPort: 18280,
        lbStatsPort: 18604,
        nodePortBase: 13201,
        subnet: "10.84.0.0/24",
    });
    const gateway = addressPlan(parseCidr(stack.layout.subnet)!).gateway;
    const smtp = new SmtpSink();
    const mails = smtp.mails;
    const sent = new Map<string, number>();
    const settings = {
        imageTag: "montest",
        nodeCount: "2",
        nodeLimit: "3",
        scrapeIntervalSeconds: String(SCRAPE_SECONDS),
        alertEmail: ALERT_EMAIL,
        smtpHost: gateway,
        smtpPort: String(SMTP_PORT),
        smtpTls: "none",
        reportSchedule: `${REPORT_EVERY_S}s`,
    };
    let trafficFrom = 0;
    let trafficTo = 0;
    const logDir = accessLogDir(stack.prefix);
    /** The stack's scheduled reports (in the shared reports directory, named after the stack). */
    const scheduledReports = () =>
        fs.existsSync(REPORTS_DIR)
            ? fs.readdirSync(REPORTS_DIR).filter((f) => f.startsWith(`access-report-${stack.prefix}-`))
            : [];
    const removeScheduledReports = () =>
        scheduledReports().forEach((f) => fs.rmSync(path.join(REPORTS_DIR, f), { force: true }));

    before(async function () {
        await requireDocker(this);
        await removeDockerObjectsNamed(stack.prefix);
        fs.rmSync(logDir, { recursive: true, force: true });
        removeScheduledReports();
    });

    after(async () => {
        await smtp.close();
        const left = await removeDockerObjectsNamed(stack.prefix);
        if (left.length) console.log(`      cleaned up: ${left.join(", ")}`);
        fs.rmSync(path.dirname(logDir), { recursive: true, force: true });
        removeScheduledReports();
    });

    it("comes up with Prometheus, Alertmanager and cAdvisor, and says what the offline config leaves out", async () => {
        const result = await stack.up(settings);
        assert.equal(result.outputs.prometheusUrl, stack.prometheusUrl);
        assert.equal(result.outputs.alertmanagerUrl, stack.alertmanagerUrl);
        assert.equal(result.outputs.cadvisorUrl, stack.cadvisorUrl);
        assert.equal(result.outputs.grafanaUrl, undefined);
        const notes = (result.outputs.monitoringNotes as string[]).join("\n");
        assert.match(notes, /Grafana is left out/);
        assert.doesNotMatch(notes, /cAdvisor/);
        // Its page on 127.0.0.1 lists the stack's node containers, under the pinned version.
        await waitFor(
            "cAdvisor's page to list node-1",
            async () => (await fetch(stack.cadvisorUrl).then((r) => r.text())).includes(stack.containerName("node-1")),
            60_000,
        );
        assert.match(
            await fetch(stack.cadvisorUrl).then((r) => r.text()),
            new RegExp(`<h1>cAdvisor ${CADVISOR_VERSION}</h1>`),
        );
        // The SMTP server listens on the stack network's gateway: the host, as the containers see it.
        await smtp.listen(SMTP_PORT, gateway);
    });

    it("changes nothing on a second up with the same config (the monitoring containers read back unchanged)", async () => {
        const result = await stack.up(settings);
        assert.deepEqual(
            result.steps.filter((st) => st.op !== "same").map((st) => `${st.op} ${st.name}`),
            [],
        );
    });

    it("scrapes every running node and the balancer (targets API), standby nodes down", async () => {
        trafficFrom = Date.now();
        for (let i = 0; i < 40; i++) {
            const r = await getJson(stack.balancerUrl);
            assert.equal(r.status, 200);
            sent.set(r.body.node, (sent.get(r.body.node) ?? 0) + 1);
        }
        trafficTo = Date.now();
        console.log(`      sent: ${[...sent].map(([n, c]) => `${n} ${c}`).join(", ")}`);
        const health = async () => {
            const targets = (await prometheus(stack, "targets")).activeTargets as any[];
            return Object.fromEntries(
                targets.map((t) => [`${t.labels.job}/${t.labels.node ?? t.labels.instance}`, t.health]),
            );
        };
        await waitFor(
            "Prometheus to see node-1, node-2 and the balancer up",
            async () => {
                const h = await health();
                return h["nodes/node-1"] === "up" && h["nodes/node-2"] === "up" && h["balancer/lb:8404"] === "up";
            },
            60_000,
        );
        const h = await health();
        console.log(`      targets: ${JSON.stringify(h)}`);
        assert.equal(h["nodes/node-3"], "down", "node-3 is standby (stopped)");
        const samples = await instant(stack, 'cloudlab_app_info{job="nodes"}');
        assert.deepEqual(samples.map((s) => s.metric.node).sort(), ["node-1", "node-2"]);
        assert.ok((await instant(stack, 'haproxy_backend_active_servers{proxy="nodes"}')).length === 1);
    });

    it("scrapes cAdvisor at the pinned version: CPU, memory and network of every running node container, by name", async () => {
        await waitFor(
            "cAdvisor's target up, with both running nodes' series",
            async () =>
                (await instant(stack, 'up{job="cadvisor"} == 1')).length === 1 &&
                (await instant(stack, 'container_cpu_usage_seconds_total{job="cadvisor",node!=""}')).length >= 2,
            60_000,
        );
        const version = await instant(stack, 'cadvisor_version_info{job="cadvisor"}');
        assert.deepEqual(
            version.map((s) => s.metric.cadvisorVersion),
            [CADVISOR_VERSION],
        );
        const running = ["node-1", "node-2"];
        for (const metric of [
            "container_cpu_usage_seconds_total",
            "container_memory_working_set_bytes",
            "container_network_receive_bytes_total",
            "container_network_transmit_bytes_total",
        ]) {
            const samples = await instant(stack, `${metric}{job="cadvisor",node!=""}`);
            assert.deepEqual(
                samples.map((s) => `${s.metric.node} ${s.metric.name}`).sort(),
                running.map((n) => `${n} ${stack.containerName(n)}`),
                metric,
            );
        }
        // The standby node is stopped: cAdvisor has no series of it.
        assert.deepEqual(await instant(stack, 'container_cpu_usage_seconds_total{job="cadvisor",node="node-3"}'), []);
        // Only this stack's containers: the balancer and the services by name, no node label.
        const names = (await instant(stack, 'container_cpu_usage_seconds_total{job="cadvisor"}')).map(
            (s) => s.metric.name,
        );
        assert.ok(
            names.every((n: string) => n.startsWith(`${stack.prefix}-`)),
            names.join(", "),
        );
        assert.ok(names.includes(`${stack.prefix}-cadvisor`), names.join(", "));
    });

    it("shows a node under /load with its CPU rising in cAdvisor's series within two scrapes", async () => {
        const cpu = async () =>
            Number(
                (await instant(stack, 'container_cpu_usage_seconds_total{job="cadvisor",node="node-1"}'))[0].value[1],
            );
        const before = await cpu();
        const started = Date.now();
        const load = getJson(`${stack.nodeUrl(1)}/load?timeout=6`, 30_000).catch(() => undefined);
        // node-1 burns its whole CPU quota: 0.2 CPU-seconds is what an idle node does not burn in a minute.
        let after = before;
        await waitFor(
            "node-1's CPU counter to rise by 0.2 s in Prometheus",
            async () => {
                after = await cpu();
                return after - before >= 0.2;
            },
            30_000,
            { everyMs: 100 },
        );
        const seconds = (Date.now() - started) / 1000;
        console.log(
            `      /load -> node-1's CPU up ${(after - before).toFixed(2)} s in cAdvisor's series after ${seconds.toFixed(1)} s (scrape ${SCRAPE_SECONDS} s)`,
        );
        assert.ok(seconds <= 2 * SCRAPE_SECONDS + 1, `${seconds} s: more than two scrapes`);
        await load;
    });

    it("runs every dashboard panel query and every alert rule's measure against Prometheus, with data", async () => {
        const controllerUp = (await instant(stack, 'up{job="controller"} == 1')).length > 0;
        // Wait for a few scrapes after the traffic so rates over 1m have two samples.
        await new Promise((r) => setTimeout(r, 4 * SCRAPE_SECONDS * 1000));
        const unchecked: string[] = [];
        const empty: string[] = [];
        const queries = panelQueries(readDashboard().panels, { rate: "1m", range: "10m" }, true);
        const rules = alertRules({
            scrapeIntervalSeconds: SCRAPE_SECONDS,
            errorRatePercent: 5,
            latencyP95Ms: 1000,
            restarts: 3,
        });
        const all = [
            ...queries.map((q) => ({ what: `panel "${q.panel}"`, expr: q.expr, unchecked: q.unchecked })),
            // The measure of a rule: its expression without the threshold (a quiet rule returns nothing).
            ...rules.map((r) => ({
                what: `rule ${r.alert}`,
                expr: r.expr.replace(/\s*(==|>=|>)\s*\d+(\.\d+)?/g, ""),
                unchecked: undefined,
            })),
        ];
        for (const q of all) {
            const fromController = /cloudlab_(controller|node)_/.test(q.expr) && !/ or /.test(q.expr);
            if (q.unchecked || (fromController && !controllerUp)) {
                unchecked.push(
                    `${q.what} (${q.expr}): ${q.unchecked ?? "only the controller feeds it, and no controller is scraped up in this stack"}`,
                );
                continue;
            }
            const result = await instant(stack, q.expr);
            if (result.length === 0) empty.push(`${q.what}: ${q.expr}`);
        }
        for (const u of unchecked) console.log(`      NOT CHECKED ${u}`);
        console.log(`      ${all.length - unchecked.length} queries returned data, ${unchecked.length} not checked`);
        assert.deepEqual(empty, []);
    });

    it("fires NodeDown in Alertmanager for a stopped node and mails alertEmail", async () => {
        await docker().getContainer(stack.containerName("node-2")).stop({ t: 1 });
        const started = Date.now();
        // A stopped node's cAdvisor series go stale at the next scrapes, not after Prometheus' 5 min lookback.
        await waitFor(
            "node-2's cAdvisor series to go stale",
            async () =>
                (await instant(stack, 'container_cpu_usage_seconds_total{job="cadvisor",node="node-2"}')).length === 0,
            3 * SCRAPE_SECONDS * 1000 + 2000,
        );
        console.log(`      node stopped -> no fresh cAdvisor series: ${((Date.now() - started) / 1000).toFixed(1)} s`);
        await waitFor(
            "NodeDown for node-2 in Alertmanager",
            async () => {
                const r = await getJson(`${stack.alertmanagerUrl}/api/v2/alerts?active=true`);
                return (r.body as any[]).some(
                    (a) => a.labels.alertname === ALERTS.nodeDown && a.labels.node === "node-2",
                );
            },
            90_000,
        );
        console.log(`      node stopped -> NodeDown in Alertmanager: ${((Date.now() - started) / 1000).toFixed(1)} s`);
        const alertMail = () => mails.find((m) => /^Subject: .*NodeDown/m.test(unfolded(m.data)));
        await waitFor("the alert mail", async () => alertMail() !== undefined, 90_000);
        const mail = alertMail()!;
        assert.deepEqual(mail.to, [ALERT_EMAIL]);
        assert.match(mail.data, /node-2/);
        console.log(`      node stopped -> alert mail received: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    });

    it("reports exactly the requests the test sent, per node, from the access-log files, and mails the report", async () => {
        const out = tempDir("report");
        assert.ok(fs.existsSync(path.join(logDir, "access.log")), `the access-log service writes ${logDir}`);
        const result = await runReport({
            prefix: stack.prefix,
            sinceMs: Date.now() - trafficFrom + 1000,
            outDir: out,
            alertEmail: ALERT_EMAIL,
            smtp: { host: gateway, port: SMTP_PORT, tls: "none", user: "", password: "", from: "cloudlab@localhost" },
        });
        const r = result.report;
        const perNode = Object.fromEntries(Object.entries(r.byNode).map(([n, s]) => [n, s.requests]));
        assert.deepEqual(perNode, Object.fromEntries(sent));
        assert.deepEqual(Object.keys(r.byPath), ["/"]);
        assert.equal(r.byStatusClass["2xx"].requests, 40);
        assert.equal(r.malformed.count, 0);
        assert.ok(fs.existsSync(result.htmlFile) && fs.existsSync(result.jsonFile));
        assert.ok(result.mailed);
        // The stack mails its scheduled reports too: this one is the mail of this report's window.
        const subject = new RegExp(
            `^Subject: cloudlab access report: cloudlab-montest, ${r.from.replace(/[.]/g, "\\.")} to ${r.to.replace(/[.]/g, "\\.")}: 40 requests, 0 5xx`,
            "m",
        );
        await waitFor("the report mail", async () => mails.some((m) => subject.test(unfolded(m.data))), 30_000);
        const report = mails.find((m) => subject.test(unfolded(m.data)))!;
        assert.deepEqual(report.to, [ALERT_EMAIL]);
        console.log(`      report: ${JSON.stringify(perNode)}; ${result.htmlFile}`);
    });

    it("runs the report on reportSchedule: the scheduled reports count the same requests, and are mailed", async () => {
        type Scheduled = { from: string; to: string; byNode: Record<string, { requests: number }> };
        const read = (): Scheduled[] =>
            scheduledReports()
                .filter((f) => f.endsWith(".json"))
                .map((f) => JSON.parse(fs.readFileSync(path.join(REPORTS_DIR, f), "utf8")) as Scheduled);
        // Every window that holds part of the traffic has its report once a window ends after the traffic.
        await waitFor(
            "a scheduled report whose window ends after the traffic",
            async () => read().some((x) => Date.parse(x.to) > trafficTo),
            (REPORT_EVERY_S + 30) * 1000,
        );
        const covering = read().filter((x) => Date.parse(x.to) > trafficFrom && Date.parse(x.from) <= trafficTo);
        const windows = covering.map((x) => Date.parse(x.to) - Date.parse(x.from));
        assert.ok(
            windows.every((w) => w === REPORT_EVERY_S * 1000),
            `windows of ${REPORT_EVERY_S} s: ${windows}`,
        );
        const perNode: Record<string, number> = {};
        for (const x of covering)
            for (const [n, st] of Object.entries(x.byNode)) perNode[n] = (perNode[n] ?? 0) + st.requests;
        assert.deepEqual(perNode, Object.fromEntries(sent));
        const scheduledMail = mails.find((m) =>
            covering.some((x) =>
                unfolded(m.data).includes(`cloudlab access report: cloudlab-montest, ${x.from} to ${x.to}`),
            ),
        );
        assert.ok(scheduledMail, "a scheduled report was mailed");
        console.log(`      scheduled: ${covering.length} report(s) over the traffic, ${JSON.stringify(perNode)}`);
    });
});
