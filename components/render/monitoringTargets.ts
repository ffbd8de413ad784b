/**
 * What the local monitoring's configs agree on: the Prometheus job names (rules, dashboard and tests select on
 * them) and the ports the monitoring containers listen on inside. Their host names are the local stack's
 * (components/local/names.ts): a renderer gets them as input.
 */
export const JOBS = {
    nodes: "nodes",
    balancer: "balancer",
    controller: "controller",
    cadvisor: "cadvisor",
    prometheus: "prometheus",
    alertmanager: "alertmanager",
} as const;

/** The port inside the container of each monitoring service. */
export const MONITORING_PORTS = {
    prometheus: 9090,
    alertmanager: 9093,
    grafana: 3000,
    cadvisor: 8080,
} as const;

/** A host:port Prometheus scrapes. */
export interface ScrapeTarget {
    host: string;
    port: number;
}

export const targetAddress = (t: ScrapeTarget): string => `${t.host}:${t.port}`;

/**
 * The window rates and quantiles are computed over: four scrapes at least (a rate needs two samples, and one
 * missed scrape must not empty it), and never under a minute so one slow request does not page anybody.
 */
export function alertWindowSeconds(scrapeIntervalSeconds: number): number {
    return Math.max(60, 4 * scrapeIntervalSeconds);
}
