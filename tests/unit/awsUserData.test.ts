import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import YAML from "yaml";
import { NodeBootInput, renderNodeScript, renderUserData, shellQuote } from "../../components/render/userData";
import { hasCommand, requireOrSkip } from "../support/requirements";
import { tempDir } from "../support/tempDir";

const input: NodeBootInput = {
    image: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/cloudlab-app:v7",
    imageTag: "v7",
    registry: "123456789012.dkr.ecr.eu-west-1.amazonaws.com",
    appPort: 3000,
    drainSeconds: 2,
    stopTimeoutSeconds: 32,
    region: "eu-west-1",
    groupName: "cloudlab-dev-nodes",
    lifecycleHookName: "cloudlab-node-ready",
    readyTimeoutSeconds: 300,
    logGroup: "/cloudlab/cloudlab-dev",
    backendDelayMs: 20,
    cache: "on",
    cacheTtlSeconds: 60,
    cacheMaxEntries: 500,
};

/** Writes the script to a temporary file and runs `cmd ... file`. */
function check(cmd: string, args: string[], script: string) {
    const file = path.join(tempDir("userdata"), "node.sh");
    fs.writeFileSync(file, script);
    return spawnSync(cmd, [...args, file], { encoding: "utf8" });
}

describe("AWS node user data rendering", () => {
    const script = renderNodeScript(input);

    it("sets every value the boot needs, quoted, before anything runs", () => {
        const assignments = script.split("\n").filter((l) => /^[A-Z_]+=/.test(l));
        assert.deepEqual(assignments.slice(0, 12), [
            "IMAGE='123456789012.dkr.ecr.eu-west-1.amazonaws.com/cloudlab-app:v7'",
            "IMAGE_TAG='v7'",
            "REGISTRY='123456789012.dkr.ecr.eu-west-1.amazonaws.com'",
            "APP_PORT='3000'",
            "DRAIN_SECONDS='2'",
            "STOP_TIMEOUT='32'",
            "REGION='eu-west-1'",
            "GROUP_NAME='cloudlab-dev-nodes'",
            "HOOK_NAME='cloudlab-node-ready'",
            "READY_TIMEOUT='300'",
            "CONTAINER='cloudlab-app'",
            "LOG_GROUP='/cloudlab/cloudlab-dev'",
        ]);
        assert.ok(script.startsWith("#!/bin/bash\n"));
        assert.match(script, /^set -euo pipefail$/m);
        assert.ok(
            script.indexOf("set -euo pipefail") < script.indexOf("IMAGE="),
            "strict mode before the first command",
        );
    });

    it("is valid bash (bash -n)", function () {
        requireOrSkip(this, hasCommand("bash", ["--version"]), "bash", "needed to parse the boot script");
        const r = check("bash", ["-n"], script);
        assert.equal(r.status, 0, r.stderr);
    });

    it("passes shellcheck", function () {
        requireOrSkip(this, hasCommand("shellcheck", ["--version"]), "shellcheck", "apt-get install -y shellcheck");
        const r = check("shellcheck", ["--shell=bash", "--severity=style"], script);
        assert.equal(r.status, 0, r.stdout + r.stderr);
    });

    it("quotes every value, so bash reads back exactly what was rendered", function () {
        requireOrSkip(this, hasCommand("bash", ["--version"]), "bash", "needed to parse the boot script");
        const odd = 'it\'s $(rm -rf /) `x` "y" \\ $HOME';
        const r = spawnSync("bash", ["-c", `printf %s ${shellQuote(odd)}`], { encoding: "utf8" });
        assert.equal(r.stdout, odd);
        const variables: Array<[keyof NodeBootInput, string]> = [
            ["image", "IMAGE"],
            ["imageTag", "IMAGE_TAG"],
            ["registry", "REGISTRY"],
            ["region", "REGION"],
            ["groupName", "GROUP_NAME"],
            ["lifecycleHookName", "HOOK_NAME"],
        ];
        for (const [field, variable] of variables) {
            const rendered = renderNodeScript({ ...input, [field]: odd });
            assert.equal(check("bash", ["-n"], rendered).status, 0, field);
            // The script's own assignment line, run by bash, gives back the value unchanged.
            const line = rendered.split("\n").find((l) => l.startsWith(`${variable}=`))!;
            const back = spawnSync("bash", ["-c", `${line}\nprintf %s "$${variable}"`], { encoding: "utf8" });
            assert.equal(back.status, 0, back.stderr);
            assert.equal(back.stdout, odd, field);
        }
    });

    it("runs the release from ECR through the credential helper, with no password anywhere", () => {
        assert.match(script, /^IMAGE='123456789012\.dkr\.ecr\.eu-west-1\.amazonaws\.com\/cloudlab-app:v7'$/m);
        assert.match(script, /dnf install -y -q docker amazon-ecr-credential-helper/);
        assert.match(script, /"credHelpers": \{"\$REGISTRY": "ecr-login"\}/);
        assert.doesNotMatch(script, /docker login|get-login-password|--password/);
    });

    it("restarts the container with the instance (warm pool) and gives the app its whole drain on stop", () => {
        const run = script.slice(script.indexOf("docker run"), script.lastIndexOf('"$IMAGE" >/dev/null'));
        for (const flag of ["--restart always", '--stop-timeout "$STOP_TIMEOUT"', '--publish "$APP_PORT:$APP_PORT"']) {
            assert.ok(run.includes(flag), `docker run lacks ${flag}`);
        }
        for (const env of [
            "NODE_ID=$INSTANCE_ID",
            "IMAGE_TAG=$IMAGE_TAG",
            "PORT=$APP_PORT",
            "DRAIN_SECONDS=$DRAIN_SECONDS",
            "BACKEND_DELAY_MS=$BACKEND_DELAY_MS",
            "CACHE=$CACHE",
            "CACHE_TTL_SECONDS=$CACHE_TTL_SECONDS",
            "CACHE_MAX_ENTRIES=$CACHE_MAX_ENTRIES",
        ]) {
            assert.ok(run.includes(`--env "${env}"`), `docker run lacks ${env}`);
        }
        assert.match(script, /^STOP_TIMEOUT='32'$/m);
        assert.match(script, /^CACHE='on'$/m);
        assert.match(script, /^CACHE_MAX_ENTRIES='500'$/m);
        assert.match(script, /"shutdown-timeout": \$STOP_TIMEOUT/);
        assert.match(script, /systemctl enable --now docker/);
    });

    it("reads instance metadata with IMDSv2 tokens only", () => {
        assert.match(
            script,
            /curl -fsS -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 60' http:\/\/169\.254\.169\.254\/latest\/api\/token/,
        );
        assert.match(script, /-H "X-aws-ec2-metadata-token: \$\{token\}"/);
        // Every other request to the metadata service carries the token (IMDSv1 is refused by the launch template).
        const reads = script
            .split("\n")
            .filter((l) => l.includes("169.254.169.254") && !l.includes("/latest/api/token"));
        assert.ok(reads.length > 0);
        for (const l of reads)
            assert.ok(
                l.includes('-H "X-aws-ec2-metadata-token: ${token}"'),
                `metadata read without a token: ${l.trim()}`,
            );
    });

    it("reports readiness to the lifecycle hook only once /health answers, and abandons on failure", () => {
        const health = script.indexOf('curl -fsS -o /dev/null "http://127.0.0.1:$APP_PORT/health"');
        const ready = script.indexOf("complete_lifecycle CONTINUE");
        assert.ok(health > 0 && ready > health, "CONTINUE must come after the health check");
        assert.match(script, /trap '.*complete_lifecycle ABANDON' ERR/);
        assert.match(script, /--auto-scaling-group-name "\$GROUP_NAME" --lifecycle-hook-name "\$HOOK_NAME"/);
        assert.match(script, /^GROUP_NAME='cloudlab-dev-nodes'$/m);
        assert.match(script, /^HOOK_NAME='cloudlab-node-ready'$/m);
    });

    /** The script's own definition of a shell function (one line, or from `name() {` to the `}` that closes it). */
    function shellFunction(name: string): string {
        const found = script.match(new RegExp(`^${name}\\(\\) \\{(?: .*\\}\\n|\\n[\\s\\S]*?\\n\\}\\n)`, "m"));
        assert.ok(found, `the script defines ${name}()`);
        return found[0];
    }

    /**
     * Runs `body` in bash after the script's log, retry and complete_lifecycle functions, no waits between tries,
     * with `fakes` (command name -> bash body) as shell functions, which bash finds before any command on the PATH.
     */
    function runHelpers(body: string, fakes: Record<string, string>) {
        const dir = tempDir("boot-helpers");
        const vars = script
            .split("\n")
            .filter((l) => /^(RETRY_ATTEMPTS|NO_PENDING_ACTION|REGION|GROUP_NAME|HOOK_NAME)=/.test(l));
        const program = [
            "set -euo pipefail",
            ...vars,
            "RETRY_DELAY=0",
            "AGENT_CTL=/nonexistent",
            "INSTANCE_ID=i-0abc",
            `COUNT=${shellQuote(path.join(dir, "count"))}`,
            ...Object.entries(fakes).map(([name, fake]) => `${name}() {\n${fake}\n}`),
            shellFunction("log"),
            shellFunction("retry"),
            shellFunction("complete_lifecycle"),
            body,
        ].join("\n");
        return spawnSync("bash", ["-c", program], { encoding: "utf8" });
    }
    /** A fake command that fails its first `failures` calls (counted in $COUNT), printing `error`, then succeeds. */
    const flaky = (failures: number, error: string) =>
        `local n; n=$(cat "$COUNT" 2>/dev/null || echo 0); echo $((n + 1)) >"$COUNT"; if [ "$n" -lt ${failures} ]; then echo ${shellQuote(error)} >&2; return 1; fi`;

    it("retries dnf and the image pull, so one transient error does not cost the boot timeout and a new node", function () {
        requireOrSkip(this, hasCommand("bash", ["--version"]), "bash", "needed to run the boot script's helpers");
        for (const step of [
            "dnf install -y -q amazon-cloudwatch-agent",
            "dnf install -y -q docker amazon-ecr-credential-helper",
            'docker pull --quiet "$IMAGE"',
        ])
            assert.ok(script.includes(`retry ${step}`), `${step} is not retried`);
        const transient = runHelpers("retry dnf install -y -q docker", { dnf: flaky(2, "Curl error (28): Timeout") });
        assert.equal(transient.status, 0, transient.stderr);
        assert.match(transient.stderr, /attempt 2 failed/);
        // A step that keeps failing still fails the boot (the ERR trap abandons the node), after the last try.
        const persistent = runHelpers("retry docker pull x", { docker: flaky(99, "no matching manifest") });
        assert.notEqual(persistent.status, 0);
        assert.match(persistent.stderr, /gave up after 5 attempts: docker pull x/);
    });

    it("logs AWS's own error when the lifecycle action cannot be completed, and retries it", function () {
        requireOrSkip(this, hasCommand("bash", ["--version"]), "bash", "needed to run the boot script's helpers");
        const denied =
            "An error occurred (AccessDenied) when calling the CompleteLifecycleAction operation: not authorized";
        const failing = runHelpers("complete_lifecycle CONTINUE", { aws: flaky(99, denied) });
        assert.notEqual(failing.status, 0, "a CONTINUE that never got through must fail the boot");
        assert.ok(failing.stderr.includes(denied), failing.stderr);
        assert.doesNotMatch(failing.stderr, /no pending lifecycle action/);
        const throttled = runHelpers("complete_lifecycle CONTINUE", { aws: flaky(1, "Rate exceeded") });
        assert.equal(throttled.status, 0, throttled.stderr);
        assert.match(throttled.stderr, /lifecycle action completed: CONTINUE/);
        // A plain reboot has no pending action: AWS's ValidationError for that is not a failure.
        const reboot = runHelpers("complete_lifecycle CONTINUE", {
            aws: flaky(
                99,
                "An error occurred (ValidationError) when calling the CompleteLifecycleAction operation: No active Lifecycle Action found with instance ID i-0abc",
            ),
        });
        assert.equal(reboot.status, 0, reboot.stderr);
        assert.match(reboot.stderr, /no pending lifecycle action to complete \(CONTINUE\)/);
    });

    it("recreates the container only when it runs another image (idempotent on every boot)", () => {
        assert.match(script, /current=\$\(docker inspect --format '\{\{\.Config\.Image\}\}' "\$CONTAINER"/);
        assert.match(script, /if \[ "\$current" != "\$IMAGE" \]; then/);
        assert.match(script, /^CONTAINER='cloudlab-app'$/m);
    });

    it("is installed by a cloud-config as a per-boot script, byte for byte", () => {
        const userData = renderUserData(input);
        assert.ok(userData.startsWith("#cloud-config\n"));
        const doc = YAML.parse(userData);
        assert.deepEqual(Object.keys(doc), ["write_files"]);
        const [file] = doc.write_files;
        // cloud-init's scripts-per-boot module runs this directory on every boot.
        assert.equal(file.path, "/var/lib/cloud/scripts/per-boot/cloudlab-node.sh");
        assert.equal(file.permissions, "0755");
        assert.equal(file.content, script);
        assert.ok(Buffer.byteLength(userData) < 16 * 1024, "EC2 user data is limited to 16 KB");
    });
});
