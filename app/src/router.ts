/**
 * Maps a request line to one of a fixed set of routes. The route name doubles
 * as the `route` metric label, so it must never contain the raw URL (an
 * attacker or a crawler could otherwise create unbounded label values).
 */

export type RouteName = "/" | "/health" | "/load" | "/metrics" | "/data" | "other";

export type RouteMatch =
    | { kind: "handler"; route: Exclude<RouteName, "other"> }
    | { kind: "method-not-allowed"; route: Exclude<RouteName, "other">; allow: readonly string[] }
    | { kind: "not-found"; route: "other" };

/**
 * HEAD is allowed on the read-only routes because HTTP requires it of GET
 * resources and some probes use it; /load is GET-only since it burns CPU.
 */
const ROUTES: Readonly<Record<Exclude<RouteName, "other">, readonly string[]>> = {
    "/": ["GET", "HEAD"],
    "/health": ["GET", "HEAD"],
    "/metrics": ["GET", "HEAD"],
    "/load": ["GET"],
    "/data": ["GET"],
};

export interface RequestTarget {
    pathname: string;
    /** Raw query string without the "?", "" when absent. */
    query: string;
}

/**
 * Split by hand instead of `new URL(url, base)`: WHATWG URL parsing treats a
 * request target like "//evil/health" as a protocol-relative URL and would
 * route it to "/health".
 */
export function splitRequestTarget(url: string | undefined): RequestTarget {
    const target = url ?? "/";
    const q = target.indexOf("?");
    return q === -1 ? { pathname: target, query: "" } : { pathname: target.slice(0, q), query: target.slice(q + 1) };
}

export function matchRoute(method: string | undefined, pathname: string): RouteMatch {
    if (!Object.prototype.hasOwnProperty.call(ROUTES, pathname)) return { kind: "not-found", route: "other" };
    const route = pathname as Exclude<RouteName, "other">;
    const allow = ROUTES[route];
    return allow.includes(method ?? "") ? { kind: "handler", route } : { kind: "method-not-allowed", route, allow };
}
