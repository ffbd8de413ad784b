import Docker from "dockerode";
import * as fs from "fs";
import * as path from "path";
import type { Readable } from "stream";
import * as tar from "tar-fs";
import { log } from "../../lib/log";
import { REPO } from "../../lib/repo";
import { SERVICES, SERVICE_DOCKERFILE_PATH, serviceBuildArgs, serviceDir, serviceOfDir } from "../../lib/serviceImage";

/**
 * The directories a build may use as its context, by the service name the program passes
 * (ENSURE_IMAGE_ENV.source): the services' own, app/ for the releases and the others for the local stack's
 * service images (components/local/serviceImage.ts).
 */
export const IMAGE_SOURCES: Readonly<Record<string, string>> = Object.fromEntries(
    SERVICES.map((service) => [service, serviceDir(service)]),
);

/** Never sent to the Docker daemon as build context: rebuilt inside the image, or not needed there. */
const CONTEXT_IGNORE = new Set(["node_modules", "dist", ".git", "coverage"]);

export function docker(): Docker {
    return new Docker();
}

/** Image id (sha256:...) of a local image, or undefined when the reference does not exist locally. */
export async function localImageId(client: Docker, ref: string): Promise<string | undefined> {
    try {
        return (await client.getImage(ref).inspect()).Id;
    } catch (err) {
        if ((err as { statusCode?: number }).statusCode === 404) return undefined;
        throw err;
    }
}

/** Tags of `repository` present locally, newest first: what a user can roll back to. */
export async function localTags(client: Docker, repository: string): Promise<string[]> {
    const images = await client.listImages({ filters: JSON.stringify({ reference: [repository] }) });
    return images
        .sort((a, b) => b.Created - a.Created)
        .flatMap((i) => i.RepoTags ?? [])
        .filter((t) => t.startsWith(`${repository}:`))
        .map((t) => t.slice(repository.length + 1));
}

interface BuildEvent {
    stream?: string;
    error?: string;
    errorDetail?: { message?: string };
    aux?: { ID?: string };
}

/** Builds app/ as `ref` with the given base image and returns the new image id. */
export async function buildAppImage(client: Docker, ref: string, baseImage: string): Promise<string> {
    return buildImage(client, ref, baseImage, serviceDir("app"));
}

/**
 * The build context of the service in `dir`: the directory (less CONTEXT_IGNORE) with the services' one recipe,
 * service.Dockerfile (lib/serviceImage.ts), added as its Dockerfile: the services have no Dockerfile of their own.
 */
export function serviceBuildContext(dir: string): Readable {
    const recipe = fs.readFileSync(SERVICE_DOCKERFILE_PATH);
    return tar.pack(dir, {
        ignore: (name) => CONTEXT_IGNORE.has(path.relative(dir, name).split(path.sep)[0]),
        finalize: false,
        finish: (pack) => {
            pack.entry({ name: "Dockerfile", mode: 0o644 }, recipe);
            pack.finalize();
        },
    });
}

/** The build options of the service in `dir` as `ref` on `baseImage`: the recipe's arguments and target. */
export function serviceBuildOptions(ref: string, baseImage: string, dir: string) {
    const service = serviceOfDir(dir);
    return { t: ref, target: service, buildargs: serviceBuildArgs(service, baseImage), rm: true, forcerm: true };
}

/**
 * Builds the service in `dir` (app/, controller/ or logsink/) from service.Dockerfile as `ref` with the given base
 * image; returns the image id.
 */
export async function buildImage(client: Docker, ref: string, baseImage: string, dir: string): Promise<string> {
    const started = Date.now();
    log.info({ ref, baseImage, dir: path.relative(REPO, dir) }, "building an image");
    const options = serviceBuildOptions(ref, baseImage, dir);
    const stream = await client.buildImage(serviceBuildContext(dir), options);
    const events: BuildEvent[] = await new Promise((resolve, reject) =>
        client.modem.followProgress(
            stream,
            (err: Error | null, res: BuildEvent[]) => (err ? reject(err) : resolve(res)),
            (e: BuildEvent) => {
                const line = e.stream?.trim();
                if (!line) return;
                // The builder's "Step 3/7 : RUN npm ci" lines are the build's progress (shown live by `npm run up`).
                if (/^Step \d+\/\d+ :/.test(line)) log.info(line);
                else log.debug(line);
            },
        ),
    );
    const failure = events.find((e) => e.error || e.errorDetail);
    if (failure) {
        const tail = events
            .filter((e) => e.stream)
            .slice(-15)
            .map((e) => e.stream!.trimEnd())
            .join("\n");
        throw new Error(`docker build of ${ref} failed: ${failure.errorDetail?.message ?? failure.error}\n${tail}`);
    }
    const id = await localImageId(client, ref);
    if (!id) throw new Error(`docker build of ${ref} reported success but the image is not there`);
    log.info({ ref, id, seconds: (Date.now() - started) / 1000 }, "built");
    return id;
}
