/**
 * command.local.Command as pulumi-command runs it: `/bin/sh -c <create>` in `dir` (default: the engine's
 * working directory) with `environment` added to the process environment; stdout/stderr (trailing newline
 * trimmed) become outputs; a non-zero exit fails with the command's output. Update runs `update`, or `create`
 * again; delete runs `delete` when set, with PULUMI_COMMAND_STDOUT/STDERR of the last run. While it runs, each
 * line of stdout and stderr is reported as a status line, as pulumi-command's `logging` default
 * (stdoutAndStderr) does: provider/pkg/provider/local/commandOutputs.go run() tees both streams into
 * util.LogOutput, which sends every scanned line as an InfoStatus.
 */
import { ChildProcess, spawn } from "child_process";
import { randomBytes } from "crypto";
import { createInterface } from "readline";
import { JsonObject } from "../types";
import {
    CreateRequest,
    CreateResult,
    DeleteRequest,
    ReadRequest,
    ResourceHandler,
    StatusSink,
    UpdateRequest,
} from "./handler";
import { record, str } from "./inputs";

/** The shells running right now, for the engine's cancel. */
const running = new Set<ChildProcess>();

/** Kills every command under way (the engine was cancelled): each one's operation fails as Go reports it. */
export function cancelRunningCommands(): void {
    for (const child of running) {
        try {
            if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
        } catch {
            // already gone
        }
    }
}

interface CommandRun {
    stdout: string;
    stderr: string;
}

export class LocalCommandHandler implements ResourceHandler {
    async create(req: CreateRequest): Promise<CreateResult> {
        const outputs = await runInto(req.inputs, str(req.inputs.create), {}, req.status);
        return { id: `${req.name}${randomBytes(4).toString("hex")}`, outputs };
    }

    async update(req: UpdateRequest): Promise<JsonObject> {
        return runInto(req.newInputs, str(req.newInputs.update) ?? str(req.newInputs.create), {}, req.status);
    }

    /** pulumi-command's local Command has no Read of its own: a refresh keeps the state as it is. */
    async read(req: ReadRequest): Promise<JsonObject | undefined> {
        return req.outputs;
    }

    async delete(req: DeleteRequest): Promise<void> {
        const script = str(req.inputs.delete);
        if (script === undefined) return;
        await run(
            script,
            req.inputs,
            {
                PULUMI_COMMAND_STDOUT: str(req.outputs.stdout) ?? "",
                PULUMI_COMMAND_STDERR: str(req.outputs.stderr) ?? "",
            },
            req.status,
        );
    }
}

async function runInto(
    inputs: JsonObject,
    script: string | undefined,
    extraEnv: Record<string, string>,
    status: StatusSink | undefined,
): Promise<JsonObject> {
    const outputs: JsonObject = { ...inputs };
    if (script === undefined) {
        outputs.stdout = "";
        outputs.stderr = "";
        return outputs;
    }
    const result = await run(script, inputs, extraEnv, status);
    outputs.stdout = result.stdout;
    outputs.stderr = result.stderr;
    return outputs;
}

function run(
    script: string,
    inputs: JsonObject,
    extraEnv: Record<string, string>,
    status: StatusSink | undefined,
): Promise<CommandRun> {
    return new Promise((resolve, reject) => {
        const child = spawn("/bin/sh", ["-c", script], {
            cwd: str(inputs.dir) ?? process.cwd(),
            env: { ...process.env, ...record(inputs.environment), ...extraEnv },
            stdio: ["ignore", "pipe", "pipe"],
            // Its own process group, so a cancel kills what the shell started too (a `sleep` or `node` holding
            // the output pipes would otherwise keep the operation open until it ends by itself).
            detached: true,
        });
        running.add(child);
        const out: Buffer[] = [];
        const err: Buffer[] = [];
        child.stdout.on("data", (b: Buffer) => out.push(b));
        child.stderr.on("data", (b: Buffer) => err.push(b));
        if (status) {
            for (const stream of [child.stdout, child.stderr]) {
                createInterface({ input: stream }).on("line", (line) => {
                    if (line.trim() !== "") status(line);
                });
            }
        }
        child.on("error", reject);
        child.on("close", (code, signal) => {
            running.delete(child);
            const stdout = Buffer.concat(out).toString("utf8").replace(/\n$/, "");
            const stderr = Buffer.concat(err).toString("utf8").replace(/\n$/, "");
            if (code === 0) return resolve({ stdout, stderr });
            // Go's exec.ExitError wording; syscall.Signal(9).String() is "killed".
            const status =
                code !== null ? `exit status ${code}` : `signal: ${signal === "SIGKILL" ? "killed" : signal}`;
            reject(new Error(`${status}: running ${JSON.stringify(script)}:\nstderr: ${stderr}\nstdout: ${stdout}`));
        });
    });
}
