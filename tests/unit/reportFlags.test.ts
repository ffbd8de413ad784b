/**
 * `npm run report`'s flags: `-s` as every verb takes it (`npm run up -- -s dev`), on the scripts' one grammar
 * (scripts/lib/argv.ts), so bench and sweep take it too.
 */
import { strict as assert } from "assert";
import { parseFlags as sweepFlags } from "../../scripts/load/sweep/flags";
import { reportFlags } from "../../scripts/report/flags";

describe("npm run report: flags", () => {
    it("takes the stack as -s or --stack, local by default", () => {
        assert.equal(reportFlags(["--since", "24h", "-s", "dev"]).stack, "dev");
        assert.equal(reportFlags(["-s", "dev", "--since", "24h"]).stack, "dev");
        assert.equal(reportFlags(["--since", "24h", "--stack", "dev"]).stack, "dev");
        assert.equal(reportFlags(["--since", "24h"]).stack, "local");
        assert.deepEqual(reportFlags(["--since", "1h", "--out", "x"]), { since: "1h", stack: "local", out: "x" });
    });

    it("names a bad argument and shows the usage; --since is required", () => {
        assert.throws(() => reportFlags(["--since", "24h", "--stak", "dev"]), /unknown flag "--stak"[\s\S]*usage:/);
        assert.throws(() => reportFlags(["--since", "24h", "-s"]), /--stack needs a value/);
        assert.throws(() => reportFlags(["--stack", "dev"]), /^Error: usage: npm run report -- --since/);
        assert.throws(() => reportFlags(["--since", "24h", "-x", "1"]), /unexpected argument "-x"/);
    });

    it("is the scripts' grammar: the sweep takes -s too", () => {
        assert.equal(sweepFlags(["--users", "1", "-s", "dev"]).stack, "dev");
    });
});
