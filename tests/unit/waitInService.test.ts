import { strict as assert } from "assert";
import * as http from "http";
import { AddressInfo } from "net";
import { gateFromEnv, waitInService } from "../../components/hooks/wait-in-service";

describe("wait-in-service: the rolling-deploy gate", () => {
    const env = {
        CLOUDLAB_STATS_URL: "http://127.0.0.1:8404/stats",
        CLOUDLAB_NODE: "node-1",
        CLOUDLAB_TIMEOUT_SECONDS: "90",
    };

    it("takes its settings from the environment the program sets", () => {
        assert.deepEqual(gateFromEnv(env), {
            statsUrl: "http://127.0.0.1:8404/stats",
            node: "node-1",
            timeoutSeconds: 90,
        });
    });

    it("requires every variable, naming each one missing or bad", () => {
        assert.throws(() => gateFromEnv({ ...env, CLOUDLAB_TIMEOUT_SECONDS: undefined }), {
            message: "wait-in-service: CLOUDLAB_TIMEOUT_SECONDS is required",
        });
        assert.throws(() => gateFromEnv({}), {
            message:
                "wait-in-service: CLOUDLAB_STATS_URL is required; CLOUDLAB_NODE is required; CLOUDLAB_TIMEOUT_SECONDS is required",
        });
        for (const bad of ["0", "-5", "ninety", "Infinity"]) {
            assert.throws(() => gateFromEnv({ ...env, CLOUDLAB_TIMEOUT_SECONDS: bad }), {
                message: `wait-in-service: CLOUDLAB_TIMEOUT_SECONDS must be a positive number of seconds, not "${bad}"`,
            });
        }
    });

    describe("against a stats page", () => {
        let statuses: string[] = [];
        let calls = 0;
        let server: http.Server;
        let statsUrl = "";

        before(async () => {
            server = http.createServer((_req, res) => {
                const status = statuses[Math.min(calls++, statuses.length - 1)];
                res.end(`# pxname,svname,status\nweb,FRONTEND,OPEN\nnodes,node-1,${status}\nnodes,BACKEND,UP\n`);
            });
            await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
            statsUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/stats`;
        });
        after(async () => {
            server.closeAllConnections();
            await new Promise((resolve) => server.close(resolve));
        });
        beforeEach(() => (calls = 0));

        it("returns once the node is exactly UP, not while it is UP 1/2", async () => {
            statuses = ["MAINT (resolution)", "UP 1/2", "UP 1/2", "UP"];
            await waitInService({ statsUrl, node: "node-1", timeoutSeconds: 5 }, 10);
            assert.equal(calls, 4);
        });

        it("gives up after its timeout with the last status it saw", async () => {
            statuses = ["DOWN", "UP 1/2"];
            await assert.rejects(waitInService({ statsUrl, node: "node-1", timeoutSeconds: 0.2 }, 10), {
                message: "timed out after 0.2 s waiting for node-1 UP in the balancer (last: UP 1/2)",
            });
        });

        it("says so when the balancer has no such server", async () => {
            statuses = ["UP"];
            await assert.rejects(waitInService({ statsUrl, node: "node-7", timeoutSeconds: 0.1 }, 10), {
                message: "timed out after 0.1 s waiting for node-7 UP in the balancer (last: absent)",
            });
        });
    });
});
