import * as fs from "fs";
import * as path from "path";
import YAML from "yaml";
import { CONTROLLER_FALLBACK } from "./cadvisor";
import { JOBS, ScrapeTarget, targetAddress } from "./monitoringTargets";

/** The dashboard, kept in the repo as Grafana's own JSON (edit it in Grafana, export, commit). */
export const DASHBOARD_FILE = path.join(__dirname, "grafana", "cloudlab-dashboard.json");
/** The data source's uid: every panel of the dashboard names it. */
export const DATASOURCE_UID = "prometheus";

/** Where the official Grafana image reads provisioning, and where the dashboard file goes. */
export const GRAFANA_FILES = {
    datasources: "/etc/grafana/provisioning/datasources/cloudlab.yml",
    dashboards: "/etc/grafana/provisioning/dashboards/cloudlab.yml",
    dashboardDir: "/var/lib/grafana/dashboards",
} as const;

export interface DashboardPanel {
    title: string;
    targets: Array<{ expr: string }>;
}

export function readDashboard(): { uid: string; title: string; panels: DashboardPanel[] } {
    return JSON.parse(fs.readFileSync(DASHBOARD_FILE, "utf8"));
}

/**
 * Grafana's provisioning files and the dashboard, as uploads of the Grafana container (path -> content); its data
 * source is Prometheus at `prometheus`.
 */
export function renderGrafanaProvisioning(dashboardJson: string, prometheus: ScrapeTarget): Record<string, string> {
    const datasources = {
        apiVersion: 1,
        datasources: [
            {
                name: "Prometheus",
                uid: DATASOURCE_UID,
                type: "prometheus",
                access: "proxy",
                url: `http://${targetAddress(prometheus)}`,
                isDefault: true,
                editable: false,
            },
        ],
    };
    const dashboards = {
        apiVersion: 1,
        providers: [
            {
                name: "cloudlab",
                type: "file",
                disableDeletion: true,
                allowUiUpdates: false,
                options: { path: GRAFANA_FILES.dashboardDir },
            },
        ],
    };
    return {
        [GRAFANA_FILES.datasources]: YAML.stringify(datasources),
        [GRAFANA_FILES.dashboards]: YAML.stringify(dashboards),
        [`${GRAFANA_FILES.dashboardDir}/cloudlab.json`]: dashboardJson,
    };
}

/** A panel query, ready for Prometheus' HTTP API: Grafana's $__ variables replaced by durations. */
export interface PanelQuery {
    panel: string;
    expr: string;
    /** Why it cannot be checked against this Prometheus (a source that is not scraped), or undefined. */
    unchecked?: string;
}

/**
 * Every query of every panel with Grafana's interval variables expanded (`$__rate_interval` -> `rate`, `$__range`
 * -> `range`), so it can be run against Prometheus itself where Grafana does not run. Queries only cAdvisor
 * feeds are marked unchecked when cAdvisor is not scraped (those with the controller's fallback are not).
 */
export function panelQueries(
    panels: DashboardPanel[],
    durations: { rate: string; range: string },
    cadvisorScraped: boolean,
): PanelQuery[] {
    return panels.flatMap((p) =>
        p.targets.map((t) => ({
            panel: p.title,
            expr: t.expr.replace(/\$__rate_interval/g, durations.rate).replace(/\$__range/g, durations.range),
            unchecked:
                !cadvisorScraped && t.expr.includes(`job="${JOBS.cadvisor}"`) && !withControllerFallback(t.expr)
                    ? "only cAdvisor feeds it, and cAdvisor is left out (cadvisorImage empty)"
                    : undefined,
        })),
    );
}

const withControllerFallback = (expr: string) =>
    Object.values(CONTROLLER_FALLBACK).some((metric) => expr.endsWith(` or on (node) ${metric}`));
