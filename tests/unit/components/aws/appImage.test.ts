import { strict as assert } from "assert";
import { AwsAppImage } from "../../../../components/aws/appImage";
import { AWS_ACCOUNT, AWS_REGION, awsCalls, buildComponent, byType, valueOf } from "../../../support/mocks";
import { AWS_DEFAULTS, DEV_NAMES, childrenOf } from "../../../support/componentFixtures";

const REGISTRY = `${AWS_ACCOUNT}.dkr.ecr.${AWS_REGION}.amazonaws.com`;

function buildImages(tags: string[], inEcr: string[] | undefined, ecrRepository = "") {
    const c = AWS_DEFAULTS;
    return buildComponent(
        () =>
            new AwsAppImage("app-image", {
                names: DEV_NAMES,
                appImage: c.appImage,
                imageBuild: "missing",
                nodeBaseImage: c.nodeBaseImage,
                ecrRepository,
                instanceType: c.instanceType,
                architecture: "x86_64",
                tags,
            }),
        {
            stack: "dev",
            calls: awsCalls({ tags: inEcr, repository: ecrRepository || "cloudlab-dev/cloudlab-app" }).calls,
        },
    );
}

describe("AwsAppImage, built alone under mocks", function () {
    this.timeout(60000);

    // A release ECR has is used as it is; a missing one is built and pushed by this `up`, once.
    const cases: Array<{ tags: string[]; inEcr?: string[]; built: string[] }> = [
        { tags: ["v1"], inEcr: ["v1", "v2"], built: [] },
        { tags: ["v3"], inEcr: ["v1"], built: ["app-image-v3"] },
        { tags: ["latest"], inEcr: undefined, built: ["app-image-latest"] },
    ];
    for (const { tags, inEcr, built } of cases) {
        it(`runs ${tags.join(", ")} with ${inEcr ? `ECR holding ${inEcr.join(", ")}` : "no repository yet"}: builds ${built.join(", ") || "nothing"}`, async () => {
            const { component, resources } = await buildImages(tags, inEcr);
            for (const tag of tags)
                assert.equal(await valueOf(component.imageIds[tag]), `${REGISTRY}/cloudlab-dev/cloudlab-app:${tag}`);
            assert.deepEqual(
                childrenOf(byType(resources, "docker:index/image:Image"), "app-image").map((r) => r.name),
                built,
            );
            assert.equal(await valueOf(component.repositoryUrl), `${REGISTRY}/cloudlab-dev/cloudlab-app`);
        });
    }

    it("with ecrRepository, only looks the repository up: it never creates one", async () => {
        const { component, resources } = await buildImages(["v1"], ["v1"], "team/app");
        assert.deepEqual(byType(resources, "aws:ecr/repository:Repository"), []);
        assert.equal(await valueOf(component.imageIds.v1), `${REGISTRY}/team/app:v1`);
    });
});
