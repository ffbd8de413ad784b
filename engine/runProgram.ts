/**
 * docker test engine - one run (= one `pulumi up` / `preview` / `destroy`) in a fresh process, like the CLI.
 * TEST STAND-IN for the Pulumi engine; see README.md.
 *
 *   node -r ts-node/register/transpile-only runProgram.ts \
 *     --program <module exporting a function> [--export defineStack] --state <state.json> \
 *     --stack <name> --project <name> --config <flat config JSON> --op up|preview|refresh|destroy --out <result.json> \
 *     [--events-fd <fd>]
 *
 * Config is installed (the SDK's PULUMI_CONFIG store, as the language host does) before the program module is
 * loaded; the function runs inside the root Stack resource; the run waits for every registration, runs the
 * end-of-run deletes, persists the state and writes the RunResult JSON. Exit code 0 = ok, 1 = failed.
 * With --events-fd, progress (EngineEvent) goes to that file descriptor as one JSON object per line.
 * SIGINT/SIGTERM: the first cancels (operations under way finish, the state is kept, "update canceled"), a
 * second terminates at once, as the CLI's ^C and ^C again (pulumi/pulumi pkg/backend/cancellation_scope.go).
 */
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { setMockOptions } from "@pulumi/pulumi/runtime/settings";
import { Deployment } from "./deployment";
import { EngineMonitor } from "./engineMonitor";
import { cancelRunningCommands } from "./handlers/localCommandHandler";
import { programFailure } from "./programErrors";
import { loadState } from "./stateStore";
import { EngineEvent, EngineOp, RunResult, TERMINATED_EXIT_CODE, UNKNOWN_OUTPUT } from "./types";
import { errorMessage, readableUnknowns } from "./values";

interface Args {
    program?: string;
    export: string;
    state: string;
    stack: string;
    project: string;
    config?: string;
    op: EngineOp;
    out: string;
    eventsFd?: number;
}

function parseArgs(argv: string[]): Args {
    const values: Record<string, string> = {};
    for (let i = 0; i < argv.length; i += 2) {
        const key = argv[i];
        if (!key.startsWith("--") || argv[i + 1] === undefined) throw new Error(`bad argument list near ${key}`);
        values[key.slice(2)] = argv[i + 1];
    }
    const required = (k: string): string => {
        const v = values[k];
        if (!v) throw new Error(`missing --${k}`);
        return v;
    };
    const op = required("op");
    if (op !== "up" && op !== "preview" && op !== "refresh" && op !== "destroy")
        throw new Error(`--op must be up, preview, refresh or destroy, not ${op}`);
    return {
        program: values.program,
        export: values.export ?? "defineStack",
        state: required("state"),
        stack: required("stack"),
        project: required("project"),
        config: values.config,
        op,
        out: required("out"),
        ...(values["events-fd"] !== undefined ? { eventsFd: Number(values["events-fd"]) } : {}),
    };
}

async function runProgram(args: Args, deployment: Deployment): Promise<void> {
    if (!args.program) throw new Error("missing --program");
    const config = args.config ? (JSON.parse(fs.readFileSync(args.config, "utf8")) as Record<string, string>) : {};
    const programPath = path.resolve(args.program);
    const monitor = new EngineMonitor(deployment, args.project, args.stack, path.dirname(programPath));
    setMockOptions(monitor, args.project, args.stack, args.op === "preview");
    pulumi.runtime.setAllConfig(config);

    let mod: Record<string, unknown>;
    try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        mod = require(programPath) as Record<string, unknown>;
    } catch (e) {
        // run.js loads the module inside the same try as the run: a throw at load is reported the same way.
        deployment.fail("", programFailure(e, programPath));
        return;
    }
    const fn = mod[args.export];
    if (typeof fn !== "function") throw new Error(`${args.program} does not export a function ${args.export}`);
    process.on("unhandledRejection", (e) => {
        deployment.fail("", programFailure(e, programPath));
    });
    const program = pulumi.runtime
        .runInPulumiStack(async () => (fn as () => unknown)())
        .catch((e: unknown) => void deployment.fail("", programFailure(e, programPath)));
    await Promise.race([program, deployment.stopped]);
    // Every registration (also those no output depends on) has to complete, as the CLI waits for them.
    await Promise.race([pulumi.runtime.disconnect(), deployment.stopped]);
    if (!deployment.failure) await deployment.finish();
}

let cancelRequested = false;

function eventWriter(fd: number): (event: EngineEvent) => void {
    return (event) => {
        try {
            fs.writeSync(fd, `${JSON.stringify(event)}\n`);
        } catch {
            // The reader went away (the driver was killed): progress is best effort, the run goes on.
        }
    };
}

async function main(): Promise<number> {
    const started = Date.now();
    let args: Args;
    try {
        args = parseArgs(process.argv.slice(2));
    } catch (e) {
        process.stderr.write(`runProgram: ${errorMessage(e)}\n`);
        return 2;
    }
    const deployment = new Deployment({
        state: loadState(args.state, args.project, args.stack),
        statePath: args.state,
        dryRun: args.op === "preview",
        ...(args.eventsFd !== undefined ? { onEvent: eventWriter(args.eventsFd) } : {}),
    });
    for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
        process.on(signal, () => {
            if (cancelRequested) process.exit(TERMINATED_EXIT_CODE);
            cancelRequested = true;
            deployment.cancel();
        });
    }
    // Commands run in process groups of their own: a run that ends (a second ^C included) takes them along.
    process.on("exit", cancelRunningCommands);
    if (args.eventsFd !== undefined) {
        // Run by a driver (mockEngine.ts): its end of stdin closes when it dies (killed, terminal gone). The run
        // must not go on headless without the driver's lock: it cancels, as on a first ^C.
        process.stdin.on("end", () => deployment.cancel());
        process.stdin.on("error", () => deployment.cancel());
        process.stdin.resume();
    }
    if (args.op === "destroy" || args.op === "refresh") {
        process.on("unhandledRejection", (e) => {
            deployment.fail("", e);
        });
    }
    try {
        if (args.op === "destroy") await deployment.destroy();
        else if (args.op === "refresh") await deployment.refresh();
        else await runProgram(args, deployment);
    } catch (e) {
        deployment.fail("", e);
    }
    const { steps, timeline } = deployment.result();
    const result: RunResult = {
        ok: !deployment.failure,
        ...(deployment.failure ? { error: deployment.failure } : {}),
        op: args.op,
        engine: "docker-test-engine",
        outputs: readableUnknowns(deployment.stackOutputs, UNKNOWN_OUTPUT) as Record<string, unknown>,
        steps,
        timeline,
        durationMs: Date.now() - started,
    };
    fs.mkdirSync(path.dirname(args.out), { recursive: true });
    fs.writeFileSync(args.out, JSON.stringify(result, null, 2));
    return result.ok ? 0 : 1;
}

main().then(
    (code) => process.exit(code),
    (e) => {
        process.stderr.write(`runProgram: ${e instanceof Error ? e.stack : String(e)}\n`);
        process.exit(2);
    },
);
