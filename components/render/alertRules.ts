import YAML from "yaml";
import { BACKEND, FRONTEND } from "./haproxyConfig";
import { JOBS, alertWindowSeconds } from "./monitoringTargets";

/** The thresholds of the alert rules (config keys alertErrorRatePercent, alertLatencyMs, alertRestarts). */
export interface AlertRulesInput {
    scrapeIntervalSeconds: number;
    errorRatePercent: number;
    latencyP95Ms: number;
    restarts: number;
}

/** Restarts are counted over this window (the alertRestarts key's description says so). */
export const RESTART_WINDOW = "15m";

/** The alert names: Alertmanager, the README and the system test refer to them. */
export const ALERTS = {
    nodeDown: "NodeDown",
    noNodeInService: "NoNodeInService",
    errorRate: "HighErrorRate",
    latency: "HighLatencyP95",
    restarts: "NodeRestartingRepeatedly",
} as const;

export interface AlertRule {
    alert: string;
    expr: string;
    for: string;
    labels: { severity: "page" | "warning" };
    annotations: { summary: string; description: string };
}

/**
 * The alert rules, in Prometheus' rule-file form. "Down" needs two missed scrapes in a row (one lost scrape
 * is not an outage); rates and quantiles look at {@link alertWindowSeconds}.
 */
export function alertRules(input: AlertRulesInput): AlertRule[] {
    const twoScrapes = `${2 * input.scrapeIntervalSeconds}s`;
    const w = `${alertWindowSeconds(input.scrapeIntervalSeconds)}s`;
    const frontend = `proxy="${FRONTEND}"`;
    return [
        {
            alert: ALERTS.nodeDown,
            // Only the nodeCount nodes that always run: a standby node is down on purpose, and a node the
            // controller started above the floor is its business (healing), and NoNodeInService's.
            expr: `up{job="${JOBS.nodes}",floor="true"} == 0`,
            for: twoScrapes,
            labels: { severity: "page" },
            annotations: {
                summary: "{{ $labels.node }} is down",
                description:
                    "{{ $labels.node }} (one of the nodeCount nodes that always run) answers no /metrics scrape.",
            },
        },
        {
            alert: ALERTS.noNodeInService,
            expr:
                `sum(haproxy_backend_active_servers{proxy="${BACKEND}"}) == 0` +
                ` or sum(up{job="${JOBS.balancer}"}) == 0`,
            for: twoScrapes,
            labels: { severity: "page" },
            annotations: {
                summary: "No node in service behind the balancer",
                description:
                    "The balancer has no node UP in its backend (or the balancer itself is down): users get 503s.",
            },
        },
        {
            alert: ALERTS.errorRate,
            expr:
                `100 * sum(rate(haproxy_frontend_http_responses_total{${frontend},code="5xx"}[${w}]))` +
                ` / sum(rate(haproxy_frontend_http_requests_total{${frontend}}[${w}])) > ${input.errorRatePercent}`,
            for: "1m",
            labels: { severity: "page" },
            annotations: {
                summary: `More than ${input.errorRatePercent}% of requests answered 5xx`,
                description: `{{ printf "%.1f" $value }}% of the balancer's answers over the last ${w} were 5xx.`,
            },
        },
        {
            alert: ALERTS.latency,
            // /load burns CPU for up to 600 s on purpose: it would hold the quantile up by itself.
            expr:
                `1000 * histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{job="${JOBS.nodes}",route!="/load"}[${w}])))` +
                ` > ${input.latencyP95Ms}`,
            for: "1m",
            labels: { severity: "warning" },
            annotations: {
                summary: `p95 response time above ${input.latencyP95Ms} ms`,
                description: `The nodes' p95 response time (every route but /load) is {{ printf "%.0f" $value }} ms.`,
            },
        },
        {
            alert: ALERTS.restarts,
            // A container restart (Docker's restart policy or the controller's healing) starts a new primary.
            expr:
                `max by (node) (changes(cloudlab_primary_process_start_time_seconds{job="${JOBS.nodes}"}[${RESTART_WINDOW}])) >= ${input.restarts}` +
                ` or max by (node) (increase(cloudlab_controller_healing_actions_total{action="restart"}[${RESTART_WINDOW}])) >= ${input.restarts}`,
            for: "0s",
            labels: { severity: "warning" },
            annotations: {
                summary: `{{ $labels.node }} restarted ${input.restarts}+ times in ${RESTART_WINDOW}`,
                description: "{{ $labels.node }} keeps restarting: read its logs (docker logs) before it is replaced.",
            },
        },
    ];
}

/** The rule file Prometheus loads. */
export function renderAlertRules(input: AlertRulesInput): string {
    return (
        "# Rendered by cloudlab (components/render/alertRules.ts); do not edit in the container.\n" +
        YAML.stringify({ groups: [{ name: "cloudlab", rules: alertRules(input) }] }, { lineWidth: 0 })
    );
}
