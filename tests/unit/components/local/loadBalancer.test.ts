import { strict as assert } from "assert";
import { LocalLoadBalancer, LocalLoadBalancerArgs } from "../../../../components/local/loadBalancer";
import { smtpConfigOf } from "../../../../components/config/validate";
import { buildComponent, byType, valueOf } from "../../../support/mocks";
import {
    LOCAL_ADDRESSES,
    LOCAL_DEFAULTS,
    LOCAL_NAMES,
    NETWORK_NAME,
    childrenOf,
} from "../../../support/componentFixtures";

const CONTAINER = "docker:index/container:Container";

function buildBalancer(changes: Partial<LocalLoadBalancerArgs> = {}) {
    const c = LOCAL_DEFAULTS;
    return buildComponent(
        () =>
            new LocalLoadBalancer("balancer", {
                names: LOCAL_NAMES,
                appPort: c.appPort,
                balance: c.balance,
                lbImage: c.lbImage,
                lbPort: c.lbPort,
                lbStatsPort: c.lbStatsPort,
                nodeBaseImage: c.nodeBaseImage,
                accessLogMaxMb: c.accessLogMaxMb,
                accessLogFiles: c.accessLogFiles,
                reportSchedule: c.reportSchedule,
                alertEmail: c.alertEmail,
                ...smtpConfigOf(c),
                nodes: ["node-1", "node-2"],
                networkName: NETWORK_NAME,
                address: LOCAL_ADDRESSES.balancer,
                accessLogAddress: LOCAL_ADDRESSES.accessLog,
                ...changes,
            }),
    );
}

describe("LocalLoadBalancer, built alone under mocks", function () {
    this.timeout(60000);

    it("outputs its URLs on the configured ports and publishes them on 127.0.0.1 only", async () => {
        const { component, resources } = await buildBalancer({ lbPort: 18080, lbStatsPort: 18404 });
        assert.equal(await valueOf(component.url), "http://127.0.0.1:18080");
        assert.equal(await valueOf(component.statsUrl), "http://127.0.0.1:18404/stats");
        assert.equal(await valueOf(component.metricsUrl), "http://127.0.0.1:18404/metrics");
        const haproxy = childrenOf(byType(resources, CONTAINER), "balancer").find(
            (c) => c.name === "balancer-haproxy",
        )!;
        assert.deepEqual(
            haproxy.inputs.ports.map((p: { external: number; ip: string }) => [p.external, p.ip]),
            [
                [18080, "127.0.0.1"],
                [18404, "127.0.0.1"],
            ],
        );
        // Fixed name and host ports: the old balancer must be gone before a new one binds them.
        assert.equal(haproxy.options.deleteBeforeReplace, true);
        assert.deepEqual(haproxy.options.dependsOn, ["balancer-access-log"]);
    });

    for (const balance of ["leastconn", "roundrobin"] as const) {
        it(`renders ${balance} over every node it is given, on the app's port`, async () => {
            const { resources } = await buildBalancer({ balance, appPort: 3333 });
            const haproxy = byType(resources, CONTAINER).find((c) => c.name === "balancer-haproxy")!;
            const config: string = haproxy.inputs.uploads[0].content;
            assert.match(config, new RegExp(`^\\s+balance ${balance}$`, "m"));
            assert.match(config, /^\s+server node-1 node-1:3333$/m);
            assert.match(config, /^\s+server node-2 node-2:3333$/m);
        });
    }
});
