/**
 * docker.Network as terraform-provider-docker does it: every input forces a new network (CheckDuplicate on
 * create, so a second network with the same name fails like it does with the real provider); delete retries
 * while containers are still being detached.
 */
import { sleep } from "../../scripts/lib/wait";
import { docker, dockerError, isNotFound } from "../dockerClient";
import { NETWORK, withDefaults } from "../resourceTypes";
import { JsonObject } from "../types";
import { CreateRequest, CreateResult, DeleteRequest, ResourceHandler, UpdateRequest } from "./handler";
import { bool, objects, record, str } from "./inputs";

export class NetworkHandler implements ResourceHandler {
    async create(req: CreateRequest): Promise<CreateResult> {
        const inputs = req.inputs;
        const labels: Record<string, string> = {};
        for (const l of objects(inputs.labels)) labels[String(l.label)] = String(l.value);
        let id: string;
        try {
            const network = await docker().createNetwork({
                Name: String(inputs.name ?? req.name),
                CheckDuplicate: true,
                Driver: str(inputs.driver) ?? "bridge",
                Internal: bool(inputs.internal) ?? false,
                Attachable: bool(inputs.attachable) ?? false,
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
            throw new Error(`failed to create network ${String(inputs.name ?? req.name)}: ${dockerError(e)}`);
        }
        const info = await docker().getNetwork(id).inspect();
        const outputs: JsonObject = withDefaults(NETWORK, inputs);
        outputs.name = info.Name;
        outputs.driver = info.Driver;
        outputs.scope = info.Scope;
        outputs.ipamDriver = info.IPAM?.Driver ?? "default";
        outputs.ipamConfigs = (info.IPAM?.Config ?? []).map((c) => {
            const out: JsonObject = {};
            if (c.Subnet) out.subnet = c.Subnet;
            if (c.Gateway) out.gateway = c.Gateway;
            if (c.IPRange) out.ipRange = c.IPRange;
            return out;
        });
        return { id, outputs };
    }

    async update(req: UpdateRequest): Promise<JsonObject> {
        // Every Network input is ForceNew: an update only ever carries state-only changes.
        return { ...req.oldOutputs, ...withDefaults(NETWORK, req.newInputs) };
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
