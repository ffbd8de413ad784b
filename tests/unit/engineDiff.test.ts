import { strict as assert } from "assert";
import { applyIgnoreChanges, diffResource } from "../../engine/diff";
import { parsePath, pathContains } from "../../engine/propertyPath";
import { CONTAINER, LOCAL_COMMAND, NETWORK } from "../../engine/resourceTypes";
import { deletionWaves } from "../../engine/stateStore";
import { JsonObject, ResourceState } from "../../engine/types";
import { UNKNOWN } from "../../engine/values";

const base: JsonObject = {
    name: "lab-node-1",
    image: "sha256:aaa",
    envs: ["A=1", "B=2"],
    labels: [
        { label: "cloudlab.stack", value: "dev" },
        { label: "cloudlab.role", value: "app" },
    ],
    networksAdvanced: [{ name: "lab", ipv4Address: "10.0.0.11", aliases: ["node-1"] }],
    healthcheck: { tests: ["CMD", "true"], interval: "2s", timeout: "2s", retries: 2 },
    restart: "unless-stopped",
    start: true,
    wait: true,
};
const with_ = (patch: JsonObject): JsonObject => ({ ...base, ...patch });

describe("docker test engine: diff", () => {
    it("reports same for identical inputs", () => {
        const d = diffResource(CONTAINER, base, with_({}));
        assert.equal(d.kind, "same");
        assert.deepEqual(d.changed, []);
    });

    it("treats absent, empty and provider-default values as equal, and sets as unordered", () => {
        const d = diffResource(
            CONTAINER,
            { ...base, mustRun: true, uploads: [] },
            with_({
                envs: ["B=2", "A=1"],
                labels: [...(base.labels as JsonObject[])].reverse(),
                start: undefined as never,
            }),
        );
        assert.equal(d.kind, "same", JSON.stringify(d));
    });

    it("updates in place what the provider can update (restart, memory)", () => {
        const d = diffResource(CONTAINER, base, with_({ restart: "always", memory: 256 }));
        assert.equal(d.kind, "update");
        assert.deepEqual(d.changed, ["memory", "restart"]);
        assert.deepEqual(d.replaceKeys, []);
    });

    it("replaces on a ForceNew property", () => {
        const d = diffResource(CONTAINER, base, with_({ image: "sha256:bbb", restart: "always" }));
        assert.equal(d.kind, "replace");
        assert.deepEqual(d.changed, ["image", "restart"]);
        assert.deepEqual(d.replaceKeys, ["image"]);
    });

    it("accepts a healthcheck or start change in place (the provider's trap) unless replaceOnChanges says otherwise", () => {
        const changed = with_({
            healthcheck: { tests: ["CMD", "false"], interval: "2s", timeout: "2s", retries: 2 },
            start: false,
        });
        assert.equal(diffResource(CONTAINER, base, changed).kind, "update");
        const d = diffResource(CONTAINER, base, changed, { replaceOnChanges: ["healthcheck", "start"] });
        assert.equal(d.kind, "replace");
        assert.deepEqual(d.replaceKeys, ["healthcheck", "start"]);
    });

    it("matches replaceOnChanges paths against nested changes", () => {
        const interval = with_({ healthcheck: { tests: ["CMD", "true"], interval: "5s", timeout: "2s", retries: 2 } });
        const retries = with_({ healthcheck: { tests: ["CMD", "true"], interval: "2s", timeout: "2s", retries: 3 } });
        const opts = { replaceOnChanges: ["healthcheck.interval"] };
        assert.equal(diffResource(CONTAINER, base, interval, opts).kind, "replace");
        assert.equal(diffResource(CONTAINER, base, retries, opts).kind, "update");
        assert.ok(diffResource(CONTAINER, base, retries, opts).detailed.includes("healthcheck.retries"));
        assert.equal(
            diffResource(LOCAL_COMMAND, { create: "a" }, { create: "b" }, { replaceOnChanges: ["*"] }).kind,
            "replace",
        );
    });

    it("excludes ignoreChanges properties from the diff and keeps their old value", () => {
        const d = diffResource(CONTAINER, base, with_({ image: "sha256:bbb" }), { ignoreChanges: ["image"] });
        assert.equal(d.kind, "same");
        assert.equal(d.inputs.image, "sha256:aaa");
        const nested = diffResource(
            CONTAINER,
            base,
            with_({ healthcheck: { tests: ["CMD", "true"], interval: "9s", timeout: "2s", retries: 2 } }),
            { ignoreChanges: ["healthcheck.interval"] },
        );
        assert.equal(nested.kind, "same");
        const dropped = applyIgnoreChanges({ a: 1, b: 2 }, { a: 1 }, ["b"]);
        assert.deepEqual(dropped, { a: 1 });
    });

    it("counts an unknown (preview) value as a change", () => {
        assert.equal(diffResource(CONTAINER, base, with_({ image: UNKNOWN })).kind, "replace");
        const net = with_({ networksAdvanced: [{ name: UNKNOWN, ipv4Address: "10.0.0.11", aliases: ["node-1"] }] });
        assert.equal(diffResource(CONTAINER, base, net).kind, "replace");
        assert.equal(
            diffResource(
                LOCAL_COMMAND,
                { create: "x", environment: { A: "1" } },
                { create: "x", environment: { A: UNKNOWN } },
            ).kind,
            "update",
        );
    });

    it("follows pulumi-command: triggers replace, anything else updates", () => {
        assert.equal(
            diffResource(LOCAL_COMMAND, { create: "a", triggers: ["1"] }, { create: "a", triggers: ["2"] }).kind,
            "replace",
        );
        assert.equal(
            diffResource(LOCAL_COMMAND, { create: "a", triggers: ["1"] }, { create: "b", triggers: ["1"] }).kind,
            "update",
        );
    });

    it("replaces a network on any change", () => {
        const net = { name: "lab", ipamConfigs: [{ subnet: "10.0.0.0/24" }] };
        assert.equal(diffResource(NETWORK, net, { ...net, ipamConfigs: [{ subnet: "10.0.1.0/24" }] }).kind, "replace");
        assert.equal(diffResource(NETWORK, net, { ...net, driver: "bridge" }).kind, "same");
    });

    it("turns init errors into an update, or a replacement when replaceOnChanges covers them", () => {
        assert.equal(diffResource(CONTAINER, base, base, { hasInitErrors: true }).kind, "update");
        assert.equal(
            diffResource(CONTAINER, base, base, { hasInitErrors: true, replaceOnChanges: ["*"] }).kind,
            "replace",
        );
    });

    it("fails loudly on anything it does not implement", () => {
        assert.throws(
            () => diffResource(CONTAINER, base, with_({ privileged: true })),
            /^Error: docker test engine: docker:index\/container:Container\.privileged is not supported$/,
        );
        assert.throws(
            () => diffResource(CONTAINER, base, with_({ networksAdvanced: [{ name: "lab", driverOpts: ["x"] }] })),
            /docker test engine: docker:index\/container:Container\.networksAdvanced\.driverOpts is not supported/,
        );
        assert.throws(
            () => diffResource(CONTAINER, base, with_({ attach: true })),
            /Container\.attach=true is not supported/,
        );
        assert.throws(
            () => diffResource("docker:index/volume:Volume", {}, {}),
            /docker test engine: docker:index\/volume:Volume is not supported/,
        );
    });
});

describe("docker test engine: property paths and delete order", () => {
    it("parses and matches Pulumi property paths", () => {
        assert.deepEqual(parsePath('a.b[0]["c.d"]'), ["a", "b", 0, "c.d"]);
        assert.ok(pathContains(parsePath("envs[*]"), ["envs", 3]));
        assert.ok(pathContains(parsePath("healthcheck"), ["healthcheck", "interval"]));
        assert.ok(!pathContains(parsePath("healthcheck.tests"), ["healthcheck", "interval"]));
    });

    it("deletes dependents before what they depend on", () => {
        const res = (urn: string, dependencies: string[] = [], parent = ""): ResourceState => ({
            urn,
            type: CONTAINER,
            name: urn,
            custom: true,
            id: urn,
            parent,
            inputs: {},
            outputs: {},
            dependencies,
            propertyDependencies: {},
            deleteBeforeReplace: false,
            replaceOnChanges: [],
            ignoreChanges: [],
            protect: false,
            retainOnDelete: false,
        });
        const waves = deletionWaves([
            res("stack"),
            res("net", [], "stack"),
            res("c1", ["net"], "stack"),
            res("c2", ["c1", "net"], "stack"),
        ]);
        assert.deepEqual(
            waves.map((w) => w.map((r) => r.urn)),
            [["c2"], ["c1"], ["net"], ["stack"]],
        );
    });
});
