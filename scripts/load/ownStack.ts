/**
 * `--own-stack`: a stack "bench" of the bench's own, on ports and a subnet no other stack here uses, run by
 * engine/ (the Pulumi CLI cannot be installed on this machine). Its config is the user's
 * Pulumi.local.yaml with the layout, base images and release tag replaced, so the figures are for the stack a
 * user would run.
 */
import * as fs from "fs";
import * as path from "path";
import YAML from "yaml";
import { KEYS } from "../../components/config/schema";
import { PROJECT, stackPrefix } from "../../components/shared/naming";
import { LABELS } from "../../components/local/names";
import { docker, removeDockerObjects } from "../../engine";
import { EngineStack } from "../lib/engineStack";
import { REPO } from "../../lib/repo";
import type { StackLayout } from "../lib/engineStack";
import { OFFLINE_BASE_IMAGES, OFFLINE_MONITORING, offlineMonitoring } from "../lib/offlineImages";
import { EngineControl } from "./stackControl";

/** Keys the bench sets itself; Pulumi.local.yaml's values for them are not used. */
const OWNED_KEYS = new Set([
    "lbPort",
    "lbStatsPort",
    "nodePortBase",
    "subnet",
    "imageTag",
    "nodeBaseImage",
    "lbImage",
    "platform",
    "prometheusPort",
    "alertmanagerPort",
    "cadvisorPort",
]);

/** The project's keys (cloudlab:*) of a stack file (Pulumi.<stack>.yaml), without the namespace, as strings. */
export function stackFileConfig(yamlText: string): Record<string, string> {
    const doc = (YAML.parse(yamlText) ?? {}) as { config?: Record<string, unknown> };
    const namespace = `${PROJECT}:`;
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(doc.config ?? {})) {
        if (!key.startsWith(namespace)) continue;
        const name = key.slice(namespace.length);
        if (OWNED_KEYS.has(name)) continue;
        out[name] = typeof value === "string" ? value : JSON.stringify(value);
    }
    return out;
}

/**
 * Base images: what the test run prepared (env), else the offline images when they exist here (the official
 * ones cannot be pulled offline, and the engine never pulls), else the official ones.
 */
export function chooseBaseImages(
    env: NodeJS.ProcessEnv,
    exists: (ref: string) => boolean,
): { nodeBaseImage: string; lbImage: string } {
    const pick = (fromEnv: string | undefined, offline: string, official: string) =>
        fromEnv && fromEnv.trim() ? fromEnv.trim() : exists(offline) ? offline : official;
    return {
        nodeBaseImage: pick(
            env.CLOUDLAB_TEST_NODE_BASE_IMAGE,
            OFFLINE_BASE_IMAGES.nodeBaseImage,
            String(KEYS.nodeBaseImage.default),
        ),
        lbImage: pick(env.CLOUDLAB_TEST_LB_IMAGE, OFFLINE_BASE_IMAGES.lbImage, String(KEYS.lbImage.default)),
    };
}

async function imageExists(ref: string): Promise<boolean> {
    try {
        await docker().getImage(ref).inspect();
        return true;
    } catch {
        return false;
    }
}

/**
 * Force-removes every container, then network, labelled as the stack: what a crashed earlier run or an
 * interrupted destroy left. Label-exact, so no other stack on this engine is touched.
 */
export async function removeStackObjects(prefix: string): Promise<string[]> {
    return removeDockerObjects({ label: [`${LABELS.stack}=${prefix}`] });
}

export interface OwnStack {
    control: EngineControl;
    prefix: string;
    engineKind: string;
    /** The release deployed, then rolled back from. */
    otherTag: string;
    /** Config the stack is brought up with (flat, without the namespace), for the report. */
    config: Record<string, string>;
    /** The first `up`, at the first tag. */
    start(): Promise<void>;
    /** Another `up` at the first tag with these settings on top (the sweep's instance counts). */
    upWith(settings: Record<string, string>): Promise<void>;
    /** Destroys the stack, then removes anything labelled with it and the release tags this run created. */
    teardown(): Promise<string[]>;
}

/** Which stack of its own: the bench's (a deploy from `first` to `second` and back) or the sweep's. */
export interface OwnStackSpec {
    layout: StackLayout;
    tags: { first: string; second: string };
    /** Settings over Pulumi.local.yaml's (the sweep's cache on, say). */
    settings?: Record<string, string>;
}

/**
 * Everything but the first `up`, so the caller holds `teardown` before anything exists: an interrupted or
 * failed start is torn down like any other failure.
 */
export async function prepareOwnStack(log: (msg: string) => void, spec: OwnStackSpec): Promise<OwnStack> {
    const { layout, tags } = spec;
    const prefix = stackPrefix(layout.stack);
    const left = await removeStackObjects(prefix);
    if (left.length) log(`removed leftovers of an earlier bench stack: ${left.join(", ")}`);

    const localYaml = path.join(REPO, "Pulumi.local.yaml");
    const fromFile = fs.existsSync(localYaml) ? stackFileConfig(fs.readFileSync(localYaml, "utf8")) : {};
    const offline = new Map<string, boolean>();
    for (const ref of Object.values(OFFLINE_BASE_IMAGES)) offline.set(ref, await imageExists(ref));
    const images = chooseBaseImages(process.env, (ref) => offline.get(ref) ?? false);
    const appImage = fromFile.appImage ?? String(KEYS.appImage.default);
    const createdTags: string[] = [];
    for (const tag of new Set(Object.values(tags)))
        if (!(await imageExists(`${appImage}:${tag}`))) createdTags.push(`${appImage}:${tag}`);

    const stack = new EngineStack(layout);
    // drainSeconds spelled out so the report shows it: the bench measures the project's default.
    // The monitoring runs too (its scrapes are part of the lab's load); offline images where they exist.
    const monitoring = (await imageExists(OFFLINE_MONITORING.prometheusImage)) ? offlineMonitoring(process.env) : {};
    const extra = {
        drainSeconds: String(KEYS.drainSeconds.default),
        ...fromFile,
        ...images,
        ...monitoring,
        ...spec.settings,
    };
    const up = (tag: string, more: Record<string, string> = {}) =>
        stack.engine.up(stack.config({ ...extra, ...more, imageTag: tag }));
    const config = stack.settings({ ...extra, imageTag: tags.first });
    const mustUp = async (more: Record<string, string>) => {
        const what = Object.entries(more)
            .map(([k, v]) => `${k} ${v}`)
            .join(", ");
        log(`up of stack ${layout.stack} at ${tags.first}${what ? ` with ${what}` : ""} (${stack.engine.kind})...`);
        const started = Date.now();
        const r = await up(tags.first, more);
        if (!r.ok) throw new Error(`up of the ${layout.stack} stack failed: ${r.error}\n${(r.log ?? "").slice(-3000)}`);
        log(`stack ${layout.stack} is up after ${((Date.now() - started) / 1000).toFixed(1)} s`);
    };

    return {
        control: new EngineControl(stack.engine.kind, up, tags.first, appImage, images.nodeBaseImage),
        prefix,
        engineKind: stack.engine.kind,
        otherTag: tags.second,
        config,
        start: () => mustUp({}),
        upWith: mustUp,
        async teardown() {
            const problems: string[] = [];
            const destroyed = await stack.engine.destroy().catch((e: Error) => ({ ok: false, error: e.message }));
            if (!destroyed.ok) problems.push(`destroy failed: ${destroyed.error}`);
            const rest = await removeStackObjects(prefix);
            if (rest.length) problems.push(`removed what destroy left: ${rest.join(", ")}`);
            for (const ref of createdTags)
                await docker()
                    .getImage(ref)
                    .remove()
                    .catch(() => undefined);
            // The engine's state and run logs are only worth keeping when something went wrong.
            if (problems.length === 0) fs.rmSync(stack.stateDir, { recursive: true, force: true });
            else problems.push(`engine state and run logs kept in ${stack.stateDir}`);
            return problems;
        },
    };
}
