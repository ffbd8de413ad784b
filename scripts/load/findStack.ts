import type Docker from "dockerode";
import { LABELS } from "../../components/local/names";
import { ContainerDescription, StackTargets, discoverTargets } from "./targets";

/** A local stack's balancer and nodes, from its containers on this Docker engine (stopped ones included). */
export async function findStack(docker: Docker, prefix: string): Promise<StackTargets> {
    const containers = await docker.listContainers({ all: true, filters: { label: [`${LABELS.stack}=${prefix}`] } });
    return discoverTargets(prefix, containers as ContainerDescription[]);
}
