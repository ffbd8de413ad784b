import * as pulumi from "@pulumi/pulumi";
import * as docker from "@pulumi/docker";
import { MAX_LOAD_SECONDS } from "../../app/src/parseLoadTimeout";
import type { LocalConfig } from "../config/validate";
import type { StackNames } from "../shared/naming";
import { BALANCER_HOST, balancerContainerName, ROLES, dockerLabels } from "./names";
import { HAPROXY_CONFIG_PATH, HAPROXY_PORTS, renderHaproxyConfig } from "../render/haproxyConfig";
import { AccessLogArgs, declareAccessLog } from "./accessLog";
import { LoadBalancer, LoadBalancerArgs } from "../shared/loadBalancer";

/** Arguments of {@link LocalLoadBalancer}. */
export interface LocalLoadBalancerArgs extends LoadBalancerArgs, Omit<AccessLogArgs, "address"> {
    /** HAProxy's balancing algorithm. */
    balance: LocalConfig["balance"];
    /** The HAProxy image (official `haproxy:*` or the offline `cloudlab/haproxy:bookworm`). */
    lbImage: LocalConfig["lbImage"];
    /** Port of the balancer on 127.0.0.1. */
    lbPort: LocalConfig["lbPort"];
    /** Port of its stats page and metrics on 127.0.0.1. */
    lbStatsPort: LocalConfig["lbStatsPort"];
    names: StackNames;
    /** DNS names of every node the balancer may send to (running or standby). */
    nodes: string[];
    networkName: pulumi.Input<string>;
    /** Fixed address of the balancer on the stack network. */
    address: string;
    /** Fixed address of its access-log service. */
    accessLogAddress: string;
}

/** A `/load?timeout=S` request may run S seconds (the app's maximum) plus this much for the answer. */
const LOAD_ANSWER_SLACK_SECONDS = 20;

/**
 * HAProxy in a container, the local stack's balancer: it finds the nodes through Docker's DNS and checks them
 * itself (components/render/haproxyConfig.ts renders its config, uploaded before it starts).
 */
export class LocalLoadBalancer extends LoadBalancer {
    public readonly url: pulumi.Output<string>;
    /** The stats page: per-node state, sessions, errors. */
    public readonly statsUrl: pulumi.Output<string>;
    /** The balancer's Prometheus metrics. */
    public readonly metricsUrl: pulumi.Output<string>;
    /** The HAProxy container. */
    public readonly ready: docker.Container;

    constructor(name: string, args: LocalLoadBalancerArgs, opts?: pulumi.ComponentResourceOptions) {
        super(name, opts);
        const accessLog = declareAccessLog(this, name, { ...args, address: args.accessLogAddress });
        const config = renderHaproxyConfig({
            nodes: args.nodes,
            appPort: args.appPort,
            balance: args.balance,
            listenPort: HAPROXY_PORTS.listen,
            statsPort: HAPROXY_PORTS.stats,
            loadTimeoutSeconds: MAX_LOAD_SECONDS + LOAD_ANSWER_SLACK_SECONDS,
            accessLog: accessLog.target,
        });
        // keepLocally: the image is shared with other stacks and the offline one cannot be pulled again.
        const image = new docker.RemoteImage(
            `${name}-image`,
            { name: args.lbImage, keepLocally: true },
            { parent: this },
        );
        this.ready = new docker.Container(
            `${name}-haproxy`,
            {
                name: balancerContainerName(args.names.prefix),
                hostname: BALANCER_HOST,
                image: image.imageId,
                command: ["haproxy", "-W", "-db", "-f", HAPROXY_CONFIG_PATH],
                user: "haproxy",
                uploads: [{ file: HAPROXY_CONFIG_PATH, content: config }],
                networksAdvanced: [{ name: args.networkName, ipv4Address: args.address, aliases: [BALANCER_HOST] }],
                ports: [
                    { internal: HAPROXY_PORTS.listen, external: args.lbPort, ip: "127.0.0.1" },
                    { internal: HAPROXY_PORTS.stats, external: args.lbStatsPort, ip: "127.0.0.1" },
                ],
                // HAProxy sizes itself from maxconn; the host's hard limit is 20000 descriptors (see LIMITS).
                ulimits: [{ name: "nofile", soft: 20000, hard: 20000 }],
                restart: "unless-stopped",
                labels: dockerLabels(args.names, ROLES.balancer),
                // HAProxy's start-up messages only (requests go to the access-log service). Named, not left to the
                // daemon: a journald, syslog or local default driver rejects max-size and max-file.
                logDriver: "json-file",
                logOpts: { "max-size": "20m", "max-file": "3" },
                // SIGUSR1 is HAProxy's soft stop: finish what is in flight, accept nothing new.
                stopSignal: "SIGUSR1",
                stopTimeout: 10,
                destroyGraceSeconds: 10,
            },
            // Fixed name and host ports: the old balancer must be gone before the new one starts. Its access log
            // is there before its first request.
            { parent: this, deleteBeforeReplace: true, dependsOn: [accessLog.service] },
        );
        this.url = pulumi.output(`http://127.0.0.1:${args.lbPort}`);
        this.statsUrl = pulumi.output(`http://127.0.0.1:${args.lbStatsPort}/stats`);
        this.metricsUrl = pulumi.output(`http://127.0.0.1:${args.lbStatsPort}/metrics`);
        this.registerOutputs({ url: this.url, statsUrl: this.statsUrl, metricsUrl: this.metricsUrl });
    }
}
