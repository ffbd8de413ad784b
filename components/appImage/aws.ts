import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import * as docker from "@pulumi/docker";
import type { ImageBuild } from "../config/schema";
import { StackNames } from "../naming";
import { Architecture, dockerPlatform } from "../aws/ami";
import { awsTags } from "../aws/tags";
import { AppImage, AppImageArgs, distinctTags } from "./index";

/** Arguments of {@link AwsAppImage}. */
export interface AwsAppImageArgs extends AppImageArgs {
    names: StackNames;
    /** The nodes' architecture: images are built for it, whatever the machine running `pulumi up`. */
    architecture: Architecture;
}

/** What to do with one release: run what ECR has, build it, or refuse (imageBuild: never). */
export type ReleasePlan = "use" | "build" | "refuse";

export function planRelease(tag: string, existing: readonly string[], build: ImageBuild): ReleasePlan {
    if (existing.includes(tag)) return "use";
    return build === "missing" ? "build" : "refuse";
}

export function missingReleaseMessage(repository: string, tag: string, existing: readonly string[]): string {
    const have = existing.length > 0 ? [...existing].sort().join(", ") : "none";
    return (
        `cloudlab:imageTag = ${JSON.stringify(tag)} is not in the ECR repository ${repository} (its tags: ${have}) ` +
        `and cloudlab:imageBuild is never: choose an existing tag, or build it with imageBuild: missing`
    );
}

/**
 * Tags already in the repository; none when the repository does not exist yet (the first `up`). Looked up
 * with plain invokes on the repository's NAME, known before anything is created, so a preview shows the same
 * builds as the `up` that follows.
 */
async function existingTags(repository: string, opts: pulumi.InvokeOptions): Promise<string[]> {
    const { names } = await aws.ecr.getRepositories({}, opts);
    if (!names.includes(repository)) return [];
    const { imageIds } = await aws.ecr.getImages({ repositoryName: repository }, opts);
    return imageIds.map((i) => i.imageTag).filter((t): t is string => !!t);
}

/**
 * The app's releases in ECR. A tag is a release and ECR keeps it immutable, so a tag that is already there is
 * run as it is, never rebuilt: a rollback to an old tag runs the old code, not today's code under an old name.
 * A missing tag is built from app/ and pushed (@pulumi/docker, with a short-lived ECR token as a secret), or
 * refused before any node is touched when imageBuild is never.
 *
 * Once pushed, the next `up` finds the tag and declares no build: the build resource leaves the state (deleting
 * it removes nothing from ECR).
 */
export class AwsAppImage extends AppImage {
    /** `<repositoryUrl>:<tag>` per tag, resolved once the tag is in ECR (pushed by this `up` if it was missing). */
    public readonly imageIds: Record<string, pulumi.Output<string>> = {};
    public readonly repositoryUrl: pulumi.Output<string>;
    public readonly repositoryArn: pulumi.Output<string>;

    constructor(name: string, args: AwsAppImageArgs, opts?: pulumi.ComponentResourceOptions) {
        super(name, opts);
        const repo = new aws.ecr.Repository(
            `${name}-repository`,
            {
                name: args.appImage,
                imageTagMutability: "IMMUTABLE",
                imageScanningConfiguration: { scanOnPush: true },
                // A lab: `pulumi destroy` must leave nothing that bills, releases included.
                forceDelete: true,
                tags: awsTags(args.names),
            },
            { parent: this },
        );
        const existing = pulumi.output(existingTags(args.appImage, { parent: this }));
        for (const tag of distinctTags(args.tags)) {
            this.imageIds[tag] = existing.apply((have) => {
                const plan = planRelease(tag, have, args.imageBuild);
                if (plan === "refuse") throw new Error(missingReleaseMessage(args.appImage, tag, have));
                if (plan === "use") return pulumi.interpolate`${repo.repositoryUrl}:${tag}`;
                const token = aws.ecr.getAuthorizationTokenOutput({ registryId: repo.registryId }, { parent: this });
                const image = new docker.Image(
                    `${name}-${tag}`,
                    {
                        imageName: pulumi.interpolate`${repo.repositoryUrl}:${tag}`,
                        build: {
                            context: "app",
                            dockerfile: "app/Dockerfile",
                            platform: dockerPlatform(args.architecture),
                            args: { BASE_IMAGE: args.nodeBaseImage },
                        },
                        registry: {
                            server: repo.repositoryUrl,
                            username: token.userName,
                            password: pulumi.secret(token.password),
                        },
                    },
                    { parent: this },
                );
                // Resolves after the push: whatever runs the image waits for it.
                return image.imageName;
            });
        }
        this.repositoryUrl = repo.repositoryUrl;
        this.repositoryArn = repo.arn;
        this.registerOutputs({
            imageIds: this.imageIds,
            repositoryUrl: this.repositoryUrl,
            repositoryArn: this.repositoryArn,
        });
    }
}
