/**
 * Pulumi's local.Command runs this once per image of the local stack (components/local/serviceImage.ts,
 * ensureImage: each release tag of the app, each of the stack's own services). It prints the image id of
 * CLOUDLAB_IMAGE on stdout: an existing tag is reused as it is (never rebuilt behind the user's back); a missing
 * one is built from app/ (on CLOUDLAB_BASE_IMAGE) when CLOUDLAB_IMAGE_BUILD=missing, otherwise it is an error
 * that lists the tags that do exist. The program always sets all three variables; the services' images set
 * CLOUDLAB_IMAGE_SOURCE too (controller or logsink: built from that directory instead; unset means app). The
 * names are lib/serviceImage.ts's ENSURE_IMAGE_ENV.
 */
import { PROJECT } from "../shared/naming";
import { IMAGE_SOURCES, buildImage, docker, localImageId, localTags } from "./appImage";
import { log } from "../../lib/log";
import { ENSURE_IMAGE_ENV } from "../../lib/serviceImage";

async function main(): Promise<void> {
    const ref = required(ENSURE_IMAGE_ENV.image);
    const mode = required(ENSURE_IMAGE_ENV.build);
    const baseImage = required(ENSURE_IMAGE_ENV.baseImage);
    const source = process.env[ENSURE_IMAGE_ENV.source] || "app";
    const dir = IMAGE_SOURCES[source];
    if (!dir)
        throw new Error(
            `${ENSURE_IMAGE_ENV.source} = ${JSON.stringify(source)} is not one of ${Object.keys(IMAGE_SOURCES).join(", ")}`,
        );
    const client = docker();
    const existing = await localImageId(client, ref);
    if (existing) {
        log.info({ ref, id: existing }, "release exists; reusing it");
        process.stdout.write(existing);
        return;
    }
    const repository = ref.slice(0, ref.lastIndexOf(":"));
    if (mode !== "missing") {
        const tags = await localTags(client, repository);
        throw new Error(
            `image ${ref} does not exist and ${PROJECT}:imageBuild is '${mode}', so it is not built. ` +
                `Existing tags of ${repository}: ${tags.length ? tags.join(", ") : "none"}. ` +
                `Build it with \`npm run release -- ${ref.slice(repository.length + 1)}\` or choose an existing tag.`,
        );
    }
    try {
        process.stdout.write(await buildImage(client, ref, baseImage, dir));
    } catch (err) {
        throw new Error(
            `image ${ref} does not exist and could not be built from ${source}/ with base image ${baseImage}: ${(err as Error).message}`,
        );
    }
}

function required(name: string): string {
    const v = process.env[name];
    if (!v) throw new Error(`${name} is not set`);
    return v;
}

main().catch((err: Error) => {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
});
