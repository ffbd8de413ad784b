import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import * as docker from "@pulumi/docker";
import type { ImageBuild } from "../config/schema";
import type { AwsConfig } from "../config/validate";
import { StackNames } from "../shared/naming";
import { Architecture, dockerPlatform } from "./ami";
import { awsTags } from "./tags";
import { stackRepositoryName } from "./names";
import { AppImage, AppImageArgs, distinctTags } from "../shared/appImage";
import { architectureProblem, releaseArchitectures } from "./registryArch";
import { SERVICE_DOCKERFILE, serviceBuildArgs } from "../../lib/serviceImage";

/** Arguments of {@link AwsAppImage}. */
export interface AwsAppImageArgs extends AppImageArgs {
    /** An existing repository the stack only uses; empty: the stack's own. */
    ecrRepository: AwsConfig["ecrRepository"];
    /** The nodes' instance type, named when a release is built for another architecture. */
    instanceType: AwsConfig["instanceType"];
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
 * The stack's repository keeps every tagged image (a tag is a release, and an old release is a rollback) and
 * expires untagged ones (layers of interrupted pushes) a day after their push.
 */
export const UNTAGGED_EXPIRY_POLICY = JSON.stringify({
    rules: [
        {
            rulePriority: 1,
            description: "untagged images only: tagged releases are rollbacks",
            selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 1 },
            action: { type: "expire" },
        },
    ],
});

/**
 * How the provider reports a repository that does not exist: its images data source wraps
 * RepositoryNotFoundException in a retry.NotFoundError, whose text is "couldn't find resource" (the AWS text is
 * dropped; terraform-provider-aws internal/service/ecr/images_data_source.go).
 */
export function isRepositoryNotFound(error: unknown): boolean {
    return /couldn't find resource|RepositoryNotFoundException/.test(String((error as Error)?.message ?? error));
}

/**
 * Tags already in the repository, read with ListImages on the repository's NAME (known before anything is
 * created, so a preview shows the same builds as the `up` that follows; no DescribeRepositories over the whole
 * registry). None when the stack's own repository does not exist yet (the first `up`); a missing `ecrRepository`
 * is an error that names the key.
 */
async function existingTags(repository: string, owned: boolean, opts: pulumi.InvokeOptions): Promise<string[]> {
    try {
        const { imageIds } = await aws.ecr.getImages({ repositoryName: repository }, opts);
        return imageIds.map((i) => i.imageTag).filter((t): t is string => !!t);
    } catch (error) {
        if (!isRepositoryNotFound(error)) throw error;
        if (owned) return [];
        throw new pulumi.RunError(
            `cloudlab:ecrRepository = ${JSON.stringify(repository)} does not exist in this account and region: ` +
                `create it, or leave ecrRepository empty so that the stack creates its own`,
        );
    }
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
        // An existing repository (ecrRepository) is only looked up: the stack never creates, changes or deletes it.
        const owned = args.ecrRepository === "";
        const repositoryName = owned ? stackRepositoryName(args.names, args.appImage) : args.ecrRepository;
        const repo: {
            repositoryUrl: pulumi.Output<string>;
            arn: pulumi.Output<string>;
            registryId: pulumi.Output<string>;
        } = owned
            ? new aws.ecr.Repository(
                  `${name}-repository`,
                  {
                      name: repositoryName,
                      imageTagMutability: "IMMUTABLE",
                      imageScanningConfiguration: { scanOnPush: true },
                      // A lab: `pulumi destroy` must leave nothing that bills, releases included.
                      forceDelete: true,
                      tags: awsTags(args.names),
                  },
                  { parent: this },
              )
            : aws.ecr.getRepositoryOutput({ name: repositoryName }, { parent: this });
        if (owned) {
            new aws.ecr.LifecyclePolicy(
                `${name}-untagged-expiry`,
                { repository: repositoryName, policy: UNTAGGED_EXPIRY_POLICY },
                { parent: this, dependsOn: [repo as aws.ecr.Repository] },
            );
        }
        const existing = pulumi.output(existingTags(repositoryName, owned, { parent: this }));
        for (const tag of distinctTags(args.tags)) {
            this.imageIds[tag] = existing.apply((have) => {
                const plan = planRelease(tag, have, args.imageBuild);
                if (plan === "refuse") throw new Error(missingReleaseMessage(repositoryName, tag, have));
                // A release ECR has must run on the nodes' architecture (an instanceType change can switch it):
                // checked on its manifest, so a preview fails before any node is touched.
                if (plan === "use")
                    return repo.repositoryUrl.apply(async (url) => {
                        const registryId = url.split(".")[0];
                        const { authorizationToken } = await aws.ecr.getAuthorizationToken(
                            { registryId },
                            { parent: this },
                        );
                        const built = await releaseArchitectures(url, tag, authorizationToken);
                        const problem = architectureProblem(tag, built, args.instanceType, args.architecture);
                        if (problem) throw new pulumi.RunError(problem);
                        return `${url}:${tag}`;
                    });
                const token = aws.ecr.getAuthorizationTokenOutput({ registryId: repo.registryId }, { parent: this });
                const image = new docker.Image(
                    `${name}-${tag}`,
                    {
                        imageName: pulumi.interpolate`${repo.repositoryUrl}:${tag}`,
                        build: {
                            context: "app",
                            dockerfile: SERVICE_DOCKERFILE,
                            target: "app",
                            platform: dockerPlatform(args.architecture),
                            args: serviceBuildArgs("app", args.nodeBaseImage),
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
