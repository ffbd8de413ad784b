import { strict as assert } from "assert";
import YAML from "yaml";
import { KEEP_ALIVE_TIMEOUT_MS } from "../../app/src/appServer";
import {
    AWS_ACCOUNT,
    AWS_REGION,
    AwsWorld,
    ECR_PASSWORD,
    Registered,
    awsCalls,
    byType,
    runFailingProgram,
    runProgram,
    runProgramError,
} from "../support/mocks";

const T = {
    repository: "aws:ecr/repository:Repository",
    image: "docker:index/image:Image",
    template: "aws:ec2/launchTemplate:LaunchTemplate",
    group: "aws:autoscaling/group:Group",
    alb: "aws:lb/loadBalancer:LoadBalancer",
    targets: "aws:lb/targetGroup:TargetGroup",
    listener: "aws:lb/listener:Listener",
    listenerRule: "aws:lb/listenerRule:ListenerRule",
    sg: "aws:ec2/securityGroup:SecurityGroup",
    ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    policy: "aws:autoscaling/policy:Policy",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    dashboard: "aws:cloudwatch/dashboard:Dashboard",
    topic: "aws:sns/topic:Topic",
    subscription: "aws:sns/topicSubscription:TopicSubscription",
    notification: "aws:autoscaling/notification:Notification",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    profile: "aws:iam/instanceProfile:InstanceProfile",
    hook: "aws:autoscaling/lifecycleHook:LifecycleHook",
    command: "command:local:Command",
    ecrLifecycle: "aws:ecr/lifecyclePolicy:LifecyclePolicy",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    bucket: "aws:s3/bucket:Bucket",
    bucketPrivacy: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    bucketSse: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    bucketExpiry: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
};

const REGISTRY = `${AWS_ACCOUNT}.dkr.ecr.${AWS_REGION}.amazonaws.com`;
/** Mock ids are `<name>-id` and ARNs `arn:aws:<service>:<region>:<account>:<name>` (tests/support/mocks.ts). */
const arn = (service: string, name: string) => `arn:aws:${service}:${AWS_REGION}:${AWS_ACCOUNT}:${name}`;
const BALANCER_SG = "network-balancer-id";
const NODE_SG = "network-nodes-id";

/** The dev stack under mocks: Pulumi.dev.yaml's region, the given config, and ECR holding `world.tags`. */
async function dev(
    config: Record<string, string> = {},
    world: AwsWorld = { tags: ["latest", "v1", "v2"] },
    preview = false,
) {
    const aws = awsCalls(world);
    aws.failure.catch(() => undefined);
    const result = await Promise.race([
        runProgram(
            { platform: "aws", "aws:region": AWS_REGION, ...config },
            { stack: "dev", preview, calls: aws.calls },
        ),
        aws.failure,
    ]);
    const one = (type: string, name?: string): Registered => {
        const found = byType(result.resources, type).filter((r) => name === undefined || r.name === name);
        assert.equal(
            found.length,
            1,
            `expected one ${type}${name ? ` ${name}` : ""}, got ${found.map((r) => r.name).join(", ")}`,
        );
        return found[0];
    };
    return { ...result, invoked: aws.invoked, one };
}

/** Another stack than dev, same config. */
async function runStack(stack: string, world: AwsWorld) {
    const aws = awsCalls(world);
    aws.failure.catch(() => undefined);
    const result = await Promise.race([
        runProgram({ platform: "aws", "aws:region": AWS_REGION }, { stack, calls: aws.calls }),
        aws.failure,
    ]);
    const one = (type: string): Registered => {
        const found = byType(result.resources, type);
        assert.equal(found.length, 1, `expected one ${type}`);
        return found[0];
    };
    return { ...result, one };
}

/** Mocks see a secret input as Pulumi's secret envelope: its signature key, and the value. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
function secretValue(input: any): any {
    assert.equal(input?.[SECRET_SIG], "1b47061264138c4ac30d75fd1eb44270", `not a secret: ${JSON.stringify(input)}`);
    return input.value;
}

const userDataOf = (template: Registered) => Buffer.from(template.inputs.userData, "base64").toString("utf8");
const bootScriptOf = (template: Registered) => YAML.parse(userDataOf(template)).write_files[0].content as string;

describe("dev stack resource graph (mocks)", function () {
    this.timeout(60000);

    it("declares the four components on AWS, and nothing of the local stack", async () => {
        const { resources } = await dev();
        const components = resources.filter((r) => r.type.startsWith("cloudlab:")).map((r) => `${r.type} ${r.name}`);
        assert.deepEqual(components.sort(), [
            "cloudlab:aws:Network network",
            "cloudlab:index:AppImage app-image",
            "cloudlab:index:AppNode app",
            "cloudlab:index:Controller controller",
            "cloudlab:index:LoadBalancer balancer",
            "cloudlab:index:Monitoring monitoring",
        ]);
        const count = (type: string) => byType(resources, type).length;
        assert.deepEqual(Object.fromEntries(Object.entries(T).map(([k, type]) => [k, count(type)])), {
            repository: 1,
            image: 0,
            template: 1,
            group: 1,
            alb: 1,
            targets: 1,
            listener: 1,
            listenerRule: 1,
            sg: 2,
            ingress: 2,
            egress: 2,
            policy: 2,
            alarm: 4,
            dashboard: 1,
            topic: 1,
            subscription: 0,
            notification: 1,
            role: 1,
            rolePolicy: 1,
            attachment: 1,
            profile: 1,
            hook: 1,
            command: 1,
            ecrLifecycle: 1,
            logGroup: 1,
            bucket: 0,
            bucketPrivacy: 0,
            bucketSse: 0,
            bucketExpiry: 0,
            bucketPolicy: 0,
        });
        assert.ok(!resources.some((r) => r.type.startsWith("docker:index/container")));
        // The one local command: the wait for the group's rollout (no local stack machinery).
        assert.deepEqual(
            resources.filter((r) => r.type.startsWith("command:")).map((r) => r.name),
            ["app-rollout"],
        );
    });

    it("launches Amazon Linux 2023 with IMDSv2 required, an encrypted root volume, detailed monitoring and no SSH key", async () => {
        const { one, invoked } = await dev({ instanceType: "t3.small" });
        const lt = one(T.template).inputs;
        const ami = invoked.find((i) => i.token === "aws:ec2/getAmi:getAmi")!.inputs;
        assert.deepEqual(ami.owners, ["amazon"]);
        assert.equal(ami.mostRecent, true);
        assert.deepEqual(ami.filters.find((f: any) => f.name === "name").values, ["al2023-ami-2023.*-kernel-*-x86_64"]);
        assert.equal(lt.imageId, "ami-0123456789abcdef0");
        assert.equal(lt.instanceType, "t3.small");
        // The boot script reads its instance id and region from IMDS, with a token, one hop (not from containers).
        assert.deepEqual(lt.metadataOptions, {
            httpEndpoint: "enabled",
            httpTokens: "required",
            httpPutResponseHopLimit: 1,
        });
        assert.deepEqual(lt.monitoring, { enabled: true });
        assert.deepEqual(lt.blockDeviceMappings, [
            { deviceName: "/dev/xvda", ebs: { encrypted: "true", volumeType: "gp3", deleteOnTermination: "true" } },
        ]);
        assert.deepEqual(lt.iamInstanceProfile, { arn: arn("iam", "app-profile") });
        assert.equal(lt.vpcSecurityGroupIds, undefined, "the interface carries the security group");
        assert.equal(lt.keyName, undefined);
        // A public IPv4 per node: its way out to ECR whatever the subnet's auto-assign setting.
        assert.deepEqual(lt.networkInterfaces, [
            {
                deviceIndex: 0,
                associatePublicIpAddress: "true",
                securityGroups: [NODE_SG],
                deleteOnTermination: "true",
            },
        ]);
    });

    it("gives nodes no public address with nodeAddress private (the subnets' NAT or endpoints are their way out)", async () => {
        const { one } = await dev({ nodeAddress: "private" });
        assert.equal(one(T.template).inputs.networkInterfaces[0].associatePublicIpAddress, "false");
    });

    it("runs exactly the pinned nodeAmi (no newest-image lookup), so an unrelated up never rolls the nodes", async () => {
        const pinned = { nodeAmi: "ami-0fedcba9876543210" };
        const before = await dev(pinned);
        const ami = before.invoked.find((i) => i.token === "aws:ec2/getAmi:getAmi")!.inputs;
        assert.equal(ami.mostRecent, undefined);
        assert.deepEqual(ami.owners, ["amazon"]);
        assert.deepEqual(ami.filters, [
            { name: "image-id", values: ["ami-0fedcba9876543210"] },
            { name: "architecture", values: ["x86_64"] },
        ]);
        assert.equal(before.one(T.template).inputs.imageId, "ami-0fedcba9876543210");
        assert.equal(before.outputs.nodeAmi, "ami-0fedcba9876543210");
        // An alertEmail change touches no node: same template, same version, no refresh.
        const after = await dev({ ...pinned, alertEmail: "ops@example.com" });
        assert.deepEqual(after.one(T.template).inputs, before.one(T.template).inputs);
        assert.deepEqual(after.one(T.group).inputs, before.one(T.group).inputs);
    });

    it("keeps running a pinned nodeAmi after Amazon deprecates it: previews and routine edits still work", async () => {
        const pinned = { nodeAmi: "ami-0fedcba9876543210" };
        const world = { tags: ["latest"], deprecatedAmis: [pinned.nodeAmi] };
        const { one } = await dev({ ...pinned, nodeCount: "3", nodeLimit: "5" }, world, true);
        assert.equal(one(T.template).inputs.imageId, pinned.nodeAmi);
    });

    it("lets every burstable node stay above cpuHighPercent under load (unlimited credits), and leaves other types alone", async () => {
        // EC2 User Guide, "Standard mode concepts": in standard mode a node out of credits runs at its baseline
        // (10 % per vCPU on t3.micro, and T3/T3a/T4g get no launch credits), below cpuLowPercent: the high alarm
        // could never fire. Only unlimited mode lets CPU stay above the baseline. T2 defaults to standard, so the
        // mode must be stated, not left to EC2.
        const capsAtBaseline: Record<string, boolean> = { standard: true, unlimited: false };
        for (const instanceType of ["t2.micro", "t3.micro", "t3a.small", "t4g.small"]) {
            const world = { tags: ["v1"], architectures: { v1: instanceType.startsWith("t4g") ? "arm64" : "amd64" } };
            const mode = (await dev({ instanceType, imageTag: "v1" }, world)).one(T.template).inputs.creditSpecification
                ?.cpuCredits;
            assert.equal(capsAtBaseline[mode], false, `${instanceType} launches in ${mode} mode`);
        }
        assert.equal((await dev({ instanceType: "m7i.large" })).one(T.template).inputs.creditSpecification, undefined);
    });

    it("gives a new node the balancer's first passing checks before its ELB health counts (grace period)", async () => {
        const { one } = await dev();
        // A node enters service once its hook completes; the target group marks it healthy only after
        // healthyThreshold checks, interval apart. A shorter grace would let the group replace a good node.
        const { healthyThreshold, interval } = one(T.targets).inputs.healthCheck;
        assert.ok(one(T.group).inputs.healthCheckGracePeriod >= healthyThreshold * interval);
    });

    it("sends the app's output to a CloudWatch log group kept logRetentionDays, which only the nodes may write", async () => {
        const { one, outputs } = await dev({ logRetentionDays: "30" });
        assert.deepEqual(one(T.logGroup).inputs, {
            name: "/cloudlab/cloudlab-dev",
            retentionInDays: 30,
            tags: { "cloudlab:stack": "cloudlab-dev" },
        });
        assert.equal(outputs.logGroup, "/cloudlab/cloudlab-dev");
        const script = bootScriptOf(one(T.template));
        assert.match(script, /^LOG_GROUP='\/cloudlab\/cloudlab-dev'$/m);
        assert.match(
            script,
            /--log-driver awslogs --log-opt "awslogs-region=\$REGION" --log-opt "awslogs-group=\$LOG_GROUP"/,
        );
        const policy = JSON.parse(one(T.rolePolicy).inputs.policy);
        assert.deepEqual(
            policy.Statement.find((st: any) => st.Sid === "AppLogs"),
            {
                Sid: "AppLogs",
                Effect: "Allow",
                Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                Resource: `${arn("cloudwatch", "app-logs")}:*`,
            },
        );
    });

    it("sends the boot's own output to the same log group (the CloudWatch agent), so a failed boot can be read later", async () => {
        const script = bootScriptOf((await dev({ logRetentionDays: "7" })).one(T.template));
        const config = script.match(
            /<<'EOF'\n(.*)\nEOF\n"\$AGENT_CTL" -a fetch-config -m ec2 -s -c "file:\$AGENT_CONFIG"/,
        );
        assert.ok(config, "the agent is configured and (re)started on every boot");
        assert.deepEqual(JSON.parse(config[1]), {
            agent: { run_as_user: "root" },
            logs: {
                force_flush_interval: 5,
                logs_collected: {
                    files: {
                        collect_list: [
                            {
                                file_path: "/var/log/cloud-init-output.log",
                                log_group_name: "/cloudlab/cloudlab-dev",
                                log_stream_name: "{instance_id}/boot",
                            },
                        ],
                    },
                },
            },
        });
        // Kept as long as the group keeps it: the agent config sets no retention of its own.
        assert.doesNotMatch(config[1], /retention/);
        // Started before anything else can fail: before Docker is installed or the image pulled.
        const agentAt = script.indexOf("dnf install -y -q amazon-cloudwatch-agent");
        assert.ok(agentAt > 0 && agentAt < script.indexOf("dnf install -y -q docker"), "agent first");
        assert.ok(script.indexOf("fetch-config") < script.indexOf("docker pull"), "agent running before the pull");
        // An abandoned node is terminated: the log that says why is sent first.
        assert.match(
            script,
            /if \[ "\$result" = ABANDON \] && \[ -x "\$AGENT_CTL" \]; then\n\s+sleep \$\(\(2 \* LOG_FLUSH_SECONDS\)\)/,
        );
        assert.match(script, /^LOG_FLUSH_SECONDS='5'$/m);
    });

    it("turns detailed monitoring off when the alarms look every 5 minutes or less often", async () => {
        const { one } = await dev({ checkPeriod: "300" });
        assert.deepEqual(one(T.template).inputs.monitoring, { enabled: false });
    });

    it("boots each node into the release from ECR, restarted with the instance, on every boot", async () => {
        const { one } = await dev({ imageTag: "v1", appPort: "3100", drainSeconds: "5" });
        const userData = userDataOf(one(T.template));
        assert.match(userData, /^#cloud-config\n/);
        // cloud-init runs what is in scripts/per-boot on every boot, not only the first.
        assert.equal(YAML.parse(userData).write_files[0].path, "/var/lib/cloud/scripts/per-boot/cloudlab-node.sh");
        const script = bootScriptOf(one(T.template));
        assert.match(script, new RegExp(`^IMAGE='${REGISTRY}/cloudlab-dev/cloudlab-app:v1'$`, "m"));
        assert.match(script, /^IMAGE_TAG='v1'$/m);
        assert.match(script, /^APP_PORT='3100'$/m);
        assert.match(script, /^DRAIN_SECONDS='5'$/m);
        assert.match(script, /^STOP_TIMEOUT='40'$/m);
        assert.match(script, new RegExp(`^REGION='${AWS_REGION}'$`, "m"));
        assert.match(script, /^GROUP_NAME='cloudlab-dev-nodes'$/m);
        assert.match(script, /--restart always/);
    });

    it("gives each node's app the /data backend's delay and cache settings", async () => {
        const { one } = await dev({ backendDelayMs: "7", cache: "on", cacheTtlSeconds: "11", cacheMaxEntries: "13" });
        const script = bootScriptOf(one(T.template));
        for (const line of ["BACKEND_DELAY_MS='7'", "CACHE='on'", "CACHE_TTL_SECONDS='11'", "CACHE_MAX_ENTRIES='13'"])
            assert.match(script, new RegExp(`^${line}$`, "m"));
        assert.match(script, /--env "CACHE=\$CACHE"/);
    });

    it("runs an auto scaling group from nodeCount to nodeLimit across the default VPC's subnets, checked by the ELB", async () => {
        const { one, invoked } = await dev({ nodeCount: "3", nodeLimit: "6" });
        const g = one(T.group).inputs;
        assert.equal(g.name, "cloudlab-dev-nodes");
        assert.equal(g.minSize, 3);
        assert.equal(g.maxSize, 6);
        assert.ok(
            !("desiredCapacity" in g) || g.desiredCapacity === undefined,
            "desiredCapacity would undo the alarms' work on every up",
        );
        assert.deepEqual(g.vpcZoneIdentifiers, ["subnet-0a000000000000001", "subnet-0b000000000000002"]);
        assert.equal(g.healthCheckType, "ELB");
        assert.deepEqual(g.targetGroupArns, [arn("lb", "balancer-targets")]);
        assert.equal(g.launchTemplate.id, "app-template-id");
        assert.match(g.launchTemplate.version, /^\d+$/, "a version number, never $Latest or $Default");
        // The listener (a group registering targets before it exists serves nothing) and the node role's
        // policies (a first boot calls ECR and CompleteLifecycleAction; the profile alone does not wait for them).
        assert.deepEqual([...one(T.group).options.dependsOn].sort(), [
            "app-node",
            "app-ssm",
            "balancer-http",
            "balancer-non-public",
        ]);
        assert.equal(one(T.group).options.deleteBeforeReplace, undefined);
        assert.deepEqual(invoked.find((i) => i.token === "aws:ec2/getVpc:getVpc")!.inputs, { default: true });
        const subnets = invoked.find((i) => i.token === "aws:ec2/getSubnets:getSubnets")!.inputs;
        assert.deepEqual(subnets.filters, [
            { name: "vpc-id", values: ["vpc-0d3fa017a5c0c1000"] },
            { name: "default-for-az", values: ["true"] },
        ]);
    });

    it("uses the configured VPC and subnets without searching any, once each subnet is checked", async () => {
        const { one, invoked } = await dev({
            vpcId: "vpc-0123456789abcdef0",
            subnetIds: '["subnet-0123456789abcdef0","subnet-0123456789abcdef1"]',
        });
        assert.ok(
            !invoked.some((i) => i.token === "aws:ec2/getVpc:getVpc" || i.token === "aws:ec2/getSubnets:getSubnets"),
        );
        assert.deepEqual(
            invoked.filter((i) => i.token === "aws:ec2/getSubnet:getSubnet").map((i) => i.inputs.id),
            ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
        );
        assert.deepEqual(one(T.group).inputs.vpcZoneIdentifiers, [
            "subnet-0123456789abcdef0",
            "subnet-0123456789abcdef1",
        ]);
        assert.deepEqual(one(T.alb).inputs.subnets, ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]);
        assert.equal(one(T.targets).inputs.vpcId, "vpc-0123456789abcdef0");
        for (const sg of byType(
            (
                await dev({
                    vpcId: "vpc-0123456789abcdef0",
                    subnetIds: "subnet-0123456789abcdef0,subnet-0123456789abcdef1",
                })
            ).resources,
            T.sg,
        )) {
            assert.equal(sg.inputs.vpcId, "vpc-0123456789abcdef0");
        }
    });

    it("keeps the nodes above nodeCount Stopped in a warm pool and returns nodes there on scale-in", async () => {
        const { one } = await dev({ nodeCount: "2", nodeLimit: "5" });
        assert.deepEqual(one(T.group).inputs.warmPool, {
            poolState: "Stopped",
            maxGroupPreparedCapacity: 5,
            instanceReusePolicy: { reuseOnScaleIn: true },
        });
    });

    it("pauses every launch until the node's app is healthy (the lifecycle hook its boot script completes)", async () => {
        const { one } = await dev();
        assert.deepEqual(one(T.group).inputs.initialLifecycleHooks, [
            {
                name: "cloudlab-node-ready",
                lifecycleTransition: "autoscaling:EC2_INSTANCE_LAUNCHING",
                defaultResult: "ABANDON",
                heartbeatTimeout: 600,
            },
        ]);
        assert.match(bootScriptOf(one(T.template)), /^HOOK_NAME='cloudlab-node-ready'$/m);
    });

    it("rolls deploys by instance refresh, rollingBatchSize nodes at a time at the group's current size", async () => {
        const refresh = async (config: Record<string, string>, desiredCapacity?: number) =>
            (await dev({ nodeLimit: "8", ...config }, { tags: ["latest"], desiredCapacity })).one(T.group).inputs
                .instanceRefresh;
        // Launch before terminate; a refresh during which a health alarm fires fails (and the up with it).
        assert.deepEqual(await refresh({ nodeCount: "2", rollingBatchSize: "1" }), {
            strategy: "Rolling",
            preferences: {
                minHealthyPercentage: 100,
                maxHealthyPercentage: 150,
                skipMatching: true,
                autoRollback: false,
                alarmSpecification: { alarms: ["cloudlab-dev-unhealthy-nodes", "cloudlab-dev-5xx-rate"] },
                scaleInProtectedInstances: "Refresh",
                standbyInstances: "Wait",
            },
        });
        const max = async (config: Record<string, string>, desired?: number) =>
            (await refresh(config, desired)).preferences.maxHealthyPercentage;
        // The alarms scaled a 2-node group to 4: one node per batch is 25 % of 4, not 50 %.
        assert.equal(await max({ nodeCount: "2", rollingBatchSize: "1" }, 4), 125);
        assert.equal(await max({ nodeCount: "2", rollingBatchSize: "2" }, 4), 150);
        // This up raises the minimum above the group's size: AWS moves it to 3 first.
        assert.equal(await max({ nodeCount: "3", rollingBatchSize: "1" }, 2), 133);
        // One node: its replacement is in service before it leaves (no downtime).
        assert.equal(await max({ nodeCount: "1", rollingBatchSize: "1" }), 200);
    });

    it("changes only the launch template's user data and the group's template version when imageTag changes", async () => {
        const before = await dev({ imageTag: "v1" });
        const after = await dev({ imageTag: "v2" });
        const key = (r: Registered) => `${r.type}::${r.name}`;
        const old = new Map(before.resources.map((r) => [key(r), r.inputs]));
        const changed = after.resources.filter((r) => JSON.stringify(old.get(key(r))) !== JSON.stringify(r.inputs));
        assert.deepEqual(changed.map(key).sort(), [
            `${T.group}::app-group`,
            `${T.template}::app-template`,
            `${T.command}::app-rollout`,
        ]);
        assert.equal(after.resources.length, before.resources.length);

        const lt = (run: typeof before) => run.one(T.template).inputs;
        const differing = Object.keys(lt(after)).filter(
            (k) => JSON.stringify(lt(after)[k]) !== JSON.stringify(lt(before)[k]),
        );
        assert.deepEqual(differing, ["userData"]);
        const g = (run: typeof before) => run.one(T.group).inputs;
        const groupDiff = Object.keys(g(after)).filter(
            (k) => JSON.stringify(g(after)[k]) !== JSON.stringify(g(before)[k]),
        );
        assert.deepEqual(groupDiff, ["launchTemplate"]);
        assert.notEqual(
            g(after).launchTemplate.version,
            g(before).launchTemplate.version,
            "a new version starts the instance refresh",
        );
        assert.deepEqual(g(after).instanceRefresh, g(before).instanceRefresh);
        assert.match(bootScriptOf(after.one(T.template)), /^IMAGE_TAG='v2'$/m);
    });

    it("ends the up only once the group runs the new release, and runs that wait again for every release", async () => {
        const v1 = await dev({ imageTag: "v1", nodeLimit: "4", rollingBatchSize: "1" });
        const rollout = v1.one(T.command, "app-rollout");
        assert.equal(
            rollout.inputs.create,
            "node --require ts-node/register/transpile-only components/hooks/wait-rollout.ts",
        );
        const env = rollout.inputs.environment;
        assert.equal(env.CLOUDLAB_GROUP, "cloudlab-dev-nodes");
        assert.equal(env.CLOUDLAB_REGION, AWS_REGION);
        // The version the group references: the wait is for this release, not for any refresh.
        assert.equal(env.CLOUDLAB_TEMPLATE_VERSION, v1.one(T.group).inputs.launchTemplate.version);
        // Longer than AWS's hour of retries, and than every batch's boot timeout: a slow refresh is not a failure.
        assert.ok(Number(env.CLOUDLAB_TIMEOUT_SECONDS) > 3600 + 4 * 600, env.CLOUDLAB_TIMEOUT_SECONDS);
        assert.ok(rollout.options.dependencies.includes("app-group"));
        // A changed release is a replacement of the wait (it runs again); an unrelated edit leaves it alone.
        const v2 = await dev({ imageTag: "v2", nodeLimit: "4", rollingBatchSize: "1" });
        assert.notDeepEqual(v2.one(T.command).inputs.triggers, rollout.inputs.triggers);
        const mail = await dev({
            imageTag: "v1",
            nodeLimit: "4",
            rollingBatchSize: "1",
            alertEmail: "ops@example.com",
        });
        assert.deepEqual(mail.one(T.command).inputs, rollout.inputs);
    });

    it("rolls back by setting imageTag back: the old release runs as it was (no rebuild) and the up waits for it", async () => {
        const world = { tags: ["v1", "v2"] };
        const good = await dev({ imageTag: "v1" }, world);
        const bad = await dev({ imageTag: "v2" }, world);
        const back = await dev({ imageTag: "v1" }, world);
        assert.equal(byType(back.resources, T.image).length, 0, "v1 is in ECR: rolled out, not rebuilt");
        assert.equal(userDataOf(back.one(T.template)), userDataOf(good.one(T.template)), "v1's nodes exactly");
        assert.notDeepEqual(back.one(T.command).inputs.triggers, bad.one(T.command).inputs.triggers);
    });

    it("opens the balancer on 80 to the allowed CIDRs only, and the nodes to the balancer's group only", async () => {
        const { resources } = await dev({ allowedCidrs: '["203.0.113.0/24","198.51.100.0/24"]', appPort: "3000" });
        const ingress = byType(resources, T.ingress).map((r) => r.inputs);
        const egress = byType(resources, T.egress).map((r) => r.inputs);
        const toBalancer = ingress.filter((r) => r.securityGroupId === BALANCER_SG);
        assert.deepEqual(toBalancer.map((r) => [r.ipProtocol, r.fromPort, r.toPort, r.cidrIpv4]).sort(), [
            ["tcp", 80, 80, "198.51.100.0/24"],
            ["tcp", 80, 80, "203.0.113.0/24"],
        ]);
        const toNodes = ingress.filter((r) => r.securityGroupId === NODE_SG);
        assert.deepEqual(
            toNodes.map((r) => [r.ipProtocol, r.fromPort, r.toPort, r.referencedSecurityGroupId, r.cidrIpv4]),
            [["tcp", 3000, 3000, BALANCER_SG, undefined]],
        );
        assert.deepEqual(
            egress
                .map((r) => [r.securityGroupId, r.fromPort, r.toPort, r.referencedSecurityGroupId ?? r.cidrIpv4])
                .sort(),
            [
                [BALANCER_SG, 3000, 3000, NODE_SG],
                [NODE_SG, 443, 443, "0.0.0.0/0"],
            ],
        );
        for (const rule of [...ingress, ...egress]) {
            assert.ok(!(rule.fromPort <= 22 && 22 <= rule.toPort), `a rule opens port 22: ${JSON.stringify(rule)}`);
            assert.notEqual(rule.ipProtocol, "-1", "no all-protocol rule");
        }
        for (const sg of byType(resources, T.sg)) assert.ok(!sg.inputs.ingress && !sg.inputs.egress, "no inline rules");
    });

    it("balances on 80 to the app port with /health checks and a deregistration delay of the app's drain", async () => {
        const { one } = await dev({ appPort: "3100", drainSeconds: "10" });
        const alb = one(T.alb).inputs;
        // Headers whose names are not valid HTTP are dropped at the balancer, not handed to the app: a request
        // the ALB and the app would parse differently (desync, request smuggling) never reaches a node.
        assert.equal(alb.dropInvalidHeaderFields, true, "invalid headers reach the app");
        assert.equal(alb.loadBalancerType, "application");
        assert.equal(alb.internal, false);
        assert.deepEqual(alb.securityGroups, [BALANCER_SG]);
        assert.deepEqual(alb.subnets, ["subnet-0a000000000000001", "subnet-0b000000000000002"]);
        const tg = one(T.targets).inputs;
        assert.equal(tg.port, 3100);
        assert.equal(tg.protocol, "HTTP");
        assert.equal(tg.vpcId, "vpc-0d3fa017a5c0c1000");
        // The longest request the docs advertise through the ALB (55 s) outlasts this drain's stop bound (45 s).
        assert.equal(tg.deregistrationDelay, 55);
        assert.equal(tg.healthCheck.path, "/health");
        assert.equal(tg.healthCheck.matcher, "200");
        const listener = one(T.listener).inputs;
        assert.equal(listener.port, 80);
        assert.equal(listener.protocol, "HTTP");
        assert.equal(listener.loadBalancerArn, arn("lb", "balancer-alb"));
        assert.deepEqual(listener.defaultActions, [{ type: "forward", targetGroupArn: arn("lb", "balancer-targets") }]);
    });

    it("keeps /load and /metrics off the public balancer: answered only for loadCidrs, 403 for everyone else", async () => {
        /** What the forwarding listener's rules do with a request for `path` from `source` (first match wins). */
        const answer = (rules: Registered[], path: string, source: string) => {
            const inCidr = (ip: string, cidr: string) => {
                const [base, bits] = cidr.split("/");
                const n = (a: string) => a.split(".").reduce((acc, o) => acc * 256 + Number(o), 0);
                const size = 2 ** (32 - Number(bits));
                return Math.floor(n(ip) / size) === Math.floor(n(base) / size);
            };
            const matching = [...rules]
                .sort((a, b) => a.inputs.priority - b.inputs.priority)
                .find((r) =>
                    r.inputs.conditions.every(
                        (c: any) =>
                            (c.pathPattern === undefined || c.pathPattern.values.includes(path)) &&
                            (c.sourceIp === undefined || c.sourceIp.values.some((v: string) => inCidr(source, v))),
                    ),
                );
            return matching?.inputs.actions[0].type ?? "default";
        };
        const world = { tags: ["latest"] };
        const closed = await dev({}, world);
        const rules = byType(closed.resources, T.listenerRule);
        for (const r of rules) assert.equal(r.inputs.listenerArn, arn("lb", "balancer-http"));
        for (const path of ["/load", "/metrics"])
            assert.equal(answer(rules, path, "198.51.100.7"), "fixed-response", `${path} reaches a node`);
        assert.equal(
            rules.find((r) => r.inputs.actions[0].type === "fixed-response")!.inputs.actions[0].fixedResponse
                .statusCode,
            "403",
        );
        // The app's other paths go to the listener's default action (the nodes).
        for (const path of ["/", "/data", "/health"]) assert.equal(answer(rules, path, "198.51.100.7"), "default");

        const open = await dev({ loadCidrs: '["203.0.113.0/24"]' }, world);
        const some = byType(open.resources, T.listenerRule);
        assert.equal(answer(some, "/load", "203.0.113.9"), "forward", "loadCidrs reach /load");
        assert.equal(answer(some, "/metrics", "203.0.113.9"), "forward");
        assert.equal(answer(some, "/load", "198.51.100.7"), "fixed-response", "everyone else does not");
        // No node takes traffic before the rules exist.
        assert.ok(open.one(T.group).options.dependsOn.includes("balancer-non-public"));
        // With a certificate the rules sit on the HTTPS listener (80 only redirects).
        const cert = "arn:aws:acm:eu-west-1:123456789012:certificate/0123abcd-0123-4567-89ab-0123456789ab";
        const tls = byType((await dev({ certificateArn: cert }, world)).resources, T.listenerRule);
        for (const r of tls) assert.equal(r.inputs.listenerArn, arn("lb", "balancer-https"));
    });

    it("keeps a deregistered node's requests for the app's stop bound when that is longer than 55 s", async () => {
        const { one } = await dev({ drainSeconds: "30" });
        assert.equal(one(T.targets).inputs.deregistrationDelay, 65, "30 s drain + 30 s in-flight bound + 5 s");
    });

    it("with certificateArn, serves HTTPS on 443 (TLS 1.2+), redirects 80 to it and opens 443 to the allowed CIDRs", async () => {
        const cert = "arn:aws:acm:eu-west-1:123456789012:certificate/0123abcd-0123-4567-89ab-0123456789ab";
        const { one, resources, outputs } = await dev({ certificateArn: cert, allowedCidrs: '["203.0.113.0/24"]' });
        assert.deepEqual(one(T.listener, "balancer-http").inputs.defaultActions, [
            { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } },
        ]);
        const https = one(T.listener, "balancer-https").inputs;
        assert.equal(https.port, 443);
        assert.equal(https.protocol, "HTTPS");
        assert.equal(https.certificateArn, cert);
        assert.equal(https.sslPolicy, "ELBSecurityPolicy-TLS13-1-2-2021-06");
        assert.deepEqual(https.defaultActions, [{ type: "forward", targetGroupArn: arn("lb", "balancer-targets") }]);
        // The group registers targets once the forwarding listener exists.
        assert.ok(one(T.group).options.dependsOn.includes("balancer-https"));
        const toBalancer = byType(resources, T.ingress)
            .map((r) => r.inputs)
            .filter((r) => r.securityGroupId === BALANCER_SG)
            .map((r) => [r.fromPort, r.toPort, r.cidrIpv4]);
        assert.deepEqual(toBalancer.sort(), [
            [443, 443, "203.0.113.0/24"],
            [80, 80, "203.0.113.0/24"],
        ]);
        assert.equal(outputs.balancerUrl, `https://balancer-alb-1234567890.${AWS_REGION}.elb.amazonaws.com`);
    });

    it("with accessLogDays, writes the balancer's access logs to a private, encrypted bucket of the stack, expired after those days", async () => {
        const { one, outputs } = await dev({ accessLogDays: "30" });
        const bucket = one(T.bucket);
        assert.deepEqual(bucket.inputs, { forceDestroy: true, tags: { "cloudlab:stack": "cloudlab-dev" } });
        const name = "balancer-access-logs-0a1b2c3";
        assert.deepEqual(one(T.bucketPrivacy).inputs, {
            bucket: `${bucket.name}-id`,
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        });
        assert.deepEqual(one(T.bucketSse).inputs.rules, [
            { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
        ]);
        assert.deepEqual(one(T.bucketExpiry).inputs.rules, [
            { id: "expire-access-logs", status: "Enabled", filter: { prefix: "alb/" }, expiration: { days: 30 } },
        ]);
        // eu-west-1 predates August 2022: its Elastic Load Balancing account writes, under the prefix only.
        const policy = one(T.bucketPolicy);
        assert.deepEqual(JSON.parse(policy.inputs.policy).Statement, [
            {
                Sid: "AlbAccessLogs",
                Effect: "Allow",
                Principal: { AWS: "arn:aws:iam::156460612806:root" },
                Action: "s3:PutObject",
                Resource: `arn:aws:s3:::${name}/alb/AWSLogs/${AWS_ACCOUNT}/*`,
            },
        ]);
        assert.ok(policy.options.dependsOn.includes(one(T.bucketPrivacy).name), "one bucket change at a time");
        const alb = one(T.alb);
        assert.deepEqual(alb.inputs.accessLogs, { bucket: name, prefix: "alb", enabled: true });
        assert.ok(alb.options.dependencies.includes(policy.name), "ALB checks the policy when logging turns on");
        assert.equal(outputs.accessLogBucket, name);
    });

    it("declares no bucket and no access logs with accessLogDays 0 (the default)", async () => {
        const { one, outputs } = await dev();
        assert.equal(one(T.alb).inputs.accessLogs, undefined);
        assert.equal(outputs.accessLogBucket, "");
    });

    it("closes idle connections at the balancer before the app does: ALB idle timeout below the app's keep-alive", async () => {
        const { one } = await dev();
        const idleTimeout = one(T.alb).inputs.idleTimeout;
        assert.equal(idleTimeout, 60, "the README's 60 s (a /load through the ALB gets at most 55 s)");
        // If the app closed first, the ALB could send a request on a connection the app is closing: a 502.
        assert.ok(
            idleTimeout * 1000 < KEEP_ALIVE_TIMEOUT_MS,
            `ALB idle ${idleTimeout} s, app keep-alive ${KEEP_ALIVE_TIMEOUT_MS} ms`,
        );
    });

    it("wires a CPU-high alarm to +1 and a CPU-low alarm to -1 step scaling, with the configured thresholds", async () => {
        const { one } = await dev({
            cpuHighPercent: "80",
            cpuLowPercent: "30",
            checkPeriod: "120",
            evaluationPeriods: "3",
        });
        const out = one(T.policy, "controller-scale-out").inputs;
        const inn = one(T.policy, "controller-scale-in").inputs;
        for (const p of [out, inn]) {
            assert.equal(p.autoscalingGroupName, "cloudlab-dev-nodes");
            assert.equal(p.policyType, "StepScaling");
            assert.equal(p.adjustmentType, "ChangeInCapacity");
        }
        assert.deepEqual(out.stepAdjustments, [{ metricIntervalLowerBound: "0", scalingAdjustment: 1 }]);
        assert.deepEqual(inn.stepAdjustments, [{ metricIntervalUpperBound: "0", scalingAdjustment: -1 }]);
        // A launched node's CPU counts after the window (cooldownSeconds 0), as on the local stack.
        for (const p of [out, inn]) assert.equal(p.estimatedInstanceWarmup, 360, "3 x 120 s");
        const cooled = await dev({ checkPeriod: "120", cooldownSeconds: "90" });
        assert.equal(cooled.one(T.policy, "controller-scale-out").inputs.estimatedInstanceWarmup, 90);

        const high = one(T.alarm, "controller-cpu-high").inputs;
        const low = one(T.alarm, "controller-cpu-low").inputs;
        for (const a of [high, low]) {
            assert.equal(a.namespace, "AWS/EC2");
            assert.equal(a.metricName, "CPUUtilization");
            assert.deepEqual(a.dimensions, { AutoScalingGroupName: "cloudlab-dev-nodes" });
            assert.equal(a.period, 120);
            assert.equal(a.evaluationPeriods, 3);
            // The busiest node decides (README: statistic Maximum over the group), and the policy aggregates the same.
            assert.equal(a.statistic, "Maximum");
            assert.equal(out.metricAggregationType, "Maximum");
        }
        assert.equal(high.threshold, 80);
        assert.equal(high.comparisonOperator, "GreaterThanThreshold");
        assert.deepEqual(high.alarmActions, [arn("autoscaling", "controller-scale-out")]);
        assert.equal(low.threshold, 30);
        assert.equal(low.comparisonOperator, "LessThanThreshold");
        assert.deepEqual(low.alarmActions, [arn("autoscaling", "controller-scale-in")]);
    });

    it("monitors with a dashboard, unhealthy-node and 5xx alarms to an SNS topic, mailed when alertEmail is set", async () => {
        const { one, resources } = await dev({ alertEmail: "ops@example.com" });
        const topic = arn("sns", "monitoring-alerts");
        assert.deepEqual(one(T.subscription).inputs, { topic, protocol: "email", endpoint: "ops@example.com" });
        const unhealthy = one(T.alarm, "monitoring-unhealthy-nodes").inputs;
        // Named: the group's instance refresh watches them by these names.
        assert.equal(unhealthy.name, "cloudlab-dev-unhealthy-nodes");
        assert.equal(one(T.alarm, "monitoring-5xx-rate").inputs.name, "cloudlab-dev-5xx-rate");
        assert.equal(unhealthy.metricName, "UnHealthyHostCount");
        assert.deepEqual(unhealthy.dimensions, {
            TargetGroup: "targetgroup/balancer-targets/fedcba9876543210",
            LoadBalancer: "app/balancer-alb/0123456789abcdef",
        });
        assert.equal(unhealthy.threshold, 0);
        const errors = one(T.alarm, "monitoring-5xx-rate").inputs;
        const metrics = errors.metricQueries.filter((q: any) => q.metric).map((q: any) => q.metric.metricName);
        assert.deepEqual(metrics, ["RequestCount", "HTTPCode_Target_5XX_Count", "HTTPCode_ELB_5XX_Count"]);
        assert.equal(errors.metricQueries.filter((q: any) => q.returnData).length, 1);
        for (const a of [unhealthy, errors]) {
            assert.deepEqual(a.alarmActions, [topic]);
            assert.equal(a.treatMissingData, "notBreaching");
        }
        assert.deepEqual(one(T.notification).inputs.groupNames, ["cloudlab-dev-nodes"]);
        assert.equal(one(T.notification).inputs.topicArn, topic);

        const dash = one(T.dashboard).inputs;
        assert.equal(dash.dashboardName, "cloudlab-dev");
        const body = JSON.parse(dash.dashboardBody);
        const names = new Set(body.widgets.flatMap((w: any) => (w.properties.metrics ?? []).map((m: any[]) => m[1])));
        for (const m of [
            "RequestCount",
            "HTTPCode_Target_5XX_Count",
            "TargetResponseTime",
            "HealthyHostCount",
            "CPUUtilization",
            "GroupInServiceInstances",
            "WarmPoolWarmedCapacity",
        ]) {
            assert.ok(names.has(m), `dashboard lacks ${m}`);
        }
        // The dashboard's scaling graph reads these group metrics: the group must collect them.
        assert.deepEqual([...one(T.group).inputs.enabledMetrics].sort(), [
            "GroupDesiredCapacity",
            "GroupInServiceInstances",
            "GroupPendingInstances",
            "GroupTerminatingInstances",
            "GroupTotalInstances",
            "WarmPoolPendingCapacity",
            "WarmPoolWarmedCapacity",
        ]);
        assert.equal(one(T.group).inputs.metricsGranularity, "1Minute");
        const alarmWidget = body.widgets.find((w: any) => w.type === "alarm");
        // Problems only: the CPU alarms are scaling signals (cpu-low is in ALARM whenever the group idles at its
        // minimum), neither in this widget nor mailed.
        assert.deepEqual(alarmWidget.properties.alarms, [
            arn("cloudwatch", "monitoring-unhealthy-nodes"),
            arn("cloudwatch", "monitoring-5xx-rate"),
        ]);
        for (const cpu of ["controller-cpu-high", "controller-cpu-low"]) {
            const alarm = one(T.alarm, cpu).inputs;
            assert.ok(
                !JSON.stringify([alarm.alarmActions, alarm.okActions, alarm.insufficientDataActions]).includes(topic),
                cpu,
            );
        }
        assert.equal(byType(resources, T.topic).length, 1);
    });

    it("subscribes nobody when alertEmail is empty", async () => {
        const { resources } = await dev({ alertEmail: "" });
        assert.equal(byType(resources, T.subscription).length, 0);
        assert.equal(byType(resources, T.topic).length, 1);
    });

    it("lets nodes pull the app's repository only, report to their own group, and use SSM (no SSH)", async () => {
        const { one } = await dev();
        const assume = JSON.parse(one(T.role).inputs.assumeRolePolicy);
        assert.deepEqual(assume.Statement[0].Principal, { Service: "ec2.amazonaws.com" });
        assert.equal(one(T.attachment).inputs.policyArn, "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore");
        const policy = JSON.parse(one(T.rolePolicy).inputs.policy);
        const by = (sid: string) => policy.Statement.find((s: any) => s.Sid === sid);
        assert.equal(by("EcrPull").Resource, arn("ecr", "app-image-repository"));
        assert.equal(
            by("ReportReady").Resource,
            `arn:aws:autoscaling:${AWS_REGION}:${AWS_ACCOUNT}:autoScalingGroup:*:autoScalingGroupName/cloudlab-dev-nodes`,
        );
        assert.deepEqual(by("ReportReady").Action, ["autoscaling:CompleteLifecycleAction"]);
        assert.ok(!JSON.stringify(policy).includes('"*:*"') && !policy.Statement.some((s: any) => s.Action === "*"));
        assert.equal(one(T.profile).inputs.role, "app-role-role");
    });

    it("keeps releases in the stack's own immutable ECR repository and runs a tag ECR has without building it", async () => {
        const { one, resources, invoked } = await dev(
            { imageTag: "v1", appImage: "team-app" },
            { tags: ["v1"], repository: "cloudlab-dev/team-app" },
        );
        const repo = one(T.repository).inputs;
        assert.equal(repo.name, "cloudlab-dev/team-app", "scoped to the stack: two stacks never share one");
        assert.equal(repo.imageTagMutability, "IMMUTABLE");
        assert.equal(repo.forceDelete, true, "destroy removes the stack's repository with its releases");
        assert.deepEqual(repo.imageScanningConfiguration, { scanOnPush: true });
        assert.equal(byType(resources, T.image).length, 0, "an existing release is never rebuilt");
        // The tags of this repository only, by name: no DescribeRepositories over the registry; a token to read
        // the release's manifest (its architecture).
        assert.deepEqual(
            invoked.filter((i) => i.token.startsWith("aws:ecr/")).map((i) => [i.token, i.inputs]),
            [
                ["aws:ecr/getImages:getImages", { repositoryName: "cloudlab-dev/team-app" }],
                ["aws:ecr/getAuthorizationToken:getAuthorizationToken", { registryId: AWS_ACCOUNT }],
            ],
        );
        assert.match(bootScriptOf(one(T.template)), new RegExp(`^IMAGE='${REGISTRY}/cloudlab-dev/team-app:v1'$`, "m"));
    });

    it("expires untagged images only from the stack's repository: every tagged release stays a rollback", async () => {
        const { one } = await dev();
        const lifecycle = one(T.ecrLifecycle);
        assert.equal(lifecycle.inputs.repository, "cloudlab-dev/cloudlab-app");
        assert.deepEqual(JSON.parse(lifecycle.inputs.policy), {
            rules: [
                {
                    rulePriority: 1,
                    description: "untagged images only: tagged releases are rollbacks",
                    selection: {
                        tagStatus: "untagged",
                        countType: "sinceImagePushed",
                        countUnit: "days",
                        countNumber: 1,
                    },
                    action: { type: "expire" },
                },
            ],
        });
        assert.deepEqual(lifecycle.options.dependsOn, ["app-image-repository"]);
    });

    it("scopes the repository to the stack: another stack gets its own", async () => {
        const { one } = await runStack("staging", { tags: ["v1"], repository: "cloudlab-staging/cloudlab-app" });
        assert.equal(one(T.repository).inputs.name, "cloudlab-staging/cloudlab-app");
    });

    it("uses an existing repository named by ecrRepository without declaring (so never deleting) it", async () => {
        const { one, resources, invoked } = await dev(
            { imageTag: "v1", ecrRepository: "team/app" },
            { tags: ["v1"], repository: "team/app" },
        );
        assert.equal(byType(resources, T.repository).length, 0, "an existing repository is not the stack's to delete");
        assert.equal(byType(resources, T.ecrLifecycle).length, 0, "nor its lifecycle to set");
        assert.deepEqual(invoked.find((i) => i.token === "aws:ecr/getRepository:getRepository")!.inputs, {
            name: "team/app",
        });
        assert.deepEqual(invoked.find((i) => i.token === "aws:ecr/getImages:getImages")!.inputs, {
            repositoryName: "team/app",
        });
        assert.match(bootScriptOf(one(T.template)), new RegExp(`^IMAGE='${REGISTRY}/team/app:v1'$`, "m"));
        const policy = JSON.parse(one(T.rolePolicy).inputs.policy);
        assert.equal(
            policy.Statement.find((st: any) => st.Sid === "EcrPull").Resource,
            `arn:aws:ecr:${AWS_REGION}:${AWS_ACCOUNT}:repository/team/app`,
        );
    });

    it("builds and pushes a missing tag from app/ with ECR credentials, before the nodes run it", async () => {
        const { one } = await dev({ imageTag: "v3", nodeBaseImage: "node:22-bookworm-slim" }, { tags: ["v1", "v2"] });
        const image = one(T.image, "app-image-v3").inputs;
        assert.equal(image.imageName, `${REGISTRY}/cloudlab-dev/cloudlab-app:v3`);
        // The services' one recipe (service.Dockerfile), its app stage: tests/unit/serviceImage.test.ts.
        assert.deepEqual(image.build, {
            context: "app",
            dockerfile: "service.Dockerfile",
            target: "app",
            platform: "linux/amd64",
            args: { BASE_IMAGE: "node:22-bookworm-slim", SERVICE: "app" },
        });
        const registry = secretValue(image.registry);
        assert.equal(registry.server, `${REGISTRY}/cloudlab-dev/cloudlab-app`);
        assert.equal(registry.username, "AWS");
        assert.match(
            bootScriptOf(one(T.template)),
            new RegExp(`^IMAGE='${REGISTRY}/cloudlab-dev/cloudlab-app:v3'$`, "m"),
        );
        // The user data is rendered from the pushed image: the template (so every node) waits for the push.
        assert.deepEqual(one(T.template).options.propertyDependencies.userData, ["app-image-v3"]);
    });

    it("builds on the first up, when the stack's repository does not exist yet (ECR: couldn't find resource)", async () => {
        const { resources, one } = await dev({ imageTag: "v1" }, { tags: undefined });
        assert.equal(byType(resources, T.image).length, 1);
        assert.equal(one(T.repository).inputs.name, "cloudlab-dev/cloudlab-app");
    });

    it("builds the image and picks the AMI for the instance type's architecture (Graviton)", async () => {
        const { one, invoked } = await dev({ instanceType: "t4g.small", imageTag: "v9" });
        assert.equal(one(T.image).inputs.build.platform, "linux/arm64");
        const ami = invoked.find((i) => i.token === "aws:ec2/getAmi:getAmi")!.inputs;
        assert.deepEqual(ami.filters.find((f: any) => f.name === "name").values, ["al2023-ami-2023.*-kernel-*-arm64"]);
        assert.equal(one(T.template).inputs.imageId, "ami-0a1b2c3d4e5f60718");
    });

    it("refuses at preview a release built for the other architecture than instanceType's (x86 <-> Graviton)", async () => {
        // v1 was built for x86; a t4g node could never pull it, and ECR's immutable tag is never rebuilt.
        const arm = { platform: "aws", "aws:region": AWS_REGION, instanceType: "t4g.small", imageTag: "v1" };
        const refusal = async (world: AwsWorld) => {
            const aws = awsCalls(world);
            aws.failure.catch(() => undefined);
            return runProgramError(arm, { stack: "dev", preview: true, calls: aws.calls });
        };
        assert.match(
            await refusal({ tags: ["v1"] }),
            /cloudlab:imageTag = "v1" was built for x86_64 and cloudlab:instanceType = "t4g.small" runs arm64: .*set a new imageTag/,
        );
        // A release of the nodes' architecture runs as it is, from an image index or a single image.
        for (const world of [
            { tags: ["v1"], architectures: { v1: "arm64" } },
            { tags: ["v1"], architectures: { v1: "arm64" }, singleImageTags: ["v1"] },
        ]) {
            const { resources, one } = await dev({ instanceType: "t4g.small", imageTag: "v1" }, world);
            assert.equal(byType(resources, T.image).length, 0);
            assert.match(bootScriptOf(one(T.template)), /^IMAGE='.*:v1'$/m);
        }
        assert.match(await refusal({ tags: ["v1"], singleImageTags: ["v1"] }), /was built for x86_64/);
    });

    it("shows no secret in user data, outputs or any input but the build's registry password", async () => {
        const { resources, outputs, one } = await dev({ imageTag: "v3" }, { tags: ["v1"] });
        const token = Buffer.from(`AWS:${ECR_PASSWORD}`).toString("base64");
        assert.equal(
            secretValue(one(T.image).inputs.registry).password,
            ECR_PASSWORD,
            "the password reaches the build as a secret",
        );
        const userData = userDataOf(one(T.template));
        for (const secret of [ECR_PASSWORD, token]) {
            assert.ok(!userData.includes(secret), "secret in user data");
            assert.ok(!JSON.stringify(outputs).includes(secret), "secret in outputs");
            const elsewhere = resources.filter((r) => r.type !== T.image && JSON.stringify(r.inputs).includes(secret));
            assert.deepEqual(
                elsewhere.map((r) => r.name),
                [],
            );
        }
        assert.doesNotMatch(userData, /docker login|--password|get-login-password|aws_secret_access_key|AKIA/i);
    });

    it("exports the balancer's URL, the group, the dashboard and the repository, and no local-only output", async () => {
        const { outputs } = await dev({ imageTag: "v2" });
        assert.equal(outputs.platform, "aws");
        assert.equal(outputs.imageTag, "v2");
        assert.equal(outputs.balancerUrl, `http://balancer-alb-1234567890.${AWS_REGION}.elb.amazonaws.com`);
        assert.equal(outputs.groupName, "cloudlab-dev-nodes");
        assert.equal(
            outputs.dashboardUrl,
            `https://${AWS_REGION}.console.aws.amazon.com/cloudwatch/home?region=${AWS_REGION}#dashboards/dashboard/cloudlab-dev`,
        );
        assert.equal(outputs.repositoryUrl, `${REGISTRY}/cloudlab-dev/cloudlab-app`);
        assert.equal(outputs.nodeAmi, "ami-0123456789abcdef0", "the newest AL2023 while nodeAmi is empty: pin it");
        assert.match(String(outputs.controller), /\+1 node .* above 70% for 2 x 60 s, -1 .* below 20%; 2 to 4 nodes/);
        assert.match(String(outputs.monitoring), /dashboard cloudlab-dev/);
        for (const local of ["statsUrl", "metricsUrl", "nodes", "nodeUrls"])
            assert.equal(outputs[local], undefined, local);
    });

    it("previews the same graph as it deploys", async () => {
        const up = await dev({ imageTag: "v3" }, { tags: ["v1"] });
        const preview = await dev({ imageTag: "v3" }, { tags: ["v1"] }, true);
        const names = (rs: Registered[]) => rs.map((r) => `${r.type}::${r.name}`).sort();
        assert.deepEqual(names(preview.resources), names(up.resources));
    });

    it("declares nothing, and looks nothing up, when the dev stack's config is wrong", async () => {
        const aws = awsCalls({ tags: ["latest"] });
        aws.failure.catch(() => undefined);
        const { error, resources } = await runFailingProgram(
            { platform: "aws", "aws:region": AWS_REGION, lbPort: "9000", checkPeriod: "30" },
            { stack: "dev", calls: aws.calls },
        );
        assert.ok(error instanceof Error && error.name === "ConfigError", String(error));
        assert.match(error.message, /cloudlab:lbPort = "9000" only applies to the local platform/);
        assert.match(error.message, /cloudlab:checkPeriod = 30 is not allowed on aws/);
        assert.deepEqual(
            resources.map((r) => `${r.type} ${r.name}`),
            [],
            "registered before validation failed",
        );
        assert.deepEqual(
            aws.invoked.map((i) => i.token),
            [],
            "invoked before validation failed",
        );
    });

    it("answers every AWS invoke the program makes, and fails loudly on any other", async () => {
        const { invoked } = await dev({ imageTag: "v3" }, { tags: ["v1"] });
        assert.deepEqual([...new Set(invoked.map((i) => i.token))].sort(), [
            "aws:autoscaling/getAmiIds:getAmiIds",
            "aws:ec2/getAmi:getAmi",
            "aws:ec2/getSubnets:getSubnets",
            "aws:ec2/getVpc:getVpc",
            "aws:ecr/getAuthorizationToken:getAuthorizationToken",
            "aws:ecr/getImages:getImages",
            "aws:index/getCallerIdentity:getCallerIdentity",
            "aws:index/getPartition:getPartition",
            "aws:index/getRegion:getRegion",
        ]);
        const aws = awsCalls();
        aws.failure.catch(() => undefined);
        assert.throws(
            () => aws.calls("aws:ec2/getInstances:getInstances", {}),
            /unexpected invoke aws:ec2\/getInstances/,
        );
        await assert.rejects(aws.failure, /unexpected invoke/);
    });
});
