/**
 * The resource monitor the Pulumi SDK talks to under the docker test engine: a subclass of the SDK's own
 * MockMonitor (installed with setMockOptions, like setMocks does) that receives every RegisterResource request
 * whole - options included - and hands it to the Deployment, which does the real Docker work.
 * Anything the engine does not model (explicit providers, imports, aliases, transforms, invokes, Resource.get,
 * custom timeouts, hooks, ...) fails the run with "docker test engine: ... is not supported".
 */
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import * as path from "path";
import { Deployment, Registration } from "./deployment";
import { loadProviderPackage, providerVersionProblem } from "./providerVersions";
import { unsupported } from "./resourceTypes";
import { JsonObject } from "./types";
import { errorMessage, isObject, unwrapWire } from "./values";

/* eslint-disable @typescript-eslint/no-require-imports */
// The SDK's generated protobuf modules have no type declarations.
const resproto: any = require("@pulumi/pulumi/proto/resource_pb");
// The Struct class of the SDK's own copy of google-protobuf.
const structproto: any = require(
    require.resolve("google-protobuf/google/protobuf/struct_pb", {
        paths: [path.dirname(require.resolve("@pulumi/pulumi"))],
    }),
);

type Callback = (err: any, response: any) => void;

export class EngineMonitor extends MockMonitor {
    /** Provider packages already checked (package name -> problem, "" when none). */
    private readonly versionChecks = new Map<string, string>();

    constructor(
        private readonly deployment: Deployment,
        private readonly project: string,
        private readonly stack: string,
        /** Where the program resolves its @pulumi/* packages from (its directory). */
        private readonly programDir: string = process.cwd(),
    ) {
        super({
            call: () => {
                throw unsupported("invokes (provider functions)");
            },
            newResource: () => {
                throw new Error("docker test engine: internal error: MockMonitor.newResource must not be reached");
            },
        });
    }

    override async registerResource(req: any, callback: Callback): Promise<void> {
        let reg: Registration;
        try {
            reg = this.decode(req);
        } catch (e) {
            const urn = this.urn(req.getParent(), req.getType(), req.getName());
            callback(this.deployment.fail(urn, e), undefined);
            return;
        }
        try {
            const result = await this.deployment.register(reg);
            const response = new resproto.RegisterResourceResponse();
            response.setUrn(reg.urn);
            response.setId(result.id);
            response.setObject(structproto.Struct.fromJavaScript(result.outputs));
            callback(null, response);
        } catch (e) {
            callback(e instanceof Error ? e : new Error(errorMessage(e)), undefined);
        }
    }

    override registerResourceOutputs(req: any, callback: Callback): void {
        const outputs = req.getOutputs()?.toJavaScript() ?? {};
        this.deployment.registerOutputs(req.getUrn(), isObject(outputs) ? (outputs as JsonObject) : {});
        callback(null, {});
    }

    override async invoke(req: any, callback: Callback): Promise<void> {
        callback(this.deployment.fail("", unsupported(`invoke ${req.getTok()}`)), undefined);
    }

    override async readResource(req: any, callback: Callback): Promise<void> {
        callback(
            this.deployment.fail("", unsupported(`reading an existing resource (${req.getType()}.get)`)),
            undefined,
        );
    }

    registerStackTransform(_req: any, callback: Callback): void {
        callback(this.deployment.fail("", unsupported("stack transforms")), undefined);
    }

    registerStackInvokeTransform(_req: any, callback: Callback): void {
        callback(this.deployment.fail("", unsupported("stack invoke transforms")), undefined);
    }

    /**
     * Advertise only what the engine implements, so the SDK itself refuses transforms, deletedWith, hooks, ...
     * (newer SDKs ask getDeploymentInfo, 3.248 asks supportsFeature; the transform methods exist for newer SDKs).
     */
    getDeploymentInfo(_req: any, callback: Callback): void {
        const response = new resproto.DeploymentInfo();
        response.setSupportedfeaturesList([resproto.ResourceMonitorFeature.RESOURCE_MONITOR_FEATURE_SECRETS]);
        callback(null, response);
    }

    override supportsFeature(req: any, callback: Callback): void {
        const hasSupport = req.getId() === "secrets";
        callback(null, { getHassupport: () => hasSupport });
    }

    /** Same URN scheme as the engine (and MockMonitor): parent type chain joined with "$". */
    urn(parent: string, type: string, name: string): string {
        let qualified = type;
        if (parent) {
            const parentType = parent.split("::")[2].split("$").pop();
            qualified = `${parentType}$${type}`;
        }
        return `urn:pulumi:${this.stack}::${this.project}::${qualified}::${name}`;
    }

    /** See providerVersions.ts: the version the registration asks for must be the package's pulumi.version. */
    private checkProviderVersion(type: string, requested: string): void {
        const pkg = type.split(":")[0];
        const key = `${pkg}@${requested}`;
        let problem = this.versionChecks.get(key);
        if (problem === undefined) {
            const found = loadProviderPackage(pkg, this.programDir);
            problem = providerVersionProblem(pkg, requested, found.json, found.where) ?? "";
            this.versionChecks.set(key, problem);
        }
        if (problem) throw new Error(`docker test engine: ${type}: ${problem}`);
    }

    private decode(req: any): Registration {
        const type: string = req.getType();
        const name: string = req.getName();
        const parent: string = req.getParent();
        const what = `${type} ${name}:`;
        if (req.getProvider()) throw unsupported(`${what} option provider (explicit provider resources)`);
        if (req.getImportid()) throw unsupported(`${what} option import`);
        if (req.getRemote()) throw unsupported(`${what} multi-language (remote) components`);
        if (req.getAliasesList().length > 0 || req.getAliasurnsList().length > 0)
            throw unsupported(`${what} option aliases`);
        if (req.getDeletedwith()) throw unsupported(`${what} option deletedWith`);
        if (req.getReplaceWithList().length > 0) throw unsupported(`${what} option replaceWith`);
        if (req.hasReplacementTrigger()) throw unsupported(`${what} option replacementTrigger`);
        if (req.getTransformsList().length > 0) throw unsupported(`${what} option transforms`);
        const timeouts = req.getCustomtimeouts();
        if (timeouts && (timeouts.getCreate() || timeouts.getUpdate() || timeouts.getDelete() || timeouts.getRead())) {
            throw unsupported(`${what} option customTimeouts`);
        }
        const hooks = req.getHooks();
        if (
            hooks &&
            [
                hooks.getBeforeCreateList(),
                hooks.getAfterCreateList(),
                hooks.getBeforeUpdateList(),
                hooks.getAfterUpdateList(),
                hooks.getBeforeDeleteList(),
                hooks.getAfterDeleteList(),
                hooks.getOnErrorList(),
            ].some((l: unknown[]) => l.length > 0)
        ) {
            throw unsupported(`${what} option hooks`);
        }

        if (req.getCustom()) this.checkProviderVersion(type, req.getVersion());

        const raw = req.getObject()?.toJavaScript() ?? {};
        const inputs: JsonObject = {};
        const secretKeys: string[] = [];
        for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
            if (value === undefined) continue;
            const plain = unwrapWire(value, `${type}.${key}`);
            inputs[key] = plain.value;
            if (plain.secret) secretKeys.push(key);
        }
        const propertyDependencies: Record<string, string[]> = {};
        req.getPropertydependenciesMap().forEach((deps: any, key: string) => {
            const urns: string[] = deps.getUrnsList();
            if (urns.length > 0) propertyDependencies[key] = [...urns].sort();
        });
        return {
            urn: this.urn(parent, type, name),
            type,
            name,
            parent,
            custom: req.getCustom(),
            inputs,
            secretKeys,
            dependencies: [...new Set<string>(req.getDependenciesList())].sort(),
            propertyDependencies,
            deleteBeforeReplace: req.getDeletebeforereplace(),
            deleteBeforeReplaceDefined: req.getDeletebeforereplacedefined(),
            replaceOnChanges: req.getReplaceonchangesList(),
            ignoreChanges: req.getIgnorechangesList(),
            protect: req.hasProtect() ? req.getProtect() : false,
            retainOnDelete: req.hasRetainondelete() ? req.getRetainondelete() : false,
            additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
        };
    }
}
