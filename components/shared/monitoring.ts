import * as pulumi from "@pulumi/pulumi";
import type { CommonConfig } from "../config/validate";

/** The Pulumi type of both platforms' Monitoring (one token: URNs do not depend on the platform class). */
export const MONITORING_TYPE = "cloudlab:index:Monitoring";

/** What every platform's {@link Monitoring} takes. */
export interface MonitoringArgs {
    /** Who gets the alarms; empty for nobody. */
    alertEmail: CommonConfig["alertEmail"];
}

/**
 * Metrics and alarms of the lab (seed 000: per-node metrics with history, a report parsed from the balancer's
 * access log and mailed). `AwsMonitoring` (../aws/monitoring.ts) is a CloudWatch dashboard, alarms and an SNS
 * topic; `LocalMonitoring` (../local/monitoring.ts) is Prometheus, Alertmanager and, when their images are set,
 * Grafana and cAdvisor. The contract both honour: `status`, the stacks' `monitoring` output (CommonStackOutputs).
 */
export abstract class Monitoring extends pulumi.ComponentResource {
    /** What the monitoring does on this stack right now, in a sentence. */
    public abstract readonly status: pulumi.Output<string>;

    protected constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
        super(MONITORING_TYPE, name, {}, opts);
    }
}
