/**
 * docker.Container, the way terraform-provider-docker (wrapped by pulumi-docker) does it:
 * create (first network at create, the others connected after) -> uploads (tar at "/") -> start -> wait for
 * "healthy" (1 s polls, waitTimeout) -> must be running (mustRun); update in place only through ContainerUpdate
 * (restart, cpu, memory) - a healthcheck or start change is accepted but Docker never sees it, as with the real
 * provider; delete = stop (destroyGraceSeconds) + force remove (removeVolumes) + wait until gone.
 */
import Docker from "dockerode";
import { sleep } from "../../scripts/lib/wait";
import { docker, dockerError, isNotFound } from "../dockerClient";
import { CONTAINER, withDefaults } from "../resourceTypes";
import { tarArchive, TarEntry } from "../tarArchive";
import { Json, JsonObject } from "../types";
import { errorMessage } from "../values";
import {
    CreateRequest,
    CreateResult,
    DeleteRequest,
    PartialCreateError,
    ResourceHandler,
    UpdateRequest,
} from "./handler";
import { bool, durationNs, num, objects, record, str, strings } from "./inputs";

const MB = 1024 * 1024;
/** Properties an in-place update sends to Docker (ContainerUpdate); every other in-place change is state only. */
const UPDATED_THROUGH_DOCKER = [
    "restart",
    "maxRetryCount",
    "cpuShares",
    "memory",
    "memoryReservation",
    "cpuSet",
    "memorySwap",
];
/** Outputs read back from Docker (everything else mirrors the inputs). */
const COMPUTED = ["networkDatas", "hostname", "exitCode", "ports"];

export class ContainerHandler implements ResourceHandler {
    async create(req: CreateRequest): Promise<CreateResult> {
        const inputs = req.inputs;
        const networks = objects(inputs.networksAdvanced);
        let container: Docker.Container;
        try {
            container = await docker().createContainer(createOptions(inputs));
        } catch (e) {
            throw new Error(`Unable to create container: ${dockerError(e)}`);
        }
        const id = container.id;
        try {
            for (const network of networks.slice(1)) {
                await docker()
                    .getNetwork(String(network.name))
                    .connect({ Container: id, EndpointConfig: endpointConfig(network) })
                    .catch((e: unknown) => {
                        throw new Error(`Unable to connect to network '${String(network.name)}': ${dockerError(e)}`);
                    });
            }
            const uploads = uploadEntries(inputs);
            if (uploads.length > 0) {
                await container.putArchive(tarArchive(uploads), { path: "/" }).catch((e: unknown) => {
                    throw new Error(`Unable to upload volume content: ${dockerError(e)}`);
                });
            }
            const start = bool(inputs.start) ?? true;
            if (start) {
                await container.start().catch((e: unknown) => {
                    throw new Error(`Unable to start container: ${dockerError(e)}`);
                });
            }
            if (bool(inputs.wait) ?? false) await waitHealthy(container, num(inputs.waitTimeout) ?? 60);
            if (start && (bool(inputs.mustRun) ?? true)) {
                await waitRunning(container, num(inputs.containerReadRefreshTimeoutMilliseconds) ?? 15000);
            }
            return { id, outputs: await readOutputs(container, inputs) };
        } catch (e) {
            const outputs = await readOutputs(container, inputs).catch(() => withDefaults(CONTAINER, inputs));
            throw new PartialCreateError(errorMessage(e), id, outputs);
        }
    }

    async update(req: UpdateRequest): Promise<JsonObject> {
        const inputs = req.newInputs;
        if (req.changed.some((k) => UPDATED_THROUGH_DOCKER.includes(k))) {
            const memorySwap = num(inputs.memorySwap);
            const update = {
                RestartPolicy: { Name: str(inputs.restart) ?? "no", MaximumRetryCount: num(inputs.maxRetryCount) ?? 0 },
                CpuShares: num(inputs.cpuShares) ?? 0,
                Memory: (num(inputs.memory) ?? 0) * MB,
                MemoryReservation: (num(inputs.memoryReservation) ?? 0) * MB,
                CpusetCpus: str(inputs.cpuSet) ?? "",
                ...(memorySwap !== undefined ? { MemorySwap: memorySwap > 0 ? memorySwap * MB : memorySwap } : {}),
            };
            try {
                await docker().getContainer(req.id).update(update);
            } catch (e) {
                throw new Error(`Unable to update a container: ${dockerError(e)}`);
            }
        }
        const outputs: JsonObject = withDefaults(CONTAINER, inputs);
        for (const key of COMPUTED) if (req.oldOutputs[key] !== undefined) outputs[key] = req.oldOutputs[key];
        return outputs;
    }

    async delete(req: DeleteRequest): Promise<void> {
        const container = docker().getContainer(req.id);
        if (!(bool(req.inputs.attach) ?? false)) {
            try {
                await container.stop({ t: num(req.inputs.destroyGraceSeconds) ?? 0 });
            } catch (e) {
                const code = (e as { statusCode?: number }).statusCode;
                if (code !== 304 && code !== 404)
                    throw new Error(`Error stopping container ${req.id}: ${dockerError(e)}`);
            }
        }
        try {
            await container.remove({ force: true, v: bool(req.inputs.removeVolumes) ?? true });
        } catch (e) {
            if (isNotFound(e)) return;
            throw new Error(`Error deleting container ${req.id}: ${dockerError(e)}`);
        }
        const deadline = Date.now() + 30_000;
        for (;;) {
            try {
                await container.inspect();
            } catch (e) {
                if (isNotFound(e)) return;
                throw e;
            }
            if (Date.now() > deadline)
                throw new Error(`Error waiting for container removal '${req.id}': still present after 30s`);
            await sleep(200);
        }
    }
}

function endpointConfig(network: JsonObject): Docker.EndpointSettings {
    const aliases = strings(network.aliases);
    const ipv4 = str(network.ipv4Address);
    return {
        ...(aliases.length > 0 ? { Aliases: aliases } : {}),
        ...(ipv4 ? { IPAMConfig: { IPv4Address: ipv4 } } : {}),
    };
}

function createOptions(inputs: JsonObject): Docker.ContainerCreateOptions {
    const networks = objects(inputs.networksAdvanced);
    const exposed: Record<string, object> = {};
    const bindings: Record<string, Array<{ HostIp: string; HostPort: string }>> = {};
    for (const port of objects(inputs.ports)) {
        const key = `${num(port.internal)}/${str(port.protocol) ?? "tcp"}`;
        exposed[key] = {};
        const external = num(port.external);
        (bindings[key] = bindings[key] ?? []).push({
            HostIp: str(port.ip) ?? "0.0.0.0",
            HostPort: external !== undefined ? String(external) : "",
        });
    }
    const labels: Record<string, string> = {};
    for (const l of objects(inputs.labels)) labels[String(l.label)] = String(l.value);
    const hc = inputs.healthcheck;
    const healthcheck =
        hc && typeof hc === "object" && !Array.isArray(hc)
            ? {
                  Test: strings(hc.tests),
                  Interval: durationNs(hc.interval) ?? 0,
                  Timeout: durationNs(hc.timeout) ?? 0,
                  StartPeriod: durationNs(hc.startPeriod) ?? 0,
                  Retries: num(hc.retries) ?? 0,
              }
            : undefined;
    const memory = num(inputs.memory);
    const memoryReservation = num(inputs.memoryReservation);
    const memorySwap = num(inputs.memorySwap);
    const cpus = str(inputs.cpus);
    const hostConfig: Docker.HostConfig = {
        RestartPolicy: { Name: str(inputs.restart) ?? "no", MaximumRetryCount: num(inputs.maxRetryCount) ?? 0 },
        PortBindings: bindings,
        LogConfig: { Type: str(inputs.logDriver) ?? "json-file", Config: record(inputs.logOpts) },
        ...(networks.length > 0 ? { NetworkMode: String(networks[0].name) } : {}),
        ...(cpus !== undefined ? { NanoCpus: Math.round(Number(cpus) * 1e9) } : {}),
        ...(memory !== undefined ? { Memory: memory * MB } : {}),
        ...(memoryReservation !== undefined ? { MemoryReservation: memoryReservation * MB } : {}),
        ...(memorySwap !== undefined ? { MemorySwap: memorySwap > 0 ? memorySwap * MB : memorySwap } : {}),
        ...(num(inputs.cpuShares) !== undefined ? { CpuShares: num(inputs.cpuShares) } : {}),
        ...(str(inputs.cpuSet) !== undefined ? { CpusetCpus: str(inputs.cpuSet) } : {}),
        ...(bool(inputs.init) !== undefined ? { Init: bool(inputs.init) } : {}),
        Ulimits: objects(inputs.ulimits).map((u) => ({
            Name: String(u.name),
            Soft: num(u.soft) ?? 0,
            Hard: num(u.hard) ?? 0,
        })),
    };
    const command = strings(inputs.command);
    const entrypoint = strings(inputs.entrypoints);
    return {
        name: str(inputs.name),
        Image: str(inputs.image),
        Hostname: str(inputs.hostname),
        User: str(inputs.user),
        WorkingDir: str(inputs.workingDir),
        Env: strings(inputs.envs),
        ...(command.length > 0 ? { Cmd: command } : {}),
        ...(entrypoint.length > 0 ? { Entrypoint: entrypoint } : {}),
        Labels: labels,
        ExposedPorts: exposed,
        ...(healthcheck ? { Healthcheck: healthcheck } : {}),
        ...(str(inputs.stopSignal) !== undefined ? { StopSignal: str(inputs.stopSignal) } : {}),
        ...(num(inputs.stopTimeout) !== undefined ? { StopTimeout: num(inputs.stopTimeout) } : {}),
        HostConfig: hostConfig,
        ...(networks.length > 0
            ? { NetworkingConfig: { EndpointsConfig: { [String(networks[0].name)]: endpointConfig(networks[0]) } } }
            : {}),
    };
}

function uploadEntries(inputs: JsonObject): TarEntry[] {
    return objects(inputs.uploads).map((u) => {
        const file = String(u.file);
        const content =
            u.contentBase64 !== undefined && u.contentBase64 !== null
                ? Buffer.from(String(u.contentBase64), "base64")
                : Buffer.from(str(u.content) ?? "", "utf8");
        const permissions = str(u.permissions);
        const mode = permissions ? parseInt(permissions, 8) : bool(u.executable) ? 0o744 : 0o644;
        return { name: file, content, mode };
    });
}

async function waitHealthy(container: Docker.Container, timeoutSeconds: number): Promise<void> {
    const deadline = Date.now() + timeoutSeconds * 1000;
    for (;;) {
        const info = await container.inspect();
        const health = info.State.Health;
        if (!health)
            throw new Error(`container ${container.id} has no healthcheck, cannot wait for it to become healthy`);
        if (health.Status === "healthy") return;
        if (Date.now() >= deadline) {
            const last = health.Log?.[health.Log.length - 1];
            throw new Error(
                `container ${container.id} failed to be in healthy state within ${timeoutSeconds}s` +
                    ` (status ${health.Status}, running ${info.State.Running}` +
                    `${last ? `, last check exit ${last.ExitCode}: ${last.Output.trim()}` : ""})`,
            );
        }
        await sleep(1000);
    }
}

async function waitRunning(container: Docker.Container, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const info = await container.inspect();
        if (info.State.Running) return;
        if (Date.now() >= deadline) {
            throw new Error(
                `container ${container.id} exited after creation, error was: ${info.State.Error || `exit code ${info.State.ExitCode}`}`,
            );
        }
        await sleep(500);
    }
}

async function readOutputs(container: Docker.Container, inputs: JsonObject): Promise<JsonObject> {
    const info = await container.inspect();
    const outputs: JsonObject = withDefaults(CONTAINER, inputs);
    outputs.hostname = info.Config.Hostname;
    outputs.networkDatas = Object.entries(info.NetworkSettings.Networks ?? {}).map(([networkName, n]) => ({
        networkName,
        ipAddress: n.IPAddress,
        ipPrefixLength: n.IPPrefixLen,
        gateway: n.Gateway,
        macAddress: n.MacAddress,
        globalIpv6Address: n.GlobalIPv6Address,
        globalIpv6PrefixLength: n.GlobalIPv6PrefixLen,
        ipv6Gateway: n.IPv6Gateway,
    }));
    const published = (info.NetworkSettings.Ports ?? {}) as Record<
        string,
        Array<{ HostIp: string; HostPort: string }> | null
    >;
    outputs.ports = objects(inputs.ports).map((p) => {
        const protocol = str(p.protocol) ?? "tcp";
        const ip = str(p.ip) ?? "0.0.0.0";
        const bound = (published[`${num(p.internal)}/${protocol}`] ?? []).find((b) => b.HostIp === ip) ?? undefined;
        const external = num(p.external) ?? (bound ? Number(bound.HostPort) : undefined);
        const port: JsonObject = { internal: num(p.internal) ?? 0, ip, protocol };
        if (external !== undefined) port.external = external;
        return port;
    });
    if (!info.State.Running) outputs.exitCode = info.State.ExitCode as Json;
    return outputs;
}
