/**
 * The controller's image: built from controller/ (components/hooks/ensure-image.ts, like the app's releases) and
 * tagged with a hash of its sources, so an unchanged controller is the same image (no diff on `up`) and a changed
 * one is a new tag that gets built and replaces the controller container.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { SERVICE_DOCKERFILE, SERVICE_DOCKERFILE_PATH } from "../../lib/serviceImage";

export const CONTROLLER_IMAGE_REPOSITORY = "cloudlab-controller";
/** The access-log service's image (logsink/), tagged the same way. */
export const LOGSINK_IMAGE_REPOSITORY = "cloudlab-logsink";

const CONTROLLER_DIR = path.join(__dirname, "..", "..", "controller");
export const LOGSINK_DIR = path.join(__dirname, "..", "..", "logsink");
/** What goes into the image: the service's build inputs, besides the recipe (service.Dockerfile) they share. */
const SOURCES = ["package.json", "package-lock.json", "tsconfig.json", "src"];

/** Every file under the source paths, sorted, relative to `dir`. */
function files(dir: string, rel: string): string[] {
    const full = path.join(dir, rel);
    if (!fs.statSync(full).isDirectory()) return [rel];
    return fs
        .readdirSync(full)
        .sort()
        .flatMap((e) => files(dir, path.join(rel, e)));
}

/** `src-<12 hex>`: the sha256 of the sources' names and contents (of controller/, or of `dir`). */
export function serviceSourceTag(dir: string = CONTROLLER_DIR): string {
    const hash = createHash("sha256");
    hash.update(`${SERVICE_DOCKERFILE}\0`);
    hash.update(fs.readFileSync(SERVICE_DOCKERFILE_PATH));
    hash.update("\0");
    for (const f of SOURCES.flatMap((s) => files(dir, s))) {
        hash.update(`${f}\0`);
        hash.update(fs.readFileSync(path.join(dir, f)));
        hash.update("\0");
    }
    return `src-${hash.digest("hex").slice(0, 12)}`;
}
