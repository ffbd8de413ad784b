import { strict as assert } from "assert";
import type { LocalAppNodeArgs } from "../../components/local/appNode";
import type { AwsAppNodeArgs } from "../../components/aws/appNode";
import { KEYS, KeyName, appliesTo } from "../../components/config/schema";
import { AwsConfig, LocalConfig, onPlatform, validateConfig } from "../../components/config/validate";

// The @ts-expect-error lines are the test: `tsc -p .` (npm test's type-check) fails on a directive that is no
// longer needed, so a LocalConfig that let an aws key through (or the reverse) breaks the build.

function instanceTypeOfLocal(config: LocalConfig): unknown {
    // @ts-expect-error instanceType is an aws key: code given a local config cannot read it
    return config.instanceType;
}

function lbPortOfAws(config: AwsConfig): unknown {
    // @ts-expect-error lbPort is a local key: code given an aws config cannot read it
    return config.lbPort;
}

// A local component cannot take an aws key as an argument: its arguments are typed from LocalConfig.
// @ts-expect-error instanceType is not a key of LocalConfig
export type LocalNodeWithInstanceType = LocalAppNodeArgs & { instanceType: LocalConfig["instanceType"] };
// @ts-expect-error nodeCpus is not a key of AwsConfig
export type AwsNodeWithCpus = AwsAppNodeArgs & { nodeCpus: AwsConfig["nodeCpus"] };

describe("a validated config holds its platform's keys, and only those", () => {
    for (const platform of ["local", "aws"] as const) {
        it(`on ${platform}: exactly the keys schema.ts gives the ${platform} platform`, () => {
            const config = validateConfig({ platform });
            const own = (Object.keys(KEYS) as KeyName[]).filter((k) => appliesTo(k, platform));
            assert.deepEqual(Object.keys(config).sort(), own.sort());
        });
    }

    it("a tool for one platform refuses a stack on the other, naming the platform it is on", () => {
        assert.throws(
            () => onPlatform(validateConfig({ platform: "aws" }), "local"),
            /cloudlab:platform = "aws": expected a local stack here/,
        );
        assert.equal(onPlatform(validateConfig({}), "local").lbPort, 8080);
    });

    it("reads nothing of the other platform at run time either", () => {
        assert.equal(instanceTypeOfLocal(validateConfig({ platform: "local" })), undefined);
        assert.equal(lbPortOfAws(validateConfig({ platform: "aws" })), undefined);
    });
});
