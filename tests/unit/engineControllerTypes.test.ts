/**
 * What the engine gained for the controller: random.RandomPassword (terraform-provider-random's rules) and a
 * container's `volumes` bind mounts (terraform-provider-docker v4.5.0's rules), see engine/resourceTypes.ts.
 */
import { strict as assert } from "assert";
import { diffResource } from "../../engine/diff";
import { createOptions } from "../../engine/handlers/containerHandler";
import { PASSWORD_CLASSES, RandomPasswordHandler } from "../../engine/handlers/randomPasswordHandler";
import { CONTAINER, RANDOM_PASSWORD, assertSupportedInputs, plannedOutputs } from "../../engine/resourceTypes";
import { UNKNOWN } from "../../engine/values";

const socket = { hostPath: "/var/run/docker.sock", containerPath: "/var/run/docker.sock", readOnly: true };
const proxy = { name: "p", image: "sha256:aaa", volumes: [socket] };

describe("docker test engine: RandomPassword and container volumes", () => {
    it("binds a host path read-only as the provider does (HostConfig.Binds <host>:<container>:ro)", () => {
        const o = createOptions(proxy);
        assert.deepEqual(o.HostConfig?.Binds, ["/var/run/docker.sock:/var/run/docker.sock:ro"]);
        assert.deepEqual(o.Volumes, { "/var/run/docker.sock": {} });
        const rw = createOptions({ ...proxy, volumes: [{ hostPath: "/a", containerPath: "/b" }] });
        assert.deepEqual(rw.HostConfig?.Binds, ["/a:/b:rw"], "read_only has no Default: absent is read-write");
        assert.equal(createOptions({ name: "x", image: "y" }).HostConfig?.Binds, undefined);
    });

    it("replaces a container whose volumes change (ForceNew) and keeps it when they do not", () => {
        assert.equal(diffResource(CONTAINER, proxy, { ...proxy }).kind, "same");
        assert.equal(
            diffResource(CONTAINER, proxy, { ...proxy, volumes: [{ ...socket, readOnly: false }] }).kind,
            "replace",
        );
    });

    it("refuses the volume kinds it does not implement", () => {
        assert.throws(
            () =>
                assertSupportedInputs(CONTAINER, {
                    volumes: [{ hostPath: "/a", volumeName: "v", containerPath: "/d" }],
                }),
            /volumes.volumeName is not supported/,
        );
        assert.throws(
            () => assertSupportedInputs(CONTAINER, { volumes: [{ containerPath: "/d" }] }),
            /only \{ hostPath, containerPath, readOnly\? \} bind mounts/,
        );
    });

    it("draws a password of the asked length from the enabled classes only, id none", async () => {
        const h = new RandomPasswordHandler();
        const r = await h.create({ urn: "u", name: "t", inputs: { length: 40, special: false } });
        assert.equal(r.id, "none");
        assert.match(String(r.outputs.result), /^[A-Za-z0-9]{40}$/);
        const all = await h.create({ urn: "u", name: "t", inputs: { length: 200 } });
        assert.ok(
            [...String(all.outputs.result)].some((c) => PASSWORD_CLASSES.special.includes(c)),
            "special by default",
        );
        const digits = await h.create({
            urn: "u",
            name: "t",
            inputs: { length: 30, upper: false, lower: false, special: false },
        });
        assert.match(String(digits.outputs.result), /^[0-9]{30}$/);
        await assert.rejects(() => h.create({ urn: "u", name: "t", inputs: { length: 0 } }), /length = 0/);
    });

    it("keeps the password on refresh and replaces it when an argument changes (RequiresReplace)", async () => {
        const h = new RandomPasswordHandler();
        const outputs = { length: 40, special: false, result: "kept" };
        assert.deepEqual(await h.read({ urn: "u", name: "t", id: "none", inputs: {}, outputs }), outputs);
        assert.equal(diffResource(RANDOM_PASSWORD, outputs, { length: 40, special: false }).kind, "same");
        assert.equal(diffResource(RANDOM_PASSWORD, outputs, { length: 41, special: false }).kind, "replace");
        assert.equal(diffResource(RANDOM_PASSWORD, outputs, { length: 40, special: true }).kind, "replace");
        assert.equal(plannedOutputs(RANDOM_PASSWORD, { length: 40 }).result, UNKNOWN);
        assert.throws(
            () => assertSupportedInputs(RANDOM_PASSWORD, { length: 8, minUpper: 2 }),
            /minUpper is not supported/,
        );
    });
});
