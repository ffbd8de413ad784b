/**
 * The record of one sweep (`<prefix>_record.json`): everything needed to read its figures and run it again,
 * and what the HTML report is rendered from.
 */
import type { CacheVsNode, Knee } from "./knee";
import type { CellResult } from "../cell";
import type { SweepOptions } from "./flags";

export interface BackendSeen {
    /** GET /data's delay per uncached read, as the node reported it; undefined without the cache axis. */
    backendDelayMs?: number;
    /** X-Cache of a probe read before the first cell: HIT/MISS = the nodes' cache is on, OFF = it is off. */
    cacheProbe?: string;
    /** The nodes' cache settings (container environment), when the target is a local stack. */
    cacheSettings?: Record<string, string>;
    keys: number;
    keyDistribution: string;
    seed: number;
}

export interface SweepRecord {
    tool: string;
    startedAt: string;
    finishedAt?: string;
    command: string;
    machine: string;
    /** What was loaded: the stack's balancer or the --url target. */
    target: string;
    /** How the instance count was set ("controller <url>", or "fixed: ..."). */
    instancesBy: string;
    load: string;
    options: SweepOptions;
    backend: BackendSeen;
    /** The connectivity check's lines, per instance count. */
    connectivity: Record<string, string[]>;
    cells: CellResult[];
    /** Requests of the discarded warm-ups (they reach the nodes too: their counters include them). */
    warmups: Array<{ instances: number; cache?: string; users: number; requests: number }>;
    knees: Knee[];
    cacheVsNode: CacheVsNode[];
    /** Set when the sweep stopped early (Ctrl-C, a failure): the cells written are the ones measured. */
    incomplete?: string;
}
