/**
 * The Docker socket proxy's HAProxy config: the controller's only way to the Docker engine. It lets through the
 * calls the controller makes (container list, inspect and stats; start, stop and restart), with or without an
 * API version prefix (/v1.41/...), and answers 403 to everything else: creating, deleting, exec, images,
 * networks, volumes, the daemon's info... A call that gets through still reaches only containers: the
 * controller itself filters on its stack's labels (controller/src/dockerView.ts).
 */

/** Where the proxy container gets the engine's socket (bind-mounted read-only). */
export const DOCKER_SOCKET = "/var/run/docker.sock";
/** Where the proxy's config is uploaded in its container. */
export const SOCKET_PROXY_CONFIG_PATH = "/usr/local/etc/haproxy/socket-proxy.cfg";
/** The proxy's port on its private network (Docker's customary plain-HTTP port). */
export const SOCKET_PROXY_PORT = 2375;

export interface SocketProxyConfigInput {
    listenPort: number;
    /** The engine's socket inside the proxy container. */
    socketPath: string;
    /** Longest call it lets run: a stop waits for the node's drain (the app's stop bound) and more. */
    serverTimeoutSeconds: number;
}

/** An optional API version prefix, then the path; a container is named by an id or a Docker name. */
const VERSION = "(/v[0-9]+\\.[0-9]+)?";
const CONTAINER = "[a-zA-Z0-9][a-zA-Z0-9_.-]*";

/** The allowed calls: method, HAProxy ACL name, path regex (anchored). */
export const ALLOWED_CALLS = [
    { method: "GET", acl: "container_list", path: `^${VERSION}/containers/json$` },
    { method: "GET", acl: "container_read", path: `^${VERSION}/containers/${CONTAINER}/(json|stats)$` },
    { method: "POST", acl: "container_lifecycle", path: `^${VERSION}/containers/${CONTAINER}/(start|stop|restart)$` },
] as const;

export function renderSocketProxyConfig(input: SocketProxyConfigInput): string {
    const allowed = ALLOWED_CALLS.map((c) => `METH_${c.method} ${c.acl}`).join(" || ");
    return [
        "global",
        "    maxconn 256",
        "    log stdout format raw local0 info",
        "",
        "defaults",
        "    mode http",
        "    log global",
        "    option httplog",
        "    timeout connect 5s",
        `    timeout client ${input.serverTimeoutSeconds}s`,
        `    timeout server ${input.serverTimeoutSeconds}s`,
        "",
        "frontend docker_api",
        `    bind :${input.listenPort}`,
        ...ALLOWED_CALLS.map((c) => `    acl ${c.acl} path_reg ${c.path}`),
        // METH_GET is GET or HEAD; anything not listed, by method or by path, is refused.
        `    http-request deny deny_status 403 unless ${allowed}`,
        "    default_backend engine",
        "",
        "backend engine",
        `    server engine ${input.socketPath}`,
        "",
    ].join("\n");
}
