/**
 * `npm run up` looks for the Pulumi CLI once (scripts/lib/upStack.sh exports the choice), not once for each of
 * the cli/main.ts calls it makes. Runs the shell function with a fake `pulumi` on PATH that logs its calls; no
 * Docker (the part of up.sh before it prepares Docker and the images).
 */
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { KEYS } from "../../components/config/schema";
import { OFFLINE_IMAGES } from "../../scripts/lib/offlineImages";
import { REPO } from "../../lib/repo";
import { tempDir } from "../support/tempDir";

const STACK = "engine-once";

describe("npm run up: the engine chosen once", function () {
    // Eleven node processes on a shared machine: no bound on how long they take.
    this.timeout(0);
    let dir: string;
    beforeEach(() => (dir = tempDir("up-once")));

    it("probes for the Pulumi CLI once for all the calls of one `npm run up`", () => {
        const bin = path.join(dir, "bin");
        const log = path.join(dir, "calls");
        fs.mkdirSync(bin);
        fs.writeFileSync(
            path.join(bin, "pulumi"),
            [
                "#!/usr/bin/env bash",
                `echo "$*" >>${JSON.stringify(log)}`,
                'case "$*" in',
                "version) echo v3.250.0 ;;",
                `"config --stack ${STACK} get platform") echo local ;;`,
                // Two keys still at the official image, which cannot be pulled here: up.sh sets the offline one.
                `"config --stack ${STACK} get prometheusImage") echo ${String(KEYS.prometheusImage.default)} ;;`,
                `"config --stack ${STACK} get grafanaImage") echo ${String(KEYS.grafanaImage.default)} ;;`,
                "esac",
            ].join("\n") + "\n",
            { mode: 0o755 },
        );
        const env: NodeJS.ProcessEnv = {
            ...process.env,
            PATH: `${bin}${path.delimiter}${process.env.PATH ?? ""}`,
            CLOUDLAB_STATE_DIR: path.join(dir, "state"),
            PULUMI_BACKEND_URL: `file://${path.join(dir, "backend")}`,
        };
        delete env.CLOUDLAB_ENGINE;
        delete env.CLOUDLAB_PULUMI_CLI;
        const run = spawnSync(
            "bash",
            [
                "-c",
                'set -euo pipefail; source scripts/lib/common.sh; source scripts/lib/upStack.sh; up_stack "$@"',
                "up",
                OFFLINE_IMAGES.nodeBaseImage,
                OFFLINE_IMAGES.lbImage,
                "-s",
                STACK,
            ],
            { cwd: REPO, env, encoding: "utf8" },
        );
        assert.equal(run.status, 0, run.stderr);
        const calls = fs.readFileSync(log, "utf8").trim().split("\n");
        const gets = calls.filter((c) => c.startsWith(`config --stack ${STACK} get `));
        assert.equal(gets.length, 7, `platform, then the six offline image keys:\n${calls.join("\n")}`);
        assert.deepEqual(
            calls.filter((c) => c.startsWith(`config --stack ${STACK} set `)),
            [
                `config --stack ${STACK} set prometheusImage ${OFFLINE_IMAGES.prometheusImage}`,
                `config --stack ${STACK} set grafanaImage `,
            ],
        );
        assert.equal(calls[calls.length - 1], `up --stack ${STACK} --yes`);
        assert.deepEqual(
            calls.filter((c) => c === "version"),
            ["version"],
            `one probe for the ${gets.length + 1} cli calls:\n${calls.join("\n")}`,
        );
        // Each key it changes is said once, the one with no offline image as left out, not "using " and nothing.
        assert.match(run.stderr, /prometheusImage \S+ cannot be pulled here; using cloudlab\/prometheus:bookworm\n/);
        assert.match(run.stderr, /grafanaImage \S+ cannot be pulled here and has no offline image: it is left out\n/);
    });
});
