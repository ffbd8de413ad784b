import { strict as assert } from "assert";
import { KEYS } from "../../components/config/schema";
import { MIN_LOCAL_DRAIN_SECONDS } from "../../components/config/validate";
import { LABELS } from "../../components/local/names";
import { RunResult, docker } from "../../engine";
import { EngineStack } from "../../scripts/lib/engineStack";
import { offlineMonitoring } from "../../scripts/lib/offlineImages";
import { getJson } from "./http";

/**
 * The real program run as a stack of its own by engine/ (see {@link EngineStack}), set up for tests: the
 * base images the test run prepared, the shortest drain the local stack allows so replacements are quick, and an `up` that must succeed.
 */
export class LocalTestStack extends EngineStack {
    override settings(extra: Record<string, string> = {}): Record<string, string> {
        return super.settings({
            nodeBaseImage: process.env.CLOUDLAB_TEST_NODE_BASE_IMAGE ?? String(KEYS.nodeBaseImage.default),
            lbImage: process.env.CLOUDLAB_TEST_LB_IMAGE ?? String(KEYS.lbImage.default),
            drainSeconds: String(MIN_LOCAL_DRAIN_SECONDS),
            ...offlineMonitoring(process.env),
            ...extra,
        });
    }

    async up(extra: Record<string, string> = {}): Promise<RunResult> {
        return mustSucceed(await this.engine.up(this.config(extra)));
    }

    /** Everything Docker still has of this stack: containers, networks, volumes labelled with it. */
    async leftovers(): Promise<string[]> {
        const label = { label: [`${LABELS.stack}=${this.prefix}`] };
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
    for (const ref of refs)
        await docker()
            .getImage(ref)
            .remove({ force: true })
            .catch(() => undefined);
}
