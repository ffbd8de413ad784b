import { strict as assert } from "assert";
import { cpusReadBack, cpusToNanos, stableCpusInput } from "../../components/config/dockerCpus";
import { validateConfig } from "../../components/config/validate";

describe("container CPUs in the docker provider's read-back form", () => {
    it("reads NanoCPUs back as terraform-provider-docker v4.5.0 does (its helpers_test.go cases)", () => {
        assert.equal(cpusReadBack(1_000_000_000n), "1.0");
        assert.equal(cpusReadBack(2_000_000_000n), "2.0");
        assert.equal(cpusReadBack(1_500_000_000n), "1.5");
        assert.equal(cpusReadBack(500_000_000n), "0.5");
        assert.equal(cpusReadBack(0n), "0");
    });

    it("keeps the provider's quirks: ten zeros trim to the point, exactly nine round to one place", () => {
        assert.equal(cpusReadBack(10_000_000_000n), "10.");
        assert.equal(cpusReadBack(10_050_000_000n), "10.1");
        assert.equal(cpusReadBack(250_000_000n), "0.25");
        assert.equal(cpusReadBack(123_456_789n), "0.123456789");
    });

    it("parses what Docker's --cpus accepts: at most 9 decimal places", () => {
        assert.equal(cpusToNanos("0.75"), 750_000_000n);
        assert.equal(cpusToNanos("3"), 3_000_000_000n);
        assert.equal(cpusToNanos("0.0000000001"), undefined);
        assert.equal(cpusToNanos("1e3"), undefined);
    });

    it("declares the read-back form when it means the same count, and nothing when no form is stable", () => {
        assert.equal(stableCpusInput("1"), "1.0");
        assert.equal(stableCpusInput("1.50"), "1.5");
        assert.equal(stableCpusInput("0.5"), "0.5");
        assert.equal(stableCpusInput("10"), undefined);
        assert.equal(stableCpusInput("10.05"), undefined);
    });

    it("turns nodeCpus into that form in the validated config, and refuses a count that cannot be stable", () => {
        assert.equal(validateConfig({ nodeCpus: "1" }).nodeCpus, "1.0");
        assert.equal(validateConfig({ nodeCpus: "0.75" }).nodeCpus, "0.75");
        assert.throws(
            () => validateConfig({ nodeCpus: "10" }),
            /cloudlab:nodeCpus = "10" is not allowed: .*reads this one back as "10\."/,
        );
        assert.throws(() => validateConfig({ nodeCpus: "10.05" }), /reads this one back as "10\.1"/);
    });
});
