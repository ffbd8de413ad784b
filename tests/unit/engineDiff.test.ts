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
        const readBack = { ...net, driver: "bridge", internal: false, attachable: false, scope: "local" };
        assert.equal(
            diffResource(NETWORK, readBack, { ...net, ipamConfigs: [{ subnet: "10.0.1.0/24" }] }).kind,
            "replace",
        );
        assert.equal(diffResource(NETWORK, readBack, { ...net, driver: "bridge" }).kind, "same");
        // driver is Optional+Computed: left out, it keeps what Docker reported.
        assert.equal(diffResource(NETWORK, readBack, net).kind, "same");
        assert.equal(diffResource(NETWORK, readBack, { ...net, driver: "macvlan" }).kind, "replace");
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

/** A container's state as the provider reads it back after creating `base` (what the next diff compares with). */
const readBack: JsonObject = {
    ...base,
    healthcheck: { ...(base.healthcheck as JsonObject), startPeriod: "0s", startInterval: "0s" },
    hostname: "c1",
    command: ["node", "server.js"],
    entrypoints: ["docker-entrypoint.sh"],
    user: "node",
    workingDir: "/app",
    init: false,
    logDriver: "journald",
    memory: 0,
    memoryReservation: 0,
    memorySwap: 0,
    cpuShares: 0,
    cpuSet: "",
    maxRetryCount: 0,
    stopSignal: "",
    stopTimeout: null,
    mustRun: true,
    networkDatas: [{ networkName: "lab", ipAddress: "10.0.0.11" }],
};

describe("docker test engine: diff against the read-back state (the bridge's olds are the outputs)", () => {
    it("is same when every input equals its read-back form, and Computed properties left out keep theirs", () => {
        const d = diffResource(CONTAINER, readBack, base, { oldInputs: base });
        assert.equal(d.kind, "same", JSON.stringify(d));
    });

    it('replaces a container whose cpus "1" came back "1.0" (ForceNew, not Computed)', () => {
        const d = diffResource(CONTAINER, { ...readBack, cpus: "1.0" }, with_({ cpus: "1" }));
        assert.equal(d.kind, "replace");
        assert.deepEqual(d.changed, ["cpus"]);
        assert.deepEqual(d.replaceKeys, ["cpus"]);
        assert.equal(diffResource(CONTAINER, { ...readBack, cpus: "1.0" }, with_({ cpus: "1.0" })).kind, "same");
        assert.equal(diffResource(CONTAINER, { ...readBack, cpus: "0.5" }, with_({ cpus: "0.5" })).kind, "same");
    });

    it("updates memorySwap when Docker's 2 x memory was read back and the program leaves it out", () => {
        const state = { ...readBack, memory: 256, memorySwap: 512 };
        const d = diffResource(CONTAINER, state, with_({ memory: 256 }));
        assert.equal(d.kind, "update");
        assert.deepEqual(d.changed, ["memorySwap"]);
        assert.equal(
            diffResource(CONTAINER, { ...state, memorySwap: 256 }, with_({ memory: 256, memorySwap: 256 })).kind,
            "same",
        );
    });

    it("keeps the daemon's log driver when none is declared (Computed), replaces when another one is", () => {
        assert.equal(diffResource(CONTAINER, readBack, base).kind, "same");
        const d = diffResource(CONTAINER, readBack, with_({ logDriver: "json-file" }));
        assert.deepEqual([d.kind, d.replaceKeys], ["replace", ["logDriver"]]);
    });

    it("sees a healthcheck duration read back in Go's form as a change (an update, a replace with replaceOnChanges)", () => {
        const state = { ...readBack, healthcheck: { ...(readBack.healthcheck as JsonObject), interval: "1m0s" } };
        const news = with_({ healthcheck: { ...(base.healthcheck as JsonObject), interval: "60s" } });
        const d = diffResource(CONTAINER, state, news);
        assert.deepEqual([d.kind, d.detailed], ["update", ["healthcheck.interval"]]);
        assert.equal(diffResource(CONTAINER, state, news, { replaceOnChanges: ["healthcheck"] }).kind, "replace");
    });

    it("updates (never replaces) a changed init, which is Optional+Computed and not ForceNew", () => {
        const d = diffResource(CONTAINER, readBack, with_({ init: true }));
        assert.deepEqual([d.kind, d.changed], ["update", ["init"]]);
        assert.equal(
            diffResource(CONTAINER, readBack, with_({ init: true }), { replaceOnChanges: ["init"] }).kind,
            "replace",
        );
    });

    it("ignores an empty user / workingDir against the image's (DiffSuppressFunc), not a different one", () => {
        assert.equal(diffResource(CONTAINER, readBack, with_({ user: "" })).kind, "same");
        assert.equal(diffResource(CONTAINER, readBack, with_({ user: "root" })).kind, "replace");
    });

    it("compares ports by internal port whatever their order, and keeps an assigned external port", () => {
        const state = {
            ...readBack,
            ports: [
                { internal: 3000, external: 13001, ip: "127.0.0.1", protocol: "tcp" },
                { internal: 8404, external: 18404, ip: "127.0.0.1", protocol: "tcp" },
            ],
        };
        const reordered = with_({
            ports: [
                { internal: 8404, external: 18404, ip: "127.0.0.1" },
                { internal: 3000, external: 13001, ip: "127.0.0.1" },
            ],
        });
        assert.equal(diffResource(CONTAINER, state, reordered).kind, "same");
        const assigned = {
            ...readBack,
            ports: [{ internal: 8080, external: 32768, ip: "127.0.0.1", protocol: "tcp" }],
        };
        assert.equal(
            diffResource(CONTAINER, assigned, with_({ ports: [{ internal: 8080, ip: "127.0.0.1" }] })).kind,
            "same",
        );
        // Docker publishing 0.0.0.0 twice (IPv4 and IPv6) reads back two ports for one: a replacement.
        const dual = {
            ...readBack,
            ports: [
                { internal: 8080, external: 8080, ip: "0.0.0.0", protocol: "tcp" },
                { internal: 8080, external: 8080, ip: "::", protocol: "tcp" },
            ],
        };
        assert.equal(
            diffResource(CONTAINER, dual, with_({ ports: [{ internal: 8080, external: 8080 }] })).kind,
            "replace",
        );
    });

    it("drops ignoreChanges paths from the provider diff too, even where the old input and the state differ", () => {
        const d = diffResource(CONTAINER, { ...readBack, cpus: "1.0" }, with_({ cpus: "1" }), {
            oldInputs: with_({ cpus: "1" }),
            ignoreChanges: ["cpus"],
        });
        assert.equal(d.kind, "same");
        assert.equal(d.inputs.cpus, "1");
    });

    it("reports a plain Optional property the program dropped as a change, not a Computed one", () => {
        assert.equal(diffResource(CONTAINER, { ...readBack, memory: 256 }, base).kind, "update");
        assert.equal(diffResource(CONTAINER, { ...readBack, stopTimeout: 10 }, base).kind, "same");
        const state = { ...readBack, logOpts: { "max-size": "10m" } };
        assert.equal(diffResource(CONTAINER, state, base).kind, "replace");
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
