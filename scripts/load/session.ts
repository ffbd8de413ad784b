/**
 * What `npm run bench` and `npm run sweep` share around their loads: a timestamped log on stderr, Ctrl-C (the
 * first stops the loads and lets the run clean up, the second exits at once with a hint), one set-up (Docker
 * reachable, an optional stack of their own that is always torn down, the run's header), and the exit code.
 */
import Docker from "dockerode";
import { LoadDescription, RunHeader, runHeader } from "./header";
import type { OwnStack, OwnStackSpec } from "./ownStack";
import { stopAllLoads } from "./run";

export interface SessionSpec {
    tool: string;
    /** What the user must clean up by hand after a second Ctrl-C (or ""). */
    leftovers: (own: OwnStack | undefined) => string;
    /** What the first Ctrl-C does, in the log. */
    firstInterrupt: string;
    /** The run's load, for its {@link RunHeader}. */
    load: LoadDescription;
}

export interface RunSpec {
    /** Why the run needs Docker (for the error when it is not reachable); undefined: it does not. */
    dockerFor?: string;
    /** The run's own stack, brought up here and destroyed by {@link Session.teardown}. */
    ownStack?: OwnStackSpec;
}

export class Session {
    private readonly abort = new AbortController();
    private readonly started = Date.now();
    readonly tool: string;
    /** When, where and what load: the start of every table and record. */
    readonly header: RunHeader;
    /** The run's own stack, once prepared (torn down by {@link teardown}). */
    own?: OwnStack;

    constructor({ tool, leftovers, firstInterrupt, load }: SessionSpec) {
        this.tool = tool;
        this.header = runHeader(load);
        let interrupts = 0;
        // SIGTERM (a CI job's kill) as Ctrl-C: the run cleans up what it holds, a second one exits at once.
        const interrupted = () => {
            if (++interrupts > 1) {
                process.stderr.write(`${tool}: interrupted twice, exiting now${leftovers(this.own)}\n`);
                process.exit(130);
            }
            this.log(`interrupted: ${firstInterrupt} (Ctrl-C again to exit at once)`);
            this.abort.abort();
            void stopAllLoads();
        };
        process.on("SIGINT", interrupted);
        process.on("SIGTERM", interrupted);
    }

    readonly log = (msg: string): void => {
        process.stderr.write(`[${this.tool} +${((Date.now() - this.started) / 1000).toFixed(1)}s] ${msg}\n`);
    };

    get signal(): AbortSignal {
        return this.abort.signal;
    }

    /** The set-up before the first load; call it inside the try whose finally calls {@link teardown}. */
    async start(spec: RunSpec): Promise<{ docker: Docker; own?: OwnStack }> {
        const docker = new Docker();
        if (spec.dockerFor !== undefined)
            await docker.ping().catch((err: Error) => {
                throw new Error(`no Docker engine reachable (${err.message}); the ${this.tool} ${spec.dockerFor}`);
            });
        if (!spec.ownStack) return { docker };
        // Loaded only here: it pulls in engine/, which a run against an existing stack never needs.
        const { prepareOwnStack } = await import("./ownStack");
        // Held before its first `up`, so a failed start is torn down too.
        this.own = await prepareOwnStack(this.log, spec.ownStack);
        await this.own.start();
        return { docker, own: this.own };
    }

    /** Stops every load, then destroys the own stack if there is one, logging what it could not clean. */
    async teardown(): Promise<void> {
        await stopAllLoads();
        if (!this.own) return;
        this.log(`destroying the ${this.tool}'s own stack...`);
        const problems = await this.own.teardown();
        for (const p of problems) this.log(p);
        this.log(problems.length ? "own stack cleaned up (see above)" : "own stack destroyed");
    }
}

/** Runs a command's main and exits with its code; an error is one line naming the tool. */
export function runMain(tool: string, main: (argv: string[]) => Promise<number>): void {
    main(process.argv.slice(2)).then(
        (code) => process.exit(code),
        (err: Error) => {
            process.stderr.write(`${tool}: ${err.message}\n`);
            process.exit(1);
        },
    );
}
