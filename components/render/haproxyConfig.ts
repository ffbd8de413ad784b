/** Ports HAProxy listens on inside its container (unprivileged, so it runs as its own user); published on 127.0.0.1. */
export const HAPROXY_PORTS = { listen: 8080, stats: 8404 } as const;
/** Where the official image (and the offline one) reads its configuration. */
export const HAPROXY_CONFIG_PATH = "/usr/local/etc/haproxy/haproxy.cfg";
/** The backend of the app nodes: its servers are what the stats page and the in-service gate read. */
export const BACKEND = "nodes";
/** The public frontend: its counters are every answer users got, the balancer's own 503s included. */
export const FRONTEND = "web";

/**
 * The access log line of every request (parsed by logsink/src/report/accessLog.ts): a version tag, then
 * space-separated fields that never contain a space, and the quoted request line last.
 *   cloudlab1 <accept unix time>.<ms> <client ip> <backend> <server> <TR> <Tw> <Tc> <Tr> <Ta> <status> <bytes>
 *   <termination state> "<method> <uri> <version>"
 * Timers in ms (HAProxy's %TR request, %Tw queue, %Tc connect, %Tr response, %Ta total active; -1 = never got
 * there); the server is <NOSRV> when HAProxy answered by itself (a 503 with no node UP).
 */
export const ACCESS_LOG_FORMAT = "cloudlab1 %Ts.%ms %ci %b %s %TR %Tw %Tc %Tr %Ta %ST %B %tsc %{+Q}r";

/**
 * Where the access log goes, to the stack's access-log service (logsink/) or not:
 *   `syslog`  UDP datagrams, one line each (format raw);
 *   `ring`    into a memory ring in HAProxy, forwarded over one TCP connection, a line per message;
 *   `stdout`  through the container's log driver (the old path, measured by the bench).
 * `npm run bench:access-log` measures them all in one run (README); the stack uses the cheapest durable one.
 */
export type AccessLogTarget =
    { to: "syslog"; address: string; port: number } | { to: "ring"; address: string; port: number } | { to: "stdout" };

/** The ring of the `ring` target, and what it holds while the service is slow or restarting (then drops oldest). */
export const ACCESS_LOG_RING = { name: "accesslog", bytes: 4 * 1024 * 1024 } as const;

/**
 * Longest line HAProxy sends (its `len`, default 1024): a longer one is cut, and the report counts it as
 * malformed (its quoted request line has no end). 2048 keeps a 1900-character URI whole.
 */
export const ACCESS_LOG_LINE_MAX = 2048;

/** The global `log` line of a target. */
export function logLine(target: AccessLogTarget): string {
    if (target.to === "stdout") return "log stdout format raw local0 info";
    if (target.to === "ring")
        return `log ring@${ACCESS_LOG_RING.name} len ${ACCESS_LOG_LINE_MAX} format raw local0 info`;
    return `log ${target.address}:${target.port} len ${ACCESS_LOG_LINE_MAX} format raw local0 info`;
}

/** The `ring` section of the ring target (none for the others). */
export function ringSection(target: AccessLogTarget): string[] {
    if (target.to !== "ring") return [];
    return [
        "# The access log: lines into memory, forwarded in order over one TCP connection to the access-log service.",
        `ring ${ACCESS_LOG_RING.name}`,
        "    format raw",
        `    maxlen ${ACCESS_LOG_LINE_MAX}`,
        `    size ${ACCESS_LOG_RING.bytes}`,
        "    timeout connect 1s",
        "    timeout server 10s",
        `    server access-log ${target.address}:${target.port}`,
        "",
    ];
}

/** Everything the local balancer's configuration depends on. */
export interface HaproxyConfigInput {
    /** DNS names of the nodes on the stack network (node-1 .. node-N), one server each. */
    nodes: string[];
    /** Port the app listens on inside each node. */
    appPort: number;
    balance: "roundrobin" | "leastconn";
    /** Ports inside the balancer container (published on 127.0.0.1 by the container, not here). */
    listenPort: number;
    statsPort: number;
    /** Longest a `/load?timeout=S` request may legitimately take (S <= 600 s plus slack). */
    loadTimeoutSeconds: number;
    accessLog: AccessLogTarget;
}

/**
 * Limits that size the balancer for 5000 concurrent keep-alive clients on a host whose hard limit is 20000
 * open files per process (containers cannot go above it; HAProxy refuses to start when maxconn needs more).
 * A proxied connection costs two descriptors (client + server side); HAProxy reserves a few more for
 * listeners, checks and resolvers. 9000 * 2 + margin stays under 20000.
 */
export const LIMITS = {
    globalMaxconn: 9000,
    /** Client connections accepted by the public frontend: 5000 users plus headroom. */
    frontendMaxconn: 8000,
    /**
     * Concurrent requests HAProxy sends to one node; the rest wait in HAProxy's queue (cheap) instead of
     * piling up on a small node. Server connections are reused across clients (http-reuse), so 5000 clients
     * need far fewer than 5000 server connections.
     */
    serverMaxconn: 200,
} as const;

/**
 * Timings that decide failover. A node is on the same host bridge, so anything slow is a failure, not distance.
 */
export const TIMINGS = {
    /** Connect to a node: a live node answers the handshake in microseconds; 1 s means it is gone. */
    connect: "1s",
    /** A normal request (everything but /load) gets this long; a frozen (paused) node costs at most this, then the retry. */
    server: "3s",
    client: "30s",
    /** Idle keep-alive clients are kept 30 s so a load test's 5000 connections are not churned. */
    httpKeepAlive: "30s",
    httpRequest: "10s",
    /** Requests wait this long in the queue for a free node slot before a 503. */
    queue: "10s",
    /** Health check every 1 s (500 ms while a node is going down), 2 failures = down, 2 successes = up: a dead node leaves in ~1.5 s. */
    checkInter: "1s",
    checkFastInter: "500ms",
    /**
     * A node that is down (booting: started by the controller, restarted, replaced) is checked every 500 ms, so
     * it is UP within ~0.5-1 s of its app answering instead of up to 1.5 s. Only resolved down servers are
     * checked: a stopped standby is in MAINT (resolution) and costs nothing.
     */
    checkDownInter: "500ms",
    checkTimeout: "1s",
    fall: 2,
    rise: 2,
    /** Re-resolve node names every second so a node started by the controller is found within ~1-2 s, without a reload. */
    resolve: "1s",
} as const;

/** "1s" or "500ms", as TIMINGS writes them, in ms. */
function timingMs(text: string): number {
    const m = /^(\d+)(ms|s)$/.exec(text);
    if (!m) throw new Error(`not an HAProxy time in s or ms: ${text}`);
    return Number(m[1]) * (m[2] === "s" ? 1000 : 1);
}

/**
 * The longest HAProxy may still send requests to a node whose /health just turned 503: its next check comes
 * within `inter`, and the `fall - 1` after it `fastinter` apart. A drain shorter than this lets the node close
 * and its container be removed while it is still in rotation: its address vanishes, and requests sent there
 * fail (seen as SC-- 503s in a rolling deploy with a 1 s drain).
 */
export const DRAINING_NODE_SEEN_DOWN_MS =
    timingMs(TIMINGS.checkInter) + (TIMINGS.fall - 1) * timingMs(TIMINGS.checkFastInter);

/**
 * Renders haproxy.cfg for the local balancer. Pure: the same input gives the same text, so an unchanged stack
 * keeps its balancer container, and a changed one is replaced.
 */
export function renderHaproxyConfig(input: HaproxyConfigInput): string {
    const servers = input.nodes.map((n) => `    server ${n} ${n}:${input.appPort}`);
    return [
        "# Rendered by cloudlab (components/render/haproxyConfig.ts); do not edit in the container.",
        "global",
        `    ${logLine(input.accessLog)}`,
        `    maxconn ${LIMITS.globalMaxconn}`,
        "",
        ...ringSection(input.accessLog),
        "# Docker's embedded DNS knows the running containers of the network: a node that starts is found,",
        "# a stopped one disappears, with no reload.",
        "resolvers docker",
        "    nameserver docker 127.0.0.11:53",
        "    accepted_payload_size 8192",
        "    resolve_retries 2",
        `    timeout resolve ${TIMINGS.resolve}`,
        "    timeout retry 1s",
        "    hold valid 5s",
        "    hold other 1s",
        "    hold refused 1s",
        "    hold nx 1s",
        "    hold timeout 1s",
        "    hold obsolete 1s",
        "",
        "defaults",
        "    mode http",
        "    log global",
        `    log-format "${ACCESS_LOG_FORMAT}"`,
        "    option dontlognull",
        `    timeout connect ${TIMINGS.connect}`,
        `    timeout client ${TIMINGS.client}`,
        `    timeout server ${TIMINGS.server}`,
        `    timeout http-request ${TIMINGS.httpRequest}`,
        `    timeout http-keep-alive ${TIMINGS.httpKeepAlive}`,
        `    timeout queue ${TIMINGS.queue}`,
        `    timeout check ${TIMINGS.checkTimeout}`,
        "    # A request that fails before a node answered is tried again on ANOTHER node (redispatch), so a node",
        "    # stopped, killed or frozen under load costs no idempotent request. HAProxy only retries on L7 errors",
        "    # (empty/junk response, timeout, 503) when the request is idempotent.",
        "    retries 3",
        "    option redispatch 1",
        "    retry-on conn-failure empty-response junk-response response-timeout 503",
        "",
        `frontend ${FRONTEND}`,
        `    bind :${input.listenPort}`,
        `    maxconn ${LIMITS.frontendMaxconn}`,
        `    default_backend ${BACKEND}`,
        "",
        `backend ${BACKEND}`,
        `    balance ${input.balance}`,
        "    # /load?timeout=S burns CPU for S seconds on purpose (seed 004); it alone may take that long.",
        `    http-request set-timeout server ${input.loadTimeoutSeconds}s if { path /load }`,
        "    option httpchk",
        "    http-check send meth GET uri /health",
        "    http-check expect status 200",
        "    # init-addr none: a node that is not running yet (warm standby) is simply down, not a start-up error.",
        `    default-server check inter ${TIMINGS.checkInter} fastinter ${TIMINGS.checkFastInter} downinter ${TIMINGS.checkDownInter}` +
            ` fall ${TIMINGS.fall} rise ${TIMINGS.rise} resolvers docker resolve-prefer ipv4 init-addr none maxconn ${LIMITS.serverMaxconn}`,
        ...servers,
        "",
        "frontend stats",
        `    bind :${input.statsPort}`,
        "    http-request set-log-level silent",
        "    http-request use-service prometheus-exporter if { path /metrics }",
        "    stats enable",
        "    stats uri /stats",
        "    stats refresh 5s",
        "",
    ].join("\n");
}
