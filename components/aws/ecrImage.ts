import type { ImageBuild } from "../config/schema";
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import * as docker from "@pulumi/docker";
import { StackNames } from "../naming";
import { Architecture, dockerPlatform } from "./ami";
import { awsTags } from "./tags";

/** The AWS platform's part of {@link AppImageArgs}. */
export interface AwsImagePlatform {
    kind: "aws";
    names: StackNames;
    /** The nodes' architecture: images are built for it, whatever the machine running `pulumi up`. */
    architecture: Architecture;
}

/** Everything {@link declareEcrReleases} needs besides the platform. */
export interface EcrReleasesSpec {
    /** Name of the ECR repository (created by the stack). */
    repository: string;
    tags: string[];
    build: ImageBuild;
    /** BASE_IMAGE build argument of app/Dockerfile. */
    baseImage: string;
}

export interface EcrReleases {
    repositoryUrl: pulumi.Output<string>;
    repositoryArn: pulumi.Output<string>;
    /** `<repositoryUrl>:<tag>` per tag, resolved once the tag is in ECR (pushed by this `up` if it was missing). */
    imageRefs: Record<string, pulumi.Output<string>>;
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
export function declareEcrReleases(
    parent: pulumi.Resource,
    baseName: string,
    spec: EcrReleasesSpec,
    platform: AwsImagePlatform,
): EcrReleases {
    const repo = new aws.ecr.Repository(
        `${baseName}-repository`,
        {
            name: spec.repository,
            imageTagMutability: "IMMUTABLE",
            imageScanningConfiguration: { scanOnPush: true },
            // A lab: `pulumi destroy` must leave nothing that bills, releases included.
            forceDelete: true,
            tags: awsTags(platform.names),
        },
        { parent },
    );
    const existing = pulumi.output(existingTags(spec.repository, { parent }));
    const imageRefs: Record<string, pulumi.Output<string>> = {};
    for (const tag of [...new Set(spec.tags)].sort()) {
        imageRefs[tag] = existing.apply((have) => {
            const plan = planRelease(tag, have, spec.build);
            if (plan === "refuse") throw new Error(missingReleaseMessage(spec.repository, tag, have));
            if (plan === "use") return pulumi.interpolate`${repo.repositoryUrl}:${tag}`;
            const token = aws.ecr.getAuthorizationTokenOutput({ registryId: repo.registryId }, { parent });
            const image = new docker.Image(
                `${baseName}-${tag}`,
                {
                    imageName: pulumi.interpolate`${repo.repositoryUrl}:${tag}`,
                    build: {
                        context: "app",
                        dockerfile: "app/Dockerfile",
                        platform: dockerPlatform(platform.architecture),
                        args: { BASE_IMAGE: spec.baseImage },
                    },
                    registry: {
                        server: repo.repositoryUrl,
                        username: token.userName,
                        password: pulumi.secret(token.password),
                    },
                },
                { parent },
            );
            // Resolves after the push: whatever runs the image waits for it.
            return image.imageName;
        });
    }
    return { repositoryUrl: repo.repositoryUrl, repositoryArn: repo.arn, imageRefs };
}
