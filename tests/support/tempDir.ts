import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const made: string[] = [];

// A root-level hook (this module is loaded with the spec files): every directory handed out is removed when the
// run ends, so a thousand unit tests do not leave a thousand directories in /tmp.
after(() => {
    for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A fresh directory under the OS temp dir, `cloudlab-<what>-XXXXXX`, removed when the test run ends. */
export function tempDir(what: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `cloudlab-${what}-`));
    made.push(dir);
    return dir;
}
