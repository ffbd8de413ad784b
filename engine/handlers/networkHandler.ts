/**
 * docker.Network as terraform-provider-docker v4.5.0 does it (internal/provider/resource_docker_network_funcs.go):
 * every input forces a new network (CheckDuplicate on create, so a second network with the same name fails like
 * it does with the real provider); create ends with a Read (the state holds what Docker reports); delete retries
 * while containers are still being detached.
 */
import { sleep } from "../../lib/wait";
import { docker, dockerError, isNotFound } from "../dockerClient";
import Docker from "dockerode";
import { NETWORK, plannedState, withDefaults } from "../resourceTypes";
import { Json, JsonObject } from "../types";
import { CreateRequest, CreateResult, DeleteRequest, ReadRequest, ResourceHandler, UpdateRequest } from "./handler";
import { bool, objects, record, str } from "./inputs";

export class NetworkHandler implements ResourceHandler {
    async create(req: CreateRequest): Promise<CreateResult> {
        const inputs = req.inputs;
        const labels: Record<string, string> = {};
        for (const l of objects(inputs.labels)) labels[String(l.label)] = String(l.value);
        const name = String(inputs.name ?? req.name);
        let id: string;
        try {
            // resourceDockerNetworkCreate: only what is set (d.GetOk), ipam_driver's Default "default" always.
            const network = await docker().createNetwork({
                Name: name,
                // The Docker client sets CheckDuplicate for API < 1.44; newer daemons always refuse a duplicate.
                CheckDuplicate: true,
                ...(str(inputs.driver) ? { Driver: str(inputs.driver) } : {}),
                ...(bool(inputs.internal) ? { Internal: true } : {}),
                ...(bool(inputs.attachable) ? { Attachable: true } : {}),
                Labels: labels,
                Options: record(inputs.options),
                IPAM: {
                    Driver: "default",
                    Config: objects(inputs.ipamConfigs).map((c) => ({
                        ...(str(c.subnet) ? { Subnet: str(c.subnet) } : {}),
                        ...(str(c.gateway) ? { Gateway: str(c.gateway) } : {}),
                        ...(str(c.ipRange) ? { IPRange: str(c.ipRange) } : {}),
                    })),
                },
            });
            id = network.id;
        } catch (e) {
            throw new Error(`Unable to create network: ${dockerError(e)}`);
        }
        // Create ends with resourceDockerNetworkRead.
        const outputs = await this.read({
            urn: req.urn,
            name: req.name,
            id,
            inputs,
            outputs: withDefaults(NETWORK, inputs),
        });
        if (!outputs) throw new Error(`network ${name} (${id}) vanished right after its create`);
        return { id, outputs };
    }

    async update(req: UpdateRequest): Promise<JsonObject> {
        // Every Network input is ForceNew and the resource has no Update: only state-only changes get here.
        return plannedState(NETWORK, req.oldOutputs, req.newInputs);
    }

    /** resourceDockerNetworkReadRefreshFunc: inspect fails -> d.SetId("") (gone); else the fields Docker reports. */
    async read(req: ReadRequest): Promise<JsonObject | undefined> {
        let info: Docker.NetworkInspectInfo;
        try {
            info = await docker().getNetwork(req.id).inspect();
        } catch {
            return undefined;
        }
        const outputs: JsonObject = { ...req.outputs };
        outputs.name = info.Name;
        outputs.labels = Object.entries(info.Labels ?? {})
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([label, value]) => ({ label, value }));
        outputs.driver = info.Driver;
        outputs.internal = info.Internal ?? false;
        outputs.attachable = info.Attachable ?? false;
        outputs.ipamDriver = info.IPAM?.Driver ?? "default";
        outputs.options = (info.Options ?? {}) as Json;
        outputs.scope = info.Scope;
        // flattenIpamConfigSpec: subnet, ip_range, gateway when non-empty.
        outputs.ipamConfigs = (info.IPAM?.Config ?? []).map((c) => {
            const out: JsonObject = {};
            if (c.Subnet) out.subnet = c.Subnet;
            if (c.IPRange) out.ipRange = c.IPRange;
            if (c.Gateway) out.gateway = c.Gateway;
            return out;
        });
        return outputs;
    }

    async delete(req: DeleteRequest): Promise<void> {
        const deadline = Date.now() + 30_000;
        for (;;) {
            try {
                await docker().getNetwork(req.id).remove();
                return;
            } catch (e) {
                if (isNotFound(e)) return;
                const message = dockerError(e);
                if (!/active endpoints/i.test(message) || Date.now() > deadline) {
                    throw new Error(`Error deleting network ${req.id}: ${message}`);
                }
                await sleep(500);
            }
        }
    }
}
