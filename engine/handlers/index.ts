/** Resource type token -> handler. Must list exactly the types of resourceTypes.ts. */
import { CONTAINER, LOCAL_COMMAND, NETWORK, RANDOM_PASSWORD, REMOTE_IMAGE, unsupported } from "../resourceTypes";
import { ContainerHandler } from "./containerHandler";
import { ResourceHandler } from "./handler";
import { LocalCommandHandler } from "./localCommandHandler";
import { NetworkHandler } from "./networkHandler";
import { RandomPasswordHandler } from "./randomPasswordHandler";
import { RemoteImageHandler } from "./remoteImageHandler";

const HANDLERS: Record<string, ResourceHandler> = {
    [CONTAINER]: new ContainerHandler(),
    [NETWORK]: new NetworkHandler(),
    [REMOTE_IMAGE]: new RemoteImageHandler(),
    [LOCAL_COMMAND]: new LocalCommandHandler(),
    [RANDOM_PASSWORD]: new RandomPasswordHandler(),
};

export function handlerFor(type: string): ResourceHandler {
    const handler = HANDLERS[type];
    if (!handler) throw unsupported(type);
    return handler;
}
