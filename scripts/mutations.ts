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
const AWS_PLAN = "tests/unit/awsPlan.test.ts";
const AWS_REFRESH = "components/aws/refresh.ts";
const USER_DATA = "components/render/userData.ts";
const ACCESS_LOGS = "components/loadBalancer/awsAccessLogs.ts";

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
        file: USER_DATA,
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
        specs: [AWS_PLAN],
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
        file: AWS_REFRESH,
        find: "autoRollback: true,",
        replace: "autoRollback: false,",
        specs: [AWS_STACK],
    },
    {
        id: "refresh-watches-no-alarm",
        description: "the refresh does not watch the health alarms, so a release answering 5xx completes",
        file: AWS_REFRESH,
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
        file: USER_DATA,
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
        id: "refresh-terminates-first",
        description:
            "the refresh keeps 90 % in service: a node leaves before its replacement is in (one node: downtime)",
        file: AWS_REFRESH,
        find: "export const KEPT_PERCENTAGE = 100;",
        replace: "export const KEPT_PERCENTAGE = 90;",
        specs: [AWS_PLAN, AWS_STACK],
    },
    {
        id: "refresh-batch-rounded-up",
        description: "the upper bound is rounded up: AWS may run more extra nodes than rollingBatchSize",
        file: AWS_REFRESH,
        find: "Math.floor((100 * batch) / desired)",
        replace: "Math.ceil((100 * batch) / desired)",
        specs: [AWS_PLAN],
    },
    {
        id: "refresh-batch-of-node-count",
        description: "the batch is a share of nodeCount, not of the group's current size after the alarms scaled it",
        file: AWS_NODES,
        find: "found.includes(groupName)",
        replace: 'found.includes("")',
        specs: [AWS_STACK],
    },
    {
        id: "refresh-capacity-unbounded",
        description: "the current size is taken as it is, though this up's new min or max moves it first",
        file: AWS_REFRESH,
        find: "return Math.max(nodeCount, Math.min(nodeLimit, current));",
        replace: "return current;",
        specs: [AWS_PLAN, AWS_STACK],
    },
    {
        id: "refresh-ignores-standby",
        description: "the refresh leaves Standby nodes on the old release and reports success (the provider's default)",
        file: AWS_REFRESH,
        find: 'standbyInstances: "Wait",',
        replace: 'standbyInstances: "Ignore",',
        specs: [AWS_PLAN, AWS_REPLACE],
    },
    {
        id: "boot-log-not-shipped",
        description: "the CloudWatch agent is installed but never started: a failed boot's log dies with the node",
        file: USER_DATA,
        find: '"$AGENT_CTL" -a fetch-config',
        replace: ': "$AGENT_CTL" -a fetch-config',
        specs: [AWS_STACK],
    },
    {
        id: "boot-log-abandon-no-flush",
        description: "an abandoned node is terminated before the agent sent the log that says why",
        file: USER_DATA,
        find: "sleep $((2 * LOG_FLUSH_SECONDS))",
        replace: "true",
        specs: [AWS_STACK],
    },
    {
        id: "boot-log-own-retention",
        description: "the agent sets its own retention on the log group, overriding logRetentionDays",
        file: USER_DATA,
        find: 'log_stream_name: "{instance_id}/boot" },',
        replace: 'log_stream_name: "{instance_id}/boot", retention_in_days: 1 },',
        specs: [AWS_STACK],
    },
    {
        id: "access-logs-public-policy",
        description: "the access log bucket accepts a public bucket policy",
        file: ACCESS_LOGS,
        find: "blockPublicPolicy: true,",
        replace: "blockPublicPolicy: false,",
        specs: [AWS_STACK],
    },
    {
        id: "access-logs-kms",
        description: "the access log bucket is encrypted with KMS, which ALB access logs do not support",
        file: ACCESS_LOGS,
        find: 'sseAlgorithm: "AES256"',
        replace: 'sseAlgorithm: "aws:kms"',
        specs: [AWS_STACK],
    },
    {
        id: "access-logs-never-expire",
        description: "access logs are kept ten years whatever accessLogDays says",
        file: ACCESS_LOGS,
        find: "expiration: { days: spec.days },",
        replace: "expiration: { days: 3650 },",
        specs: [AWS_STACK],
    },
    {
        id: "access-logs-kept-on-destroy",
        description: "destroy fails on the non-empty access log bucket instead of deleting it with the stack",
        file: ACCESS_LOGS,
        find: "{ forceDestroy: true, tags: awsTags(spec.names) },",
        replace: "{ forceDestroy: false, tags: awsTags(spec.names) },",
        specs: [AWS_STACK],
    },
    {
        id: "access-logs-service-principal-everywhere",
        description: "the bucket policy names the service principal in regions where the ELB account writes the logs",
        file: "components/aws/elbLogDelivery.ts",
        find: "const account = ELB_LOG_ACCOUNTS[region];",
        replace: "const account = ELB_LOG_ACCOUNTS[partition];",
        specs: [AWS_PLAN, AWS_STACK],
    },
    {
        id: "access-logs-before-policy",
        description: "the balancer turns logging on before the bucket policy lets it write (ALB refuses it)",
        file: "components/loadBalancer/aws.ts",
        find: "logs ? { parent: this, dependsOn: logs.ready } : parent,",
        replace: "parent,",
        specs: [AWS_STACK],
    },
];
