/**
 * The bench's figures compare loads against the same nodes: a controller that started a standby node in the
 * middle of small-nodes (its CPU alarm fires under exactly that load) made a later row look 1.3x faster than
 * direct-all. So every scenario but `scaling` (which measures the controller itself) runs with autoscaling
 * paused, and resumed after, as the sweep does; a controller the user had paused is left paused and untouched.
 */
import type Docker from "dockerode";
import { CONTROLLER_CONTAINER_PORT, LABELS } from "../../../components/naming";
import { ENV as CONTROLLER_ENV } from "../../../controller/src/settings";
import { loopbackUrl } from "../../lib/loopback";
import { envRecord } from "../stackConfig";
import { ContainerDescription, publishedPort } from "../targets";
import { ControllerClient, withAutoscalingPaused } from "../sweep/controller";
import type { ScenarioId } from "./flags";
import { waitFor } from "../../lib/wait";

/** How long a controller container that runs may take to answer its API. */
const CONTROLLER_ANSWER_TIMEOUT_MS = 60_000;

/** The running controller of stack `prefix`, with the token read from its container; undefined without one. */
export async function findController(docker: Docker, prefix: string): Promise<ControllerClient | undefined> {
    const [c] = await docker.listContainers({
        filters: { label: [`${LABELS.stack}=${prefix}`, `${LABELS.role}=controller`] },
    });
    if (!c) return undefined;
    const env = envRecord((await docker.getContainer(c.Id).inspect()).Config.Env);
    const port = publishedPort(c as ContainerDescription, CONTROLLER_CONTAINER_PORT);
    return new ControllerClient(loopbackUrl(port), env[CONTROLLER_ENV.token]);
}

export type PausableController = Pick<ControllerClient, "baseUrl" | "status" | "pause" | "resume">;

/** Runs scenario `id` with the node count held (autoscaling paused) unless it is `scaling` or there is no controller. */
export async function withNodesFixed<T>(
    id: ScenarioId,
    controller: PausableController | undefined,
    log: (msg: string) => void,
    run: () => Promise<T>,
): Promise<T> {
    if (!controller || id === "scaling") return run();
    // A controller just (re)started by an up answers within seconds; until then its port refuses.
    let paused = false;
    await waitFor(
        `the controller's API at ${controller.baseUrl}`,
        async () => ((paused = (await controller.status()).paused), true),
        CONTROLLER_ANSWER_TIMEOUT_MS,
        { everyMs: 500 },
    );
    if (paused) return run();
    return withAutoscalingPaused(controller, log, run);
}
