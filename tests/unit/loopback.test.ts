import { strict as assert } from "assert";
import { RunningLoad } from "../../scripts/load/run";
import { fetchStatsCsv } from "../../components/hooks/haproxyStats";
import { assertLoopback } from "../../lib/loopback";
import { BackgroundLoad } from "../support/backgroundLoad";
import { getJson } from "../support/http";

describe("loopback only: where test and load traffic may go", () => {
    it("lets a URL on 127.0.0.1 through", () => {
        for (const url of ["http://127.0.0.1:8080/", "http://127.0.0.1:8404/stats;csv", "http://127.0.0.1"]) {
            assert.doesNotThrow(() => assertLoopback(url), url);
        }
    });

    it("refuses any other host, naming the URL", () => {
        assert.throws(() => assertLoopback("http://localhost:8080/"), {
            message: 'refusing to send traffic to "http://localhost:8080/": only 127.0.0.1 is allowed',
        });
        assert.throws(() => assertLoopback("http://10.77.0.10:8080"), {
            message: 'refusing to send traffic to "http://10.77.0.10:8080": only 127.0.0.1 is allowed',
        });
        assert.throws(() => assertLoopback("http://[::1]:8080"), {
            message: 'refusing to send traffic to "http://[::1]:8080": only 127.0.0.1 is allowed',
        });
        assert.throws(() => assertLoopback("http://example.com"), {
            message: 'refusing to send traffic to "http://example.com": only 127.0.0.1 is allowed',
        });
        assert.throws(() => assertLoopback("http://127.0.0.1.example.com:8080"), {
            message: 'refusing to send traffic to "http://127.0.0.1.example.com:8080": only 127.0.0.1 is allowed',
        });
    });

    it("refuses what is not a URL, naming it", () => {
        assert.throws(() => assertLoopback("not-a-URL"), {
            message: 'refusing to send traffic to "not-a-URL": not a URL',
        });
        assert.throws(() => assertLoopback("127.0.0.1:8080"), {
            message: 'refusing to send traffic to "127.0.0.1:8080": not a URL',
        });
    });

    it("is what the bench and the tests' HTTP helpers check before a socket opens", async () => {
        const refused = /refusing to send traffic to "http:\/\/localhost:1\/?": only 127.0.0.1 is allowed/;
        assert.throws(() => getJson("http://localhost:1/"), refused);
        assert.throws(() => new BackgroundLoad("http://localhost:1/"), refused);
        assert.throws(
            () => new RunningLoad({ urls: ["http://localhost:1/"], connections: 1, durationS: 1, timeoutS: 1 }),
            refused,
        );
        await assert.rejects(
            fetchStatsCsv("http://localhost:1"),
            /refusing to send traffic to "http:\/\/localhost:1;csv"/,
        );
    });
});
