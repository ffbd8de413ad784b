import { strict as assert } from "assert";
import * as http from "http";
import { AddressInfo } from "net";
import {
    fetchNodeStatus,
    fetchStatsCsv,
    inService,
    isServerRow,
    nodeStatus,
    parseStatsCsv,
    serverStatus,
    serversInService,
} from "../../components/hooks/haproxyStats";

const CSV = [
    "# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight",
    "web,FRONTEND,,,1,2,8000,10,0,0,0,0,0,,,,,OPEN,",
    "nodes,node-1,0,0,0,1,200,5,0,0,,0,,0,0,0,0,UP,1",
    "nodes,node-2,0,0,0,0,200,0,0,0,,0,,0,0,0,0,MAINT (resolution),1",
    "nodes,BACKEND,0,0,0,1,800,5,0,0,0,0,,0,0,0,0,UP,1",
    "",
].join("\n");

describe("HAProxy stats CSV", () => {
    it("reads rows by column name", () => {
        const rows = parseStatsCsv(CSV);
        assert.equal(rows.length, 4);
        assert.equal(rows[1].svname, "node-1");
        assert.equal(rows[1].slim, "200");
    });

    it("finds a server's status", () => {
        assert.equal(serverStatus(CSV, "nodes", "node-1"), "UP");
        assert.equal(serverStatus(CSV, "nodes", "node-2"), "MAINT (resolution)");
        assert.equal(serverStatus(CSV, "nodes", "node-9"), undefined);
    });

    it("lists a backend's servers in service, never its BACKEND totals row (UP while any server is)", () => {
        assert.deepEqual([...serversInService(CSV, "nodes")], ["node-1"]);
        assert.deepEqual([...serversInService(CSV, "web")], []);
    });

    it("rejects text that is not stats CSV, and empty text", () => {
        assert.throws(() => parseStatsCsv("<html>502 Bad Gateway</html>"), /not HAProxy stats CSV/);
        for (const text of ["", "\n", " \n\t\n"])
            assert.throws(() => parseStatsCsv(text), { message: "not HAProxy stats CSV: no '# pxname,...' header" });
    });

    it("skips blank and whitespace-only lines, and reads a missing cell as empty", () => {
        assert.deepEqual(parseStatsCsv("  \n# pxname,svname,status\n\t\nnodes,node-1\n \n"), [
            { pxname: "nodes", svname: "node-1", status: "" },
        ]);
    });

    it("counts neither totals row of a proxy as a server, even one named like the backend", () => {
        // A `listen` section is a frontend and a backend of the same name: both totals rows carry it.
        assert.equal(isServerRow({ pxname: "nodes", svname: "FRONTEND" }, "nodes"), false);
        assert.equal(isServerRow({ pxname: "nodes", svname: "BACKEND" }, "nodes"), false);
        assert.equal(isServerRow({ pxname: "nodes", svname: "node-1" }, "nodes"), true);
        assert.equal(isServerRow({ pxname: "web", svname: "node-1" }, "nodes"), false);
    });

    it("reads an app node's status from the nodes' backend, absent when it has no such server", () => {
        assert.equal(nodeStatus(CSV, "node-1"), "UP");
        assert.equal(nodeStatus(CSV, "node-2"), "MAINT (resolution)");
        assert.equal(nodeStatus(CSV, "node-9"), "absent");
        // Another proxy's server of the same name is not the node.
        assert.equal(nodeStatus("# pxname,svname,status\nother,node-1,UP\n", "node-1"), "absent");
    });

    it("treats only a plain UP as in service", () => {
        assert.equal(inService("UP"), true);
        assert.equal(inService("UP\n"), true);
        for (const s of ["UP 1/2", "DOWN", "DOWN 1/2", "MAINT (resolution)", "absent", "no check"])
            assert.equal(inService(s), false, s);
    });

    it("fetches the CSV of a stats page, and fails on a non-2xx answer", async () => {
        let answer = { status: 200, body: CSV };
        const seen: string[] = [];
        const server = http.createServer((req, res) => {
            seen.push(req.url ?? "");
            res.statusCode = answer.status;
            res.end(answer.body);
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        const statsUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/stats`;
        try {
            assert.equal(await fetchStatsCsv(statsUrl), CSV);
            assert.equal(await fetchNodeStatus(statsUrl, "node-2"), "MAINT (resolution)");
            assert.deepEqual(seen, ["/stats;csv", "/stats;csv"]);
            answer = { status: 503, body: "<html>503</html>" };
            await assert.rejects(fetchStatsCsv(statsUrl), { message: `GET ${statsUrl};csv -> 503` });
        } finally {
            server.closeAllConnections();
            await new Promise((resolve) => server.close(resolve));
        }
    });
});
