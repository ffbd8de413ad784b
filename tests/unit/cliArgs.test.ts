import { strict as assert } from "assert";
import { builtinFlags, parseInvocation } from "../../cli/args";
import { builtinStatePath } from "../../cli/builtinState";
import { CliError } from "../../cli/errors";
import { stackConfigPath } from "../../cli/stackConfig";
import { pulumiArgs } from "../../cli/pulumiCli";

describe("cli: the command line", () => {
    it("takes the verb, the stack from -s / --stack / --stack=, and keeps the rest in order", () => {
        assert.deepEqual(parseInvocation(["up"]), { verb: "up", stack: "local", rest: [] });
        assert.deepEqual(parseInvocation(["config", "-s", "t1", "set", "imageTag", "v2"]), {
            verb: "config",
            stack: "t1",
            rest: ["set", "imageTag", "v2"],
        });
        assert.deepEqual(parseInvocation(["outputs", "--json", "--stack", "dev"]).stack, "dev");
        assert.deepEqual(parseInvocation(["preview", "--stack=a.b_c-1"]).stack, "a.b_c-1");
        assert.deepEqual(parseInvocation(["config", "set", "--", "nodeImageTags", "-s"]), {
            verb: "config",
            stack: "local",
            rest: ["set", "--", "nodeImageTags", "-s"],
        });
    });

    it("refuses an unknown verb, a missing verb, a flag without its stack and a bad stack name, naming them", () => {
        assert.throws(
            () => parseInvocation(["upp"]),
            (e: Error) => e instanceof CliError && /unknown verb 'upp'/.test(e.message),
        );
        assert.throws(() => parseInvocation([]), /name a verb: up, preview, destroy, refresh, outputs, config/);
        assert.throws(() => parseInvocation(["up", "-s"]), /-s needs a stack name/);
        assert.throws(() => parseInvocation(["up", "-s", "my stack"]), /'my stack' is not a stack name/);
        assert.throws(() => parseInvocation(["up", "--stack="]), /'' is not a stack name/);
    });

    it("holds every stack name to one rule: the verbs' flag, the stack file and the built-in state alike", () => {
        const long = "a".repeat(101);
        for (const check of [
            (s: string) => parseInvocation(["up", "-s", s]).stack,
            (s: string) => stackConfigPath("/p", s),
            (s: string) => builtinStatePath("/p", s),
        ]) {
            for (const bad of ["..", ".", long, "a/b", "my stack", ""]) {
                assert.throws(
                    () => check(bad),
                    (e: Error) =>
                        e instanceof CliError &&
                        e.message ===
                            `'${bad}' is not a stack name: letters, digits, '-', '_' and '.' only, at most 100, not '.' or '..'`,
                    `${bad} (${check.toString()})`,
                );
            }
            check("a".repeat(100));
            check("dev.eu-1_x");
        }
    });

    it("gives each built-in verb only the flags it honours and names any other", () => {
        const { flags, positional } = builtinFlags("outputs", ["--json", "balancerUrl"]);
        assert.deepEqual([...flags], ["--json"]);
        assert.deepEqual(positional, ["balancerUrl"]);
        assert.deepEqual([...builtinFlags("up", ["-y"]).flags], ["--yes"]);
        assert.throws(
            () => builtinFlags("up", ["--target", "x"]),
            /up does not take --target \(it takes --yes, -y, --skip-preview\)/,
        );
        assert.throws(() => builtinFlags("preview", ["--json"]), /preview does not take --json/);
    });

    it("maps each verb to the Pulumi CLI command the README shows beside it", () => {
        assert.deepEqual(pulumiArgs("up", "local", ["--diff"]), ["up", "--stack", "local", "--yes", "--diff"]);
        assert.deepEqual(pulumiArgs("preview", "local", []), ["preview", "--stack", "local", "--diff"]);
        assert.deepEqual(pulumiArgs("destroy", "s", []), ["destroy", "--stack", "s", "--yes"]);
        assert.deepEqual(pulumiArgs("refresh", "s", []), ["refresh", "--stack", "s", "--yes"]);
        assert.deepEqual(pulumiArgs("outputs", "s", ["--json"]), ["stack", "output", "--stack", "s", "--json"]);
        assert.deepEqual(pulumiArgs("config", "s", ["set", "--", "nodeImageTags", "-x"]), [
            "config",
            "--stack",
            "s",
            "set",
            "--",
            "nodeImageTags",
            "-x",
        ]);
    });
});
