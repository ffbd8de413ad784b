import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import type { Readable } from "stream";
import type Docker from "dockerode";
import { IMAGE_SOURCES, buildImage, serviceBuildOptions } from "../../components/hooks/appImage";
import { REPO } from "../../lib/repo";
import { SERVICES, SERVICE_DOCKERFILE, SERVICE_DOCKERFILE_PATH, serviceOfDir } from "../../lib/serviceImage";

/** The files of a tar stream, by name, with their contents (ustar headers: name at 0, octal size at 124). */
async function untar(stream: Readable): Promise<Map<string, Buffer>> {
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(c as Buffer);
    const tar = Buffer.concat(chunks);
    const files = new Map<string, Buffer>();
    for (let at = 0; at + 512 <= tar.length;) {
        const header = tar.subarray(at, at + 512);
        if (header.every((b) => b === 0)) break;
        const field = (from: number, len: number) =>
            header
                .subarray(from, from + len)
                .toString("utf8")
                .replace(/\0.*$/s, "");
        const prefix = field(345, 155);
        const name = (prefix ? `${prefix}/` : "") + field(0, 100);
        const size = parseInt(field(124, 12).trim() || "0", 8);
        if (field(156, 1) === "0" || field(156, 1) === "") files.set(name, tar.subarray(at + 512, at + 512 + size));
        at += 512 + Math.ceil(size / 512) * 512;
    }
    return files;
}

describe("the service images: one recipe (service.Dockerfile)", () => {
    const recipe = fs.readFileSync(SERVICE_DOCKERFILE_PATH, "utf8");

    it("is the only Dockerfile of the services: app/, controller/ and logsink/ have none of their own", () => {
        assert.equal(SERVICE_DOCKERFILE_PATH, path.join(REPO, SERVICE_DOCKERFILE));
        for (const s of SERVICES)
            assert.ok(
                !fs.existsSync(path.join(REPO, s, "Dockerfile")),
                `${s}/Dockerfile is back: build from the recipe`,
            );
    });

    it("has the base image argument and one target stage per service, on the shared runtime stage", () => {
        assert.match(recipe, /^ARG BASE_IMAGE=node:22-bookworm-slim$/m);
        assert.match(recipe, /^FROM \$\{BASE_IMAGE\} AS build$/m);
        assert.match(recipe, /^FROM \$\{BASE_IMAGE\} AS runtime$/m);
        assert.match(recipe, /^WORKDIR \/\$\{SERVICE\}$/m);
        const targets = [...recipe.matchAll(/^FROM runtime AS (\S+)$/gm)].map((m) => m[1]);
        assert.deepEqual(targets, [...SERVICES]);
    });

    it("is what every local build of a service sends as its Dockerfile, with the service's target and arguments", async () => {
        assert.deepEqual(Object.keys(IMAGE_SOURCES).sort(), [...SERVICES].sort());
        for (const [name, dir] of Object.entries(IMAGE_SOURCES)) {
            assert.equal(serviceOfDir(dir), name);
            // A Docker client that records what buildImage sends it, and reports a built image.
            const sent: Array<{ context: Readable; options: any }> = [];
            const client = {
                buildImage: async (context: Readable, options: any) => {
                    sent.push({ context, options });
                    return "stream";
                },
                modem: { followProgress: (_s: unknown, done: (e: null, r: unknown[]) => void) => done(null, []) },
                getImage: () => ({ inspect: async () => ({ Id: "sha256:built" }) }),
            } as unknown as Docker;
            assert.equal(await buildImage(client, `cloudlab-${name}:t`, "base:1", dir), "sha256:built");
            assert.equal(sent.length, 1);
            assert.deepEqual(sent[0].options, {
                t: `cloudlab-${name}:t`,
                target: name,
                buildargs: { BASE_IMAGE: "base:1", SERVICE: name },
                rm: true,
                forcerm: true,
            });
            const files = await untar(sent[0].context);
            assert.equal(files.get("Dockerfile")?.toString("utf8"), recipe, `${name}: the context's Dockerfile`);
            for (const f of ["package.json", "package-lock.json", "tsconfig.json", "src/main.ts"])
                assert.ok(files.has(f), `${name}: the context lacks ${f}`);
            assert.ok(![...files.keys()].some((f) => /^(node_modules|dist)\//.test(f)), `${name}: context not pruned`);
        }
    });

    it("refuses a directory that is not a service", () => {
        assert.throws(() => serviceBuildOptions("x:y", "base:1", path.join(REPO, "engine")), /not a service directory/);
    });

    it("is the only Dockerfile the code builds a service from (no path to an app/, controller/ or logsink/ Dockerfile)", () => {
        const offenders: string[] = [];
        const walk = (dir: string): void => {
            for (const e of fs.readdirSync(path.join(REPO, dir), { withFileTypes: true })) {
                const rel = path.join(dir, e.name);
                if (e.isDirectory()) {
                    if (e.name !== "node_modules" && e.name !== "dist") walk(rel);
                } else if (/\.ts$/.test(e.name) && rel !== path.join("tests", "unit", "serviceImage.test.ts")) {
                    if (
                        /["'`](\.\/)?(app|controller|logsink)\/Dockerfile["'`]/.test(
                            fs.readFileSync(path.join(REPO, rel), "utf8"),
                        )
                    )
                        offenders.push(rel);
                }
            }
        };
        for (const d of ["components", "engine", "lib", "scripts", "cli", "tests"]) walk(d);
        assert.deepEqual(offenders, []);
    });
});
