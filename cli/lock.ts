/**
 * One run per stack at a time (the Pulumi file backend locks a stack during an update too: two runs writing one
 * state would lose one's work). The lock file holds the owner's pid; a lock whose process is gone is stale
 * and taken over.
 */
import * as fs from "fs";
import * as path from "path";
import { CliError } from "./errors";

/** Takes the lock or throws a CliError naming its holder; returns the release. */
export function acquireLock(file: string, stack: string): () => void {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    for (let attempt = 0; attempt < 2; attempt++) {
        try {
            fs.writeFileSync(file, `${process.pid}\n`, { flag: "wx" });
            return () => fs.rmSync(file, { force: true });
        } catch (e) {
            if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
            const holder = Number(fs.readFileSync(file, "utf8").trim());
            if (Number.isInteger(holder) && holder > 0 && alive(holder)) {
                throw new CliError(
                    `stack ${stack} is being changed by process ${holder} (lock ${file}): wait for it to end, or stop it`,
                );
            }
            fs.rmSync(file, { force: true }); // stale: its process is gone
        }
    }
    throw new CliError(`could not take the lock ${file} for stack ${stack}`);
}

function alive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch (e) {
        return (e as NodeJS.ErrnoException).code === "EPERM";
    }
}
