import * as pulumi from "@pulumi/pulumi";
import * as docker from "@pulumi/docker";
import { StackNames, dockerLabels } from "../naming";
import { HAPROXY_CONFIG_PATH, HAPROXY_PORTS, renderHaproxyConfig } from "../render/haproxyConfig";

/** The local platform's part of {@link LoadBalancerArgs}. */
export interface LocalBalancerPlatform {
    kind: "local";
    names: StackNames;
    networkName: pulumi.Input<string>;
    /** Fixed address of the balancer on the stack network. */
    address: string;
    /** HAProxy image (official `haproxy:*` or the offline `cloudlab/haproxy:bookworm`). */
    image: string;
    /** Ports published on 127.0.0.1. */
    port: number;
    statsPort: number;
}

const LISTEN_PORT = HAPROXY_PORTS.listen;
const STATS_PORT = HAPROXY_PORTS.stats;
const CONFIG_PATH = HAPROXY_CONFIG_PATH;

export interface LocalBalancer {
    container: docker.Container;
    url: string;
    statsUrl: string;
    metricsUrl: string;
}

/** HAProxy in a container; its config is rendered by a pure function and uploaded before it starts. */
export function declareHaproxy(
    parent: pulumi.Resource,
    baseName: string,
    spec: { nodes: string[]; appPort: number; balance: "roundrobin" | "leastconn" },
    platform: LocalBalancerPlatform,
): LocalBalancer {
    const config = renderHaproxyConfig({
        nodes: spec.nodes,
        appPort: spec.appPort,
        balance: spec.balance,
        listenPort: LISTEN_PORT,
        statsPort: STATS_PORT,
        loadTimeoutSeconds: 620,
    });
    // keepLocally: the image is shared with other stacks and the offline one cannot be pulled again.
    const image = new docker.RemoteImage(`${baseName}-image`, { name: platform.image, keepLocally: true }, { parent });
    const container = new docker.Container(
        `${baseName}-haproxy`,
        {
            name: `${platform.names.prefix}-lb`,
            hostname: "lb",
            image: image.imageId,
            command: ["haproxy", "-W", "-db", "-f", CONFIG_PATH],
            user: "haproxy",
            uploads: [{ file: CONFIG_PATH, content: config }],
            networksAdvanced: [{ name: platform.networkName, ipv4Address: platform.address, aliases: ["lb"] }],
            ports: [
                { internal: LISTEN_PORT, external: platform.port, ip: "127.0.0.1" },
                { internal: STATS_PORT, external: platform.statsPort, ip: "127.0.0.1" },
            ],
            // HAProxy sizes itself from maxconn; the host's hard limit is 20000 descriptors (see LIMITS).
            ulimits: [{ name: "nofile", soft: 20000, hard: 20000 }],
            restart: "unless-stopped",
            labels: dockerLabels(platform.names, "balancer"),
            logOpts: { "max-size": "20m", "max-file": "3" },
            // SIGUSR1 is HAProxy's soft stop: finish what is in flight, accept nothing new.
            stopSignal: "SIGUSR1",
            stopTimeout: 10,
            destroyGraceSeconds: 10,
        },
        // Fixed name and host ports: the old balancer must be gone before the new one starts.
        { parent, deleteBeforeReplace: true },
    );
    return {
        container,
        url: `http://127.0.0.1:${platform.port}`,
        statsUrl: `http://127.0.0.1:${platform.statsPort}/stats`,
        metricsUrl: `http://127.0.0.1:${platform.statsPort}/metrics`,
    };
}
