import { strict as assert } from "node:assert";
import { matchRoute, splitRequestTarget } from "../../../app/src/router";

describe("app/router", () => {
    it("splits path and query without URL parsing surprises", () => {
        assert.deepEqual(splitRequestTarget("/load?timeout=5"), { pathname: "/load", query: "timeout=5" });
        assert.deepEqual(splitRequestTarget("/"), { pathname: "/", query: "" });
        assert.deepEqual(splitRequestTarget("/?"), { pathname: "/", query: "" });
        // new URL() would turn this into host "evil", path "/health"
        assert.deepEqual(splitRequestTarget("//evil/health"), { pathname: "//evil/health", query: "" });
        assert.deepEqual(splitRequestTarget(undefined), { pathname: "/", query: "" });
    });

    it("matches the four routes for GET", () => {
        for (const route of ["/", "/health", "/load", "/metrics"] as const) {
            assert.deepEqual(matchRoute("GET", route), { kind: "handler", route });
        }
    });

    it("allows HEAD on read-only routes but not on /load", () => {
        assert.equal(matchRoute("HEAD", "/health").kind, "handler");
        assert.deepEqual(matchRoute("HEAD", "/load"), { kind: "method-not-allowed", route: "/load", allow: ["GET"] });
    });

    it("answers other methods with 405 and the allowed list", () => {
        assert.deepEqual(matchRoute("POST", "/"), { kind: "method-not-allowed", route: "/", allow: ["GET", "HEAD"] });
        assert.equal(matchRoute("DELETE", "/metrics").kind, "method-not-allowed");
    });

    it('labels every unknown path "other" so metric cardinality stays bounded', () => {
        for (const path of [
            "/nope",
            "/health/",
            "/HEALTH",
            "/load/5",
            "//evil/health",
            "/constructor",
            "/__proto__",
            "",
        ]) {
            assert.deepEqual(matchRoute("GET", path), { kind: "not-found", route: "other" }, path);
        }
    });
});
