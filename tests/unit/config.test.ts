import { strict as assert } from "assert";
import { ConfigError } from "../../components/config/errors";
import { KEYS, KeyName } from "../../components/config/schema";
import { validateConfig } from "../../components/config/validate";

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
        assert.deepEqual(aws.allowedCidrs.map((c) => c.text), ["0.0.0.0/0"]);
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
        checkPeriod: ["5", "3601", "1m"],
        cpuHighPercent: ["0", "101", "70%"],
        cpuLowPercent: ["-1", "100"],
        evaluationPeriods: ["0", "101"],
        alertEmail: ["not-an-email", "a@b", "two@x.com three@y.com"],
        instanceType: ["T3.MICRO", "micro", "t3"],
        vpcId: ["vpc-xyz", "vpc-12345"],
        subnetIds: ['["subnet-bad"]', '["subnet-0123456789abcdef0", 3]', "[not json"],
        allowedCidrs: ['["0.0.0.0"]', '["10.0.0.1/8"]'],
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
                const shown = JSON.stringify(key === "nodeImageTags" ? value.split(",").pop()!.trim() : value).slice(1, -1);
                assert.ok(message.includes(shown), `message does not show the value ${shown}: ${message}`);
            });
        }
    }

    it("says what is allowed", () => {
        assert.match(problemsOf({ nodeCount: "abc" }), /"abc" is not allowed: expected an integer from 1 to 16/);
        assert.match(problemsOf({ balance: "random" }), /expected one of roundrobin, leastconn/);
    });

    it("rejects nodeCount above nodeLimit", () => {
        assert.match(problemsOf({ nodeCount: "5", nodeLimit: "4" }), /cloudlab:nodeCount = 5 .*at most nodeLimit \(4\)/);
    });

    it("rejects cpuLowPercent not below cpuHighPercent", () => {
        assert.match(problemsOf({ cpuLowPercent: "70", cpuHighPercent: "70" }), /cpuLowPercent = 70/);
    });

    it("rejects a batch larger than nodeLimit", () => {
        assert.match(problemsOf({ rollingBatchSize: "5", nodeLimit: "4" }), /rollingBatchSize = 5/);
    });

    it("rejects ports that collide on 127.0.0.1", () => {
        assert.match(problemsOf({ lbPort: "8404" }), /port 8404 is used twice on 127.0.0.1: by lbPort and by lbStatsPort/);
        assert.match(problemsOf({ nodePortBase: "8079", nodeLimit: "4" }), /port 8080 is used twice.*node-2/);
        assert.match(problemsOf({ nodePortBase: "65534", nodeLimit: "4" }), /node-4 would need port 65537/);
    });

    it("rejects subnets that are too small or overlap Docker's default bridge", () => {
        assert.match(problemsOf({ subnet: "10.77.0.0/28", nodeLimit: "5" }), /cloudlab:subnet = "10.77.0.0\/28".*16 addresses/);
        assert.match(problemsOf({ subnet: "172.17.5.0/24" }), /overlaps Docker's default bridge/);
        assert.equal(validateConfig({ subnet: "10.77.0.0/28", nodeLimit: "4" }).subnet.size, 16);
    });

    it("parses per-node tag overrides (a canary)", () => {
        assert.deepEqual(validateConfig({ nodeImageTags: "node-2=develop, node-3=v2" }).nodeImageTags, {
            "node-2": "develop",
            "node-3": "v2",
        });
    });

    it("rejects keys of the other platform, and unknown keys", () => {
        assert.match(problemsOf({ platform: "aws", lbPort: "9000" }), /cloudlab:lbPort = "9000" only applies to the local platform/);
        assert.match(problemsOf({ platform: "local", instanceType: "m5.large" }), /cloudlab:instanceType = "m5.large" only applies to the aws/);
        assert.match(problemsOf({ nodeCont: "3" }), /cloudlab:nodeCont is not a cloudlab setting/);
        // The CLI passes Pulumi.yaml defaults for every key: a default is not "set".
        validateConfig({ platform: "aws", lbPort: "8080" });
    });

    it("checks AWS-only rules", () => {
        assert.match(problemsOf({ platform: "aws", checkPeriod: "45" }), /CloudWatch alarm periods are 10, 20, 30 or a multiple of 60/);
        assert.equal(validateConfig({ platform: "aws", checkPeriod: "120" }).checkPeriod, 120);
        assert.equal(validateConfig({ platform: "local", checkPeriod: "45" }).checkPeriod, 45);
        assert.match(
            problemsOf({ platform: "aws", vpcId: "vpc-0123456789abcdef0", subnetIds: '["subnet-0123456789abcdef0"]' }),
            /at least two zones/,
        );
        assert.match(problemsOf({ platform: "aws", subnetIds: "subnet-0123456789abcdef0,subnet-0123456789abcdef1" }), /vpcId is empty/);
    });

    it("reports every bad key in one message", () => {
        const message = problemsOf({ nodeCount: "x", appPort: "1", balance: "y" });
        assert.match(message, /3 problems/);
        for (const key of ["nodeCount", "appPort", "balance"]) assert.match(message, new RegExp(`cloudlab:${key}`));
    });
});
