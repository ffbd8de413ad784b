/**
 * Pulumi's local.Command runs this after the dev stack's auto scaling group is created or gets a new launch template
 * version: it returns once the group runs that version (components/aws/refresh.ts, rolloutVerdict) and fails the
 * `up` when the instance refresh fails or the wait runs out, so a bad release is never reported as deployed.
 * It asks AWS through the AWS CLI (`aws autoscaling ...`), with the credentials of the shell that runs `pulumi up`.
 * Env (all required; components/aws/appNode.ts sets them): CLOUDLAB_REGION, CLOUDLAB_GROUP,
 * CLOUDLAB_TEMPLATE_VERSION, CLOUDLAB_TIMEOUT_SECONDS.
 */
import { execFile } from "child_process";
import { RolloutState, rolloutVerdict } from "../aws/refresh";
import { commandEnv } from "./commandEnv";
import { log } from "../../lib/log";
import { sleep } from "../../lib/wait";

export interface RolloutGate {
    region: string;
    group: string;
    version: string;
    timeoutSeconds: number;
}

/** The gate's settings from its environment; a missing or bad variable is an error that names it. */
export function rolloutGateFromEnv(env: NodeJS.ProcessEnv): RolloutGate {
    const { values, timeoutSeconds } = commandEnv("wait-rollout", env, [
        "CLOUDLAB_REGION",
        "CLOUDLAB_GROUP",
        "CLOUDLAB_TEMPLATE_VERSION",
    ]);
    return {
        region: values.CLOUDLAB_REGION,
        group: values.CLOUDLAB_GROUP,
        version: values.CLOUDLAB_TEMPLATE_VERSION,
        timeoutSeconds,
    };
}

/** Calls AWS's API errors that a later call may not meet (throttling, the network) this many times in a row. */
const TOLERATED_ERRORS = 5;

/**
 * Polls `observe` every `everyMs` until the verdict is done (resolves with the ms it took) or failed (rejects at
 * once with the reason), or `timeoutSeconds` pass (rejects with what it last saw: the refresh goes on).
 */
export async function waitRollout(
    gate: RolloutGate,
    observe: () => Promise<RolloutState>,
    { everyMs = 15_000, now = Date.now }: { everyMs?: number; now?: () => number } = {},
): Promise<number> {
    const started = now();
    let last = "nothing yet";
    let errors = 0;
    while (now() - started <= gate.timeoutSeconds * 1000) {
        let state: RolloutState | undefined;
        try {
            state = await observe();
            errors = 0;
        } catch (err) {
            last = (err as Error).message;
            if (++errors >= TOLERATED_ERRORS) throw new Error(`wait-rollout: ${gate.group}: ${last}`);
        }
        if (state) {
            const verdict = rolloutVerdict(state, gate.version);
            if (verdict.kind === "done") return now() - started;
            if (verdict.kind === "failed") throw new Error(`${gate.group}: ${verdict.why}`);
            if (verdict.why !== last) log.info({ group: gate.group }, verdict.why);
            last = verdict.why;
        }
        await sleep(everyMs);
    }
    throw new Error(
        `${gate.group}: not on launch template version ${gate.version} after ${gate.timeoutSeconds} s (last: ${last}); ` +
            `any refresh goes on in the background: aws autoscaling describe-instance-refreshes ` +
            `--auto-scaling-group-name ${gate.group}`,
    );
}

/** `aws <args> --output json`, parsed; a missing CLI is an error that says what to install. */
function awsCli(region: string, args: string[]): Promise<any> {
    return new Promise((resolve, reject) => {
        execFile("aws", [...args, "--region", region, "--output", "json"], (err, stdout, stderr) => {
            if ((err as NodeJS.ErrnoException | null)?.code === "ENOENT")
                return reject(new Error("the AWS CLI (aws) is not installed: `pulumi up` on the dev stack needs it"));
            if (err) return reject(new Error(`aws ${args.slice(0, 2).join(" ")}: ${stderr.trim() || err.message}`));
            resolve(JSON.parse(stdout));
        });
    });
}

/** The group's latest refresh and its instances, as the AWS CLI describes them. */
export async function observeWithCli(gate: RolloutGate): Promise<RolloutState> {
    const [refreshes, groups] = await Promise.all([
        awsCli(gate.region, [
            "autoscaling",
            "describe-instance-refreshes",
            "--auto-scaling-group-name",
            gate.group,
            "--max-records",
            "1",
        ]),
        awsCli(gate.region, ["autoscaling", "describe-auto-scaling-groups", "--auto-scaling-group-names", gate.group]),
    ]);
    const r = refreshes.InstanceRefreshes?.[0];
    const g = groups.AutoScalingGroups?.[0];
    if (!g) throw new Error(`no auto scaling group named ${gate.group} in ${gate.region}`);
    return {
        refresh: r && {
            id: r.InstanceRefreshId,
            status: r.Status,
            reason: r.StatusReason,
            percentage: r.PercentageComplete,
        },
        desiredCapacity: g.DesiredCapacity,
        instances: (g.Instances ?? []).map((i: any) => ({
            id: i.InstanceId,
            lifecycleState: i.LifecycleState,
            healthStatus: i.HealthStatus,
            templateVersion: i.LaunchTemplate?.Version,
        })),
    };
}

async function main(): Promise<void> {
    const gate = rolloutGateFromEnv(process.env);
    const ms = await waitRollout(gate, () => observeWithCli(gate));
    log.info({ group: gate.group, version: gate.version, seconds: ms / 1000 }, "the group runs this release");
    process.stdout.write(gate.version);
}

if (require.main === module) {
    main().catch((err: Error) => {
        process.stderr.write(`${err.message}\n`);
        process.exit(1);
    });
}
