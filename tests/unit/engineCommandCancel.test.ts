import { strict as assert } from "assert";
import { LocalCommandHandler, cancelRunningCommands } from "../../engine/handlers/localCommandHandler";

describe("engine: a ^C kills the commands under way (pulumi-command's cancel)", () => {
    it("fails the running command's create as Go reports a killed process, and streams its lines before", async () => {
        const lines: string[] = [];
        const create = new LocalCommandHandler().create({
            urn: "urn:pulumi:s::p::command:local:Command::wait",
            name: "wait",
            inputs: { create: "echo started; sleep 60" },
            status: (line) => lines.push(line),
        });
        // Cancel once the command said it runs (no clock: the line is the signal).
        for (let i = 0; i < 1000 && lines.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
        assert.deepEqual(lines, ["started"]);
        cancelRunningCommands();
        await assert.rejects(create, /^Error: signal: killed: running "echo started; sleep 60"/);
    });

    it("leaves a command that already ended alone", async () => {
        const done = await new LocalCommandHandler().create({
            urn: "urn:pulumi:s::p::command:local:Command::quick",
            name: "quick",
            inputs: { create: "echo ok" },
        });
        cancelRunningCommands();
        assert.equal(done.outputs.stdout, "ok");
    });
});
