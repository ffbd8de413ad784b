import * as pulumi from "@pulumi/pulumi";
import { AppImage, AppImageArgs, distinctTags } from "../shared/appImage";
import { ensureImage } from "./serviceImage";

/**
 * The releases in the local Docker engine: one Command per tag runs components/hooks/ensure-image.ts, which prints
 * the image id and builds the tag from app/ only when it is missing (or refuses, with imageBuild `never`).
 */
export class LocalAppImage extends AppImage {
    /** The image id (sha256:...) per tag. */
    public readonly imageIds: Record<string, pulumi.Output<string>> = {};

    constructor(name: string, args: AppImageArgs, opts?: pulumi.ComponentResourceOptions) {
        super(name, opts);
        for (const tag of distinctTags(args.tags)) {
            const ref = `${args.appImage}:${tag}`;
            this.imageIds[tag] = ensureImage(this, `${name}-${tag}`, {
                ref,
                build: args.imageBuild,
                baseImage: args.nodeBaseImage,
                triggers: [ref],
                // They only decide how a MISSING tag is built: an existing release is never rebuilt, so a change
                // must not update (and in a preview, unknown the image id of) every release and so every node.
                ignore: ["build", "baseImage"],
            });
        }
        this.registerOutputs({ imageIds: this.imageIds });
    }
}
