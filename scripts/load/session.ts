/**
 * What `npm run bench` and `npm run sweep` share around their loads: a timestamped log on stderr, Ctrl-C (the
 * first stops the loads and lets the run clean up, the second exits at once with a hint), an optional stack of
 * their own that is always torn down, and the exit code.
 */
import type { OwnStack, OwnStackSpec } from "./ownStack";
import { stopAllLoads } from "./run";

export class Session {
    private readonly abort = new AbortController();
    private readonly started = Date.now();
    /** The run's own stack, once prepared (torn down by {@link teardown}). */
    own?: OwnStack;

    /** `leftovers` says, on a second Ctrl-C, what the user must clean up by hand (or ""). */
    constructor(
        readonly tool: string,
        leftovers: (own: OwnStack | undefined) => string,
        firstInterrupt: string,
    ) {
        let interrupts = 0;
        process.on("SIGINT", () => {
            if (++interrupts > 1) {
                process.stderr.write(`${tool}: interrupted twice, exiting now${leftovers(this.own)}\n`);
                process.exit(130);
            }
            this.log(`interrupted: ${firstInterrupt} (Ctrl-C again to exit at once)`);
            this.abort.abort();
            void stopAllLoads();
        });
    }

    readonly log = (msg: string): void => {
        process.stderr.write(`[${this.tool} +${((Date.now() - this.started) / 1000).toFixed(1)}s] ${msg}\n`);
    };

    get signal(): AbortSignal {
        return this.abort.signal;
    }

    /** Prepares the own stack (held before its first `up`, so a failed start is torn down too) and brings it up. */
    async ownStack(spec: OwnStackSpec): Promise<OwnStack> {
        // Loaded only here: it pulls in engine/, which a run against an existing stack never needs.
        const { prepareOwnStack } = await import("./ownStack");
        this.own = await prepareOwnStack(this.log, spec);
        await this.own.start();
        return this.own;
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
