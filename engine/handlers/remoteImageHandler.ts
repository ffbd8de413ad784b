/**
 * docker.RemoteImage for images that already exist locally. The docker test engine never pulls (no registry
 * is reachable where it runs): an image missing locally fails the run. Delete removes the image unless
 * keepLocally, like the provider.
 */
import { docker, dockerError, isNotFound } from "../dockerClient";
import { REMOTE_IMAGE, plannedState, withDefaults } from "../resourceTypes";
import { JsonObject } from "../types";
import { CreateRequest, CreateResult, DeleteRequest, ReadRequest, ResourceHandler, UpdateRequest } from "./handler";
import { bool, str } from "./inputs";

export class RemoteImageHandler implements ResourceHandler {
    async create(req: CreateRequest): Promise<CreateResult> {
        const name = String(req.inputs.name);
        let info: { Id: string; RepoDigests?: string[] };
        try {
            info = await docker().getImage(name).inspect();
        } catch (e) {
            if (isNotFound(e)) {
                throw new Error(
                    `docker test engine: image ${name} is not present locally, and pulling is not supported`,
                );
            }
            throw new Error(`Unable to read Docker image into resource: ${dockerError(e)}`);
        }
        const outputs: JsonObject = withDefaults(REMOTE_IMAGE, req.inputs);
        outputs.imageId = info.Id;
        outputs.repoDigest = info.RepoDigests?.[0] ?? "";
        return { id: `${info.Id}${name}`, outputs };
    }

    /**
     * Read: the image its name names now, or gone. The provider looks the name up among the local images and
     * takes that image's id (kreuzwerker/terraform-provider-docker internal/provider/resource_docker_image_funcs.go
     * resourceDockerImageRead: `d.Set("image_id", foundImage.ID)`), so a rebuilt image shows on refresh and the
     * next up replaces what was built on the old one. (It also resets the resource id to the new image id + name;
     * engine/ keeps the old id, which nothing reads.)
     */
    async read(req: ReadRequest): Promise<JsonObject | undefined> {
        let info: { Id: string; RepoDigests?: string[] };
        try {
            info = await docker().getImage(String(req.inputs.name)).inspect();
        } catch (e) {
            if (isNotFound(e)) return undefined;
            throw e;
        }
        return { ...req.outputs, imageId: info.Id, repoDigest: info.RepoDigests?.[0] ?? "" };
    }

    async update(req: UpdateRequest): Promise<JsonObject> {
        return plannedState(REMOTE_IMAGE, req.oldOutputs, req.newInputs);
    }

    async delete(req: DeleteRequest): Promise<void> {
        if (bool(req.inputs.keepLocally) ?? false) return;
        const imageId = str(req.outputs.imageId) ?? String(req.inputs.name);
        try {
            await docker()
                .getImage(imageId)
                .remove({ force: bool(req.inputs.forceRemove) ?? false });
        } catch (e) {
            if (isNotFound(e)) return;
            throw new Error(`Unable to remove Docker image: ${dockerError(e)}`);
        }
    }
}
