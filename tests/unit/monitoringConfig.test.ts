/**
 * The local monitoring's rendered configs: prometheus.yml, the alert rules, alertmanager.yml and Grafana's
 * provisioning, read as data and checked by the real tools (promtool, amtool). The rules are run by
 * `promtool test rules` against hand-written series: each alert fires where it should and stays quiet where
 * it should not.
 */
import { strict as assert } from "assert";
import YAML from "yaml";
import { ALERTS, AlertRulesInput, renderAlertRules } from "../../components/render/alertRules";
import { AlertmanagerConfigInput, renderAlertmanagerConfig } from "../../components/render/alertmanagerConfig";
import {
    DATASOURCE_UID,
    GRAFANA_FILES,
    panelQueries,
    readDashboard,
    renderGrafanaProvisioning,
} from "../../components/render/grafanaProvisioning";
import { CADVISOR_NODE_QUERIES, withFallback } from "../../components/render/cadvisor";
import { LABELS, monitoringTarget } from "../../components/local/names";
import {
    PROMETHEUS_FILES,
    PrometheusConfigInput,
    renderPrometheusConfig,
} from "../../components/render/prometheusConfig";
import { requirePromTools, runTool, writeFiles } from "../support/promtool";

/**
 * Prometheus' metric relabelling of one series, for the actions the config uses (keep, replace, labeldrop):
 * regexes fully anchored, source labels joined by ";", an empty label removed, as Prometheus does.
 */
function relabel(configs: any[], labels: Record<string, string>): Record<string, string> | undefined {
    let out: Record<string, string> = { ...labels };
    for (const c of configs) {
        const regex = new RegExp(`^(?:${c.regex ?? "(.*)"})$`);
        const value = (c.source_labels ?? []).map((l: string) => out[l] ?? "").join(c.separator ?? ";");
        const action = c.action ?? "replace";
        if (action === "keep" && !regex.test(value)) return undefined;
        if (action === "replace") {
            const m = regex.exec(value);
            if (m)
                out[c.target_label] = (c.replacement ?? "$1").replace(
                    /\$(\d)/g,
                    (_: string, i: string) => m[Number(i)] ?? "",
                );
        }
        if (action === "labeldrop") out = Object.fromEntries(Object.entries(out).filter(([k]) => !regex.test(k)));
    }
    return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== ""));
}

const prometheusInput: PrometheusConfigInput = {
    scrapeIntervalSeconds: 15,
    nodes: [
        { name: "node-1", floor: true },
        { name: "node-2", floor: true },
        { name: "node-3", floor: false },
    ],
    appPort: 3000,
    balancer: { host: "lb", port: 8404 },
    controller: { host: "controller", port: 8090 },
    alertmanager: monitoringTarget("alertmanager"),
    prometheus: monitoringTarget("prometheus"),
};
const thresholds: AlertRulesInput = { scrapeIntervalSeconds: 15, errorRatePercent: 5, latencyP95Ms: 1000, restarts: 3 };
const noMail: AlertmanagerConfigInput = {
    alertEmail: "",
    smtp: { host: "", port: 587, tls: "starttls", user: "", password: "", from: "cloudlab@localhost" },
};
const withMail: AlertmanagerConfigInput = {
    alertEmail: "ops@example.com",
    smtp: { host: "mail.lab", port: 587, tls: "starttls", user: "lab", password: "s3cret", from: "lab@example.com" },
};

type Job = { job_name: string; static_configs: Array<{ targets: string[]; labels?: Record<string, string> }> };

describe("prometheus.yml", () => {
    const config = YAML.parse(renderPrometheusConfig(prometheusInput));
    const job = (name: string): Job => config.scrape_configs.find((j: Job) => j.job_name === name);

    it("scrapes every node by its Docker DNS name, labelled with its name and whether it always runs", () => {
        assert.deepEqual(job("nodes").static_configs, [
            { targets: ["node-1:3000"], labels: { node: "node-1", floor: "true" } },
            { targets: ["node-2:3000"], labels: { node: "node-2", floor: "true" } },
            { targets: ["node-3:3000"], labels: { node: "node-3", floor: "false" } },
        ]);
    });

    it("scrapes the balancer's exporter, the controller, Alertmanager and itself; cAdvisor only when present", () => {
        assert.deepEqual(job("balancer").static_configs, [{ targets: ["lb:8404"] }]);
        assert.deepEqual(job("controller").static_configs, [{ targets: ["controller:8090"] }]);
        assert.deepEqual(job("alertmanager").static_configs, [{ targets: ["alertmanager:9093"] }]);
        assert.equal(job("cadvisor"), undefined);
        const withCadvisor = YAML.parse(
            renderPrometheusConfig({
                ...prometheusInput,
                cadvisor: { target: monitoringTarget("cadvisor"), stackPrefix: "cloudlab-local", labels: LABELS },
            }),
        );
        const cadvisor = withCadvisor.scrape_configs.find((j: Job) => j.job_name === "cadvisor");
        assert.deepEqual(cadvisor.static_configs, [{ targets: ["cadvisor:8080"] }]);
        assert.equal(cadvisor.honor_timestamps, false, "a stopped container's series go stale at the next scrape");
    });

    it("keeps cAdvisor's series of this stack's containers only, a node's labelled node=, and cAdvisor's own", () => {
        const cadvisor = YAML.parse(
            renderPrometheusConfig({
                ...prometheusInput,
                cadvisor: { target: monitoringTarget("cadvisor"), stackPrefix: "cloudlab-local", labels: LABELS },
            }),
        ).scrape_configs.find((j: Job) => j.job_name === "cadvisor");
        const series = (name: string, stack: string, node: string, extra: Record<string, string> = {}) => ({
            __name__: name,
            container_label_cloudlab_stack: stack,
            container_label_cloudlab_node: node,
            ...extra,
        });
        const scraped = [
            series("container_cpu_usage_seconds_total", "cloudlab-local", "node-1", { name: "cloudlab-local-node-1" }),
            series("container_memory_working_set_bytes", "cloudlab-local", "", { name: "cloudlab-local-lb" }),
            // Another stack's node, another stack whose prefix this one's begins with, the host's root cgroup.
            series("container_cpu_usage_seconds_total", "cloudlab-montest", "node-1", {
                name: "cloudlab-montest-node-1",
            }),
            series("container_cpu_usage_seconds_total", "cloudlab-localx", "node-1", {
                name: "cloudlab-localx-node-1",
            }),
            series("container_cpu_usage_seconds_total", "", "", { id: "/" }),
            series("cadvisor_version_info", "", "", { cadvisorVersion: "v1.2.3" }),
        ];
        const kept = scraped
            .map((s) => relabel(cadvisor.metric_relabel_configs, s))
            .filter((s): s is Record<string, string> => s !== undefined);
        assert.deepEqual(kept, [
            { __name__: "container_cpu_usage_seconds_total", name: "cloudlab-local-node-1", node: "node-1" },
            { __name__: "container_memory_working_set_bytes", name: "cloudlab-local-lb" },
            { __name__: "cadvisor_version_info", cadvisorVersion: "v1.2.3" },
        ]);
    });

    it("scrapes at the configured interval, loads the rules and sends alerts to Alertmanager", () => {
        const five = YAML.parse(renderPrometheusConfig({ ...prometheusInput, scrapeIntervalSeconds: 5 }));
        assert.equal(five.global.scrape_interval, "5s");
        assert.equal(five.global.evaluation_interval, "5s");
        assert.deepEqual(config.rule_files, [PROMETHEUS_FILES.rules]);
        assert.deepEqual(config.alerting.alertmanagers[0].static_configs[0].targets, ["alertmanager:9093"]);
    });

    it("passes `promtool check config` (with its rules)", function () {
        requirePromTools(this);
        const dir = writeFiles({
            "rules.yml": renderAlertRules(thresholds),
            "prometheus.yml": renderPrometheusConfig({
                ...prometheusInput,
                cadvisor: { target: monitoringTarget("cadvisor"), stackPrefix: "cloudlab-local", labels: LABELS },
            }).replace(PROMETHEUS_FILES.rules, "rules.yml"),
        });
        const r = runTool("promtool", ["check", "config", "prometheus.yml"], dir);
        assert.equal(r.status, 0, r.output);
        assert.match(r.output, /SUCCESS: 5 rules found/);
    });
});

describe("alert rules", () => {
    const rules = YAML.parse(renderAlertRules(thresholds)).groups[0].rules as Array<{ alert: string; expr: string }>;

    it("has the five alerts a lab user needs, with the thresholds from config", () => {
        assert.deepEqual(
            rules.map((r) => r.alert),
            [ALERTS.nodeDown, ALERTS.noNodeInService, ALERTS.errorRate, ALERTS.latency, ALERTS.restarts],
        );
        const other = YAML.parse(renderAlertRules({ ...thresholds, errorRatePercent: 12, latencyP95Ms: 250 }));
        const exprs = other.groups[0].rules.map((r: { expr: string }) => r.expr).join("\n");
        assert.match(exprs, /> 12$/m);
        assert.match(exprs, /> 250$/m);
    });

    it("passes `promtool check rules`", function () {
        requirePromTools(this);
        const dir = writeFiles({ "rules.yml": renderAlertRules(thresholds) });
        const r = runTool("promtool", ["check", "rules", "rules.yml"], dir);
        assert.equal(r.status, 0, r.output);
    });

    // `promtool test rules`: hand-written series at a 15 s scrape interval; each case says when an alert must
    // (exp_alerts with labels) or must not (exp_alerts: []) be firing.
    const node = (name: string, floor: boolean) =>
        `{job="nodes",instance="${name}:3000",node="${name}",floor="${floor}"}`;
    const bucket = (route: string, le: string) =>
        `http_request_duration_seconds_bucket{job="nodes",node="node-1",route="${route}",status="200",le="${le}"}`;
    const latencySeries = (route: string, slowPerScrape: number) =>
        ["0.1", "0.5", "1", "2.5", "+Inf"].map((le) => ({
            series: bucket(route, le),
            // 100 fast requests per scrape (< 0.1 s) plus `slowPerScrape` between 1 and 2.5 s.
            values: `0+${100 + (Number(le) >= 2.5 || le === "+Inf" ? slowPerScrape : 0)}x40`,
        }));
    const NO_NODE_ANNOTATIONS = {
        summary: "No node in service behind the balancer",
        description: "The balancer has no node UP in its backend (or the balancer itself is down): users get 503s.",
    };
    const restartAnnotations = (n: string) => ({
        summary: `${n} restarted 3+ times in 15m`,
        description: `${n} keeps restarting: read its logs (docker logs) before it is replaced.`,
    });
    const cases: Array<{ name: string; series: Array<{ series: string; values: string }>; checks: unknown[] }> = [
        {
            name: "node down: a floor node fires after two missed scrapes; a standby node never",
            series: [
                { series: `up${node("node-1", true)}`, values: "1 1 0 0 0 0 0" },
                { series: `up${node("node-3", false)}`, values: "0 0 0 0 0 0 0" },
            ],
            checks: [
                { eval_time: "30s", alertname: ALERTS.nodeDown, exp_alerts: [] },
                {
                    eval_time: "75s",
                    alertname: ALERTS.nodeDown,
                    exp_alerts: [
                        {
                            exp_labels: {
                                severity: "page",
                                job: "nodes",
                                instance: "node-1:3000",
                                node: "node-1",
                                floor: "true",
                            },
                            exp_annotations: {
                                summary: "node-1 is down",
                                description:
                                    "node-1 (one of the nodeCount nodes that always run) answers no /metrics scrape.",
                            },
                        },
                    ],
                },
            ],
        },
        {
            name: "no node in service: the balancer's backend has no server UP",
            series: [
                { series: 'haproxy_backend_active_servers{proxy="nodes"}', values: "2 2 0 0 0 0 0" },
                { series: 'up{job="balancer"}', values: "1 1 1 1 1 1 1" },
            ],
            checks: [
                { eval_time: "15s", alertname: ALERTS.noNodeInService, exp_alerts: [] },
                {
                    eval_time: "75s",
                    alertname: ALERTS.noNodeInService,
                    exp_alerts: [{ exp_labels: { severity: "page" }, exp_annotations: NO_NODE_ANNOTATIONS }],
                },
            ],
        },
        {
            name: "no node in service: the balancer itself is down",
            series: [{ series: 'up{job="balancer"}', values: "0 0 0 0 0 0 0" }],
            checks: [
                {
                    eval_time: "75s",
                    alertname: ALERTS.noNodeInService,
                    exp_alerts: [{ exp_labels: { severity: "page" }, exp_annotations: NO_NODE_ANNOTATIONS }],
                },
            ],
        },
        {
            name: "error rate: 10% 5xx on the public frontend fires above 5% (the stats frontend is not counted)",
            series: [
                { series: 'haproxy_frontend_http_requests_total{proxy="web"}', values: "0+100x40" },
                { series: 'haproxy_frontend_http_responses_total{proxy="web",code="5xx"}', values: "0+10x40" },
                { series: 'haproxy_frontend_http_requests_total{proxy="stats"}', values: "0+100x40" },
                { series: 'haproxy_frontend_http_responses_total{proxy="stats",code="5xx"}', values: "0+90x40" },
            ],
            checks: [
                { eval_time: "30s", alertname: ALERTS.errorRate, exp_alerts: [] },
                {
                    eval_time: "4m",
                    alertname: ALERTS.errorRate,
                    exp_alerts: [
                        {
                            exp_labels: { severity: "page" },
                            exp_annotations: {
                                summary: "More than 5% of requests answered 5xx",
                                description: "10.0% of the balancer's answers over the last 60s were 5xx.",
                            },
                        },
                    ],
                },
            ],
        },
        {
            name: "error rate: 2% 5xx stays quiet",
            series: [
                { series: 'haproxy_frontend_http_requests_total{proxy="web"}', values: "0+100x40" },
                { series: 'haproxy_frontend_http_responses_total{proxy="web",code="5xx"}', values: "0+2x40" },
            ],
            checks: [{ eval_time: "4m", alertname: ALERTS.errorRate, exp_alerts: [] }],
        },
        {
            // 112 requests a scrape, 12 of them between 1 and 2.5 s: rank 0.95 x 112 = 106.4 is 6.4 of the 12 into
            // that bucket, 1 + 1.5 x 6.4 / 12 = 1.8 s.
            name: "p95 latency: 10% of requests at 1-2.5 s fires above 1000 ms",
            series: latencySeries("/", 12),
            checks: [
                {
                    eval_time: "4m",
                    alertname: ALERTS.latency,
                    exp_alerts: [
                        {
                            exp_labels: { severity: "warning" },
                            exp_annotations: {
                                summary: "p95 response time above 1000 ms",
                                description: "The nodes' p95 response time (every route but /load) is 1800 ms.",
                            },
                        },
                    ],
                },
            ],
        },
        {
            name: "p95 latency: slow /load requests (slow on purpose) and 2% slow requests stay quiet",
            series: [...latencySeries("/load", 1000), ...latencySeries("/", 2)],
            checks: [{ eval_time: "4m", alertname: ALERTS.latency, exp_alerts: [] }],
        },
        {
            name: "restarts: 3 new start times in 15 minutes fire, 2 do not; the controller's restarts count too",
            series: [
                {
                    series: 'cloudlab_primary_process_start_time_seconds{job="nodes",node="node-2"}',
                    values: "100 100 200 300 400 400",
                },
                {
                    series: 'cloudlab_primary_process_start_time_seconds{job="nodes",node="node-1"}',
                    values: "100 100 200 300 300 300",
                },
                {
                    series: 'cloudlab_controller_healing_actions_total{job="controller",node="node-3",action="restart"}',
                    values: "0 1 2 3 3 3",
                },
            ],
            checks: [
                {
                    eval_time: "75s",
                    alertname: ALERTS.restarts,
                    exp_alerts: [
                        {
                            exp_labels: { severity: "warning", node: "node-2" },
                            exp_annotations: restartAnnotations("node-2"),
                        },
                        {
                            exp_labels: { severity: "warning", node: "node-3" },
                            exp_annotations: restartAnnotations("node-3"),
                        },
                    ],
                },
            ],
        },
    ];

    it("fire exactly where they should (`promtool test rules`)", function () {
        requirePromTools(this);
        const tests = cases.map((c) => ({ interval: "15s", input_series: c.series, alert_rule_test: c.checks }));
        const dir = writeFiles({
            "rules.yml": renderAlertRules(thresholds),
            "tests.yml": YAML.stringify({ rule_files: ["rules.yml"], evaluation_interval: "15s", tests }),
        });
        const r = runTool("promtool", ["test", "rules", "tests.yml"], dir);
        assert.equal(r.status, 0, `${cases.map((c, i) => `test ${i}: ${c.name}`).join("\n")}\n${r.output}`);
    });
});

describe("alertmanager.yml", () => {
    it("without SMTP settings: one receiver with no integration (alerts in the UI and API only)", () => {
        const config = YAML.parse(renderAlertmanagerConfig(noMail));
        assert.equal(config.route.receiver, "ui-only");
        assert.deepEqual(config.receivers, [{ name: "ui-only" }]);
        assert.deepEqual(YAML.parse(renderAlertmanagerConfig({ ...noMail, alertEmail: "ops@example.com" })).receivers, [
            { name: "ui-only" },
        ]);
        // An SMTP server but nobody to mail: no mail receiver either (it would fail at the first alert).
        assert.deepEqual(YAML.parse(renderAlertmanagerConfig({ ...withMail, alertEmail: "" })).receivers, [
            { name: "ui-only" },
        ]);
    });

    it("with SMTP settings: mails alertEmail through the server, STARTTLS required, with the login", () => {
        const config = YAML.parse(renderAlertmanagerConfig(withMail));
        assert.equal(config.route.receiver, "mail");
        assert.deepEqual(config.receivers[0].email_configs, [
            {
                to: "ops@example.com",
                from: "lab@example.com",
                smarthost: "mail.lab:587",
                require_tls: true,
                send_resolved: true,
                auth_username: "lab",
                auth_password: "s3cret",
            },
        ]);
        const relay = YAML.parse(
            renderAlertmanagerConfig({ ...withMail, smtp: { ...withMail.smtp, tls: "none", user: "", password: "" } }),
        );
        assert.equal(relay.receivers[0].email_configs[0].require_tls, false);
        assert.equal(relay.receivers[0].email_configs[0].auth_username, undefined);
    });

    it("passes `amtool check-config`, with and without mail", function () {
        requirePromTools(this);
        const dir = writeFiles({
            "none.yml": renderAlertmanagerConfig(noMail),
            "mail.yml": renderAlertmanagerConfig(withMail),
        });
        for (const file of ["none.yml", "mail.yml"]) {
            const r = runTool("amtool", ["check-config", file], dir);
            assert.equal(r.status, 0, `${file}: ${r.output}`);
        }
    });
});

describe("Grafana provisioning and the dashboard", () => {
    const dashboard = readDashboard();

    it("provisions the Prometheus data source (by the uid every panel names) and the dashboard file", () => {
        const files = renderGrafanaProvisioning(JSON.stringify(dashboard), monitoringTarget("prometheus"));
        const ds = YAML.parse(files[GRAFANA_FILES.datasources]).datasources[0];
        assert.equal(ds.uid, DATASOURCE_UID);
        assert.equal(ds.url, "http://prometheus:9090");
        const provider = YAML.parse(files[GRAFANA_FILES.dashboards]).providers[0];
        assert.equal(provider.options.path, GRAFANA_FILES.dashboardDir);
        assert.equal(JSON.parse(files[`${GRAFANA_FILES.dashboardDir}/cloudlab.json`]).uid, "cloudlab");
        for (const panel of dashboard.panels as unknown as Array<{ datasource: { uid: string } }>)
            assert.equal(panel.datasource.uid, DATASOURCE_UID);
    });

    it("has the panels the issue asks for", () => {
        const titles = dashboard.panels.map((p) => p.title).join("\n");
        for (const what of [
            /Requests\/s through the balancer/,
            /per node/,
            /5xx/,
            /Latency percentiles/,
            /CPU/,
            /Memory/,
            /Nodes by state/,
            /Scaling and healing/,
            /Release/,
        ])
            assert.match(titles, what);
    });

    it("reads each node's CPU, memory and network from cAdvisor, CPU and memory from the controller where it has none", () => {
        const exprs = (title: RegExp) => dashboard.panels.find((p) => title.test(p.title))!.targets.map((t) => t.expr);
        assert.deepEqual(exprs(/^CPU of each node/), [withFallback("cpuPercent")]);
        assert.deepEqual(exprs(/^Memory of each node/), [
            withFallback("memoryBytes"),
            withFallback("memoryLimitBytes"),
        ]);
        assert.deepEqual(exprs(/^Network per node/), [
            CADVISOR_NODE_QUERIES.receiveBytesPerSecond,
            CADVISOR_NODE_QUERIES.transmitBytesPerSecond,
        ]);
    });

    it("expands Grafana's interval variables and marks cAdvisor-only queries unchecked without cAdvisor", () => {
        const queries = panelQueries(dashboard.panels, { rate: "1m", range: "10m" }, false);
        assert.ok(queries.every((q) => !q.expr.includes("$__")));
        const unchecked = queries.filter((q) => q.unchecked).map((q) => q.panel);
        // CPU and memory fall back on the controller's series: checked either way.
        assert.deepEqual([...new Set(unchecked)], ["Network per node container (cAdvisor)"]);
        assert.ok(panelQueries(dashboard.panels, { rate: "1m", range: "10m" }, true).every((q) => !q.unchecked));
    });

    it("every panel query parses (`promtool check rules` over them as recording rules)", function () {
        requirePromTools(this);
        const rules = panelQueries(dashboard.panels, { rate: "1m", range: "10m" }, true).map((q, i) => ({
            record: `cloudlab:panel_${i}`,
            expr: q.expr,
        }));
        const dir = writeFiles({ "panels.yml": YAML.stringify({ groups: [{ name: "panels", rules }] }) });
        const r = runTool("promtool", ["check", "rules", "panels.yml"], dir);
        assert.equal(r.status, 0, r.output);
    });
});
