/**
 * The cAdvisor release has one home, tools/cadvisor/go.mod: the library's two modules at the same version, the
 * shell (common.sh cadvisor_version, which tools/cadvisor/build.sh puts in the binary's -ldflags) and the
 * TypeScript (the system test's expected version) read it there, and no other file writes it.
 */
import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { CADVISOR_GO_MOD, CADVISOR_MODULE, CADVISOR_VERSION, requiredVersion } from "../../scripts/lib/cadvisor";
import { REPO } from "../../lib/repo";
import { tempDir } from "../support/tempDir";

const goMod = () => fs.readFileSync(CADVISOR_GO_MOD, "utf8");

describe("cAdvisor's pinned release", () => {
    it("is a release, the same for the module and its lib module", () => {
        assert.match(CADVISOR_VERSION, /^v\d+\.\d+\.\d+$/);
        assert.equal(requiredVersion(goMod(), `${CADVISOR_MODULE}/lib`), CADVISOR_VERSION);
        assert.throws(() => requiredVersion(goMod(), "github.com/google/cadvisor/cmd"), /does not require/);
    });

    it("is what the shell reads (common.sh cadvisor_version, the build's -ldflags)", () => {
        const state = tempDir("cadvisor");
        const out = execFileSync("bash", ["-c", "source scripts/lib/common.sh; cadvisor_version"], {
            cwd: REPO,
            encoding: "utf8",
            env: { ...process.env, CLOUDLAB_STATE_DIR: state },
        });
        assert.equal(out.trim(), CADVISOR_VERSION);
        const build = fs.readFileSync(path.join(REPO, "tools", "cadvisor", "build.sh"), "utf8");
        assert.match(build, /version="\$\(cadvisor_version\)"/);
        // cAdvisor's own build/build.sh sets lib/version.Version; --version and cadvisor_version_info print it.
        assert.match(build, /pkg=github\.com\/google\/cadvisor\/lib\/version\n.*-X \$pkg\.Version=\$version /);
    });

    it("is written nowhere else", () => {
        const written: string[] = [];
        const walk = (dir: string) => {
            for (const entry of fs.readdirSync(path.join(REPO, dir), { withFileTypes: true })) {
                const rel = path.join(dir, entry.name);
                if (entry.isDirectory()) walk(rel);
                else if (/\.(ts|sh|go|mod|json|conf|yaml)$|Dockerfile$/.test(entry.name)) {
                    const text = fs.readFileSync(path.join(REPO, rel), "utf8");
                    if (text.includes(CADVISOR_VERSION)) written.push(rel);
                }
            }
        };
        for (const dir of ["components", "scripts", "tests", "tools", "cli", "engine"]) walk(dir);
        assert.deepEqual(written, [path.join("tools", "cadvisor", "go.mod")]);
    });
});
