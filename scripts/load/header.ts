/**
 * What every bench table and sweep record starts with: when, on which machine, and what load, so a figure is
 * never read without the run it belongs to.
 */
import * as fs from "fs";
import { MachineInfo, thisMachine } from "./machine";

export interface RunHeader {
    startedAt: Date;
    machine: MachineInfo;
    /** autocannon's version, "?" when its package.json cannot be read. */
    autocannon: string;
    /** The load in one sentence (see {@link describeLoad}). */
    load: string;
}

/** The run's load, in the words both tools print. */
export interface LoadDescription {
    /** e.g. "50 connections" or "users 10, 50, 200". */
    users: string;
    /** How long each load runs, e.g. "10 s per scenario". */
    each: string;
    timeoutS: number;
    /** Further clauses, e.g. what counts as failed. */
    notes?: string[];
}

export function autocannonVersion(): string {
    try {
        return (JSON.parse(fs.readFileSync(require.resolve("autocannon/package.json"), "utf8")) as { version: string })
            .version;
    } catch {
        return "?";
    }
}

export function describeLoad(d: LoadDescription, version: string): string {
    return [
        `autocannon ${version} as a library: ${d.users}, each a keep-alive connection sending its next request when the answer arrives (no think time)`,
        d.each,
        `request timeout ${d.timeoutS} s`,
        "times from an HDR histogram (µs)",
        "targets on 127.0.0.1 only",
        ...(d.notes ?? []),
    ].join("; ");
}

export function runHeader(load: LoadDescription, now = new Date()): RunHeader {
    const autocannon = autocannonVersion();
    return { startedAt: now, machine: thisMachine(), autocannon, load: describeLoad(load, autocannon) };
}
