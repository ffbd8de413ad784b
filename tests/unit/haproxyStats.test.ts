import { strict as assert } from "assert";
import { parseStatsCsv, serverStatus } from "../../scripts/lib/haproxyStats";

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

    it("rejects text that is not stats CSV", () => {
        assert.throws(() => parseStatsCsv("<html>502 Bad Gateway</html>"), /not HAProxy stats CSV/);
    });
});
