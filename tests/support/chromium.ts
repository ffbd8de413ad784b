/**
 * Headless Chromium (Debian's `chromium`) for the sweep report's system test: a screenshot kept as an
 * artifact, and proof the charts drew: each chart line's rendered length and box, measured by the browser.
 */
import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { promisify } from "util";

const run = promisify(execFile);
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--disable-dev-shm-usage"];

export function findChromium(): string | undefined {
    for (const dir of (process.env.PATH ?? "").split(path.delimiter))
        for (const name of ["chromium", "chromium-browser"]) {
            const p = path.join(dir, name);
            if (fs.existsSync(p)) return p;
        }
    return undefined;
}

export async function screenshot(chromium: string, html: string, png: string): Promise<void> {
    await run(chromium, [...FLAGS, `--screenshot=${png}`, "--window-size=1240,1500", `file://${html}`], {
        timeout: 120_000,
    });
}

/** What the browser drew for each `path.series`: its label, rendered length and box width (px). */
export async function drawnSeries(
    chromium: string,
    html: string,
): Promise<Array<{ label: string; length: number; width: number }>> {
    // The report has no script; a copy with one measures it, and --dump-dom brings the answer back.
    const probe = `${html}.probe.html`;
    const script = `<script>addEventListener("load",()=>{const out=[...document.querySelectorAll("path.series")].map(p=>({label:p.dataset.label,length:p.getTotalLength(),width:p.getBoundingClientRect().width}));const pre=document.createElement("pre");pre.id="drawn";pre.textContent=JSON.stringify(out);document.body.append(pre);});</script>`;
    fs.writeFileSync(probe, fs.readFileSync(html, "utf8").replace("</body>", `${script}</body>`));
    try {
        const { stdout } = await run(chromium, [...FLAGS, "--dump-dom", `file://${probe}`], {
            timeout: 120_000,
            maxBuffer: 64 * 1024 * 1024,
        });
        const m = /<pre id="drawn">([^<]*)<\/pre>/.exec(stdout);
        if (!m) throw new Error(`chromium's DOM has no measurements: ${stdout.slice(-500)}`);
        return JSON.parse(m[1].replace(/&quot;/g, '"').replace(/&amp;/g, "&")) as Array<{
            label: string;
            length: number;
            width: number;
        }>;
    } finally {
        fs.rmSync(probe, { force: true });
    }
}
