/**
 * How the three service images (app/, controller/, logsink/) are built: from one recipe, service.Dockerfile at
 * the repository root, with the service's directory as the build context, the build arguments BASE_IMAGE and
 * SERVICE, and the service's stage as the target. Every build of these images takes its Dockerfile, arguments
 * and target from here (components/hooks/appImage.ts, components/aws/appImage.ts), and their source tags hash the
 * recipe (components/local/serviceTag.ts).
 */
import * as path from "path";
import { REPO } from "./repo";

/** The services built from the recipe: each is a directory at the root and a target stage of the recipe. */
export const SERVICES = ["app", "controller", "logsink"] as const;
export type Service = (typeof SERVICES)[number];

/** The recipe, relative to the repository root (where Pulumi runs the program from). */
export const SERVICE_DOCKERFILE = "service.Dockerfile";
/** The recipe's absolute path. */
export const SERVICE_DOCKERFILE_PATH = path.join(REPO, SERVICE_DOCKERFILE);

/** The service's directory: its sources and the build context of its image. */
export function serviceDir(service: Service): string {
    return path.join(REPO, service);
}

/** The service whose directory is `dir` (its last component), or an error naming the ones there are. */
export function serviceOfDir(dir: string): Service {
    const name = path.basename(path.resolve(dir));
    if (!(SERVICES as readonly string[]).includes(name))
        throw new Error(`${dir} is not a service directory (one of ${SERVICES.join(", ")}/)`);
    return name as Service;
}

/** The build arguments of `service`'s image on `baseImage`. */
export function serviceBuildArgs(service: Service, baseImage: string): { BASE_IMAGE: string; SERVICE: Service } {
    return { BASE_IMAGE: baseImage, SERVICE: service };
}

/**
 * The environment of components/hooks/ensure-image.ts, which the local stack's image Commands set
 * (components/local/serviceImage.ts): the image reference, how a missing tag may be built (imageBuild), the base
 * image, and the service whose directory is the build context (unset: app).
 */
export const ENSURE_IMAGE_ENV = {
    image: "CLOUDLAB_IMAGE",
    build: "CLOUDLAB_IMAGE_BUILD",
    baseImage: "CLOUDLAB_BASE_IMAGE",
    source: "CLOUDLAB_IMAGE_SOURCE",
} as const;
