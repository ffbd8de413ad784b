/**
 * `npm run release -- <tag> [--force]`: builds app/ as <appImage>:<tag> on purpose. A release is immutable:
 * an existing tag is refused unless --force, so a rollback to it always gets what was deployed before.
 * Reads appImage and nodeBaseImage from the environment (CLOUDLAB_APP_IMAGE, CLOUDLAB_BASE_IMAGE) or defaults.
 */
import { IMAGE_TAG_RE } from "../components/config/parsers";
import { KEYS } from "../components/config/schema";
import { buildAppImage, docker, localImageId } from "../components/hooks/appImage";

async function main(argv: string[]): Promise<void> {
    const force = argv.includes("--force");
    const tags = argv.filter((a) => !a.startsWith("--"));
    if (tags.length !== 1) throw new Error("usage: npm run release -- <tag> [--force]");
    const tag = tags[0];
    if (!IMAGE_TAG_RE.test(tag)) {
        throw new Error(
            `release tag ${JSON.stringify(tag)} is not a Docker tag (letters, digits, '_', '.', '-'; at most 128)`,
        );
    }
    const repository = process.env.CLOUDLAB_APP_IMAGE ?? String(KEYS.appImage.default);
    const baseImage = process.env.CLOUDLAB_BASE_IMAGE ?? String(KEYS.nodeBaseImage.default);
    const ref = `${repository}:${tag}`;
    const client = docker();
    const existing = await localImageId(client, ref);
    if (existing && !force) {
        throw new Error(`${ref} already exists (${existing}); releases are immutable: pick a new tag or pass --force`);
    }
    const id = await buildAppImage(client, ref, baseImage);
    process.stdout.write(`${ref} ${id}\nDeploy it: pulumi config set imageTag ${tag} && pulumi up\n`);
}

main(process.argv.slice(2)).catch((err: Error) => {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
});
