import * as pulumi from "@pulumi/pulumi";
import * as command from "@pulumi/command";
import { scriptCommand } from "../shared/scriptCommand";
import { AppImage, AppImageArgs, distinctTags } from "../shared/appImage";

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
            const ensure = new command.local.Command(
                `${name}-${tag}`,
                {
                    create: scriptCommand("ensure-image.ts"),
                    environment: {
                        CLOUDLAB_IMAGE: ref,
                        CLOUDLAB_IMAGE_BUILD: args.imageBuild,
                        CLOUDLAB_BASE_IMAGE: args.nodeBaseImage,
                    },
                    triggers: [ref],
                },
                {
                    parent: this,
                    // They only decide how a MISSING tag is built: an existing release is never rebuilt, so a change
                    // must not update (and in a preview, unknown the image id of) every release and so every node.
                    ignoreChanges: ["environment.CLOUDLAB_IMAGE_BUILD", "environment.CLOUDLAB_BASE_IMAGE"],
                },
            );
            this.imageIds[tag] = ensure.stdout.apply((s) => s.trim());
        }
        this.registerOutputs({ imageIds: this.imageIds });
    }
}
