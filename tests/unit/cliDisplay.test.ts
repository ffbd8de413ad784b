import { strict as assert } from "assert";
import {
    countLines,
    durationLine,
    eventLine,
    outputLines,
    planLines,
    revealed,
    statusText,
    typeLabel,
    upOutputLines,
} from "../../cli/display";
import type { StepRecord } from "../../engine";
import { SECRET_SIG, SPECIAL_SIG_KEY } from "../../engine/values";

const CONTAINER = "docker:index/container:Container";
const step = (name: string, op: StepRecord["op"], extra: Partial<StepRecord> = {}): StepRecord => ({
    urn: `urn:pulumi:s::cloudlab::${CONTAINER}::${name}`,
    type: CONTAINER,
    name,
    op,
    startedAt: "",
    startSeq: 0,
    ...extra,
});
const secret = (value: unknown) => ({ [SPECIAL_SIG_KEY]: SECRET_SIG, value });

describe("cli: the display", () => {
    it("shows types as the CLI does", () => {
        assert.equal(typeLabel(CONTAINER), "docker:index:Container");
        assert.equal(typeLabel("command:local:Command"), "command:local:Command");
        assert.equal(typeLabel("pulumi:pulumi:Stack"), "pulumi:pulumi:Stack");
    });

    it("prints a line when a step starts and ends, with its time and changed keys; none for unchanged ones", () => {
        const base = { urn: "u", type: CONTAINER, name: "app-node-1" };
        assert.equal(
            eventLine({ kind: "step-start", ...base, op: "replace" }),
            " +- docker:index:Container app-node-1 replacing",
        );
        assert.equal(
            eventLine({ kind: "step-end", ...base, op: "replace", changed: ["image"] }, 12.4),
            " +- docker:index:Container app-node-1 replaced (12s) [diff: ~image]",
        );
        assert.equal(
            eventLine({ kind: "step-end", ...base, op: "create", error: "boom" }, 3),
            " +  docker:index:Container app-node-1 creating failed (3s): boom",
        );
        assert.equal(eventLine({ kind: "step-start", ...base, op: "same" }), undefined);
        assert.equal(eventLine({ kind: "step-end", ...base, op: "same" }), undefined);
        assert.equal(
            eventLine({ kind: "status", ...base, message: "waiting for the container to be healthy" }),
            "    docker:index:Container app-node-1: waiting for the container to be healthy",
        );
        assert.match(eventLine({ kind: "cancelling" }) ?? "", /^\^C received; cancelling/);
    });

    it("plans like `pulumi preview --diff`: each change, its keys, then the counts", () => {
        const lines = planLines([
            step("app-node-1", "replace", { changed: ["image"], replaceKeys: ["image"] }),
            step("app-node-2", "replace", { changed: ["image", "cpus"], replaceKeys: ["image"] }),
            step("app-node-2", "same"),
            step("lab-bridge", "create"),
        ]);
        assert.deepEqual(lines, [
            "    Type                    Name        Plan     Info",
            "+-  docker:index:Container  app-node-1  replace  [diff: ~image]",
            "+-  docker:index:Container  app-node-2  replace  [diff: ~image, ~cpus] (replaced for: image)",
            "+   docker:index:Container  lab-bridge  create",
            "",
            "Resources:",
            "    + 1 to create",
            "    +-2 to replace",
            "    1 unchanged",
        ]);
        assert.deepEqual(planLines([step("a", "same")]), ["No changes.", "", "Resources:", "    1 unchanged"]);
    });

    it("counts what an update did", () => {
        assert.deepEqual(countLines([step("a", "delete"), step("b", "update"), step("c", "update")], false), [
            "Resources:",
            "    ~ 2 updated",
            "    - 1 deleted",
        ]);
        assert.deepEqual(countLines([], false), ["Resources:", "    none"]);
        assert.deepEqual(
            countLines([step("a", "replace", { error: "boom" }), step("b", "create")], false),
            ["Resources:", "    + 1 created"],
            "a failed step is not counted as done",
        );
    });

    it("hides secrets as `pulumi stack output` does unless asked, inside objects too", () => {
        const outputs = {
            controllerToken: secret("s3cr3t"),
            balancerUrl: "http://127.0.0.1:8080",
            nodes: [{ t: secret(1) }],
        };
        assert.deepEqual(outputLines(outputs, false), [
            "Current stack outputs (3):",
            "    OUTPUT           VALUE",
            "    balancerUrl      http://127.0.0.1:8080",
            "    controllerToken  [secret]",
            '    nodes            [{"t":"[secret]"}]',
        ]);
        assert.deepEqual(revealed(outputs, true), {
            controllerToken: "s3cr3t",
            balancerUrl: "http://127.0.0.1:8080",
            nodes: [{ t: 1 }],
        });
        assert.deepEqual(outputLines({}, false), ["No output values currently in this stack"]);
        assert.deepEqual(upOutputLines({ b: "x", a: 1, tok: secret("s") }), [
            "Outputs:",
            "    a:   1",
            '    b:   "x"',
            '    tok: "[secret]"',
        ]);
    });

    it("rounds durations to seconds, minutes from 60 s", () => {
        assert.equal(durationLine(400), "Duration: 0s");
        assert.equal(durationLine(59_600), "Duration: 1m0s");
        assert.equal(durationLine(65_000), "Duration: 1m5s");
    });
});

describe("cli: status lines", () => {
    it("shows a JSON log line as its message and fields, anything else as it is", () => {
        assert.equal(
            statusText(
                '{"level":30,"time":1,"pid":2,"hostname":"vm","name":"cloudlab","node":"node-1","seconds":0.155,"msg":"node is in service"}',
            ),
            "node is in service node=node-1 seconds=0.155",
        );
        assert.equal(statusText("Step 3/7 : RUN npm ci"), "Step 3/7 : RUN npm ci");
        assert.equal(statusText("{not json"), "{not json");
        assert.equal(statusText('{"a":1}'), '{"a":1}');
    });
});
