/**
 * The offline images scripts/prepare-offline-images.sh builds from Debian's packages, by config key, as
 * scripts/images/offline.conf lists them (the shell scripts read the same file); Grafana and cAdvisor are left
 * out ("" : Debian packages neither, and no registry is reachable).
 */
import * as fs from "fs";
import * as path from "path";
import { REPO } from "../../lib/repo";

const OFFLINE_KEYS = [
    "nodeBaseImage",
    "lbImage",
    "prometheusImage",
    "alertmanagerImage",
    "grafanaImage",
    "cadvisorImage",
] as const;
type OfflineKey = (typeof OFFLINE_KEYS)[number];

export const OFFLINE_IMAGES_FILE = path.join(REPO, "scripts", "images", "offline.conf");

/** The file's `key image dir` lines ("-": none); an error naming a line or key that is not as it should be. */
export function parseOfflineImages(text: string, file = OFFLINE_IMAGES_FILE): Record<OfflineKey, string> {
    const out: Partial<Record<OfflineKey, string>> = {};
    text.split("\n").forEach((line, i) => {
        if (line.trim() === "" || line.startsWith("#")) return;
        const fields = line.trim().split(/\s+/);
        const [key, image] = fields;
        if (fields.length !== 3 || !(OFFLINE_KEYS as readonly string[]).includes(key) || key in out) {
            throw new Error(`${file}:${i + 1}: not a line "<key> <image or -> <dir or ->" of a new key: ${line}`);
        }
        out[key as OfflineKey] = image === "-" ? "" : image;
    });
    const missing = OFFLINE_KEYS.filter((k) => out[k] === undefined);
    if (missing.length > 0) throw new Error(`${file}: no line for ${missing.join(", ")}`);
    return out as Record<OfflineKey, string>;
}

export const OFFLINE_IMAGES = parseOfflineImages(fs.readFileSync(OFFLINE_IMAGES_FILE, "utf8"));

/** The base images (the app nodes' and the balancer's). */
export const OFFLINE_BASE_IMAGES = { nodeBaseImage: OFFLINE_IMAGES.nodeBaseImage, lbImage: OFFLINE_IMAGES.lbImage };

/** The offline monitoring config. */
export const OFFLINE_MONITORING = {
    prometheusImage: OFFLINE_IMAGES.prometheusImage,
    alertmanagerImage: OFFLINE_IMAGES.alertmanagerImage,
    grafanaImage: OFFLINE_IMAGES.grafanaImage,
    cadvisorImage: OFFLINE_IMAGES.cadvisorImage,
};

/** The offline monitoring config, with the images the test run prepared (env) where it names them. */
export function offlineMonitoring(env: NodeJS.ProcessEnv): Record<keyof typeof OFFLINE_MONITORING, string> {
    return {
        ...OFFLINE_MONITORING,
        prometheusImage: env.CLOUDLAB_TEST_PROMETHEUS_IMAGE?.trim() || OFFLINE_MONITORING.prometheusImage,
        alertmanagerImage: env.CLOUDLAB_TEST_ALERTMANAGER_IMAGE?.trim() || OFFLINE_MONITORING.alertmanagerImage,
    };
}
