/**
 * The source tags of the local stack's own services, the controller (controller/) and the access-log service
 * (logsink/): a hash of the sources their image is built from, so an unchanged service is the same image (no diff
 * on `up`) and a changed one is a new tag that gets built and replaces the service's container. Apart from
 * ./serviceImage.ts (which declares the images) so that a script can name an image without loading Pulumi.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { SERVICE_DOCKERFILE, SERVICE_DOCKERFILE_PATH, serviceDir } from "../../lib/serviceImage";
import { LocalService, SERVICE_IMAGE_REPOSITORIES } from "./names";

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

/** `src-<12 hex>`: the sha256 of the recipe and of the service's sources (names and contents). */
export function serviceSourceTag(service: LocalService): string {
    const dir = serviceDir(service);
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

/** The service's image reference: `<repository>:<source tag>` (the tag when the caller has it: a hash of files). */
export function serviceImageRef(service: LocalService, tag: string = serviceSourceTag(service)): string {
    return `${SERVICE_IMAGE_REPOSITORIES[service]}:${tag}`;
}
