import { strict as assert } from "assert";
import { Session } from "../../scripts/load/session";
import { envRecord } from "../../scripts/load/stackConfig";

describe("load: the run set-up bench and sweep share", () => {
    const spec = {
        leftovers: () => "",
        firstInterrupt: "stopping",
        load: { users: "4 connections", each: "1 s per scenario", timeoutS: 3, notes: ["--quick smoke run"] },
    };
    let listeners: NodeJS.SignalsListener[];
    beforeEach(() => (listeners = process.listeners("SIGINT")));
    afterEach(() => {
        for (const l of process.listeners("SIGINT")) if (!listeners.includes(l)) process.removeListener("SIGINT", l);
    });

    it("heads every run with the machine, autocannon's version and the load", () => {
        const { header } = new Session({ tool: "bench", ...spec });
        assert.ok(header.machine.cores > 0);
        assert.match(header.autocannon, /^\d+\.\d+\.\d+$/);
        assert.match(
            header.load,
            /^autocannon \d+\.\d+\.\d+ as a library: 4 connections, each a keep-alive connection .*; 1 s per scenario; request timeout 3 s; .*127\.0\.0\.1 only; --quick smoke run$/,
        );
    });

    it("says which tool needs Docker, and why, when no engine answers", async () => {
        const saved = process.env.DOCKER_HOST;
        process.env.DOCKER_HOST = "unix:///nonexistent/cloudlab-test-docker.sock";
        try {
            const session = new Session({ tool: "sweep", ...spec });
            await assert.rejects(
                session.start({ dockerFor: "finds the stack through Docker" }),
                /^Error: no Docker engine reachable \(.*\); the sweep finds the stack through Docker$/,
            );
            // With --url nothing needs Docker: no ping, no error.
            await session.start({});
        } finally {
            if (saved === undefined) delete process.env.DOCKER_HOST;
            else process.env.DOCKER_HOST = saved;
        }
    });

    it("reads a container's environment, values holding '=' whole", () => {
        assert.deepEqual(envRecord(["CACHE=on", "OPTS=a=b", "EMPTY="]), { CACHE: "on", OPTS: "a=b", EMPTY: "" });
        assert.deepEqual(envRecord(null), {});
    });
});
