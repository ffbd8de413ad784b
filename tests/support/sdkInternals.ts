/**
 * The one place the tests reach into @pulumi/pulumi beyond its public mocks API. `pulumi.runtime.setMocks` hands
 * `newResource` a resource's type, name and inputs only; the rolling-deploy contract lives in its resource
 * options (dependsOn, deleteBeforeReplace, ignoreChanges, ...), which only the RegisterResource request the SDK
 * sends its monitor carries. So this wraps the MockMonitor's registerResource and reads the request's generated
 * protobuf getters, and waits for the SDK's outstanding RPCs. None of that is public: an SDK upgrade may change
 * it, and every check here then fails naming the installed SDK version, not with an obscure TypeError.
 */
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";

/** The SDK version these internals were read from; a different installed one is only reported on a mismatch. */
export const WRITTEN_FOR = "3.248.0";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const INSTALLED: string = require("@pulumi/pulumi/package.json").version;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const settings: Record<string, unknown> = require("@pulumi/pulumi/runtime/settings");

/** The error for an internal the installed SDK no longer has as expected. */
export function sdkChanged(what: string, installed: string = INSTALLED): Error {
    return new Error(
        `tests/support/sdkInternals.ts: @pulumi/pulumi ${installed} no longer has ${what} ` +
            `(written against ${WRITTEN_FOR}); adapt tests/support/sdkInternals.ts to this SDK`,
    );
}

function settingsFunction(name: string): (...args: unknown[]) => unknown {
    const f = settings[name];
    if (typeof f !== "function") throw sdkChanged(`runtime/settings.${name}()`);
    return f as (...args: unknown[]) => unknown;
}

/** Resolves once every RPC the program started (registrations, invokes) has been answered. */
export function waitForRPCs(): Promise<void> {
    return settingsFunction("waitForRPCs")() as Promise<void>;
}

/** The getters of a RegisterResourceRequest (resource_pb.js) that {@link RegisterRequest} reads. */
export const REQUEST_GETTERS = [
    "getType",
    "getName",
    "getParent",
    "getDependenciesList",
    "getPropertydependenciesMap",
    "getDeletebeforereplacedefined",
    "getDeletebeforereplace",
    "getReplaceonchangesList",
    "getIgnorechangesList",
    "getAdditionalsecretoutputsList",
    "hasProtect",
    "getProtect",
    "hasRetainondelete",
    "getRetainondelete",
    "getDeletedwith",
] as const;

/** A RegisterResourceRequest as far as the tests read it (the generated class has no types). */
export type RegisterRequest = { [G in (typeof REQUEST_GETTERS)[number]]: (...args: never[]) => any };

/** The request, checked to have every getter the tests call. */
export function checkedRequest(req: unknown, installed: string = INSTALLED): RegisterRequest {
    for (const getter of REQUEST_GETTERS) {
        if (typeof (req as Record<string, unknown>)?.[getter] !== "function")
            throw sdkChanged(`RegisterResourceRequest.${getter}()`, installed);
    }
    return req as RegisterRequest;
}

/**
 * Checks, without running a program, that the installed SDK still has every internal this file uses: its
 * settings functions, MockMonitor.registerResource and the request's getters.
 */
export function checkInstalledSdk(): void {
    settingsFunction("waitForRPCs");
    settingsFunction("getMonitor");
    if (typeof MockMonitor.prototype.registerResource !== "function")
        throw sdkChanged("MockMonitor.registerResource()");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const proto: Record<string, new () => unknown> = require("@pulumi/pulumi/proto/resource_pb");
    if (typeof proto.RegisterResourceRequest !== "function")
        throw sdkChanged("proto/resource_pb.RegisterResourceRequest");
    checkedRequest(new proto.RegisterResourceRequest());
}

/**
 * Makes the MockMonitor that `setMocks` just installed call `onRequest` with each RegisterResource request
 * before it registers the resource. Call it after every `setMocks` (each installs a new monitor).
 */
export function interceptRegistrations(onRequest: (req: RegisterRequest) => void): void {
    const monitor = settingsFunction("getMonitor")();
    if (!(monitor instanceof MockMonitor)) throw sdkChanged("a MockMonitor installed by setMocks");
    if (typeof monitor.registerResource !== "function") throw sdkChanged("MockMonitor.registerResource()");
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: unknown, callback: (err: any, innerResponse: any) => void) => {
        onRequest(checkedRequest(req));
        return register(req, callback);
    };
}
