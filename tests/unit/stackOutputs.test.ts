/** A stack's outputs read back for the scripts beside it (npm run status), on either engine, without Docker. */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { builtinStatePath } from "../../cli/builtinState";
import { PulumiCommand } from "../../cli/engineChoice";
import { CliError } from "../../cli/errors";
import { readStackOutputs } from "../../cli/stackOutputs";
import { wrapSecret } from "../../engine/values";
import { stackStatusUrls, statusUrls } from "../../scripts/status/sources";
import { tempDir } from "../support/tempDir";

/** Outputs of a local stack on ports of its own (none of them the defaults). */
const OUTPUTS = {
    platform: "local",
    controllerUrl: "http://127.0.0.1:18190",
    statsUrl: "http://127.0.0.1:18404/stats",
    alertmanagerUrl: "http://127.0.0.1:18406",
    controllerToken: wrapSecret("s3cret"),
};

describe("stack outputs for the scripts beside a stack", () => {
    let root: string;
    beforeEach(() => (root = tempDir("outputs")));

    const writeState = (stack: string, outputs: object | undefined) => {
        const file = builtinStatePath(root, stack);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        const resources = outputs
            ? {
                  [`urn:pulumi:${stack}::cloudlab::pulumi:pulumi:Stack::cloudlab-${stack}`]: {
                      type: "pulumi:pulumi:Stack",
                      outputs,
                  },
              }
            : {};
        fs.writeFileSync(file, JSON.stringify({ version: 1, resources, pendingDeletes: [] }));
    };

    /** A `pulumi` that logs its arguments and answers `stack output` as a CLI would. */
    const fakeCli = (script: string): { cli: PulumiCommand; calls: () => string[] } => {
        const bin = path.join(root, "pulumi");
        const log = path.join(root, "calls");
        fs.writeFileSync(bin, `#!/usr/bin/env bash\necho "$*" >>${JSON.stringify(log)}\n${script}\n`, { mode: 0o755 });
        return {
            cli: { command: bin, prefix: [], env: {}, origin: "a fake pulumi" },
            calls: () => fs.readFileSync(log, "utf8").trim().split("\n"),
        };
    };

    it("reads the built-in engine's state as `npm run outputs -- --json` prints it (secrets hidden)", async () => {
        writeState("lab", OUTPUTS);
        const outputs = await readStackOutputs(root, "lab", { mode: "builtin" });
        assert.deepEqual(outputs, { ...OUTPUTS, controllerToken: "[secret]" });
    });

    it("asks the Pulumi CLI for the stack's outputs as JSON, and says which stack it has not", async () => {
        const found = fakeCli(`printf '%s' ${JSON.stringify(JSON.stringify(OUTPUTS))}`);
        assert.deepEqual(await readStackOutputs(root, "lab", { mode: "pulumi", cli: found.cli }), OUTPUTS);
        assert.deepEqual(found.calls(), ["stack output --stack lab --json"]);
        const missing = fakeCli(`echo "error: no stack named 'gone' found" >&2; exit 255`);
        await assert.rejects(
            readStackOutputs(root, "gone", { mode: "pulumi", cli: missing.cli }),
            (e: Error) => e instanceof CliError && /^stack gone: .*no stack named 'gone' found$/.test(e.message),
        );
    });

    it("npm run status reads the controller, balancer and Alertmanager where the stack's outputs say", async () => {
        writeState("lab", OUTPUTS);
        assert.deepEqual(await stackStatusUrls(root, "lab", { mode: "builtin" }), {
            controller: "http://127.0.0.1:18190/status",
            stats: "http://127.0.0.1:18404/stats",
            alerts: "http://127.0.0.1:18406/api/v2/alerts?active=true&silenced=false&inhibited=false",
        });
        // With cAdvisor, its series through Prometheus' query API too.
        const withCadvisor = statusUrls("lab", {
            ...OUTPUTS,
            prometheusUrl: "http://127.0.0.1:18405",
            cadvisorUrl: "http://127.0.0.1:18407",
        });
        assert.equal(withCadvisor.containers, "http://127.0.0.1:18405/api/v1/query");
    });

    it("npm run status names the stack that is not up, and refuses a URL off 127.0.0.1", async () => {
        await assert.rejects(
            stackStatusUrls(root, "never", { mode: "builtin" }),
            /stack never has no state on the built-in engine yet: run `npm run up -- -s never` first/,
        );
        writeState("destroyed", undefined);
        await assert.rejects(stackStatusUrls(root, "destroyed", { mode: "builtin" }), /stack destroyed is not up/);
        assert.throws(
            () => statusUrls("aws", { platform: "aws", balancerUrl: "http://x" }),
            /stack aws has no controllerUrl output/,
        );
        assert.throws(
            () => statusUrls("odd", { ...OUTPUTS, statsUrl: "http://10.0.0.5:8404/stats" }),
            /refusing to send traffic to "http:\/\/10.0.0.5:8404\/stats"/,
        );
    });
});
