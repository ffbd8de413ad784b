import { strict as assert } from "assert";
import { LABELS, ROLES } from "../../components/local/names";
import { Registered, byType, runFailingProgram, runProgram } from "../support/mocks";

const CONTAINER = "docker:index/container:Container";
const NETWORK = "docker:index/network:Network";
const COMMAND = "command:local:Command";

/** Orders a node's resources node-1 first, whatever order they registered in. */
const nodeNumber = (r: Registered) => Number(/-node-(\d+)/.exec(r.name)![1]);
const byNode = (a: Registered, b: Registered) => nodeNumber(a) - nodeNumber(b);
const nodesOf = (rs: Registered[]) =>
    byType(rs, CONTAINER)
        .filter((c) => c.inputs.labels.some((l: any) => l.label === LABELS.role && l.value === ROLES.app))
        .sort(byNode);
const balancerOf = (rs: Registered[]) =>
    byType(rs, CONTAINER).find((c) =>
        c.inputs.labels.some((l: any) => l.label === LABELS.role && l.value === ROLES.balancer),
    )!;
const env = (c: Registered, key: string) =>
    (c.inputs.envs as string[]).find((e) => e.startsWith(`${key}=`))?.split("=")[1];
const gatesOf = (rs: Registered[]) =>
    byType(rs, COMMAND)
        .filter((c) => c.name.endsWith("-in-service"))
        .sort(byNode);
/** The logical name of the balancer's container, which every node waits for. */
const BALANCER = "balancer-haproxy";

describe("local stack resource graph (mocks)", function () {
    this.timeout(60000);

    it("declares nodeLimit nodes, the first nodeCount running and the rest stopped standby", async () => {
        const { resources } = await runProgram({ platform: "local", nodeCount: "2", nodeLimit: "4" });
        const nodes = nodesOf(resources);
        assert.deepEqual(
            nodes.map((n) => n.inputs.name),
            [1, 2, 3, 4].map((i) => `cloudlab-local-node-${i}`),
        );
        assert.deepEqual(
            nodes.map((n) => n.inputs.start),
            [true, true, false, false],
        );
        assert.deepEqual(
            nodes.map((n) => n.inputs.wait),
            [true, true, false, false],
        );
        for (const n of nodes) {
            assert.equal(n.inputs.mustRun, false, "Pulumi must not fight the controller over stopped nodes");
            assert.equal(n.inputs.restart, "unless-stopped");
        }
    });

    it("gives each node a hostname, fixed address, 127.0.0.1 port, health check, size and labels", async () => {
        const { resources } = await runProgram({
            platform: "local",
            nodeCpus: "0.75",
            nodeMemoryMb: "300",
            subnet: "10.88.0.0/24",
        });
        assert.equal(nodesOf(resources).length, 4);
        nodesOf(resources).forEach((n, i) => {
            const node = `node-${i + 1}`;
            assert.equal(n.inputs.hostname, node);
            assert.deepEqual(n.inputs.networksAdvanced[0].ipv4Address, `10.88.0.${11 + i}`);
            assert.deepEqual(n.inputs.networksAdvanced[0].aliases, [node]);
            assert.deepEqual(n.inputs.ports, [{ internal: 3000, external: 3001 + i, ip: "127.0.0.1" }]);
            assert.deepEqual(
                n.inputs.healthcheck.tests.slice(0, 3),
                ["CMD", "bash", "-c"],
                "a bash probe, not a Node process per check",
            );
            assert.match(n.inputs.healthcheck.tests[3], /GET \/health HTTP\/1\.0/);
            assert.equal(n.inputs.cpus, "0.75");
            assert.equal(n.inputs.memory, 300);
            assert.equal(
                n.inputs.memorySwap,
                300,
                "no swap: Docker's default of 2 x memory would be read back as a diff",
            );
            assert.equal(
                n.inputs.logDriver,
                "json-file",
                "logOpts need their driver named: a journald daemon rejects max-size",
            );
            const labels = Object.fromEntries(n.inputs.labels.map((l: any) => [l.label, l.value]));
            assert.deepEqual(labels, {
                "cloudlab.stack": "cloudlab-local",
                "cloudlab.role": "app",
                "cloudlab.node": node,
                "cloudlab.tag": "latest",
            });
            assert.equal(env(n, "NODE_ID"), node);
            assert.equal(env(n, "PORT"), "3000");
        });
    });

    it("declares whole CPU counts as the provider reads them back, so a second up replaces nothing", async () => {
        const { resources } = await runProgram({ platform: "local", nodeCpus: "1" });
        assert.deepEqual(
            nodesOf(resources).map((n) => n.inputs.cpus),
            ["1.0", "1.0", "1.0", "1.0"],
        );
    });

    it("runs nodes from the release image by id, built by a Command only when missing", async () => {
        const { resources } = await runProgram({ platform: "local", imageTag: "v7" });
        const images = byType(resources, COMMAND).filter((c) => c.name.startsWith("app-image-"));
        assert.equal(images.length, 1);
        assert.equal(images[0].inputs.environment.CLOUDLAB_IMAGE, "cloudlab-app:v7");
        assert.equal(images[0].inputs.environment.CLOUDLAB_IMAGE_BUILD, "missing");
        assert.deepEqual(images[0].inputs.triggers, ["cloudlab-app:v7"]);
        assert.equal(nodesOf(resources).length, 4);
        // The mock Command answers `sha256:` + the hex of its name ("app-image-v7"), padded: the id it printed.
        const id = `sha256:${Buffer.from("app-image-v7").toString("hex").padEnd(64, "0")}`;
        for (const n of nodesOf(resources)) {
            assert.equal(n.inputs.image, id, "the id ensure-image printed, not a name");
            assert.equal(env(n, "IMAGE_TAG"), "v7");
        }
    });

    it("keeps releases as they are when imageBuild or nodeBaseImage change (they only shape a missing tag's build)", async () => {
        const { resources } = await runProgram({ platform: "local", imageTag: "v7" });
        const [image] = byType(resources, COMMAND).filter((c) => c.name === "app-image-v7");
        assert.deepEqual([...image.options.ignoreChanges].sort(), [
            "environment.CLOUDLAB_BASE_IMAGE",
            "environment.CLOUDLAB_IMAGE_BUILD",
        ]);
    });

    it("replaces the network delete-before-replace: Docker refuses two networks of one name", async () => {
        const { resources } = await runProgram({ platform: "local" });
        assert.equal(byType(resources, NETWORK)[0].options.deleteBeforeReplace, true);
    });

    it("runs a canary tag on one node from a per-node override", async () => {
        const { resources, outputs } = await runProgram({
            platform: "local",
            imageTag: "v1",
            nodeImageTags: "node-2=v2",
        });
        const images = byType(resources, COMMAND).filter((c) => c.name.startsWith("app-image-"));
        assert.deepEqual(images.map((c) => c.inputs.environment.CLOUDLAB_IMAGE).sort(), [
            "cloudlab-app:v1",
            "cloudlab-app:v2",
        ]);
        assert.deepEqual(
            nodesOf(resources).map((n) => env(n, "IMAGE_TAG")),
            ["v1", "v2", "v1", "v1"],
        );
        assert.deepEqual(
            (outputs.nodes as any[]).map((n) => n.imageTag),
            ["v1", "v2", "v1", "v1"],
        );
    });

    it("puts everything on the stack's own network with the configured subnet", async () => {
        const { resources } = await runProgram({ platform: "local", subnet: "10.99.0.0/24" });
        const [net] = byType(resources, NETWORK);
        assert.equal(net.inputs.name, "cloudlab-local");
        assert.deepEqual(net.inputs.ipamConfigs, [{ subnet: "10.99.0.0/24", gateway: "10.99.0.1" }]);
        assert.equal(balancerOf(resources).inputs.networksAdvanced[0].ipv4Address, "10.99.0.10");
        const containers = byType(resources, CONTAINER);
        assert.equal(
            containers.length,
            12,
            "the balancer and its access-log service, 4 nodes, the controller and its socket proxy, Prometheus, Alertmanager, Grafana and cAdvisor",
        );
        // The socket proxy lives on the controller's private network alone; the controller is on both.
        const networksOf: Record<string, string[]> = {
            "controller-docker-proxy": ["cloudlab-local-docker-api"],
            "controller-service": ["cloudlab-local", "cloudlab-local-docker-api"],
        };
        for (const c of containers)
            assert.deepEqual(
                c.inputs.networksAdvanced.map((n: any) => n.name),
                networksOf[c.name] ?? ["cloudlab-local"],
                c.name,
            );
        // Every container on the stack network has a fixed address: a dynamic one could take a node's.
        const addresses = containers
            .flatMap((c) => c.inputs.networksAdvanced.filter((n: any) => n.name === "cloudlab-local"))
            .map((n: any) => n.ipv4Address);
        assert.ok(
            addresses.every((a: unknown) => typeof a === "string"),
            `a container without a fixed address: ${JSON.stringify(addresses)}`,
        );
        const controller = containers.find((c) => c.name === "controller-service")!;
        assert.equal(controller.inputs.networksAdvanced[0].ipv4Address, "10.99.0.4");
        assert.equal(new Set(addresses).size, addresses.length, `an address used twice: ${addresses.join(", ")}`);
    });

    it("publishes the balancer on 127.0.0.1 with a config listing every node", async () => {
        const { resources, outputs } = await runProgram({
            platform: "local",
            lbPort: "9080",
            lbStatsPort: "9404",
            nodeLimit: "3",
            nodeCount: "1",
        });
        const lb = balancerOf(resources);
        assert.deepEqual(lb.inputs.ports, [
            { internal: 8080, external: 9080, ip: "127.0.0.1" },
            { internal: 8404, external: 9404, ip: "127.0.0.1" },
        ]);
        const cfg: string = lb.inputs.uploads[0].content;
        for (const n of ["node-1", "node-2", "node-3"]) assert.match(cfg, new RegExp(`server ${n} ${n}:3000`));
        assert.match(cfg, /^ {4}balance leastconn$/m, "the default balancing");
        assert.doesNotMatch(cfg, /node-4/);
        assert.equal(lb.inputs.logDriver, "json-file");
        assert.deepEqual(lb.inputs.ulimits, [{ name: "nofile", soft: 20000, hard: 20000 }]);
        assert.equal(outputs.balancerUrl, "http://127.0.0.1:9080");
        assert.equal(outputs.statsUrl, "http://127.0.0.1:9404/stats");
        assert.deepEqual(outputs.nodeUrls, {
            "node-1": "http://127.0.0.1:3001",
            "node-2": "http://127.0.0.1:3002",
            "node-3": "http://127.0.0.1:3003",
        });
    });

    it("names Docker objects after the stack so two stacks can coexist", async () => {
        const { resources } = await runProgram({ platform: "local" }, { stack: "blue" });
        assert.equal(byType(resources, NETWORK)[0].inputs.name, "cloudlab-blue");
        assert.deepEqual(
            byType(resources, CONTAINER)
                .map((c) => c.inputs.name)
                .sort(),
            [
                "cloudlab-blue-access-log",
                "cloudlab-blue-alertmanager",
                "cloudlab-blue-cadvisor",
                "cloudlab-blue-controller",
                "cloudlab-blue-docker-proxy",
                "cloudlab-blue-grafana",
                "cloudlab-blue-lb",
                "cloudlab-blue-node-1",
                "cloudlab-blue-node-2",
                "cloudlab-blue-node-3",
                "cloudlab-blue-node-4",
                "cloudlab-blue-prometheus",
            ],
        );
    });

    it("exports what a user needs", async () => {
        const { outputs } = await runProgram({ platform: "local", imageTag: "v3" });
        assert.equal(outputs.imageTag, "v3");
        assert.equal(outputs.balancerUrl, "http://127.0.0.1:8080");
        assert.equal((outputs.nodes as any[]).length, 4);
        assert.deepEqual((outputs.nodes as any[])[2], {
            name: "node-3",
            url: "http://127.0.0.1:3003",
            address: "10.77.0.13",
            imageTag: "v3",
            standby: true,
        });
        assert.doesNotMatch(String(outputs.controller), /not built/);
        assert.match(String(outputs.controller), /above 70% for 2 x 60 s.*below 20%.*2 to 4 nodes/);
        assert.equal(outputs.controllerUrl, "http://127.0.0.1:8090");
        assert.match(String(outputs.monitoring), /^Prometheus scrapes 4 nodes, the balancer and the controller/);
        assert.equal(outputs.prometheusUrl, "http://127.0.0.1:9090");
        assert.equal(outputs.alertmanagerUrl, "http://127.0.0.1:9093");
        assert.equal(outputs.grafanaUrl, "http://127.0.0.1:3100");
    });

    it("changes only the node containers (and the release) when imageTag changes", async () => {
        const before = await runProgram({ platform: "local", imageTag: "v1" });
        const after = await runProgram({ platform: "local", imageTag: "v2" });
        const key = (r: Registered) => `${r.type}::${r.name}`;
        const declared = (r: Registered) => JSON.stringify([r.inputs, r.options]);
        const old = new Map(before.resources.map((r) => [key(r), declared(r)]));
        const changed = after.resources.filter((r) => old.get(key(r)) !== declared(r)).map(key);
        const expected = [
            ...[1, 2, 3, 4].map((i) => `${CONTAINER}::app-node-${i}`),
            `${COMMAND}::app-image-v2`,
            // the gates re-run because their node was replaced (their trigger is the container id)
        ];
        assert.deepEqual(changed.filter((k) => !k.endsWith("-in-service")).sort(), expected.sort());
    });

    it("declares nothing when config is invalid", async () => {
        const { error, resources } = await runFailingProgram({ platform: "local", nodeCount: "9", nodeLimit: "4" });
        // By name: the program's ConfigError class is a fresh module of each run (mocks.ts clears the cache).
        assert.ok(error instanceof Error && error.name === "ConfigError", String(error));
        assert.match(error.message, /cloudlab:nodeCount = 9/);
        assert.deepEqual(
            resources.map((r) => `${r.type} ${r.name}`),
            [],
            "registered before validation failed",
        );
    });
});

/**
 * The contract behind a rolling deploy (README, "Why a deploy replaces nodes one at a time"), read from the
 * resource options the engine receives. The system tests see the resulting order on Docker; these see its cause.
 */
describe("local stack rolling-deploy contract (resource options under mocks)", function () {
    this.timeout(60000);

    /** Node logical name -> what its dependsOn resolves to (sorted). */
    const dependsOnOf = (rs: Registered[]) =>
        Object.fromEntries(nodesOf(rs).map((n) => [n.name, [...n.options.dependsOn].sort()]));

    it("replaces every node container delete-before-replace, and when its health check or start changes", async () => {
        const { resources } = await runProgram({ platform: "local", nodeCount: "2", nodeLimit: "4" });
        const nodes = nodesOf(resources);
        assert.deepEqual(
            nodes.map((n) => n.name),
            ["app-node-1", "app-node-2", "app-node-3", "app-node-4"],
        );
        for (const n of nodes) {
            assert.equal(n.options.deleteBeforeReplace, true, `${n.name}: fixed name, address and port cannot coexist`);
            for (const p of ["healthcheck", "init", "start"])
                assert.ok(n.options.replaceOnChanges.includes(p), `${n.name}: replaceOnChanges lacks ${p}`);
        }
    });

    it("gives a stopping node its whole drain before Docker kills it: drainSeconds + the app's 30 s in-flight bound + 5 s", async () => {
        const { resources } = await runProgram({ platform: "local", drainSeconds: "5" });
        const nodes = nodesOf(resources);
        assert.equal(nodes.length, 4);
        for (const n of nodes) {
            assert.equal(n.inputs.stopTimeout, 40, `${n.name}: stopTimeout`);
            assert.equal(n.inputs.destroyGraceSeconds, 40, `${n.name}: destroyGraceSeconds`);
            assert.ok(n.inputs.envs.includes("DRAIN_SECONDS=5"), `${n.name}: the app drains as long as the stack says`);
        }
    });

    it("passes the /data backend's delay and cache settings to every node's app", async () => {
        const { resources } = await runProgram({
            platform: "local",
            backendDelayMs: "7",
            cache: "on",
            cacheTtlSeconds: "11",
            cacheMaxEntries: "13",
        });
        for (const n of nodesOf(resources)) {
            const envs = n.inputs.envs as string[];
            for (const e of ["BACKEND_DELAY_MS=7", "CACHE=on", "CACHE_TTL_SECONDS=11", "CACHE_MAX_ENTRIES=13"])
                assert.ok(envs.includes(e), `${n.name}: envs lack ${e}: ${envs.join(" ")}`);
        }
    });

    /**
     * Which node waits for what, per fleet shape: node N waits for the in-service gate of node N-batch (the batch
     * before it is back in rotation), for its container when that node is a standby (a standby has no gate), and
     * every node for the balancer.
     */
    const rollingOrders: { title: string; config: Record<string, string>; dependsOn: Record<string, string[]> }[] = [
        {
            title: "with rollingBatchSize 1, makes node N wait for node N-1's in-service gate, and every node for the balancer",
            config: { nodeCount: "4", nodeLimit: "4", rollingBatchSize: "1" },
            dependsOn: {
                "app-node-1": [BALANCER],
                "app-node-2": ["app-node-1-in-service", BALANCER],
                "app-node-3": ["app-node-2-in-service", BALANCER],
                "app-node-4": ["app-node-3-in-service", BALANCER],
            },
        },
        {
            title: "with rollingBatchSize 2, makes node N wait for node N-2's gate, and the first two nodes for no gate",
            config: { nodeCount: "5", nodeLimit: "5", rollingBatchSize: "2" },
            dependsOn: {
                "app-node-1": [BALANCER],
                "app-node-2": [BALANCER],
                "app-node-3": ["app-node-1-in-service", BALANCER],
                "app-node-4": ["app-node-2-in-service", BALANCER],
                "app-node-5": ["app-node-3-in-service", BALANCER],
            },
        },
        {
            title: "makes the node after a standby node wait for its container (a standby node has no gate)",
            config: { nodeCount: "2", nodeLimit: "4", rollingBatchSize: "1" },
            dependsOn: {
                "app-node-1": [BALANCER],
                "app-node-2": ["app-node-1-in-service", BALANCER],
                "app-node-3": ["app-node-2-in-service", BALANCER],
                "app-node-4": ["app-node-3", BALANCER],
            },
        },
    ];
    for (const { title, config, dependsOn } of rollingOrders) {
        it(title, async () => {
            const { resources } = await runProgram({ platform: "local", ...config });
            assert.deepEqual(dependsOnOf(resources), dependsOn);
        });
    }

    it("gives every running node an in-service gate triggered by its container's id, and standby nodes none", async () => {
        const { resources } = await runProgram({ platform: "local", nodeCount: "3", nodeLimit: "5" });
        const gates = gatesOf(resources);
        assert.deepEqual(
            gates.map((g) => g.name),
            ["app-node-1-in-service", "app-node-2-in-service", "app-node-3-in-service"],
        );
        gates.forEach((gate, i) => {
            const container = `app-node-${i + 1}`;
            // Mock ids are `<logical name>-id`: a new container (new id) re-runs the gate.
            assert.deepEqual(gate.inputs.triggers, [`${container}-id`], gate.name);
            assert.deepEqual(gate.options.propertyDependencies.triggers, [container], gate.name);
            assert.deepEqual(
                gate.options.dependencies,
                [container],
                `${gate.name} waits for its container and nothing else`,
            );
            assert.equal(gate.inputs.environment.CLOUDLAB_NODE, `node-${i + 1}`);
            assert.equal(gate.inputs.environment.CLOUDLAB_STATS_URL, "http://127.0.0.1:8404/stats");
            assert.equal(
                gate.inputs.create,
                "node --require ts-node/register/transpile-only components/hooks/wait-in-service.ts",
            );
        });
    });

    it("lets no node take an input from another node or a gate, so replacing one node replaces no other", async () => {
        const { resources } = await runProgram({ platform: "local", nodeCount: "3", nodeLimit: "4" });
        for (const n of nodesOf(resources)) {
            assert.deepEqual(
                n.options.propertyDependencies,
                { image: ["app-image-latest"], networksAdvanced: ["lab-bridge"] },
                n.name,
            );
        }
    });
});
