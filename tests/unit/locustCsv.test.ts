import { strict as assert } from "assert";
import { LOCUST_STATS_HEADER, csvField, locustStatsCsv, pyFloat } from "../../scripts/load/locustCsv";
import type { LatencySummary } from "../../scripts/load/histogram";

/**
 * The header as Locust 2.12 (Debian's python3-locust) writes it with --csv (copied from a real file, see
 * /work/shared/notes/environment.md), and as locust/stats.py's StatsCSV builds it today.
 */
const LOCUST_HEADER =
    "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%";

const times: LatencySummary = {
    count: 40,
    meanMs: 12.5,
    minMs: 2,
    maxMs: 91.25,
    percentilesMs: {
        "50": 10.9,
        "66": 11,
        "75": 12,
        "80": 13.999,
        "90": 20,
        "95": 30.5,
        "98": 50,
        "99": 60,
        "99.9": 91.25,
        "99.99": 91.25,
        "100": 91.25,
    },
};

describe("Locust _stats.csv", () => {
    it("has Locust's header, column for column", () => {
        assert.equal(LOCUST_STATS_HEADER.join(","), LOCUST_HEADER);
    });

    it("writes an entry and the Aggregated row as Python's csv.writer would: CRLF, int percentiles, str() floats", () => {
        const entry = {
            method: "GET",
            name: "/data?key=[key]",
            requests: 42,
            failures: 2,
            contentBytes: 4200,
            durationS: 4,
            times,
        };
        const csv = locustStatsCsv([entry], { ...entry, method: "", name: "Aggregated" });
        assert.equal(
            csv,
            `${LOCUST_HEADER}\r\n` +
                "GET,/data?key=[key],42,2,10,12.5,2.0,91.25,100.0,10.5,0.5,10,11,12,13,20,30,50,60,91,91,91\r\n" +
                ",Aggregated,42,2,10,12.5,2.0,91.25,100.0,10.5,0.5,10,11,12,13,20,30,50,60,91,91,91\r\n",
        );
    });

    it("writes N/A percentiles and zeros for an entry without requests (Locust's percentiles_na)", () => {
        const none = {
            method: "GET",
            name: "/",
            requests: 0,
            failures: 0,
            contentBytes: 0,
            durationS: 2,
            times: { count: 0, meanMs: 0, minMs: 0, maxMs: 0, percentilesMs: {} },
        };
        const lines = locustStatsCsv([none], { ...none, method: "", name: "Aggregated" }).split("\r\n");
        assert.equal(lines[1], `GET,/,0,0,0,0.0,0,0,0,0.0,0.0,${Array(11).fill("N/A").join(",")}`);
    });

    it("sorts entries by name, then method, before the Aggregated row", () => {
        const e = (method: string, name: string) => ({
            method,
            name,
            requests: 1,
            failures: 0,
            contentBytes: 1,
            durationS: 1,
            times,
        });
        const csv = locustStatsCsv([e("GET", "/b"), e("POST", "/a"), e("GET", "/a")], e("", "Aggregated"));
        assert.deepEqual(
            csv
                .split("\r\n")
                .slice(1, 5)
                .map((l) => l.split(",").slice(0, 2).join(" ")),
            ["GET /a", "POST /a", "GET /b", " Aggregated"],
        );
    });

    it("formats numbers like Python's str(float)", () => {
        assert.equal(pyFloat(0), "0.0");
        assert.equal(pyFloat(3), "3.0");
        assert.equal(pyFloat(2519.9335548172758), "2519.9335548172758");
        assert.equal(pyFloat(0.00005), "5e-05");
        assert.equal(pyFloat(1e16), "1e+16");
        assert.equal(pyFloat(0.0001), "0.0001");
    });

    it("quotes a field only when it holds a comma, a quote or a line break", () => {
        assert.equal(csvField("/plain"), "/plain");
        assert.equal(csvField("/a,b"), '"/a,b"');
        assert.equal(csvField('say "hi"'), '"say ""hi"""');
    });
});
