/**
 * The mutations `npm run mutate` applies (scripts/mutate.ts): one-line breakages of documented behaviour that the
 * unit tests must catch. Each `find` must occur exactly once in `file`: when the code moves or changes, the entry
 * is reported STALE (and the run fails) instead of silently passing; re-point it at the new place.
 */
export interface Mutation {
    /** Short stable name, for `--only`. */
    id: string;
    /** The behaviour the mutation breaks. */
    description: string;
    /** File to edit, relative to the repository root. */
    file: string;
    /** Exact text that must occur exactly once in `file`. */
    find: string;
    /** What it becomes. */
    replace: string;
    /** Unit spec files (relative to the root) that must catch it. */
    specs: string[];
}

const NODES = "components/appNode/local.ts";
const LOCAL_STACK = "tests/unit/localStack.test.ts";
const HAPROXY = "components/render/haproxyConfig.ts";
const HAPROXY_SPEC = "tests/unit/haproxyConfig.test.ts";
const AWS_NODES = "components/appNode/aws.ts";
const AWS_IMAGE = "components/appImage/aws.ts";
const AWS_STACK = "tests/unit/awsStack.test.ts";
const AWS_REPLACE = "tests/unit/awsReplace.test.ts";
const RULES = "components/render/alertRules.ts";
const MONITORING_CONFIG = "tests/unit/monitoringConfig.test.ts";
const LOCAL_MONITORING = "components/monitoring/local.ts";
const LOCAL_MONITORING_SPEC = "tests/unit/localMonitoring.test.ts";
const ACCESS_LOG = "components/report/accessLog.ts";
const REPORT_SPEC = "tests/unit/accessReport.test.ts";

export const MUTATIONS: Mutation[] = [
    {
        id: "node-create-before-delete",
        description: "node containers no longer deleteBeforeReplace (old and new would collide on name, address, port)",
        file: NODES,
        find: "deleteBeforeReplace: true,",
        replace: "deleteBeforeReplace: false,",
        specs: [LOCAL_STACK],
    },
    {
        id: "node-no-replace-on-changes",
        description:
            "node containers no longer replaced when healthcheck or start changes (Docker ignores both in place)",
        file: NODES,
        find: 'replaceOnChanges: ["healthcheck", "init", "start"],',
        replace: "replaceOnChanges: [],",
        specs: [LOCAL_STACK],
    },
    {
        id: "node-waits-for-container",
        description: "node N waits for the previous batch's container instead of its in-service gate",
        file: NODES,
        find: "steps.push(step);",
        replace: "steps.push(container);",
        specs: [LOCAL_STACK],
    },
    {
        id: "stop-timeout-1s",
        description: "Docker kills a stopping node after 1 s, cutting requests the app would still finish",
        file: NODES,
        find: "stopTimeout: stopSeconds,",
        replace: "stopTimeout: 1,",
        specs: [LOCAL_STACK],
    },
    {
        id: "batch-condition-off-by-one",
        description: "the first node after the first batch waits for no gate (i > batch + 1)",
        file: NODES,
        find: "i > args.rollingBatchSize ?",
        replace: "i > args.rollingBatchSize + 1 ?",
        specs: [LOCAL_STACK],
    },
    {
        id: "batch-index-off-by-one",
        description: "node N waits for the gate of node N - batch + 1, or for none with batch 1 (steps[i - batch])",
        file: NODES,
        find: "steps[i - 1 - args.rollingBatchSize]",
        replace: "steps[i - args.rollingBatchSize]",
        specs: [LOCAL_STACK],
    },
    {
        id: "gate-not-triggered",
        description: "the in-service gate no longer re-runs when its container is replaced (triggers: [])",
        file: NODES,
        find: "triggers: [container.id],",
        replace: "triggers: [],",
        specs: [LOCAL_STACK],
    },
    {
        id: "node-count-equal-limit-refused",
        description: "nodeCount = nodeLimit (every node running) refused: > became >=",
        file: "components/config/validate.ts",
        find: "if (cfg.nodeCount > cfg.nodeLimit) {",
        replace: "if (cfg.nodeCount >= cfg.nodeLimit) {",
        specs: ["tests/unit/config.test.ts"],
    },
    {
        id: "retry-on-no-junk-response",
        description: "a garbled answer from a dying node is no longer retried (junk-response dropped from retry-on)",
        file: HAPROXY,
        find: '"    retry-on conn-failure empty-response junk-response response-timeout 503",',
        replace: '"    retry-on conn-failure empty-response response-timeout 503",',
        specs: [HAPROXY_SPEC],
    },
    {
        id: "health-check-any-status",
        description: "a draining node (503 on /health) stays in rotation: http-check expect status 200 dropped",
        file: HAPROXY,
        find: '        "    http-check expect status 200",\n',
        replace: "",
        specs: [HAPROXY_SPEC],
    },
    {
        id: "timeout-server-30s",
        description: "a frozen node costs a client 30 s instead of 3 s before the retry (timeout server)",
        file: HAPROXY,
        find: 'server: "3s",',
        replace: 'server: "30s",',
        specs: [HAPROXY_SPEC],
    },
    {
        id: "app-keep-alive-below-alb",
        description: "the app closes idle connections before the ALB (keep-alive 55 s < idle timeout 60 s): 502s",
        file: "app/src/appServer.ts",
        find: "export const KEEP_ALIVE_TIMEOUT_MS = 65_000;",
        replace: "export const KEEP_ALIVE_TIMEOUT_MS = 55_000;",
        specs: ["tests/unit/awsStack.test.ts"],
    },
    {
        id: "resource-before-validation",
        description: "a resource is declared before config validation throws",
        file: "components/stack.ts",
        find: "    const config = loadConfig();\n",
        // Self-contained: the mutated module need not import the SDK itself.
        replace:
            '    new (require("@pulumi/pulumi").ComponentResource)("cloudlab:index:Early", "early");\n    const config = loadConfig();\n',
        specs: [LOCAL_STACK],
    },
    {
        id: "cpus-as-given",
        description: 'nodeCpus 1 declared as "1": the provider reads back "1.0", so every up replaces every node',
        file: "components/config/parsers.ts",
        find: "if (stable !== undefined) return ok(stable);",
        replace: "if (stable !== undefined) return ok(raw.trim());",
        specs: ["tests/unit/dockerCpus.test.ts", LOCAL_STACK],
    },
    {
        id: "cpus-read-back-rounding",
        description: 'the read-back\'s one-place rounding applies to any string with nine zeros or more (10 -> "10.0")',
        file: "components/config/dockerCpus.ts",
        find: '[...nine].filter((c) => c === "0").length === 9',
        replace: '[...nine].filter((c) => c === "0").length >= 9',
        specs: ["tests/unit/dockerCpus.test.ts"],
    },
    {
        id: "node-log-driver-unset",
        description: "node containers leave the log driver to the daemon: a journald default rejects max-size",
        file: NODES,
        find: 'logDriver: "json-file",',
        replace: "",
        specs: [LOCAL_STACK],
    },
    {
        id: "node-swap-default",
        description: "node containers leave memorySwap to Docker (2 x memory), read back as an update on the next up",
        file: NODES,
        find: "memorySwap: args.nodeMemoryMb,",
        replace: "",
        specs: [LOCAL_STACK],
    },
    {
        id: "network-create-before-delete",
        description: "a subnet change creates the new network first, and Docker refuses the duplicate name",
        file: "components/network/local.ts",
        find: "{ parent: this, deleteBeforeReplace: true },",
        replace: "{ parent: this },",
        specs: [LOCAL_STACK],
    },
    {
        id: "release-env-diffed",
        description: "a change of imageBuild updates every release command: the preview shows every node replaced",
        file: "components/appImage/local.ts",
        find: 'ignoreChanges: ["environment.CLOUDLAB_IMAGE_BUILD", "environment.CLOUDLAB_BASE_IMAGE"],',
        replace: "ignoreChanges: [],",
        specs: [LOCAL_STACK],
    },
    {
        id: "config-error-not-run-error",
        description: "a config error is a plain Error: the CLI prints it as an unhandled exception with a stack trace",
        file: "components/config/errors.ts",
        find: "export class ConfigError extends pulumi.RunError {",
        replace: "export class ConfigError extends Error {",
        specs: ["tests/unit/config.test.ts"],
    },
    // AWS (issue 12): the listed changes the AWS tests once let pass, and one per fix.
    {
        id: "ecr-no-force-delete",
        description: "destroy fails on a repository that still holds releases (forceDelete off)",
        file: AWS_IMAGE,
        find: "forceDelete: true,",
        replace: "forceDelete: false,",
        specs: [AWS_STACK],
    },
    {
        id: "boot-script-per-instance",
        description: "the boot script runs on the first boot only: a node leaving the warm pool never reports ready",
        file: "components/render/userData.ts",
        find: '"/var/lib/cloud/scripts/per-boot/cloudlab-node.sh"',
        replace: '"/var/lib/cloud/scripts/per-instance/cloudlab-node.sh"',
        specs: [AWS_STACK],
    },
    {
        id: "group-no-depends-on",
        description: "the group launches nodes before their IAM policies and the listener exist",
        file: AWS_NODES,
        find: "dependsOn: [...role.permissions, args.balancer.ready],",
        replace: "dependsOn: [],",
        specs: [AWS_STACK],
    },
    {
        id: "imds-disabled",
        description: "the boot script cannot read its instance id or region (IMDS off)",
        file: AWS_NODES,
        find: 'httpEndpoint: "enabled"',
        replace: 'httpEndpoint: "disabled"',
        specs: [AWS_STACK],
    },
    {
        id: "group-waits-for-capacity",
        description:
            "a nodeCount change after a scale-out makes the provider wait for an exact capacity that never comes",
        file: AWS_NODES,
        find: 'waitForCapacityTimeout: "0",',
        replace: 'waitForCapacityTimeout: "900s",',
        specs: [AWS_REPLACE],
    },
    {
        id: "no-warm-pool-metric",
        description: "the dashboard's warm-pool graph stays empty (metric not collected)",
        file: AWS_NODES,
        find: '"WarmPoolWarmedCapacity",',
        replace: "",
        specs: [AWS_STACK],
    },
    {
        id: "hook-changes-replace-group",
        description:
            "a lifecycle-hook change replaces the group delete-before-replace (initialLifecycleHooks not ignored)",
        file: AWS_NODES,
        find: 'ignoreChanges: ["initialLifecycleHooks"],',
        replace: "ignoreChanges: [],",
        specs: [AWS_REPLACE],
    },
    {
        id: "vpc-without-subnets-accepted",
        description: "vpcId alone uses every subnet of the VPC (private ones, several per zone)",
        file: "components/config/validate.ts",
        find: 'if (cfg.vpcId !== "" && cfg.subnetIds.length === 0) {',
        replace: "if (false) {",
        specs: ["tests/unit/config.test.ts"],
    },
    {
        id: "node-no-public-address",
        description: "nodes in a subnet without auto-assigned public IPs cannot reach ECR and are replaced in a loop",
        file: AWS_NODES,
        find: 'associatePublicIpAddress: String(args.nodeAddress === "public"),',
        replace: 'associatePublicIpAddress: "false",',
        specs: [AWS_STACK],
    },
    {
        id: "subnets-share-zone",
        description: "two configured subnets in one zone reach the ALB, which refuses them at create",
        file: "components/network/aws.ts",
        find: "if (other)",
        replace: "if (false && other)",
        specs: ["tests/unit/awsPlan.test.ts"],
    },
    {
        id: "ecr-name-not-scoped",
        description: "two stacks in one account share (and one destroys) the same ECR repository",
        file: AWS_IMAGE,
        find: "return `${names.prefix}/${appImage}`;",
        replace: "return appImage;",
        specs: [AWS_STACK],
    },
    {
        id: "ecr-existing-repository-declared",
        description: "an existing repository named by ecrRepository is declared, so destroy would delete it",
        file: AWS_IMAGE,
        find: 'const owned = args.ecrRepository === "";',
        replace: "const owned = true;",
        specs: [AWS_STACK],
    },
    {
        id: "refresh-no-rollback",
        description: "a bad release's refresh runs to the end: no auto rollback on the health alarms",
        file: AWS_NODES,
        find: "autoRollback: true,",
        replace: "autoRollback: false,",
        specs: [AWS_STACK],
    },
    {
        id: "refresh-watches-no-alarm",
        description: "the refresh does not watch the health alarms, so a release answering 5xx completes",
        file: AWS_NODES,
        find: "alarmSpecification: { alarms },",
        replace: "alarmSpecification: { alarms: [] },",
        specs: [AWS_STACK],
    },
    {
        id: "deregistration-below-longest-request",
        description:
            "a scale-in or refresh cuts a 55 s request through the balancer (delay = the app's stop bound only)",
        file: "components/loadBalancer/aws.ts",
        find: "return Math.max(stopBoundSeconds, LONGEST_REQUEST_SECONDS);",
        replace: "return stopBoundSeconds;",
        specs: [AWS_STACK],
    },
    {
        id: "pinned-ami-ignored",
        description: "a pinned nodeAmi is ignored: every up takes the newest AL2023 and can roll the whole fleet",
        file: "components/aws/ami.ts",
        find: "        pinned\n            ? {",
        replace: "        false\n            ? {",
        specs: [AWS_STACK],
    },
    {
        id: "unlimited-credits",
        description: "burstable nodes run on unlimited credits: CPU scaling bills surplus credits",
        file: AWS_NODES,
        find: 'creditSpecification: { cpuCredits: "standard" }',
        replace: 'creditSpecification: { cpuCredits: "unlimited" }',
        specs: [AWS_STACK],
    },
    {
        id: "cpu-alarms-in-problems",
        description: "the dashboard's problems widget shows cpu-low in ALARM whenever the group idles",
        file: "components/monitoring/aws.ts",
        find: "pulumi.all([unhealthy.arn, errors.arn]),",
        replace: "pulumi.all([...args.controller.alarmArns, unhealthy.arn, errors.arn]),",
        specs: [AWS_STACK],
    },
    {
        id: "ecr-expires-tagged",
        description: "the lifecycle policy expires tagged releases too: old tags are no longer rollbacks",
        file: AWS_IMAGE,
        find: 'selection: { tagStatus: "untagged",',
        replace: 'selection: { tagStatus: "any",',
        specs: [AWS_STACK],
    },
    {
        id: "app-logs-local-only",
        description: "the app's output stays on the instance (json-file): gone with a replaced node",
        file: "components/render/userData.ts",
        find: "--log-driver awslogs",
        replace: "--log-driver json-file",
        specs: [AWS_STACK],
    },
    {
        id: "http-not-redirected",
        description: "with a certificate, plain HTTP still serves the app instead of redirecting to HTTPS",
        file: "components/loadBalancer/aws.ts",
        find: 'type: "redirect",',
        replace: 'type: "forward", targetGroupArn: targets.arn,',
        specs: [AWS_STACK],
    },
    {
        id: "rule-node-down-standby",
        description:
            "NodeDown fires for standby nodes too (stopped on purpose), not only the nodeCount that always run",
        file: RULES,
        find: 'expr: `up{job="${JOBS.nodes}",floor="true"} == 0`,',
        replace: 'expr: `up{job="${JOBS.nodes}"} == 0`,',
        specs: [MONITORING_CONFIG],
    },
    {
        id: "rule-no-node-ignores-balancer-down",
        description: "NoNodeInService stays quiet when the balancer itself is down",
        file: RULES,
        find: '` or sum(up{job="${JOBS.balancer}"}) == 0`,',
        replace: '"",',
        specs: [MONITORING_CONFIG],
    },
    {
        id: "rule-error-rate-inverted",
        description: "HighErrorRate fires below the threshold instead of above it",
        file: RULES,
        find: "> ${input.errorRatePercent}`,",
        replace: "< ${input.errorRatePercent}`,",
        specs: [MONITORING_CONFIG],
    },
    {
        id: "rule-latency-counts-load",
        description: "the p95 latency alert counts /load, which is slow on purpose",
        file: RULES,
        find: 'route!="/load"',
        replace: 'route!="/none"',
        specs: [MONITORING_CONFIG],
    },
    {
        id: "rule-restarts-off-by-one",
        description: "a node must restart one time more than alertRestarts before the alert fires",
        file: RULES,
        find: "[${RESTART_WINDOW}])) >= ${input.restarts}` +",
        replace: "[${RESTART_WINDOW}])) > ${input.restarts}` +",
        specs: [MONITORING_CONFIG],
    },
    {
        id: "scrape-no-floor-label",
        description: "every node is labelled as always running, so NodeDown fires for standby nodes",
        file: "components/render/prometheusConfig.ts",
        find: "floor: String(n.floor)",
        replace: 'floor: "true"',
        specs: [MONITORING_CONFIG],
    },
    {
        id: "alertmanager-tls-not-required",
        description: "Alertmanager sends alert mail in clear even when smtpTls is starttls",
        file: "components/render/alertmanagerConfig.ts",
        find: 'require_tls: smtp.tls === "starttls",',
        replace: "require_tls: false,",
        specs: [MONITORING_CONFIG],
    },
    {
        id: "alertmanager-mail-without-recipient",
        description:
            "an SMTP host without alertEmail gets a mail receiver with nobody to mail (fails at the first alert)",
        file: "components/render/alertmanagerConfig.ts",
        find: 'input.smtp.host !== "" && input.alertEmail !== "";',
        replace: 'input.smtp.host !== "";',
        specs: [MONITORING_CONFIG],
    },
    {
        id: "monitoring-floor-off-by-one",
        description: "the first standby node is scraped as one that always runs",
        file: LOCAL_MONITORING,
        find: "floor: i < args.nodeCount",
        replace: "floor: i <= args.nodeCount",
        specs: [LOCAL_MONITORING_SPEC],
    },
    {
        id: "smtp-password-in-plain-state",
        description: "Alertmanager's config, SMTP password included, is stored in the state as plain text",
        file: LOCAL_MONITORING,
        find: 'content: smtp.password !== "" ? pulumi.secret(alertmanagerConfig) : alertmanagerConfig,',
        replace: "content: alertmanagerConfig,",
        specs: [LOCAL_MONITORING_SPEC],
    },
    {
        id: "grafana-always",
        description: "Grafana is declared even when grafanaImage is empty (the offline config)",
        file: LOCAL_MONITORING,
        find: 'const withGrafana = args.grafanaImage !== "";',
        replace: "const withGrafana = true;",
        specs: [LOCAL_MONITORING_SPEC],
    },
    {
        id: "monitoring-port-not-checked",
        description: "prometheusPort may collide with another port on 127.0.0.1",
        file: "components/config/validate.ts",
        find: '["prometheusPort", cfg.prometheusPort],',
        replace: "",
        specs: ["tests/unit/config.test.ts"],
    },
    {
        id: "smtp-password-in-clear",
        description: "an SMTP login is accepted over plain SMTP (the password crosses the network in clear)",
        file: "components/config/validate.ts",
        find: 'cfg.smtpUser !== "" && cfg.smtpTls === "none"',
        replace: 'false && cfg.smtpTls === "none"',
        specs: ["tests/unit/config.test.ts"],
    },
    {
        id: "log-path-keeps-query",
        description: "the report counts /x?a=1 and /x?a=2 as different paths",
        file: ACCESS_LOG,
        find: "const path = q === -1 ? target : target.slice(0, q);",
        replace: "const path = target;",
        specs: [REPORT_SPEC],
    },
    {
        id: "log-badreq-malformed",
        description: "a request HAProxy could not parse (400 <BADREQ>) is counted as a malformed line, not a request",
        file: ACCESS_LOG,
        find: "request === BAD_REQUEST ?",
        replace: "false ?",
        specs: [REPORT_SPEC],
    },
    {
        id: "report-errors-include-4xx",
        description: "the report counts 4xx answers as errors",
        file: "components/report/aggregate.ts",
        find: "const isError = (e: AccessLogEntry): boolean => e.status >= 500;",
        replace: "const isError = (e: AccessLogEntry): boolean => e.status >= 400;",
        specs: [REPORT_SPEC],
    },
    {
        id: "report-percentile-off-by-one",
        description: "percentiles take the value one rank above the nearest rank",
        file: "components/report/aggregate.ts",
        find: "return sorted[rank - 1];",
        replace: "return sorted[Math.min(rank, sorted.length - 1)];",
        specs: [REPORT_SPEC],
    },
    {
        id: "report-since-zero",
        description: "--since 0h is accepted (an empty report instead of an error)",
        file: "components/report/since.ts",
        find: " || Number(m[1]) === 0",
        replace: "",
        specs: [REPORT_SPEC],
    },
    {
        id: "report-mail-tls-not-required",
        description: "the report mail goes out in clear when smtpTls is starttls",
        file: "components/report/mail.ts",
        find: 'requireTLS: smtp.port !== 465 && smtp.tls === "starttls",',
        replace: "requireTLS: false,",
        specs: ["tests/unit/reportMail.test.ts"],
    },
    {
        id: "status-maint-in-balancer",
        description: "npm run status shows a node in MAINT (not resolvable) as in the balancer",
        file: "scripts/status/view.ts",
        find: 'server.status.trim() === "UP"',
        replace: 'server.status.trim() !== "DOWN"',
        specs: ["tests/unit/statusView.test.ts"],
    },
    {
        id: "balancer-default-log-format",
        description: "the balancer logs HAProxy's default httplog line, which the report does not parse",
        file: HAPROXY,
        find: '`    log-format "${ACCESS_LOG_FORMAT}"`,',
        replace: '"    option httplog",',
        specs: [HAPROXY_SPEC],
    },
];
