import type { ImageBuild } from "./config/schema";
import * as pulumi from "@pulumi/pulumi";
import * as command from "@pulumi/command";
import { scriptCommand } from "./local/commands";
import { AwsImagePlatform, declareEcrReleases } from "./aws/ecrImage";

/** Arguments of {@link AppImage}. */
export interface AppImageArgs {
    /** Image repository without tag, e.g. `cloudlab-app` (on AWS: the name of the stack's ECR repository). */
    repository: string;
    /** Every release tag the stack runs (imageTag plus per-node overrides). */
    tags: string[];
    /** `missing`: build a tag that does not exist yet from app/; `never`: a missing tag is an error. */
    build: ImageBuild;
    /** BASE_IMAGE build argument of app/Dockerfile. */
    baseImage: string;
    /** Local: the Docker engine's images. AWS: an ECR repository. */
    platform: { kind: "local" } | AwsImagePlatform;
}

/**
 * The app's releases, one per tag: a tag is immutable, so an existing one is used as it is and only a missing
 * one is built (locally by scripts/ensure-image.ts through a Command; on AWS by @pulumi/docker, pushed to ECR).
 * Nodes receive an immutable reference, so an unchanged tag never shows a diff, and a changed tag replaces
 * exactly the nodes that run it.
 */
export class AppImage extends pulumi.ComponentResource {
    /**
     * What a node runs, per tag: locally the image id (sha256:...); on AWS the pushed reference
     * `<repositoryUrl>:<tag>` (ECR keeps tags immutable), known once the tag is in ECR.
     */
    public readonly imageIds: Record<string, pulumi.Output<string>>;
    /** AWS only: the ECR repository. */
    public readonly repositoryUrl?: pulumi.Output<string>;
    public readonly repositoryArn?: pulumi.Output<string>;

    constructor(name: string, args: AppImageArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cloudlab:index:AppImage", name, {}, opts);
        if (args.platform.kind === "aws") {
            const releases = declareEcrReleases(this, name, args, args.platform);
            this.imageIds = releases.imageRefs;
            this.repositoryUrl = releases.repositoryUrl;
            this.repositoryArn = releases.repositoryArn;
        } else {
            this.imageIds = declareLocalReleases(this, name, args);
        }
        this.registerOutputs({ imageIds: this.imageIds, repositoryUrl: this.repositoryUrl });
    }
}

/** One Command per tag: scripts/ensure-image.ts prints the image id, building the tag only when it is missing. */
function declareLocalReleases(parent: pulumi.Resource, name: string, args: AppImageArgs): Record<string, pulumi.Output<string>> {
    const imageIds: Record<string, pulumi.Output<string>> = {};
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
            { parent },
        );
        imageIds[tag] = ensure.stdout.apply((s) => s.trim());
    }
    return imageIds;
}
