import * as pulumi from "@pulumi/pulumi";
import { strict as assert } from "assert";
import { ConfigError } from "../../components/config/errors";
import { KEYS, KeyName } from "../../components/config/schema";
import { MAX_LOAD_CIDRS, validateConfig } from "../../components/config/validate";

/** Validates and returns the single error message, or fails the test when the config passes. */
function problemsOf(raw: Record<string, string>): string {
    try {
        validateConfig(raw);
    } catch (err) {
        assert.ok(err instanceof ConfigError, `expected ConfigError, got ${err}`);
        return err.message;
    }
    assert.fail(`config ${JSON.stringify(raw)} was accepted`);
}

describe("config validation", () => {
    it("accepts the defaults of both platforms", () => {
        const local = validateConfig({});
        assert.equal(local.platform, "local");
        assert.equal(local.nodeCount, 2);
        assert.equal(local.nodeLimit, 4);
        assert.equal(local.subnet.text, "10.77.0.0/24");
        assert.deepEqual(local.nodeImageTags, {});
        const aws = validateConfig({ platform: "aws" });
        assert.equal(aws.platform, "aws");
        assert.deepEqual(
            aws.allowedCidrs.map((c) => c.text),
            ["0.0.0.0/0"],
        );
    });

    const bad: Partial<Record<KeyName, string[]>> = {
        platform: ["gcp", ""],
        imageTag: ["", "-dash", ".dot", "has space", "a/b", "x".repeat(129), "tag:colon"],
        nodeImageTags: ["node-2", "node-9=v1", "node-0=v1", "web-1=v1", "node-2=bad tag", "node-2=a,node-2=b"],
        appImage: ["UPPER", "app:tag", "", "a//b"],
        imageBuild: ["always", "yes"],
        nodeBaseImage: ["", "Node:22", "node:bad tag"],
        lbImage: ["", "has space"],
        nodeCount: ["0", "-1", "1.5", "abc", "17", ""],
        nodeLimit: ["0", "17", "four"],
        appPort: ["80", "0", "65536", "http"],
        lbPort: ["0", "70000", "x"],
        lbStatsPort: ["0", "-5"],
        nodePortBase: ["0", "65536"],
        subnet: ["10.77.0.0", "10.77.0.5/24", "10.77.0.0/8", "10.77.0.0/29", "300.1.1.0/24", "abc"],
        balance: ["random", "RoundRobin"],
        nodeCpus: ["0", "0.05", "-1", "two", "65"],
        nodeMemoryMb: ["32", "0", "big"],
        drainSeconds: ["-1", "301", "1.5"],
        rollingBatchSize: ["0", "17"],
        checkPeriod: ["0", "3601", "1m", "2.5"],
        cpuHighPercent: ["0", "101", "70%"],
        cpuLowPercent: ["-1", "100"],
        evaluationPeriods: ["0", "101"],
        alertEmail: ["not-an-email", "a@b", "two@x.com three@y.com"],
        instanceType: ["T3.MICRO", "micro", "t3"],
        vpcId: ["vpc-xyz", "vpc-12345"],
        subnetIds: ['["subnet-bad"]', '["subnet-0123456789abcdef0", 3]', "[not json"],
        allowedCidrs: ['["0.0.0.0"]', '["10.0.0.1/8"]'],
        loadCidrs: ['["0.0.0.0"]', '["10.0.0.1/8"]', "not-a-cidr"],
        nodeAddress: ["none", "Public"],
        nodeAmi: ["ami-xyz", "AMI-0123456789abcdef0", "al2023"],
        logRetentionDays: ["0", "10", "3654", "two weeks"],
        certificateArn: ["arn:aws:iam::123456789012:server-certificate/x", "cert"],
        ecrRepository: ["Team/App", "has space", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/app"],
        backendDelayMs: ["-1", "60001", "20ms"],
        cache: ["yes", "ON", ""],
        cacheTtlSeconds: ["0", "86401", "1.5"],
        cacheMaxEntries: ["0", "1000001", "many"],
        cooldownSeconds: ["-1", "86401", "1m"],
        controllerPort: ["0", "65536", "x"],
        accessLogDays: ["-1", "3651", "1.5", "forever"],
        prometheusImage: ["", "prom/prometheus:", "prom/prometheus:bad tag"],
        alertmanagerImage: ["", "has space"],
        grafanaImage: ["has space"],
        cadvisorImage: ["has space"],
        prometheusPort: ["0", "65536"],
        alertmanagerPort: ["0", "x"],
        grafanaPort: ["-1", "70000"],
        cadvisorPort: ["0", "65536", "8081/tcp"],
        scrapeIntervalSeconds: ["0", "301", "15s"],
        retentionDays: ["0", "366", "7d"],
        alertErrorRatePercent: ["0", "101", "5%"],
        alertLatencyMs: ["0", "600001", "1s"],
        alertRestarts: ["0", "101"],
        smtpHost: ["smtp.example.com:25", "-bad", "has space"],
        smtpPort: ["0", "65536"],
        smtpTls: ["tls", "STARTTLS", ""],
        smtpUser: ["has space"],
        smtpPassword: ["two\nlines"],
        smtpFrom: ["", "nobody", "a b@c"],
        accessLogMaxMb: ["0", "1025", "20MB"],
        accessLogFiles: ["1", "101", "five"],
        reportSchedule: ["", "daily", "24", "0h", "9s", "32d", "1.5h", " 24h", "24H", "on"],
    };

    it("covers every key with bad values", () => {
        assert.deepEqual(Object.keys(bad).sort(), Object.keys(KEYS).sort());
    });

    for (const [key, values] of Object.entries(bad)) {
        const platform = KEYS[key as KeyName].platforms.includes("local") ? "local" : "aws";
        for (const value of values!) {
            it(`rejects ${key} = ${JSON.stringify(value).slice(0, 40)} naming the key and the value`, () => {
                const message = problemsOf({ platform, [key]: value });
                assert.match(message, new RegExp(`cloudlab:${key}`));
                // The message quotes the bad value (for node=tag lists, the bad pair) as JSON.
                const shown = JSON.stringify(key === "nodeImageTags" ? value.split(",").pop()!.trim() : value).slice(
                    1,
                    -1,
                );
                assert.ok(message.includes(shown), `message does not show the value ${shown}: ${message}`);
            });
        }
    }

    it("says what is allowed", () => {
        assert.match(problemsOf({ nodeCount: "abc" }), /"abc" is not allowed: expected an integer from 1 to 16/);
        assert.match(problemsOf({ balance: "random" }), /expected one of roundrobin, leastconn/);
    });

    it("rejects nodeCount above nodeLimit, and accepts every node running (nodeCount = nodeLimit)", () => {
        assert.match(
            problemsOf({ nodeCount: "5", nodeLimit: "4" }),
            /cloudlab:nodeCount = 5 .*at most nodeLimit \(4\)/,
        );
        const full = validateConfig({ nodeCount: "4", nodeLimit: "4" });
        assert.equal(full.nodeCount, 4);
        assert.equal(full.nodeLimit, 4);
        assert.equal(validateConfig({ platform: "aws", nodeCount: "1", nodeLimit: "1" }).nodeCount, 1);
    });

    it("rejects cpuLowPercent not below cpuHighPercent", () => {
        assert.match(problemsOf({ cpuLowPercent: "70", cpuHighPercent: "70" }), /cpuLowPercent = 70/);
        assert.match(problemsOf({ cpuLowPercent: "80", cpuHighPercent: "70" }), /cpuLowPercent = 80/);
        assert.equal(validateConfig({ cpuLowPercent: "69", cpuHighPercent: "70" }).cpuLowPercent, 69);
    });

    it("keeps the access log within what a report can read: at most 128 MB over all its files", () => {
        assert.match(
            problemsOf({ accessLogMaxMb: "30", accessLogFiles: "5" }),
            /accessLogMaxMb = 30 is not allowed with accessLogFiles = 5: 150 MB of access log, expected at most 128 MB/,
        );
        assert.match(problemsOf({ accessLogMaxMb: "1024", accessLogFiles: "2" }), /2048 MB of access log/);
        const edge = validateConfig({ accessLogMaxMb: "64", accessLogFiles: "2" });
        assert.equal(edge.accessLogMaxMb * edge.accessLogFiles, 128);
    });

    it("rejects a batch larger than nodeLimit, and accepts a batch of every node", () => {
        assert.match(problemsOf({ rollingBatchSize: "5", nodeLimit: "4" }), /rollingBatchSize = 5/);
        assert.equal(validateConfig({ rollingBatchSize: "4", nodeLimit: "4" }).rollingBatchSize, 4);
    });

    it("rejects ports that collide on 127.0.0.1", () => {
        assert.match(
            problemsOf({ lbPort: "8404" }),
            /port 8404 is used twice on 127.0.0.1: by lbPort and by lbStatsPort/,
        );
        assert.match(problemsOf({ nodePortBase: "8079", nodeLimit: "4" }), /port 8080 is used twice.*node-2/);
        assert.match(problemsOf({ nodePortBase: "65534", nodeLimit: "4" }), /node-4 would need port 65537/);
        assert.match(
            problemsOf({ alertmanagerPort: "9090" }),
            /port 9090 is used twice on 127.0.0.1: by prometheusPort and by alertmanagerPort/,
        );
        assert.match(problemsOf({ grafanaPort: "8080" }), /port 8080 is used twice.*grafanaPort/);
        // Without Grafana its port is not published, so it collides with nothing.
        assert.equal(validateConfig({ grafanaImage: "", grafanaPort: "8080" }).grafanaPort, 8080);
    });

    it("refuses mail settings that would fail at the first alert", () => {
        assert.match(problemsOf({ smtpHost: "mail.lab" }), /smtpHost = "mail.lab" needs cloudlab:alertEmail/);
        assert.match(problemsOf({ smtpUser: "lab", alertEmail: "a@b.io" }), /smtpHost is empty/);
        const mail = { smtpHost: "mail.lab", alertEmail: "a@b.io" };
        assert.match(problemsOf({ ...mail, smtpPassword: "pw" }), /smtpUser is empty/);
        assert.match(
            problemsOf({ ...mail, smtpUser: "lab", smtpPassword: "pw", smtpTls: "none" }),
            /smtpTls = "none" is not allowed with smtpUser "lab": the password would cross the network in clear/,
        );
        const relay = validateConfig({ ...mail, smtpTls: "none", smtpPort: "25" });
        assert.equal(relay.smtpHost, "mail.lab");
        assert.equal(validateConfig({ ...mail, smtpUser: "lab", smtpTls: "none", smtpPort: "465" }).smtpPort, 465);
    });

    it("rejects subnets that are too small or overlap Docker's default bridge", () => {
        assert.match(
            problemsOf({ subnet: "10.77.0.0/28", nodeLimit: "5" }),
            /cloudlab:subnet = "10.77.0.0\/28".*16 addresses/,
        );
        assert.match(problemsOf({ subnet: "172.17.5.0/24" }), /overlaps Docker's default bridge/);
        assert.equal(validateConfig({ subnet: "10.77.0.0/28", nodeLimit: "4" }).subnet.size, 16);
    });

    it("refuses a local drain shorter than HAProxy takes to see a draining node down (1 s check, 2 falls 500 ms apart)", () => {
        // A 1 s drain let nodes leave while still UP in HAProxy: a rolling deploy lost 100 requests (SC-- 503s).
        assert.match(problemsOf({ drainSeconds: "1" }), /cloudlab:drainSeconds = 1 .*up to 1.5 s.*at least 2/);
        assert.match(problemsOf({ drainSeconds: "0" }), /cloudlab:drainSeconds = 0 /);
        assert.equal(validateConfig({ drainSeconds: "2" }).drainSeconds, 2);
        // AWS drains behind the load balancer's deregistration delay, not HAProxy's checks.
        assert.equal(validateConfig({ platform: "aws", drainSeconds: "0" }).drainSeconds, 0);
    });

    it("parses per-node tag overrides (a canary)", () => {
        assert.deepEqual(validateConfig({ nodeImageTags: "node-2=develop, node-3=v2" }).nodeImageTags, {
            "node-2": "develop",
            "node-3": "v2",
        });
    });

    it("rejects keys of the other platform, and unknown keys", () => {
        assert.match(
            problemsOf({ platform: "aws", lbPort: "9000" }),
            /cloudlab:lbPort = "9000" only applies to the local platform/,
        );
        assert.match(
            problemsOf({ platform: "local", instanceType: "m5.large" }),
            /cloudlab:instanceType = "m5.large" only applies to the aws/,
        );
        assert.match(problemsOf({ nodeCont: "3" }), /cloudlab:nodeCont is not a cloudlab setting/);
        // The CLI passes Pulumi.yaml defaults for every key: a default is not "set".
        validateConfig({ platform: "aws", lbPort: "8080" });
    });

    it("checks AWS-only rules", () => {
        assert.match(
            problemsOf({ platform: "aws", checkPeriod: "45" }),
            /CloudWatch alarm periods are 10, 20, 30 or a multiple of 60/,
        );
        assert.equal(validateConfig({ platform: "aws", checkPeriod: "120" }).checkPeriod, 120);
        assert.equal(validateConfig({ platform: "local", checkPeriod: "45" }).checkPeriod, 45);
        // The local controller reads a container's stats every second: a short period is its tests' and demos'.
        assert.equal(validateConfig({ platform: "local", checkPeriod: "2" }).checkPeriod, 2);
        assert.match(problemsOf({ platform: "aws", checkPeriod: "2" }), /checkPeriod = 2 is not allowed on aws/);
        assert.match(
            problemsOf({ platform: "local", controllerPort: "8080" }),
            /port 8080 is used twice on 127.0.0.1: by lbPort and by controllerPort/,
        );
        assert.match(
            problemsOf({ platform: "aws", vpcId: "vpc-0123456789abcdef0", subnetIds: '["subnet-0123456789abcdef0"]' }),
            /at least two zones/,
        );
        assert.match(
            problemsOf({ platform: "aws", subnetIds: "subnet-0123456789abcdef0,subnet-0123456789abcdef1" }),
            /vpcId is empty/,
        );
        assert.match(
            problemsOf({ platform: "aws", vpcId: "vpc-0123456789abcdef0" }),
            /cloudlab:vpcId = "vpc-0123456789abcdef0" needs cloudlab:subnetIds: .*one public subnet per zone/,
        );
    });

    describe("on the aws platform", () => {
        const aws = (raw: Record<string, string>) => ({ platform: "aws" as const, ...raw });

        it("accepts Pulumi.dev.yaml-style settings", () => {
            const cfg = validateConfig(
                aws({
                    instanceType: "t4g.small",
                    vpcId: "vpc-0123456789abcdef0",
                    subnetIds: '["subnet-0123456789abcdef0","subnet-0123456789abcdef1"]',
                    allowedCidrs: "203.0.113.0/24, 198.51.100.0/24",
                    appImage: "team/cloudlab-app",
                    checkPeriod: "120",
                    evaluationPeriods: "3",
                }),
            );
            assert.deepEqual(cfg.subnetIds, ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]);
            assert.deepEqual(
                cfg.allowedCidrs.map((c) => c.text),
                ["203.0.113.0/24", "198.51.100.0/24"],
            );
            assert.equal(cfg.appImage, "team/cloudlab-app");
        });

        it("needs a check period the CPU alarms can use: a multiple of 60 (EC2 publishes CPU per minute at best)", () => {
            for (const p of ["10", "20", "30", "45", "90"]) {
                assert.match(
                    problemsOf(aws({ checkPeriod: p })),
                    new RegExp(`cloudlab:checkPeriod = ${p} is not allowed on aws: .*multiple of 60`),
                );
            }
            for (const p of ["60", "120", "300", "3600"])
                assert.equal(validateConfig(aws({ checkPeriod: p })).checkPeriod, Number(p));
        });

        it("keeps an alarm's window within the day CloudWatch looks back", () => {
            assert.match(
                problemsOf(aws({ checkPeriod: "3600", evaluationPeriods: "25" })),
                /cloudlab:evaluationPeriods = 25 is not allowed on aws with checkPeriod 3600/,
            );
            validateConfig(aws({ checkPeriod: "3600", evaluationPeriods: "24" }));
            validateConfig({ platform: "local", checkPeriod: "3600", evaluationPeriods: "25" });
        });

        it("wants appImage as an ECR repository name, without a registry host", () => {
            for (const bad of ["registry.example.com/app", "localhost:5000/app", "localhost/app"]) {
                const message = problemsOf(aws({ appImage: bad }));
                assert.match(
                    message,
                    /cloudlab:appImage = .* is not allowed on aws: expected the name of the stack's ECR repository/,
                );
                assert.ok(message.includes(JSON.stringify(bad)), message);
            }
            validateConfig(aws({ appImage: "team/app" }));
            validateConfig({ platform: "local", appImage: "registry.example.com/app" });
        });

        it("rejects more loadCidrs than the listener takes rules for, naming the key", () => {
            const many = JSON.stringify(Array.from({ length: MAX_LOAD_CIDRS + 1 }, (_, i) => `10.0.${i}.0/24`));
            assert.match(
                problemsOf(aws({ loadCidrs: many })),
                new RegExp(
                    `cloudlab:loadCidrs = .*10\\.0\\.${MAX_LOAD_CIDRS}\\.0/24.* is not allowed: at most ${MAX_LOAD_CIDRS} CIDRs`,
                ),
            );
            assert.equal(
                validateConfig({ platform: "aws", loadCidrs: many.replace(/,"[^"]*"\]$/, "]") }).loadCidrs.length,
                MAX_LOAD_CIDRS,
            );
        });

        it("rejects an empty allowedCidrs and a subnet given twice", () => {
            assert.match(
                problemsOf(aws({ allowedCidrs: "[]" })),
                /cloudlab:allowedCidrs = \[\] is not allowed on aws: nobody could reach the balancer/,
            );
            assert.match(
                problemsOf(
                    aws({
                        vpcId: "vpc-0123456789abcdef0",
                        subnetIds: "subnet-0123456789abcdef0,subnet-0123456789abcdef0",
                    }),
                ),
                /cloudlab:subnetIds = .* subnet-0123456789abcdef0 is given twice/,
            );
        });

        /** A valid value that is not the default, per key that only one platform has. */
        const otherValue: Partial<Record<KeyName, string>> = {
            nodeImageTags: "node-2=v2",
            lbImage: "cloudlab/haproxy:bookworm",
            lbPort: "9080",
            lbStatsPort: "9404",
            nodePortBase: "4001",
            subnet: "10.88.0.0/24",
            balance: "roundrobin",
            nodeCpus: "1",
            nodeMemoryMb: "512",
            instanceType: "t3.small",
            vpcId: "vpc-0123456789abcdef0",
            subnetIds: "subnet-0123456789abcdef0,subnet-0123456789abcdef1",
            allowedCidrs: "10.0.0.0/8",
            loadCidrs: '["203.0.113.0/24"]',
            nodeAddress: "private",
            ecrRepository: "team/app",
            nodeAmi: "ami-0123456789abcdef0",
            logRetentionDays: "30",
            certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/0123abcd-0123-4567-89ab-0123456789ab",
            controllerPort: "9191",
            accessLogDays: "30",
            prometheusImage: "cloudlab/prometheus:bookworm",
            alertmanagerImage: "cloudlab/alertmanager:bookworm",
            grafanaImage: "",
            cadvisorImage: "",
            prometheusPort: "19090",
            alertmanagerPort: "19093",
            grafanaPort: "13100",
            cadvisorPort: "18081",
            scrapeIntervalSeconds: "5",
            retentionDays: "2",
            alertErrorRatePercent: "10",
            alertLatencyMs: "250",
            alertRestarts: "5",
            smtpHost: "mail.lab",
            smtpPort: "25",
            smtpTls: "none",
            smtpUser: "lab",
            smtpPassword: "hunter2",
            smtpFrom: "lab@example.com",
            accessLogMaxMb: "5",
            accessLogFiles: "3",
            reportSchedule: "1h",
        };

        it("covers every key that only one platform has", () => {
            const single = (Object.keys(KEYS) as KeyName[]).filter((k) => KEYS[k].platforms.length === 1);
            assert.deepEqual(Object.keys(otherValue).sort(), single.sort());
        });

        for (const [key, value] of Object.entries(otherValue)) {
            const own = KEYS[key as KeyName].platforms[0];
            const other = own === "local" ? "aws" : "local";
            it(`rejects the ${own}-only ${key} on the ${other} stack, saying how to remove it`, () => {
                const message = problemsOf({ platform: other, [key]: value! });
                assert.ok(
                    message.includes(`cloudlab:${key} = ${JSON.stringify(value)} only applies to the ${own} platform`),
                    message,
                );
                assert.ok(message.includes(`pulumi config rm ${key}`), message);
                // subnetIds come with the VPC they belong to, and a VPC with its subnets.
                validateConfig({
                    platform: own,
                    [key]: value!,
                    ...(key === "subnetIds" ? { vpcId: otherValue.vpcId } : {}),
                    ...(key === "vpcId" ? { subnetIds: otherValue.subnetIds } : {}),
                    // Mail settings come with what they need: a recipient, a server, a login.
                    ...(key.startsWith("smtp") ? { alertEmail: "ops@example.com" } : {}),
                    ...(key === "smtpUser" || key === "smtpPassword" ? { smtpHost: "mail.lab", smtpUser: "lab" } : {}),
                });
            });
        }
    });

    it("throws a pulumi.RunError, which the CLI prints as the message alone (no stack trace)", () => {
        assert.throws(
            () => validateConfig({ nodeCount: "x" }),
            (err: unknown) => pulumi.RunError.isInstance(err) && err instanceof ConfigError,
        );
    });

    it("reports every bad key in one message", () => {
        const message = problemsOf({ nodeCount: "x", appPort: "1", balance: "y" });
        assert.match(message, /3 problems/);
        for (const key of ["nodeCount", "appPort", "balance"]) assert.match(message, new RegExp(`cloudlab:${key}`));
    });
});
