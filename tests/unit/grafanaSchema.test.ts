/**
 * The dashboard Grafana would provision (components/render/grafana/cloudlab-dashboard.json) against Grafana's
 * own schema types (@grafana/schema): Grafana itself cannot run offline, so this is what keeps a dashboard it
 * would reject out of CI. The broken copies below show the check sees a bad panel, not only a bad file.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import { DASHBOARD_FILE } from "../../components/render/grafanaProvisioning";
import { grafanaSchemaErrors } from "../support/grafanaSchema";

const dashboard = () => JSON.parse(fs.readFileSync(DASHBOARD_FILE, "utf8"));

/** The check's problems for the dashboard after `change`. */
function problemsAfter(change: (d: any) => void): string[] {
    const d = dashboard();
    change(d);
    return grafanaSchemaErrors(JSON.stringify(d));
}

describe("the Grafana dashboard against @grafana/schema", function () {
    this.timeout(60_000);

    it("conforms: the dashboard, every panel with its plugin's options and field config, every query", () => {
        assert.deepEqual(grafanaSchemaErrors(fs.readFileSync(DASHBOARD_FILE, "utf8")), []);
    });

    it("rejects a panel whose plugin does not exist, naming the panel", () => {
        const problems = problemsAfter((d) => (d.panels[0].type = "graph2"));
        assert.deepEqual(problems, [
            `panel "${dashboard().panels[0].title}": type "graph2" has no schema in @grafana/schema`,
        ]);
    });

    it("rejects a value of the wrong type, a key the schema lacks and a value outside an enum, at every level", () => {
        const cases: Array<[string, (d: any) => void, RegExp]> = [
            [
                "gridPos width as a string",
                (d) => (d.panels[0].gridPos.w = "12"),
                /'string' is not assignable to type 'number'/,
            ],
            [
                "a misspelled panel key",
                (d) => (d.panels[0].gridPoss = d.panels[0].gridPos),
                /'"gridPoss"' does not exist/,
            ],
            [
                "a legend display mode timeseries lacks",
                (d) => (d.panels[1].options = { legend: { displayMode: "lists" } }),
                /'"lists"' is not assignable/,
            ],
            [
                "a custom field option timeseries lacks",
                (d) => (d.panels[2].fieldConfig.defaults.custom = { lineWidthh: 1 }),
                /'"lineWidthh"' does not exist/,
            ],
            ["a query without its refId", (d) => delete d.panels[3].targets[0].refId, /refId/],
            ["a dashboard-level enum out of range", (d) => (d.graphTooltip = 5), /DashboardCursorSync/],
        ];
        for (const [what, change, expected] of cases) {
            const problems = problemsAfter(change);
            assert.equal(problems.length, 1, `${what}: ${problems.join("\n")}`);
            assert.match(problems[0], expected, what);
        }
    });
});
