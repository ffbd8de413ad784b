/**
 * The images the local stack runs, made sure of by components/hooks/ensure-image.ts: the app's releases
 * (./appImage.ts) and its own services' images, built from their sources and tagged by them (./serviceTag.ts).
 */
import * as pulumi from "@pulumi/pulumi";
import * as command from "@pulumi/command";
import { ENSURE_IMAGE_ENV } from "../../lib/serviceImage";
import type { LocalConfig } from "../config/validate";
import { scriptCommand } from "../shared/scriptCommand";
import type { LocalService } from "./names";
import { serviceImageRef, serviceSourceTag } from "./serviceTag";

/** What one image Command passes to ensure-image.ts, and which of it a change must not act on. */
export interface EnsureImageArgs {
    /** `<repository>:<tag>`. */
    ref: string;
    /** The service whose directory is the build context; left out for the app. */
    source?: LocalService;
    /** How a missing tag may be built (imageBuild). */
    build: string;
    baseImage: string;
    /** What replaces the image id when it changes: the tag. */
    triggers: string[];
    /** The settings that only decide how a MISSING tag is built, so a change to them must not rerun the Command. */
    ignore: ReadonlyArray<"build" | "baseImage">;
}

/**
 * The Command, child of `parent` and named `name`, that runs ensure-image.ts: it prints the image id of `ref`,
 * building the tag when it is missing (or refusing, as `build` says). Returns that id.
 */
export function ensureImage(parent: pulumi.Resource, name: string, args: EnsureImageArgs): pulumi.Output<string> {
    const image = new command.local.Command(
        name,
        {
            create: scriptCommand("ensure-image.ts"),
            environment: {
                [ENSURE_IMAGE_ENV.image]: args.ref,
                ...(args.source ? { [ENSURE_IMAGE_ENV.source]: args.source } : {}),
                [ENSURE_IMAGE_ENV.build]: args.build,
                [ENSURE_IMAGE_ENV.baseImage]: args.baseImage,
            },
            triggers: args.triggers,
        },
        { parent, ignoreChanges: args.ignore.map((k) => `environment.${ENSURE_IMAGE_ENV[k]}`) },
    );
    return image.stdout.apply((s) => s.trim());
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
    return ensureImage(parent, name, {
        ref: serviceImageRef(service, tag),
        source: service,
        // Its tag is its sources' hash: a missing one is always built (imageBuild is about the app's releases).
        build: "missing",
        baseImage,
        triggers: [tag],
        // The base image only decides how a missing tag is built: a new one must not rebuild an existing image.
        ignore: ["baseImage"],
    });
}
