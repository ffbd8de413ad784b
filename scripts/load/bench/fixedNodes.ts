/**
 * The bench's figures compare loads against the same nodes: a controller that started a standby node in the
 * middle of small-nodes (its CPU alarm fires under exactly that load) made a later row look 1.3x faster than
 * direct-all. So autoscaling is paused for the whole run but the `scaling` scenario (which measures the
 * controller itself), as the sweep does, and resumed at the end. It is held across scenarios, not taken per
 * scenario: a check in a gap between two would average the load that just ended and scale out. A controller
 * the user had paused is left paused and untouched.
 */
import type Docker from "dockerode";
import { CONTROLLER_CONTAINER_PORT, LABELS, ROLES } from "../../../components/local/names";
import { ENV as CONTROLLER_ENV } from "../../../controller/src/settings";
import { loopbackUrl } from "../../../lib/loopback";
import { waitFor } from "../../../lib/wait";
import { envRecord } from "../stackConfig";
import { ContainerDescription, publishedPort } from "../targets";
import { ControllerClient } from "../sweep/controller";
import type { ScenarioId } from "./flags";

/** How long a controller container that runs may take to answer its API. */
const CONTROLLER_ANSWER_TIMEOUT_MS = 60_000;

/** The running controller of stack `prefix`, with the token read from its container; undefined without one. */
export async function findController(docker: Docker, prefix: string): Promise<ControllerClient | undefined> {
    const [c] = await docker.listContainers({
        filters: { label: [`${LABELS.stack}=${prefix}`, `${LABELS.role}=${ROLES.controller}`] },
    });
    if (!c) return undefined;
    const env = envRecord((await docker.getContainer(c.Id).inspect()).Config.Env);
    const port = publishedPort(c as ContainerDescription, CONTROLLER_CONTAINER_PORT);
    return new ControllerClient(loopbackUrl(port), env[CONTROLLER_ENV.token]);
}

export type PausableController = Pick<ControllerClient, "baseUrl" | "status" | "pause" | "resume">;

/** Holds autoscaling paused from the first scenario that needs it until {@link release}. */
export class AutoscalingHold {
    /** The controller this run paused (and must resume); undefined while it holds no pause. */
    private paused?: PausableController;
    /** What the report says about autoscaling during the rows. */
    readonly notes: string[] = [];

    constructor(
        /** Found again before each scenario: a deploy may have replaced the controller's container. */
        private readonly find: () => Promise<PausableController | undefined>,
        private readonly log: (msg: string) => void,
        private readonly signal?: AbortSignal,
    ) {}

    /** How to resume by hand, while this run holds a pause ("" otherwise): for an exit that skips {@link release}. */
    get resumeHint(): string {
        return this.paused
            ? `; autoscaling is still paused: curl -X POST -H "Authorization: Bearer $CLOUDLAB_CONTROLLER_TOKEN" ${this.paused.baseUrl}/resume`
            : "";
    }

    /** Before scenario `id`: autoscaling paused for every scenario but scaling, resumed for that one. */
    async before(id: ScenarioId): Promise<void> {
        if (id === "scaling") return this.release();
        const controller = await this.find();
        if (!controller) return;
        // A controller just (re)started by an up answers within seconds; until then its port refuses.
        let isPaused = false;
        await waitFor(
            `the controller's API at ${controller.baseUrl}`,
            async () => ((isPaused = (await controller.status()).paused), true),
            CONTROLLER_ANSWER_TIMEOUT_MS,
            { everyMs: 500, signal: this.signal },
        );
        if (isPaused) {
            if (!this.paused) this.note(`autoscaling found paused at ${controller.baseUrl}: left paused, not resumed`);
            return;
        }
        if (this.paused) this.note("the controller came back unpaused (its container was replaced): paused again");
        await controller.pause();
        this.paused = controller;
        this.log(`autoscaling paused (${controller.baseUrl})`);
    }

    /** Resumes the pause this run holds, if any (the end of the run, or before scaling). */
    async release(): Promise<void> {
        const c = this.paused;
        if (!c) return;
        this.paused = undefined;
        await c.resume();
        this.log("autoscaling resumed");
    }

    private note(msg: string): void {
        if (!this.notes.includes(msg)) this.notes.push(msg);
        this.log(msg);
    }
}
