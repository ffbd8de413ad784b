import * as app from "../../app/src/config";
import type { SmtpSettings } from "../../logsink/src/report/mail";
import { SCHEDULE_ALLOWED, scheduleIntervalMs } from "../../logsink/src/schedule";
import * as p from "./parsers";

export type Platform = "local" | "aws";
/** `missing`: a tag that does not exist yet is built from app/; `never`: a missing tag is an error. */
export type ImageBuild = "missing" | "never";
/** How the dev stack's nodes reach ECR and the AWS APIs. */
export type NodeAddress = "public" | "private";
/** HAProxy's balancing algorithm of the local balancer. */
export type Balance = "roundrobin" | "leastconn";
/** The nodes' cache in front of GET /data's slow backend (app/src/backendRead.ts). */
export type CacheSwitch = "on" | "off";
/** How the local monitoring talks to its SMTP server. */
export type SmtpTls = SmtpSettings["tls"];

/** How a key is declared in Pulumi.yaml (the CLI checks the type) and parsed here (we check the value). */
export interface KeySpec<T, P extends readonly Platform[] = readonly Platform[]> {
    /** Type declared in Pulumi.yaml's project config. */
    yamlType: "string" | "integer" | "array";
    /** Default as Pulumi.yaml writes it; undefined = no default (optional key). */
    default?: string | number | string[];
    description: string;
    parse: p.Parser<T>;
    /**
     * Stacks on which the key means something; setting it elsewhere is an error. Kept as a literal tuple: the
     * types LocalConfig and AwsConfig (./validate.ts) are derived from it.
     */
    platforms: P;
}

const both = ["local", "aws"] as const;
const local = ["local"] as const;
const aws = ["aws"] as const;

function key<T, P extends readonly Platform[]>(spec: KeySpec<T, P>): KeySpec<T, P> {
    return spec;
}

/**
 * Every config key of the project, in the `cloudlab:` namespace: the one place a key is written. Pulumi.yaml's
 * `config:` block and docs/configuration.md's key table are generated from it (`npm run gen:config`), and the
 * types of a validated stack config (./validate.ts) are derived from it.
 */
const TABLE = {
    platform: key({
        yamlType: "string",
        default: "local",
        description: "Where the stack runs: local (Docker containers stand in for VMs) or aws (EC2 auto scaling).",
        parse: p.oneOf<Platform>("local", "aws"),
        platforms: both,
    }),
    imageTag: key({
        yamlType: "string",
        default: "latest",
        description:
            "Release of the app every node runs. Change it and `pulumi up` to deploy; set it back to roll back.",
        parse: p.imageTag,
        platforms: both,
    }),
    nodeImageTags: key({
        yamlType: "string",
        default: "",
        description:
            "Per-node overrides of imageTag, e.g. 'node-2=develop' to canary one node (comma-separated node=tag pairs).",
        parse: p.matching(/^[^\n]*$/, "node=tag pairs separated by commas"),
        platforms: local,
    }),
    appImage: key({
        yamlType: "string",
        default: "cloudlab-app",
        description:
            "Image repository of the app (without tag); on aws the last part of the stack's ECR repository <project>-<stack>/<appImage>. A tag that does not exist is built from app/.",
        parse: p.repository,
        platforms: both,
    }),
    imageBuild: key({
        yamlType: "string",
        default: "missing",
        description:
            "missing: the first `up` with a tag that does not exist yet builds it from app/; never: the tag must exist (safer for rollbacks).",
        parse: p.oneOf<ImageBuild>("missing", "never"),
        platforms: both,
    }),
    nodeBaseImage: key({
        yamlType: "string",
        default: "node:22-bookworm-slim",
        description:
            "BASE_IMAGE build argument of service.Dockerfile (every service image: the app, the controller, the access-log service) (scripts/prepare-offline-images.sh makes an offline one).",
        parse: p.imageRef,
        platforms: both,
    }),
    lbImage: key({
        yamlType: "string",
        default: "haproxy:2.8",
        description: "HAProxy image of the local balancer (scripts/prepare-offline-images.sh makes an offline one).",
        parse: p.imageRef,
        platforms: local,
    }),
    nodeCount: key({
        yamlType: "integer",
        default: 2,
        description: "Nodes running after `up` (the autoscaling minimum).",
        parse: p.integer(1, 16),
        platforms: both,
    }),
    nodeLimit: key({
        yamlType: "integer",
        default: 4,
        description: "Most nodes that may exist (seed 004's node_limit); locally the extra ones are created stopped.",
        parse: p.integer(1, 16),
        platforms: both,
    }),
    appPort: key({
        yamlType: "integer",
        default: 3000,
        description: "Port the app listens on inside each node.",
        parse: p.integer(1024, 65535),
        platforms: both,
    }),
    lbPort: key({
        yamlType: "integer",
        default: 8080,
        description: "Port of the balancer on 127.0.0.1.",
        parse: p.integer(1, 65535),
        platforms: local,
    }),
    lbStatsPort: key({
        yamlType: "integer",
        default: 8404,
        description: "Port of the balancer's stats page (/stats) and Prometheus metrics (/metrics) on 127.0.0.1.",
        parse: p.integer(1, 65535),
        platforms: local,
    }),
    nodePortBase: key({
        yamlType: "integer",
        default: 3001,
        description: "node-N is published on 127.0.0.1:(nodePortBase + N - 1) for direct access.",
        parse: p.integer(1, 65535),
        platforms: local,
    }),
    subnet: key({
        yamlType: "string",
        default: "10.77.0.0/24",
        description: "Subnet of the stack's Docker network: gateway .1, balancer .10, node-N .(10+N).",
        parse: p.cidr(16, 28),
        platforms: local,
    }),
    balance: key({
        yamlType: "string",
        // leastconn: under round robin, a node frozen by its CFS quota collects every connection's next request
        // while the other nodes idle (the bench's small-nodes scenario measures both; README).
        default: "leastconn",
        description:
            "Balancing algorithm: leastconn (a node slowed by its CPU quota gets fewer requests) or roundrobin.",
        parse: p.oneOf<Balance>("roundrobin", "leastconn"),
        platforms: local,
    }),
    nodeCpus: key({
        yamlType: "string",
        default: "0.5",
        description: "CPUs of each local node (a VM has a size), e.g. 0.5 or 1.",
        parse: p.dockerCpus(0.1, 64),
        platforms: local,
    }),
    nodeMemoryMb: key({
        yamlType: "integer",
        default: 256,
        description: "Memory limit of each local node in MiB.",
        parse: p.integer(64, 65536),
        platforms: local,
    }),
    drainSeconds: key({
        yamlType: "integer",
        default: 2,
        description:
            "Seconds a stopping node keeps serving after it starts failing its health check; on local at least 2 (HAProxy sees it down within 1.5 s).",
        parse: p.integer(0, 300),
        platforms: both,
    }),
    rollingBatchSize: key({
        yamlType: "integer",
        default: 1,
        description: "Nodes replaced at a time when a deploy or rollback replaces them.",
        parse: p.integer(1, 16),
        platforms: both,
    }),
    checkPeriod: key({
        yamlType: "integer",
        default: 60,
        description:
            "Seconds between the controller's checks (seed 004's check_period); on aws a multiple of 60, the CPU alarms' period; on local any from 1 (a container's stats are fresh every second).",
        parse: p.integer(1, 3600),
        platforms: both,
    }),
    cpuHighPercent: key({
        yamlType: "integer",
        default: 70,
        description:
            "CPU % above which, on the busiest node, the controller adds a node (on AWS, the Maximum over the group).",
        parse: p.integer(1, 100),
        platforms: both,
    }),
    cpuLowPercent: key({
        yamlType: "integer",
        default: 20,
        description: "CPU % below which, on every node, the controller stops a node (stopped, not deleted).",
        parse: p.integer(0, 99),
        platforms: both,
    }),
    evaluationPeriods: key({
        yamlType: "integer",
        default: 2,
        description: "Consecutive checks beyond a threshold before the controller acts.",
        parse: p.integer(1, 100),
        platforms: both,
    }),
    alertEmail: key({
        yamlType: "string",
        default: "",
        description: "Address that receives the alarms (and, locally, the access-log report); empty for none.",
        parse: p.matching(/^$|^[^@\s]+@[^@\s]+\.[^@\s]+$/, "an e-mail address or empty"),
        platforms: both,
    }),
    instanceType: key({
        yamlType: "string",
        default: "t3.micro",
        description: "EC2 instance type of the nodes.",
        parse: p.matching(
            /^[a-z][a-z0-9-]*\d[a-z0-9-]*\.(nano|micro|small|medium|large|xlarge|\d+xlarge|metal)$/,
            "an EC2 instance type such as t3.micro",
        ),
        platforms: aws,
    }),
    logRetentionDays: key({
        yamlType: "integer",
        default: 14,
        description:
            "Days CloudWatch Logs keeps the nodes' app and boot output (one of CloudWatch's retention periods: 1, 3, 5, 7, 14, 30, 60, 90, ...).",
        parse: p.integer(1, 3653),
        platforms: aws,
    }),
    nodeAmi: key({
        yamlType: "string",
        default: "",
        description:
            "AMI of the nodes (Amazon Linux 2023 for the instance type's architecture); empty: the newest one at each up, which rolls every node when Amazon publishes one, so pin it.",
        parse: p.matching(/^$|^ami-[0-9a-f]{8}([0-9a-f]{9})?$/, "empty or an AMI id such as ami-0abc12345def67890"),
        platforms: aws,
    }),
    vpcId: key({
        yamlType: "string",
        default: "",
        description: "VPC of the stack; empty for the account's default VPC.",
        parse: p.matching(/^$|^vpc-[0-9a-f]{8}([0-9a-f]{9})?$/, "empty or a VPC id such as vpc-0abc12345def67890"),
        platforms: aws,
    }),
    subnetIds: key({
        yamlType: "array",
        default: [],
        description:
            "Subnets for the nodes and the balancer: public ones, one per zone, in at least two zones; required with vpcId, empty for the default VPC's default subnets.",
        parse: p.list(
            p.matching(/^subnet-[0-9a-f]{8}([0-9a-f]{9})?$/, "a subnet id such as subnet-0abc12345def67890"),
            "subnet ids",
        ),
        platforms: aws,
    }),
    ecrRepository: key({
        yamlType: "string",
        default: "",
        description:
            "An existing ECR repository (name) holding the releases, which the stack uses but never creates or deletes; empty: the stack creates its own, <project>-<stack>/<appImage>, and destroy deletes it.",
        parse: p.matching(new RegExp(`^$|${p.ECR_NAME_RE.source}`), "empty or an ECR repository name such as team/app"),
        platforms: aws,
    }),
    nodeAddress: key({
        yamlType: "string",
        default: "public",
        description:
            "How nodes reach ECR and AWS: public (a public IPv4 each, through the subnets' internet gateway) or private (the subnets have a NAT gateway or VPC endpoints).",
        parse: p.oneOf<NodeAddress>("public", "private"),
        platforms: aws,
    }),
    certificateArn: key({
        yamlType: "string",
        default: "",
        description:
            "ACM certificate (ARN, in the stack's region) for an HTTPS listener on 443; port 80 then redirects to it. Empty: plain HTTP on 80.",
        parse: p.matching(
            /^$|^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/,
            "empty or an ACM certificate ARN such as arn:aws:acm:eu-west-1:123456789012:certificate/<uuid>",
        ),
        platforms: aws,
    }),
    allowedCidrs: key({
        yamlType: "array",
        default: ["0.0.0.0/0"],
        description: "Source CIDRs allowed to reach the balancer on port 80 (and 443 with certificateArn).",
        parse: p.list(p.cidr(0, 32), "IPv4 CIDRs"),
        platforms: aws,
    }),
    loadCidrs: key({
        yamlType: "array",
        default: [],
        description:
            "Source CIDRs for which the balancer forwards /load and /metrics; everyone else gets 403 (a /load burns a node's CPU for up to a minute). Empty: nobody.",
        parse: p.list(p.cidr(0, 32), "IPv4 CIDRs"),
        platforms: aws,
    }),
    backendDelayMs: key({
        yamlType: "integer",
        default: app.DEFAULT_BACKEND_DELAY_MS,
        description:
            "Milliseconds each uncached GET /data read waits, as a database read would (seed 001's slow backend).",
        parse: p.integer(0, app.MAX_BACKEND_DELAY_MS),
        platforms: both,
    }),
    cache: key({
        yamlType: "string",
        default: "off",
        description:
            "on: each node process keeps an LRU cache in front of GET /data's backend (a request with Cache-Control: no-cache bypasses it); off: none.",
        parse: p.oneOf<CacheSwitch>("on", "off"),
        platforms: both,
    }),
    cacheTtlSeconds: key({
        yamlType: "integer",
        default: app.DEFAULT_CACHE_TTL_SECONDS,
        description: "Seconds a cached GET /data answer stays fresh.",
        parse: p.integer(1, app.MAX_CACHE_TTL_SECONDS),
        platforms: both,
    }),
    cacheMaxEntries: key({
        yamlType: "integer",
        default: app.DEFAULT_CACHE_MAX_ENTRIES,
        description: "Most keys each node process's cache holds; the least recently used one goes first.",
        parse: p.integer(1, app.MAX_CACHE_MAX_ENTRIES),
        platforms: both,
    }),
    cooldownSeconds: key({
        yamlType: "integer",
        default: 0,
        description:
            "Seconds after a scaling action before the next one, during which a started node's CPU does not count (its warm-up; on aws the step policies' estimated warm-up); 0: the alarm window, checkPeriod x evaluationPeriods.",
        parse: p.integer(0, 86400),
        platforms: both,
    }),
    controllerPort: key({
        yamlType: "integer",
        default: 8090,
        description: "Port of the local controller's API (/status, /metrics, /desired, /pause, /resume) on 127.0.0.1.",
        parse: p.integer(1, 65535),
        platforms: local,
    }),
    accessLogDays: key({
        yamlType: "integer",
        default: 0,
        description:
            "Days the balancer's access logs are kept in an S3 bucket of the stack (deleted with it by destroy); 0: no access logs and no bucket.",
        parse: p.integer(0, 3650),
        platforms: aws,
    }),
    // Monitoring of the local stack (components/local/monitoring.ts).
    prometheusImage: key({
        yamlType: "string",
        default: "prom/prometheus:v2.55.1",
        description:
            "Prometheus image of the local monitoring (scripts/prepare-offline-images.sh makes an offline one from Debian's package).",
        parse: p.imageRef,
        platforms: local,
    }),
    alertmanagerImage: key({
        yamlType: "string",
        default: "prom/alertmanager:v0.27.0",
        description:
            "Alertmanager image of the local monitoring (scripts/prepare-offline-images.sh makes an offline one from Debian's package).",
        parse: p.imageRef,
        platforms: local,
    }),
    grafanaImage: key({
        yamlType: "string",
        default: "grafana/grafana:11.3.1",
        description:
            "Grafana image of the local monitoring; empty leaves Grafana out (offline: Debian does not package it).",
        parse: p.matching(/^$|^[^\s]+$/, "empty or an image reference such as grafana/grafana:11.3.1"),
        platforms: local,
    }),
    cadvisorImage: key({
        yamlType: "string",
        default: "gcr.io/cadvisor/cadvisor:v0.49.1",
        description:
            "cAdvisor image (per-container CPU, memory, network); empty leaves it out and per-node CPU and memory come from the controller (offline: scripts/prepare-offline-images.sh builds one from cAdvisor's Go module).",
        parse: p.matching(/^$|^[^\s]+$/, "empty or an image reference such as gcr.io/cadvisor/cadvisor:v0.49.1"),
        platforms: local,
    }),
    prometheusPort: key({
        yamlType: "integer",
        default: 9090,
        description: "Port of Prometheus on 127.0.0.1.",
        parse: p.integer(1, 65535),
        platforms: local,
    }),
    alertmanagerPort: key({
        yamlType: "integer",
        default: 9093,
        description: "Port of Alertmanager on 127.0.0.1.",
        parse: p.integer(1, 65535),
        platforms: local,
    }),
    cadvisorPort: key({
        yamlType: "integer",
        default: 8081,
        description: "Port of cAdvisor's page and /metrics on 127.0.0.1 (when cadvisorImage is set).",
        parse: p.integer(1, 65535),
        platforms: local,
    }),
    grafanaPort: key({
        yamlType: "integer",
        default: 3100,
        description: "Port of Grafana on 127.0.0.1 (when grafanaImage is set).",
        parse: p.integer(1, 65535),
        platforms: local,
    }),
    scrapeIntervalSeconds: key({
        yamlType: "integer",
        default: 15,
        description: "Seconds between two Prometheus scrapes of every target; the alert rules' windows follow it.",
        parse: p.integer(1, 300),
        platforms: local,
    }),
    retentionDays: key({
        yamlType: "integer",
        default: 7,
        description: "Days Prometheus keeps its samples.",
        parse: p.integer(1, 365),
        platforms: local,
    }),
    alertErrorRatePercent: key({
        yamlType: "integer",
        default: 5,
        description: "Alert when more than this % of the balancer's answers are 5xx (over the alert window).",
        parse: p.integer(1, 100),
        platforms: local,
    }),
    alertLatencyMs: key({
        yamlType: "integer",
        default: 1000,
        description:
            "Alert when the nodes' p95 response time (every route but /load, which is slow on purpose) is above this many ms.",
        parse: p.integer(1, 600000),
        platforms: local,
    }),
    alertRestarts: key({
        yamlType: "integer",
        default: 3,
        description: "Alert when a node restarted this many times within 15 minutes.",
        parse: p.integer(1, 100),
        platforms: local,
    }),
    accessLogMaxMb: key({
        yamlType: "integer",
        default: 20,
        description:
            "MB of the balancer's access log file (written by the access-log service from HAProxy's log ring) before it is rotated.",
        parse: p.integer(1, 1024),
        platforms: local,
    }),
    accessLogFiles: key({
        yamlType: "integer",
        default: 5,
        description:
            "Access log files kept, the current one included: the log never takes more than accessLogFiles x accessLogMaxMb.",
        parse: p.integer(2, 100),
        platforms: local,
    }),
    reportSchedule: key({
        yamlType: "string",
        default: "24h",
        description:
            "How often the stack writes the access-log report (under reports/, mailed when smtpHost is set): off, or an interval aligned to UTC, e.g. 24h (daily at 00:00 UTC) or 1h.",
        parse: (raw) =>
            scheduleIntervalMs(raw) === undefined ? { ok: false, allowed: SCHEDULE_ALLOWED } : { ok: true, value: raw },
        platforms: local,
    }),
    smtpHost: key({
        yamlType: "string",
        default: "",
        description:
            "SMTP server (host or address, reachable from the containers) that mails alerts and reports to alertEmail; empty: alerts in Alertmanager's UI only, no mail.",
        parse: p.matching(/^$|^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/, "empty or a host name or IPv4 address"),
        platforms: local,
    }),
    smtpPort: key({
        yamlType: "integer",
        default: 587,
        description: "Port of smtpHost (465: TLS from the start; others: STARTTLS as smtpTls says).",
        parse: p.integer(1, 65535),
        platforms: local,
    }),
    smtpTls: key({
        yamlType: "string",
        default: "starttls",
        description:
            "starttls: refuse to send unless the server offers STARTTLS; none: plain SMTP (a relay on the lab's own network).",
        parse: p.oneOf<SmtpTls>("starttls", "none"),
        platforms: local,
    }),
    smtpUser: key({
        yamlType: "string",
        default: "",
        description: "SMTP login; empty: no authentication.",
        parse: p.matching(/^[^\s]*$/, "empty or a login without spaces"),
        platforms: local,
    }),
    smtpPassword: key({
        yamlType: "string",
        default: "",
        description:
            "SMTP password (with smtpUser); set it with `pulumi config set --secret smtpPassword`: the program treats it as a secret either way.",
        parse: p.matching(/^[^\n]*$/, "a password on one line"),
        platforms: local,
    }),
    smtpFrom: key({
        yamlType: "string",
        default: "cloudlab@localhost",
        description: "Sender address of the alert and report mails.",
        parse: p.matching(/^[^@\s]+@[^@\s]+$/, "an e-mail address"),
        platforms: local,
    }),
} as const;

type Table = typeof TABLE;
export type KeyName = keyof Table;
type ValueOf<K extends KeyName> = Table[K] extends KeySpec<infer T, readonly Platform[]> ? T : never;
export type RawValues = { [K in KeyName]: ValueOf<K> };
/** The keys that mean something on platform P, read from the literal `platforms` of each key in the table. */
export type KeysOf<P extends Platform> = {
    [K in KeyName]: P extends Table[K]["platforms"][number] ? K : never;
}[KeyName];

/** The table with each key's `platforms` widened to a list, for code that asks at run time. */
export const KEYS: { readonly [K in KeyName]: KeySpec<ValueOf<K>> } = TABLE;

/** Whether key `name` means something on `platform`. */
export function appliesTo(name: KeyName, platform: Platform): boolean {
    return KEYS[name].platforms.includes(platform);
}
