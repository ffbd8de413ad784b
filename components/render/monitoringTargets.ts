/**
 * What the local monitoring's configs agree on: the Prometheus job names (rules, dashboard and tests select on
 * them), the DNS names of the monitoring containers on the stack network and the ports they listen on inside.
 */
export const JOBS = {
    nodes: "nodes",
    balancer: "balancer",
    controller: "controller",
    cadvisor: "cadvisor",
    prometheus: "prometheus",
    alertmanager: "alertmanager",
} as const;

/** DNS name (network alias) and port inside the container of each monitoring service. */
export const MONITORING_SERVICES = {
    prometheus: { host: "prometheus", port: 9090 },
    alertmanager: { host: "alertmanager", port: 9093 },
    grafana: { host: "grafana", port: 3000 },
    cadvisor: { host: "cadvisor", port: 8080 },
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
