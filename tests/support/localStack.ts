import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { RunResult, TestEngine, docker, engineForTests } from "./engine";
import { getJson } from "./http";

export const REPO = path.resolve(__dirname, "..", "..");

/** Ports and subnet of a system-test stack: away from the defaults so a user's own `local` stack can run. */
export interface TestStackLayout {
    stack: string;
    lbPort: number;
    lbStatsPort: number;
    nodePortBase: number;
    subnet: string;
}

/**
 * The real program (components/stack.ts) run as a stack of its own by the test engine: the Pulumi engine
 * through the Automation API when the CLI is installed, else the docker test engine (tests/support/engine).
 */
export class LocalTestStack {
    readonly engine: TestEngine;
    readonly prefix: string;

    constructor(readonly layout: TestStackLayout) {
        const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), `cloudlab-${layout.stack}-`));
        this.engine = engineForTests({
            programModule: path.join(REPO, "components", "stack.ts"),
            stack: layout.stack,
            project: "cloudlab",
            stateDir,
            cwd: REPO,
        });
        this.prefix = `cloudlab-${layout.stack}`;
    }

    /** Stack config: the layout, the base images the test run prepared, and `extra`. */
    config(extra: Record<string, string> = {}): Record<string, string> {
        const c: Record<string, string> = {
            platform: "local",
            lbPort: String(this.layout.lbPort),
            lbStatsPort: String(this.layout.lbStatsPort),
            nodePortBase: String(this.layout.nodePortBase),
            subnet: this.layout.subnet,
            nodeBaseImage: process.env.CLOUDLAB_TEST_NODE_BASE_IMAGE ?? "node:22-bookworm-slim",
            lbImage: process.env.CLOUDLAB_TEST_LB_IMAGE ?? "haproxy:2.8",
            drainSeconds: "1",
            ...extra,
        };
        return Object.fromEntries(Object.entries(c).map(([k, v]) => [`cloudlab:${k}`, v]));
    }

    async up(extra: Record<string, string> = {}): Promise<RunResult> {
        return mustSucceed(await this.engine.up(this.config(extra)));
    }

    get balancerUrl(): string {
        return `http://127.0.0.1:${this.layout.lbPort}`;
    }

    get statsUrl(): string {
        return `http://127.0.0.1:${this.layout.lbStatsPort}/stats`;
    }

    nodeUrl(index: number): string {
        return `http://127.0.0.1:${this.layout.nodePortBase + index - 1}`;
    }

    containerName(node: string): string {
        return `${this.prefix}-${node}`;
    }

    /** Everything Docker still has of this stack: containers, networks, volumes labelled with it. */
    async leftovers(): Promise<string[]> {
        const label = { label: [`cloudlab.stack=${this.prefix}`] };
        const containers = await docker().listContainers({ all: true, filters: label });
        const networks = await docker().listNetworks({ filters: label });
        const volumes = (await docker().listVolumes({ filters: label })).Volumes ?? [];
        return [
            ...containers.map((c) => `container ${c.Names.join(",")}`),
            ...networks.map((n) => `network ${n.Name}`),
            ...volumes.map((v) => `volume ${v.Name}`),
        ];
    }
}

export function mustSucceed(r: RunResult): RunResult {
    assert.ok(r.ok, `${r.op} failed: ${r.error}\n--- run log ---\n${(r.log ?? "").slice(-4000)}`);
    return r;
}

/** Node ids answering `count` requests through `url`, each on a fresh connection. */
export async function nodesAnswering(url: string, count: number): Promise<Array<{ node: string; tag: string }>> {
    const seen: Array<{ node: string; tag: string }> = [];
    for (let i = 0; i < count; i++) {
        const r = await getJson(url);
        assert.equal(r.status, 200, `GET ${url} -> ${r.status} ${JSON.stringify(r.body)}`);
        seen.push({ node: r.body.node, tag: r.body.tag });
    }
    return seen;
}

/** Removes image tags so the next `up` has to build them (the "tag does not exist yet" path). */
export async function removeImageTags(refs: string[]): Promise<void> {
    for (const ref of refs) await docker().getImage(ref).remove({ force: true }).catch(() => undefined);
}
