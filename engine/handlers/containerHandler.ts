/**
 * docker.Container, the way terraform-provider-docker v4.5.0 (wrapped by pulumi-docker 5.x) does it
 * (internal/provider/resource_docker_container_funcs.go): create on network_mode "bridge", disconnect it and
 * connect every networksAdvanced -> uploads (tar at "/") -> start -> only then wait for "healthy" (1 s polls,
 * waitTimeout) -> (stricter) must be running -> the Read, whose values the state keeps (containerReadBack);
 * update in place only through ContainerUpdate (restart, cpu, memory) plus a start when mustRun went back to
 * true - a healthcheck, start or init change is accepted but Docker never sees it, as with the real provider -
 * and no read-back after it; delete = stop (destroyGraceSeconds) + force remove (removeVolumes) + wait until gone.
 */
import Docker from "dockerode";
import { sleep } from "../../lib/wait";
import { docker, dockerError, isNotFound } from "../dockerClient";
import { CONTAINER, plannedState, withDefaults } from "../resourceTypes";
import { tarArchive, TarEntry } from "../tarArchive";
import { Json, JsonObject } from "../types";
import { errorMessage } from "../values";
import {
    CreateRequest,
    CreateResult,
    DeleteRequest,
    PartialCreateError,
    ReadRequest,
    ResourceHandler,
    UpdateRequest,
} from "./handler";
import { goDuration, nanoCpusToDecimalString, parseCpus } from "./goFormat";
import { bool, durationNs, num, objects, record, str, strings } from "./inputs";

const MB = 1024 * 1024;
/** resourceDockerContainerUpdate's attrs: a change of one of these sends ContainerUpdate; the rest is state only. */
const UPDATED_THROUGH_DOCKER = [
    "restart",
    "maxRetryCount",
    "cpuShares",
    "memory",
    "memoryReservation",
    "cpuSet",
    "memorySwap",
];

/**
 * Refusals before anything exists. Each is the provider's behaviour made loud (stricter than the provider where
 * the provider would silently do something else), citing terraform-provider-docker v4.5.0
 * internal/provider/resource_docker_container_funcs.go.
 */
export function containerCreateProblem(inputs: JsonObject): string | undefined {
    if (Object.keys(record(inputs.logOpts)).length > 0 && str(inputs.logDriver) === undefined) {
        // Create sends LogConfig.Type = log_driver, "" when unset (no Default in the schema): the daemon's default
        // driver gets the options, and a journald, syslog or local default rejects max-size / max-file.
        return (
            "logOpts without logDriver: the provider sends the options to the daemon's default log driver, and a " +
            'daemon whose default log driver is not json-file rejects them ("unknown log opt"); name the driver, ' +
            'e.g. logDriver: "json-file" (docker test engine: refused on any daemon, stricter than the provider)'
        );
    }
    if ((bool(inputs.wait) ?? false) && !(bool(inputs.start) ?? true)) {
        // The health wait sits inside `if d.Get("start")`: wait on a container that is not started is ignored.
        return (
            "wait without start: the provider waits for health only after starting the container, so this wait " +
            "would be silently skipped (docker test engine: refused, stricter than the provider)"
        );
    }
    return undefined;
}

export class ContainerHandler implements ResourceHandler {
    async create(req: CreateRequest): Promise<CreateResult> {
        const inputs = req.inputs;
        const problem = containerCreateProblem(inputs);
        if (problem) throw new Error(problem);
        const networks = objects(inputs.networksAdvanced);
        let container: Docker.Container;
        try {
            container = await docker().createContainer(createOptions(inputs));
        } catch (e) {
            throw new Error(`Unable to create container: ${dockerError(e)}`);
        }
        const id = container.id;
        try {
            if (networks.length > 0) {
                // Created on network_mode "bridge" (its Default), then moved: disconnect bridge, connect each one.
                await docker()
                    .getNetwork("bridge")
                    .disconnect({ Container: id, Force: false })
                    .catch((e: unknown) => {
                        const message = dockerError(e);
                        if (!/is not connected to the network bridge|not connected/i.test(message))
                            throw new Error(`Unable to disconnect the default network: ${message}`);
                    });
            }
            for (const network of networks) {
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
                // Only after a start, as the provider does (containerCreateProblem refuses wait without start).
                if (bool(inputs.wait) ?? false) {
                    req.status?.("waiting for the container to be healthy");
                    await waitHealthy(container, num(inputs.waitTimeout) ?? 60);
                }
                // STRICTER than v4.x, which no longer checks that the container runs after create (#841): a
                // container that exited fails here instead of being recorded with must_run=false.
                if (bool(inputs.mustRun) ?? true) {
                    await waitRunning(container, num(inputs.containerReadRefreshTimeoutMilliseconds) ?? 15000);
                }
            }
            // Create ends with resourceDockerContainerRead: the state holds what Docker reports.
            return { id, outputs: containerReadBack(await container.inspect(), withDefaults(CONTAINER, inputs)) };
        } catch (e) {
            const planned = withDefaults(CONTAINER, inputs);
            const outputs = await container
                .inspect()
                .then((info) => containerReadBack(info, planned))
                .catch(() => planned);
            throw new PartialCreateError(errorMessage(e), id, outputs);
        }
    }

    async update(req: UpdateRequest): Promise<JsonObject> {
        const inputs = req.newInputs;
        const old = req.oldOutputs;
        // must_run false -> true (a refresh saw the container stopped): start it again, if start is set.
        if ((bool(old.mustRun) ?? true) === false && (bool(inputs.mustRun) ?? true) && (bool(inputs.start) ?? true)) {
            try {
                await docker().getContainer(req.id).start();
            } catch (e) {
                if ((e as { statusCode?: number }).statusCode !== 304)
                    throw new Error(`Unable to start container: ${dockerError(e)}`);
            }
        }
        if (req.changed.some((k) => UPDATED_THROUGH_DOCKER.includes(k))) {
            const memorySwap = num(inputs.memorySwap);
            const update = {
                RestartPolicy: { Name: str(inputs.restart) ?? "no", MaximumRetryCount: num(inputs.maxRetryCount) ?? 0 },
                CpuShares: num(inputs.cpuShares) ?? 0,
                Memory: (num(inputs.memory) ?? 0) * MB,
                MemoryReservation: (num(inputs.memoryReservation) ?? 0) * MB,
                CpusetCpus: str(inputs.cpuSet) ?? "",
                // d.GetOk("memory_swap"): only a non-zero value is sent; Docker then keeps its current swap limit.
                ...(memorySwap ? { MemorySwap: memorySwap > 0 ? memorySwap * MB : memorySwap } : {}),
            };
            try {
                await docker().getContainer(req.id).update(update);
            } catch (e) {
                throw new Error(`Unable to update a container: ${dockerError(e)}`);
            }
        }
        // Update does not read back (it ends with `return nil`): the state is the planned one.
        return plannedState(CONTAINER, old, inputs);
    }

    async read(req: ReadRequest): Promise<JsonObject | undefined> {
        // fetchDockerContainer lists all containers and looks for the id: not there -> d.SetId("").
        const all = await docker().listContainers({ all: true });
        if (!all.some((c) => c.Id === req.id)) return undefined;
        try {
            return containerReadBack(await docker().getContainer(req.id).inspect(), req.outputs);
        } catch (e) {
            if (isNotFound(e)) return undefined;
            throw e;
        }
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

/**
 * resourceDockerContainerRead (v4.5.0 resource_docker_container_funcs.go), for the properties the engine
 * supports: `state` is what the provider holds before the Read (the planned state at create, the stored outputs
 * at refresh); attributes the Read sets are overwritten with what Docker reports, the others stay.
 */
export function containerReadBack(info: Docker.ContainerInspectInfo, state: JsonObject): JsonObject {
    const out: JsonObject = { ...state };
    const running = info.State.Running;
    const configured = (v: Json | undefined): boolean =>
        v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0);
    const settings = info.NetworkSettings;
    if (settings) {
        // ports: from NetworkSettings.Ports, only when running or must_run, and only when configured.
        if ((running || (bool(out.mustRun) ?? true)) && configured(out.ports)) {
            out.ports = flattenContainerPorts(
                (settings.Ports ?? {}) as Record<string, Array<{ HostIp: string; HostPort: string }> | null>,
            );
        }
        out.networkDatas = Object.entries(settings.Networks ?? {}).map(([networkName, n]) => ({
            networkName,
            ipAddress: n.IPAddress,
            ipPrefixLength: n.IPPrefixLen,
            gateway: n.Gateway,
            macAddress: n.MacAddress,
            globalIpv6Address: n.GlobalIPv6Address,
            globalIpv6PrefixLength: n.GlobalIPv6PrefixLen,
            ipv6Gateway: n.IPv6Gateway,
        }));
    }
    if (!running) {
        out.exitCode = info.State.ExitCode as Json;
        // Stopped although must_run: the state says must_run=false, so the next up shows a diff and starts it.
        if (bool(out.mustRun) ?? true) out.mustRun = false;
    }
    const host = info.HostConfig;
    const config = info.Config;
    out.name = info.Name.replace(/^\/+/, "");
    out.image = (str(out.image) ?? "").startsWith("sha256:") ? info.Image : config.Image;
    out.hostname = config.Hostname;
    out.command = (config.Cmd ?? []) as Json;
    out.entrypoints = (config.Entrypoint ?? []) as Json;
    out.user = config.User ?? "";
    out.restart = host.RestartPolicy?.Name ?? "";
    out.maxRetryCount = host.RestartPolicy?.MaximumRetryCount ?? 0;
    out.init = (host as { Init?: boolean | null }).Init ?? false;
    out.workingDir = config.WorkingDir ?? "";
    if (configured(out.ulimits)) {
        out.ulimits = (host.Ulimits ?? []).map((u) => ({ name: u.Name ?? "", soft: u.Soft ?? 0, hard: u.Hard ?? 0 }));
    }
    out.memory = Math.trunc((host.Memory ?? 0) / MB);
    const reservation = host.MemoryReservation ?? 0;
    out.memoryReservation = reservation > 0 ? Math.trunc(reservation / MB) : reservation;
    const swap = host.MemorySwap ?? 0;
    out.memorySwap = swap > 0 ? Math.trunc(swap / MB) : swap;
    if ((host.NanoCpus ?? 0) > 0) out.cpus = nanoCpusToDecimalString(host.NanoCpus ?? 0);
    out.cpuShares = host.CpuShares ?? 0;
    out.cpuSet = host.CpusetCpus ?? "";
    out.logDriver = host.LogConfig?.Type ?? "";
    // containerLogOptsForState: read back only when configured.
    out.logOpts = configured(state.logOpts) ? ((host.LogConfig?.Config ?? {}) as Json) : null;
    const hc = config.Healthcheck as
        | {
              Test?: string[];
              Interval?: number;
              Timeout?: number;
              StartPeriod?: number;
              StartInterval?: number;
              Retries?: number;
          }
        | undefined;
    if (hc) {
        out.healthcheck = {
            tests: hc.Test ?? [],
            interval: goDuration(hc.Interval ?? 0),
            timeout: goDuration(hc.Timeout ?? 0),
            startPeriod: goDuration(hc.StartPeriod ?? 0),
            startInterval: goDuration(hc.StartInterval ?? 0),
            retries: hc.Retries ?? 0,
        };
    }
    out.stopSignal = (config as { StopSignal?: string }).StopSignal ?? "";
    out.stopTimeout = ((config as { StopTimeout?: number | null }).StopTimeout ?? null) as Json;
    return out;
}

/** resource_docker_container_structures.go flattenContainerPorts: sorted by internal port, one per binding. */
function flattenContainerPorts(ports: Record<string, Array<{ HostIp: string; HostPort: string }> | null>): Json {
    const keys = Object.keys(ports).sort((a, b) => Number(a.split("/")[0]) - Number(b.split("/")[0]));
    const out: JsonObject[] = [];
    for (const key of keys) {
        const [internal, protocol] = key.split("/");
        for (const binding of ports[key] ?? []) {
            out.push({
                internal: Number(internal),
                external: Number(binding.HostPort) || 0,
                ip: binding.HostIp,
                protocol,
            });
        }
    }
    return out;
}

function endpointConfig(network: JsonObject): Docker.EndpointSettings {
    const aliases = strings(network.aliases);
    const ipv4 = str(network.ipv4Address);
    return {
        ...(aliases.length > 0 ? { Aliases: aliases } : {}),
        ...(ipv4 ? { IPAMConfig: { IPv4Address: ipv4 } } : {}),
    };
}

/** The ContainerCreate request the provider sends for these inputs (exported for the engine's unit tests). */
export function createOptions(inputs: JsonObject): Docker.ContainerCreateOptions {
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
        // log_driver has no Default: "" lets the daemon pick its own default driver.
        LogConfig: { Type: str(inputs.logDriver) ?? "", Config: record(inputs.logOpts) },
        // network_mode's Default "bridge"; the networksAdvanced are connected after the create.
        NetworkMode: "bridge",
        ...(cpus !== undefined ? { NanoCpus: parseCpus(cpus) } : {}),
        ...(memory !== undefined ? { Memory: memory * MB } : {}),
        ...(memoryReservation !== undefined ? { MemoryReservation: memoryReservation * MB } : {}),
        ...(memorySwap !== undefined ? { MemorySwap: memorySwap > 0 ? memorySwap * MB : memorySwap } : {}),
        ...(num(inputs.cpuShares) !== undefined ? { CpuShares: num(inputs.cpuShares) } : {}),
        ...(str(inputs.cpuSet) !== undefined ? { CpusetCpus: str(inputs.cpuSet) } : {}),
        // `init := d.Get("init").(bool); hostConfig.Init = &init`: always sent, false when unset.
        Init: bool(inputs.init) ?? false,
        // volumeSetToDockerVolumes: host_path -> "<host>:<container>:rw|ro" (resourceTypes.ts refuses other kinds).
        ...(objects(inputs.volumes).length > 0
            ? {
                  Binds: objects(inputs.volumes).map(
                      (v) => `${str(v.hostPath)}:${str(v.containerPath)}:${bool(v.readOnly) ? "ro" : "rw"}`,
                  ),
              }
            : {}),
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
        // config.Volumes: every container_path of a volume entry.
        ...(objects(inputs.volumes).length > 0
            ? { Volumes: Object.fromEntries(objects(inputs.volumes).map((v) => [String(v.containerPath), {}])) }
            : {}),
        ...(healthcheck ? { Healthcheck: healthcheck } : {}),
        ...(str(inputs.stopSignal) !== undefined ? { StopSignal: str(inputs.stopSignal) } : {}),
        ...(num(inputs.stopTimeout) !== undefined ? { StopTimeout: num(inputs.stopTimeout) } : {}),
        HostConfig: hostConfig,
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
            throw new Error(
                "you have supplied a 'wait' argument, but the container does not have a healthcheck defined. " +
                    "Please remove the 'wait' argument or add a 'healthcheck' attribute",
            );
        if (health.Status === "healthy") return;
        if (Date.now() >= deadline) {
            const last = health.Log?.[health.Log.length - 1];
            throw new Error(
                `container failed to be in healthy state (${container.id}, within ${timeoutSeconds}s` +
                    ` (status ${health.Status}, running ${info.State.Running}` +
                    `${last ? `, last check exit ${last.ExitCode}: ${last.Output.trim()}` : ""}))`,
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
