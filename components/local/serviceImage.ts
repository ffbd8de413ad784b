/**
 * The images of the local stack's own services, the controller (controller/) and the access-log service
 * (logsink/): built from their sources by components/hooks/ensure-image.ts, like the app's releases, and tagged
 * with a hash of those sources, so an unchanged service is the same image (no diff on `up`) and a changed one is
 * a new tag that gets built and replaces the service's container.
 */
import * as pulumi from "@pulumi/pulumi";
import * as command from "@pulumi/command";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { SERVICE_DOCKERFILE, SERVICE_DOCKERFILE_PATH, serviceDir } from "../../lib/serviceImage";
import type { LocalConfig } from "../config/validate";
import { scriptCommand } from "../shared/scriptCommand";

/** The services the local stack builds from its own sources (the app's images are releases: ./appImage.ts). */
export type LocalService = "controller" | "logsink";

/** Each service's image repository on the local Docker engine. */
export const SERVICE_IMAGE_REPOSITORIES: Readonly<Record<LocalService, string>> = {
    controller: "cloudlab-controller",
    logsink: "cloudlab-logsink",
};

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

/** The service's image reference: `<repository>:<source tag>`. */
export function serviceImageRef(service: LocalService): string {
    return `${SERVICE_IMAGE_REPOSITORIES[service]}:${serviceSourceTag(service)}`;
}

/**
 * The Command that makes sure the service's image exists (building it from the service's directory when its
 * source tag is missing) and prints its image id: what the service's container runs. Declared as a child of
 * `parent`, named `name`.
 */
export function declareServiceImage(
    parent: pulumi.Resource,
    name: string,
    service: LocalService,
    baseImage: LocalConfig["nodeBaseImage"],
): pulumi.Output<string> {
    const tag = serviceSourceTag(service);
    const image = new command.local.Command(
        name,
        {
            create: scriptCommand("ensure-image.ts"),
            environment: {
                CLOUDLAB_IMAGE: `${SERVICE_IMAGE_REPOSITORIES[service]}:${tag}`,
                CLOUDLAB_IMAGE_SOURCE: service,
                // Its tag is its sources' hash: a missing one is always built (imageBuild is about the app's releases).
                CLOUDLAB_IMAGE_BUILD: "missing",
                CLOUDLAB_BASE_IMAGE: baseImage,
            },
            triggers: [tag],
        },
        // The base image only decides how a missing tag is built: a new one must not rebuild an existing image.
        { parent, ignoreChanges: ["environment.CLOUDLAB_BASE_IMAGE"] },
    );
    return image.stdout.apply((s) => s.trim());
}
