/** Everything an AWS node's boot script depends on. Plain values: the renderer is a pure function. */
export interface NodeBootInput {
    /** Image to run, `<registry>/<repository>:<tag>`; a release is immutable, so the tag pins the content. */
    image: string;
    /** Release tag, passed to the app as IMAGE_TAG. */
    imageTag: string;
    /** ECR registry host (`<account>.dkr.ecr.<region>.amazonaws.com`) the credential helper answers for. */
    registry: string;
    /** Port the app listens on; published on the same port of the instance for the balancer. */
    appPort: number;
    /** Passed to the app as DRAIN_SECONDS. */
    drainSeconds: number;
    /** `docker run --stop-timeout` and dockerd's shutdown-timeout: the app's whole drain must fit. */
    stopTimeoutSeconds: number;
    region: string;
    /** The auto scaling group and its launch lifecycle hook this node reports readiness to. */
    groupName: string;
    lifecycleHookName: string;
    /** How long the app may take to answer /health after its container starts. */
    readyTimeoutSeconds: number;
    /**
     * CloudWatch Logs group of the node's output: the app's (Docker's awslogs driver, stream `<instance id>/app`) and
     * the boot's (the CloudWatch agent, stream `<instance id>/boot`).
     */
    logGroup: string;
    /** GET /data's backend delay and cache (app/src/backendRead.ts), as the stack config says. */
    backendDelayMs: number;
    cache: "on" | "off";
    cacheTtlSeconds: number;
    cacheMaxEntries: number;
}

/** Where cloud-init runs scripts on every boot (module scripts-per-boot), not only on the first. */
export const PER_BOOT_SCRIPT = "/var/lib/cloud/scripts/per-boot/cloudlab-node.sh";
export const CONTAINER_NAME = "cloudlab-app";
/** Where cloud-init writes every stage's output, this script's included, on every boot (AL2023's cloud.cfg). */
export const BOOT_LOG = "/var/log/cloud-init-output.log";
/** The CloudWatch agent's config file and its control script (the amazon-cloudwatch-agent RPM's paths). */
export const AGENT_CONFIG = "/opt/aws/amazon-cloudwatch-agent/etc/cloudlab-boot-log.json";
export const AGENT_CTL = "/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl";
/** How often the agent sends what it read; a failing boot waits twice that before the group terminates the node. */
export const LOG_FLUSH_SECONDS = 5;
/**
 * Tries of a step that reaches the network (dnf, the image pull, CompleteLifecycleAction), waiting RETRY_DELAY,
 * 2 x RETRY_DELAY, ... between them: a transient error costs under a minute, not the boot timeout and a new node.
 */
export const RETRY_ATTEMPTS = 5;
export const RETRY_DELAY_SECONDS = 5;
/**
 * AWS's answer to CompleteLifecycleAction when the instance has no pending action (a plain reboot): the one
 * error that is not a failure (ValidationError "No active Lifecycle Action found with instance ID i-...").
 */
export const NO_PENDING_ACTION = "No active Lifecycle Action found";

/**
 * The CloudWatch agent's config: the boot log to the stack's log group, one stream per instance. No from_beginning:
 * the agent's translator defaults it to true (translator/.../collect_list/ruleFromBeginning.go), so on the first
 * boot, with no saved offset, the agent sends the log from its start (what happened before the agent ran included)
 * and on later boots from where it stopped. No retention here: the log group's own (logRetentionDays) applies.
 */
export function bootLogAgentConfig(logGroup: string): string {
    return JSON.stringify({
        agent: { run_as_user: "root" },
        logs: {
            force_flush_interval: LOG_FLUSH_SECONDS,
            logs_collected: {
                files: {
                    collect_list: [
                        { file_path: BOOT_LOG, log_group_name: logGroup, log_stream_name: "{instance_id}/boot" },
                    ],
                },
            },
        },
    });
}

/** Quotes a value for bash: single quotes, with embedded single quotes closed and escaped. */
export function shellQuote(value: string | number): string {
    return `'${String(value).replace(/'/g, `'\\''`)}'`;
}

/**
 * The node's boot script. It runs on EVERY boot, and each step is idempotent, because:
 * - cloud-init runs user data on the first boot only, and a warm-pool instance is stopped as soon as its launch
 *   completes, then started again on scale-out: that later boot must still end with the app running;
 * - the group's launch lifecycle hook pauses the instance on each of those boots (Warmed:Pending:Wait, then
 *   Pending:Wait) until the node says it is ready, so readiness must be reported on every boot.
 * Docker's restart policy brings the container back after a stop/start; the script checks it is the right
 * release and healthy, then completes the lifecycle action (ABANDON on any failure, so the group replaces the
 * node at once instead of waiting for the hook's timeout).
 */
export function renderNodeScript(input: NodeBootInput): string {
    const v = (name: string, value: string | number) => `${name}=${shellQuote(value)}`;
    return `#!/bin/bash
# cloudlab node boot script (components/render/userData.ts), installed as ${PER_BOOT_SCRIPT}:
# cloud-init runs it on every boot, because a node started again from the Stopped warm pool must bring its app
# back and tell the auto scaling group it is ready. Output: ${BOOT_LOG}, sent to CloudWatch Logs by the agent.
set -euo pipefail

${v("IMAGE", input.image)}
${v("IMAGE_TAG", input.imageTag)}
${v("REGISTRY", input.registry)}
${v("APP_PORT", input.appPort)}
${v("DRAIN_SECONDS", input.drainSeconds)}
${v("STOP_TIMEOUT", input.stopTimeoutSeconds)}
${v("REGION", input.region)}
${v("GROUP_NAME", input.groupName)}
${v("HOOK_NAME", input.lifecycleHookName)}
${v("READY_TIMEOUT", input.readyTimeoutSeconds)}
${v("CONTAINER", CONTAINER_NAME)}
${v("LOG_GROUP", input.logGroup)}
${v("BACKEND_DELAY_MS", input.backendDelayMs)}
${v("CACHE", input.cache)}
${v("CACHE_TTL_SECONDS", input.cacheTtlSeconds)}
${v("CACHE_MAX_ENTRIES", input.cacheMaxEntries)}
${v("AGENT_CONFIG", AGENT_CONFIG)}
${v("AGENT_CTL", AGENT_CTL)}
${v("LOG_FLUSH_SECONDS", LOG_FLUSH_SECONDS)}
${v("RETRY_ATTEMPTS", RETRY_ATTEMPTS)}
${v("RETRY_DELAY", RETRY_DELAY_SECONDS)}
${v("NO_PENDING_ACTION", NO_PENDING_ACTION)}
# cloud-init may run this without HOME: pin where docker reads its credential-helper config.
export DOCKER_CONFIG=/root/.docker

log() { echo "cloudlab-node: $*" >&2; }

# IMDSv2 only (the launch template requires tokens).
imds() {
    local token
    token=$(curl -fsS -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 60' http://169.254.169.254/latest/api/token)
    curl -fsS -H "X-aws-ec2-metadata-token: \${token}" "http://169.254.169.254/latest/meta-data/$1"
}

INSTANCE_ID=$(imds instance-id)

# Runs a step that reaches the network until it succeeds, RETRY_ATTEMPTS times at most, saying why each failed.
retry() {
    local attempt=1
    until "$@"; do
        if [ "$attempt" -ge "$RETRY_ATTEMPTS" ]; then
            log "gave up after $attempt attempts: $*"
            return 1
        fi
        log "attempt $attempt failed, again in $((attempt * RETRY_DELAY)) s: $*"
        sleep $((attempt * RETRY_DELAY))
        attempt=$((attempt + 1))
    done
}

# Without a pending lifecycle action (a plain reboot) there is nothing to complete: not an error. Any other error
# (permissions, throttling, the network) is logged with AWS's text and retried; a CONTINUE that never gets
# through fails the boot. An ABANDON terminates the node: first give the agent time to send the log that says why.
complete_lifecycle() {
    local result=$1 out attempt=1
    if [ "$result" = ABANDON ] && [ -x "$AGENT_CTL" ]; then
        sleep $((2 * LOG_FLUSH_SECONDS))
    fi
    until out=$(aws autoscaling complete-lifecycle-action --region "$REGION" \\
        --auto-scaling-group-name "$GROUP_NAME" --lifecycle-hook-name "$HOOK_NAME" \\
        --instance-id "$INSTANCE_ID" --lifecycle-action-result "$result" 2>&1); do
        if [[ "$out" == *"$NO_PENDING_ACTION"* ]]; then
            log "no pending lifecycle action to complete ($result)"
            return 0
        fi
        log "complete-lifecycle-action $result failed (attempt $attempt): $out"
        if [ "$attempt" -ge "$RETRY_ATTEMPTS" ]; then
            [ "$result" = ABANDON ] || return 1
            return 0
        fi
        sleep $((attempt * RETRY_DELAY))
        attempt=$((attempt + 1))
    done
    log "lifecycle action completed: $result"
}

trap 'log "boot failed at line $LINENO"; complete_lifecycle ABANDON' ERR

# The boot's own output to CloudWatch Logs before anything else can fail, so a node the group abandoned and
# terminated can still be diagnosed. Installed on the first boot; restarted with this config on every boot.
if [ ! -x "$AGENT_CTL" ]; then
    retry dnf install -y -q amazon-cloudwatch-agent
fi
cat >"$AGENT_CONFIG" <<'EOF'
${bootLogAgentConfig(input.logGroup)}
EOF
"$AGENT_CTL" -a fetch-config -m ec2 -s -c "file:$AGENT_CONFIG" >/dev/null

# Docker and the ECR credential helper: installed on the first boot, present on every later one.
if ! command -v docker >/dev/null 2>&1 || ! command -v docker-credential-ecr-login >/dev/null 2>&1; then
    retry dnf install -y -q docker amazon-ecr-credential-helper
fi

# The helper asks ECR for a fresh token at every pull (a token lasts 12 hours; a stopped node may wake up days
# later), with the instance role's credentials: no password is stored on the node or in this script.
install -d -m 0700 "$DOCKER_CONFIG" /etc/docker
cat >"$DOCKER_CONFIG/config.json" <<EOF
{"credHelpers": {"$REGISTRY": "ecr-login"}}
EOF
cat >/etc/docker/daemon.json <<EOF
{"log-driver": "json-file", "log-opts": {"max-size": "10m", "max-file": "3"}, "shutdown-timeout": $STOP_TIMEOUT}
EOF
systemctl enable --now docker

# The app: created once per instance (an instance never changes release: a deploy replaces instances), then
# restarted by Docker whenever the instance starts again. No --init: the image's node handles SIGTERM as PID 1.
current=$(docker inspect --format '{{.Config.Image}}' "$CONTAINER" 2>/dev/null || true)
if [ "$current" != "$IMAGE" ]; then
    docker rm --force "$CONTAINER" >/dev/null 2>&1 || true
    retry docker pull --quiet "$IMAGE" >/dev/null
    docker run --detach --name "$CONTAINER" --restart always \\
        --stop-timeout "$STOP_TIMEOUT" --publish "$APP_PORT:$APP_PORT" \\
        --log-driver awslogs --log-opt "awslogs-region=$REGION" --log-opt "awslogs-group=$LOG_GROUP" \\
        --log-opt "awslogs-stream=$INSTANCE_ID/app" --log-opt mode=non-blocking \\
        --env "NODE_ID=$INSTANCE_ID" --env "IMAGE_TAG=$IMAGE_TAG" \\
        --env "PORT=$APP_PORT" --env "DRAIN_SECONDS=$DRAIN_SECONDS" \\
        --env "BACKEND_DELAY_MS=$BACKEND_DELAY_MS" --env "CACHE=$CACHE" \\
        --env "CACHE_TTL_SECONDS=$CACHE_TTL_SECONDS" --env "CACHE_MAX_ENTRIES=$CACHE_MAX_ENTRIES" \\
        "$IMAGE" >/dev/null
fi
docker start "$CONTAINER" >/dev/null

# Ready means the app answers /health on this instance; only then may the group put it in service.
deadline=$((SECONDS + READY_TIMEOUT))
until curl -fsS -o /dev/null "http://127.0.0.1:$APP_PORT/health"; do
    if [ "$SECONDS" -ge "$deadline" ]; then
        log "the app did not answer /health within $READY_TIMEOUT s"
        complete_lifecycle ABANDON
        exit 1
    fi
    sleep 2
done
complete_lifecycle CONTINUE
log "ready: $IMAGE on port $APP_PORT (instance $INSTANCE_ID)"
`;
}

/**
 * The launch template's user data: a cloud-config that installs the boot script as a per-boot script (cloud-init
 * runs it on the first boot too, after writing it). Not base64-encoded here: the launch template wants base64.
 */
export function renderUserData(input: NodeBootInput): string {
    const script = renderNodeScript(input);
    const indented = script
        .split("\n")
        .map((line) => (line === "" ? "" : `      ${line}`))
        .join("\n");
    return `#cloud-config
# cloudlab node (components/render/userData.ts): the boot script below runs on every boot of the instance.
write_files:
  - path: ${PER_BOOT_SCRIPT}
    owner: root:root
    permissions: "0755"
    content: |
${indented}`;
}
