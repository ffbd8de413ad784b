/**
 * The offline image names have one home, scripts/images/offline.conf: the TypeScript and the shell read it, and
 * no script writes one of the names itself.
 */
import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { OFFLINE_IMAGES, OFFLINE_IMAGES_FILE, parseOfflineImages } from "../../scripts/lib/offlineImages";
import { REPO } from "../../lib/repo";
import { tempDir } from "../support/tempDir";

const EXPECTED = {
    nodeBaseImage: "cloudlab/node:bookworm",
    lbImage: "cloudlab/haproxy:bookworm",
    prometheusImage: "cloudlab/prometheus:bookworm",
    alertmanagerImage: "cloudlab/alertmanager:bookworm",
    grafanaImage: "",
    cadvisorImage: "cloudlab/cadvisor:bookworm",
};

/** The code files (comments aside) of the given directories, recursively. */
function codeLines(dir: string): Array<{ file: string; line: string }> {
    const out: Array<{ file: string; line: string }> = [];
    for (const entry of fs.readdirSync(path.join(REPO, dir), { withFileTypes: true })) {
        const rel = path.join(dir, entry.name);
        if (entry.isDirectory()) out.push(...codeLines(rel));
        else if (/\.(ts|sh)$/.test(entry.name)) {
            for (const line of fs.readFileSync(path.join(REPO, rel), "utf8").split("\n")) {
                if (!/^\s*(#|\/\/|\*|\/\*\*)/.test(line)) out.push({ file: rel, line });
            }
        }
    }
    return out;
}

describe("offline images: one home", () => {
    it("names each config key's offline image (none for Grafana)", () => {
        assert.deepEqual(OFFLINE_IMAGES, EXPECTED);
    });

    it("refuses a line of the file that is not `key image dir`, a key twice or a key left out, by line", () => {
        const text = fs.readFileSync(OFFLINE_IMAGES_FILE, "utf8");
        assert.throws(() => parseOfflineImages(`${text}lbImage x y\n`, "f"), /^Error: f:\d+: .*: lbImage x y$/);
        assert.throws(() => parseOfflineImages(`${text}nodeImage x y\n`, "f"), /nodeImage x y$/);
        assert.throws(
            () => parseOfflineImages(text.replace(/^cadvisorImage.*$/m, ""), "f"),
            /f: no line for cadvisorImage/,
        );
    });

    it("gives the shell (common.sh offline_image) what it gives the TypeScript", () => {
        const script =
            'source scripts/lib/common.sh; for k in "$@"; do printf "%s=%s\\n" "$k" "$(offline_image "$k")"; done';
        const state = tempDir("offline");
        const out = execFileSync("bash", ["-c", script, "offline", ...Object.keys(EXPECTED)], {
            cwd: REPO,
            encoding: "utf8",
            env: { ...process.env, CLOUDLAB_STATE_DIR: state },
        });
        assert.deepEqual(
            Object.fromEntries(
                out
                    .trim()
                    .split("\n")
                    .map((l) => l.split("=", 2)),
            ),
            EXPECTED,
        );
    });

    it("is where every script takes the names from: none writes one itself", () => {
        const names = Object.values(EXPECTED).filter((n) => n !== "");
        const written = [...codeLines("scripts"), ...codeLines("components")].filter((l) =>
            names.some((n) => l.line.includes(n)),
        );
        assert.deepEqual(written, []);
    });
});
