import { strict as assert } from "assert";
import type autocannon from "autocannon";
import { Row, ratio, renderReport, renderTable } from "../../scripts/load/bench/report";
import { describeMachine } from "../../scripts/load/machine";
import { describeFailures, errorCode, summarise } from "../../scripts/load/summary";

/** The fields of an autocannon Result that summarise() reads, with everything else zero. */
function result(over: Partial<Record<string, unknown>> = {}): autocannon.Result {
    const hist = (p50: number, p99: number, average = 0, max = p99) => ({
        average,
        mean: average,
        p50,
        p99,
        max,
        total: 0,
    });
    return {
        connections: 50,
        pipelining: 1,
        duration: 10.02,
        errors: 0,
        timeouts: 0,
        non2xx: 0,
        resets: 0,
        mismatches: 0,
        "1xx": 0,
        "2xx": 30000,
        "3xx": 0,
        "4xx": 0,
        "5xx": 0,
        statusCodeStats: { "200": { count: 30000 } },
        latency: hist(3, 12, 3.4, 40),
        requests: { ...hist(3000, 3100, 3000.5), sent: 30050 },
        throughput: hist(0, 0),
        ...over,
    } as unknown as autocannon.Result;
}

describe("bench: summarising autocannon results", () => {
    it("takes requests/s, p50 and p99 from autocannon", () => {
        const f = summarise(result());
        assert.equal(f.rps, 3000.5);
        assert.equal(f.p50Ms, 3);
        assert.equal(f.p99Ms, 12);
        assert.equal(f.maxMs, 40);
        assert.equal(f.requests, 30000);
        assert.equal(f.failed, 0);
        assert.deepEqual(f.statusCodes, { "200": 30000 });
    });

    it("counts as failed every non-2xx and every error, timeouts once (autocannon counts them among errors)", () => {
        const f = summarise(
            result({
                "2xx": 900,
                "5xx": 7,
                non2xx: 7,
                errors: 5,
                timeouts: 2,
                statusCodeStats: { "200": { count: 900 }, "503": { count: 7 } },
            }),
            { ECONNRESET: 3, timeout: 2 },
        );
        assert.equal(f.failed, 12);
        assert.equal(f.errors, 5);
        assert.equal(f.timeouts, 2);
        assert.equal(f.requests, 907);
        assert.equal(describeFailures(f), "7× 503; 3× ECONNRESET, 2× timeout");
    });

    it("reports requests that were sent but neither answered nor failed, beyond one in flight per connection", () => {
        assert.equal(
            summarise(result({ requests: { average: 1, p50: 1, p99: 1, max: 1, sent: 30050 } })).unanswered,
            0,
        );
        assert.equal(
            summarise(result({ requests: { average: 1, p50: 1, p99: 1, max: 1, sent: 30080 } })).unanswered,
            30,
        );
    });

    it("names request errors by their socket code, or as a timeout", () => {
        assert.equal(errorCode(Object.assign(new Error("x"), { code: "ECONNREFUSED" })), "ECONNREFUSED");
        assert.equal(errorCode(new Error("request timed out")), "timeout");
        assert.equal(errorCode("weird"), "other");
    });

    it("describes a failure-free load as none, and errors without codes by count", () => {
        assert.equal(describeFailures(summarise(result())), "none");
        assert.equal(describeFailures(summarise(result({ errors: 4, timeouts: 1 }))), "4 errors (1 timeouts)");
    });
});

describe("bench: the table", () => {
    const rows: Row[] = [
        {
            scenario: "direct, one node (node-1)",
            connections: "50",
            rps: 6022.4,
            p50Ms: 3,
            p99Ms: 68,
            failed: 0,
            notes: "client CPU 29%",
        },
        {
            scenario: "through the balancer",
            connections: "50",
            rps: 3227,
            p50Ms: 11,
            p99Ms: 78.25,
            failed: 2,
            notes: "a | b",
        },
        {
            scenario: "rollback of every node under load",
            connections: "–",
            notes: "skipped (no pulumi CLI; run with --own-stack)",
        },
    ];

    it("renders one markdown table with aligned columns, numbers right-aligned", () => {
        const lines = renderTable(rows).split("\n");
        assert.equal(lines.length, 5);
        assert.match(
            lines[0],
            /^\| scenario +\| connections \| requests\/s \| p50 ms \| p99 ms \| failed \| notes +\|$/,
        );
        assert.match(lines[1], /^\|:-+\|-+:\|-+:\|-+:\|-+:\|-+:\|:-+\|$/);
        assert.ok(
            lines.every((l) => l.length === lines[0].length),
            "every line has the same width",
        );
        assert.match(lines[2], /\|\s+6022 \|\s+3 \|\s+68 \|\s+0 \| client CPU 29%/);
        assert.match(lines[3], /\|\s+78\.3 \|/);
    });

    it("escapes a | inside a cell and shows missing figures as a dash", () => {
        const lines = renderTable(rows).split("\n");
        assert.match(lines[3], /a \\\| b/);
        assert.match(lines[4], /\| +– \| +– \| +– \| +– \| +– \| skipped \(no pulumi CLI; run with --own-stack\)/);
    });

    it("prints ratios against the baseline", () => {
        assert.equal(ratio(3227, 6394), "0.50×");
        assert.equal(ratio(11, 5), "2.20×");
        assert.equal(ratio(1, 0), "n/a");
        assert.equal(ratio(undefined, 2), "n/a");
    });

    it("states the date, the machine, the stack and the engine above the table", () => {
        const machine = {
            cores: 2,
            model: "AMD  EPYC ",
            totalMemBytes: 24 * 2 ** 30,
            platform: "linux",
            release: "6.1",
            nodeVersion: "v20.1.0",
        };
        assert.equal(describeMachine(machine), "2 cores (AMD EPYC), 24.0 GiB RAM, linux 6.1, Node v20.1.0");
        const text = renderReport(
            {
                startedAt: new Date("2026-01-02T03:04:05Z"),
                machine,
                autocannon: "9.0.0",
                stack: "cloudlab-local: nodeCount 2",
                engine: "pulumi CLI",
                load: "autocannon",
            },
            rows,
        );
        assert.match(text, /^cloudlab bench, 2026-01-02T03:04:05.000Z\n\n- machine: 2 cores \(AMD EPYC\)/);
        assert.match(
            text,
            /\n- stack: cloudlab-local: nodeCount 2\n- engine: pulumi CLI\n- load: autocannon\n\n\| scenario/,
        );
    });
});
