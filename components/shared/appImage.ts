import * as pulumi from "@pulumi/pulumi";
import type { CommonConfig } from "../config/validate";

/** The Pulumi type of both platforms' AppImage: one token, so a stack's URNs do not depend on the platform class. */
export const APP_IMAGE_TYPE = "cloudlab:index:AppImage";

/** What every platform's {@link AppImage} takes. */
export interface AppImageArgs {
    /** The releases' repository, without tag (on AWS the last part of the stack's ECR repository's name). */
    appImage: CommonConfig["appImage"];
    /** `missing`: a tag that does not exist is built from app/; `never`: it is an error. */
    imageBuild: CommonConfig["imageBuild"];
    /** BASE_IMAGE of service.Dockerfile, for the tags that are built. */
    nodeBaseImage: CommonConfig["nodeBaseImage"];
    /** Every release tag the stack runs (imageTag, plus the per-node overrides on the local stack). */
    tags: string[];
}

/**
 * The app's releases, one per tag. A tag is immutable: an existing one is used as it is and only a missing one
 * is built. Nodes receive an immutable reference, so an unchanged tag never shows a diff and a changed tag
 * replaces exactly the nodes that run it. The platform classes: `LocalAppImage` (../local/appImage.ts, the
 * Docker engine's images) and `AwsAppImage` (../aws/appImage.ts, an ECR repository). The contract both honour:
 * `imageIds`, what either platform's AppNode runs.
 */
export abstract class AppImage extends pulumi.ComponentResource {
    /** What a node runs, per tag (an image id locally, a pushed `<repositoryUrl>:<tag>` on AWS). */
    public abstract readonly imageIds: Record<string, pulumi.Output<string>>;

    protected constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
        super(APP_IMAGE_TYPE, name, {}, opts);
    }
}

/** The distinct tags of a stack, sorted: one release resource each, in a stable order. */
export function distinctTags(tags: readonly string[]): string[] {
    return [...new Set(tags)].sort();
}
