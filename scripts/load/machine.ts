/** The machine a run measured on, named in every bench table and sweep record (figures belong to it). */
import * as os from "os";

export interface MachineInfo {
    cores: number;
    model: string;
    totalMemBytes: number;
    platform: string;
    release: string;
    nodeVersion: string;
}

/** The machine this process runs on. */
export function thisMachine(): MachineInfo {
    const cpus = os.cpus();
    return {
        cores: cpus.length,
        model: cpus[0]?.model ?? "unknown",
        totalMemBytes: os.totalmem(),
        platform: os.platform(),
        release: os.release(),
        nodeVersion: process.version,
    };
}

export function describeMachine(m: MachineInfo): string {
    const gib = (m.totalMemBytes / 2 ** 30).toFixed(1);
    const model = m.model.trim().replace(/\s+/g, " ") || "unknown CPU";
    return `${m.cores} cores (${model}), ${gib} GiB RAM, ${m.platform} ${m.release}, Node ${m.nodeVersion}`;
}
