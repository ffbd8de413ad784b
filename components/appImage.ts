import * as pulumi from "@pulumi/pulumi";
import * as command from "@pulumi/command";
import { scriptCommand } from "./local/commands";

/** Arguments of {@link AppImage}. */
export interface AppImageArgs {
    /** Image repository without tag, e.g. `cloudlab-app`. */
    repository: string;
    /** Every release tag the stack runs (imageTag plus per-node overrides). */
    tags: string[];
    /** `missing`: build a tag that does not exist yet from app/; `never`: a missing tag is an error. */
    build: "missing" | "never";
    /** BASE_IMAGE build argument of app/Dockerfile. */
    baseImage: string;
}

/**
 * The app's releases, one per tag: a tag is immutable, so an existing one is used as it is and only a missing
 * one is built (locally, by scripts/ensure-image.ts through a Command). Containers receive the image ID, so an
 * unchanged tag never shows a diff, and a changed tag replaces exactly the nodes that run it.
 */
export class AppImage extends pulumi.ComponentResource {
    /** Image id (sha256:...) per tag. */
    public readonly imageIds: Record<string, pulumi.Output<string>>;

    constructor(name: string, args: AppImageArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cloudlab:index:AppImage", name, {}, opts);
        this.imageIds = {};
        for (const tag of [...new Set(args.tags)].sort()) {
            const ref = `${args.repository}:${tag}`;
            const ensure = new command.local.Command(
                `${name}-${tag}`,
                {
                    create: scriptCommand("ensure-image.ts"),
                    environment: {
                        CLOUDLAB_IMAGE: ref,
                        CLOUDLAB_IMAGE_BUILD: args.build,
                        CLOUDLAB_BASE_IMAGE: args.baseImage,
                    },
                    triggers: [ref],
                },
                { parent: this },
            );
            this.imageIds[tag] = ensure.stdout.apply((s) => s.trim());
        }
        this.registerOutputs({ imageIds: this.imageIds });
    }
}
