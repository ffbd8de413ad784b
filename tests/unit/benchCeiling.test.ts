import * as assert from "assert";
import { locustfile, parseLocustAggregated } from "../../scripts/load/bench/ceiling";

describe("bench ceiling: reading Locust", () => {
    // The header and rows as Locust 2.12 writes them (stats.py STATS_CSV header), shortened to the columns read.
    const csv = [
        '"Type","Name","Request Count","Failure Count","Median Response Time","Requests/s","Failures/s"',
        '"GET","/","36586","2","2","9116.8","0.5"',
        '"","Aggregated","36590","3","2","9117.9","0.7"',
    ].join("\n");

    it("takes requests/s, requests and failures from the Aggregated row, not the first", () => {
        assert.deepEqual(parseLocustAggregated(csv, "x_stats.csv"), { rps: 9117.9, requests: 36590, failures: 3 });
    });

    it("names the file when the Aggregated row or a column is missing", () => {
        assert.throws(
            () => parseLocustAggregated(csv.split("\n").slice(0, 2).join("\n"), "a.csv"),
            /a\.csv: no Aggregated row/,
        );
        assert.throws(
            () => parseLocustAggregated(csv.replace("Requests/s", "Req/s"), "b.csv"),
            /b\.csv: no "Requests\/s" column/,
        );
    });

    it("writes a locustfile per user class, FastHttpUser from locust.contrib.fasthttp, no wait between requests", () => {
        assert.match(locustfile("FastHttpUser"), /^from locust\.contrib\.fasthttp import FastHttpUser$/m);
        assert.match(locustfile("HttpUser"), /^from locust import HttpUser$/m);
        assert.match(locustfile("HttpUser"), /wait_time = constant\(0\)/);
    });
});
