import { strict as assert } from "assert";
import { LocalMonitoring } from "../../../../components/local/monitoring";
import { smtpConfigOf } from "../../../../components/config/validate";
import { buildComponent, byType, valueOf } from "../../../support/mocks";
import {
    LOCAL_ADDRESSES,
    LOCAL_DEFAULTS,
    LOCAL_NAMES,
    NETWORK_NAME,
    childrenOf,
} from "../../../support/componentFixtures";

function buildMonitoring(images: { grafanaImage: string; cadvisorImage: string }) {
    const c = LOCAL_DEFAULTS;
    return buildComponent(
        () =>
            new LocalMonitoring("monitoring", {
                names: LOCAL_NAMES,
                alertEmail: c.alertEmail,
                ...smtpConfigOf(c),
                appPort: c.appPort,
                nodeCount: c.nodeCount,
                prometheusImage: c.prometheusImage,
                alertmanagerImage: c.alertmanagerImage,
                ...images,
                prometheusPort: c.prometheusPort,
                alertmanagerPort: c.alertmanagerPort,
                grafanaPort: 13100,
                cadvisorPort: 18081,
                scrapeIntervalSeconds: c.scrapeIntervalSeconds,
                retentionDays: c.retentionDays,
                alertErrorRatePercent: c.alertErrorRatePercent,
                alertLatencyMs: c.alertLatencyMs,
                alertRestarts: c.alertRestarts,
                networkName: NETWORK_NAME,
                addresses: LOCAL_ADDRESSES,
                nodes: ["node-1", "node-2", "node-3"],
            }),
    );
}

describe("LocalMonitoring, built alone under mocks", function () {
    this.timeout(60000);

    // An empty image leaves its service out: no container, and no URL output a user would try.
    const cases = [
        { grafanaImage: "grafana/grafana:11.3.1", cadvisorImage: "gcr.io/cadvisor/cadvisor:v0.49.1" },
        { grafanaImage: "", cadvisorImage: "gcr.io/cadvisor/cadvisor:v0.49.1" },
        { grafanaImage: "grafana/grafana:11.3.1", cadvisorImage: "" },
        { grafanaImage: "", cadvisorImage: "" },
    ];
    for (const images of cases) {
        const withGrafana = images.grafanaImage !== "";
        const withCadvisor = images.cadvisorImage !== "";
        it(`with Grafana ${withGrafana ? "set" : "empty"} and cAdvisor ${withCadvisor ? "set" : "empty"}, declares and outputs what is set`, async () => {
            const { component, resources } = await buildMonitoring(images);
            const services = childrenOf(byType(resources, "docker:index/container:Container"), "monitoring")
                .map((c) => c.name)
                .sort();
            assert.deepEqual(services, [
                "monitoring-alertmanager",
                ...(withCadvisor ? ["monitoring-cadvisor"] : []),
                ...(withGrafana ? ["monitoring-grafana"] : []),
                "monitoring-prometheus",
            ]);
            assert.equal(
                component.grafanaUrl && (await valueOf(component.grafanaUrl)),
                withGrafana ? "http://127.0.0.1:13100" : undefined,
            );
            assert.equal(
                component.cadvisorUrl && (await valueOf(component.cadvisorUrl)),
                withCadvisor ? "http://127.0.0.1:18081" : undefined,
            );
            assert.match(await valueOf(component.status), /Prometheus scrapes 3 nodes/);
        });
    }
});
