import type { Architecture } from "./ami";

/**
 * The architectures a release in ECR runs on, read from its manifest through the registry API ECR serves
 * (`GET /v2/<repository>/manifests/<tag>`, then the config blob of a single-platform image), with the account's
 * ECR authorization token as Basic credentials. An image index or manifest list names each image's platform;
 * buildx adds attestation entries with platform "unknown", which are not images. A single image says its
 * architecture in its config (OCI image spec, config "architecture"). Docker's names map to the instance types'.
 */
const MANIFEST_TYPES = [
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.v2+json",
];

const ARCHITECTURES: Record<string, Architecture> = { amd64: "x86_64", arm64: "arm64" };

export type Fetch = (url: string, init?: { headers?: Record<string, string> }) => Promise<Response>;

export async function releaseArchitectures(
    repositoryUrl: string,
    tag: string,
    authorizationToken: string,
    fetchFn: Fetch = (url, init) => fetch(url, init),
): Promise<string[]> {
    const slash = repositoryUrl.indexOf("/");
    const base = `https://${repositoryUrl.slice(0, slash)}/v2/${repositoryUrl.slice(slash + 1)}`;
    const headers = { Authorization: `Basic ${authorizationToken}`, Accept: MANIFEST_TYPES.join(", ") };
    const read = async (url: string) => {
        const response = await fetchFn(url, { headers });
        if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
        return (await response.json()) as any;
    };
    const manifest = await read(`${base}/manifests/${encodeURIComponent(tag)}`);
    const named = (arch: string) => ARCHITECTURES[arch] ?? arch;
    if (Array.isArray(manifest.manifests))
        return manifest.manifests
            .map((m: any) => m.platform?.architecture)
            .filter((a: unknown): a is string => typeof a === "string" && a !== "unknown")
            .map(named);
    const config = await read(`${base}/blobs/${manifest.config.digest}`);
    return [named(config.architecture)];
}

/**
 * Why the release `tag` cannot run on `instanceType`'s architecture, or undefined when it can. Tags are immutable,
 * so a release built for the other architecture is never rebuilt under its name: every node would fail its pull
 * ("no matching manifest"), be abandoned, and the refresh would never end.
 */
export function architectureProblem(
    tag: string,
    built: readonly string[],
    instanceType: string,
    wanted: Architecture,
): string | undefined {
    if (built.includes(wanted)) return undefined;
    return (
        `cloudlab:imageTag = ${JSON.stringify(tag)} was built for ${built.join(", ") || "no known architecture"} ` +
        `and cloudlab:instanceType = ${JSON.stringify(instanceType)} runs ${wanted}: its nodes could not pull it. ` +
        `ECR tags are immutable, so the stack does not rebuild it: set a new imageTag (built from app/ for ${wanted}), ` +
        `or keep an instanceType of the release's architecture`
    );
}
