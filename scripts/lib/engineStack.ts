/**
 * The project's own program (components/stack.ts) as a local stack of its own, on ports and a subnet of its
 * own, brought up by engine/: the Pulumi engine through the Automation API when the CLI is installed, else the
 * docker engine stand-in. The bench's `--own-stack` and the system tests both run the program this way
 * (tests/support/localStack.ts adds what only tests need).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { nodeContainerName } from "../../components/local/names";
import { PROJECT, stackPrefix } from "../../components/shared/naming";
import { TestEngine, engineForTests } from "../../engine";
import { loopbackUrl } from "../../lib/loopback";
import { REPO } from "../../lib/repo";

/** Where a stack of its own publishes its ports and puts its network: away from a user's own `local` stack. */
export interface StackLayout {
    stack: string;
    lbPort: number;
    lbStatsPort: number;
    nodePortBase: number;
    subnet: string;
    /** The controller's API port; unset: the stack's default (controllerPort). */
    controllerPort?: number;
    /** Prometheus and Alertmanager on 127.0.0.1; by default the two ports after lbStatsPort. */
    prometheusPort?: number;
    alertmanagerPort?: number;
    /** cAdvisor on 127.0.0.1; by default the third port after lbStatsPort. */
    cadvisorPort?: number;
}

export class EngineStack {
    readonly engine: TestEngine;
    /** Prefix of the stack's Docker objects and value of their `cloudlab.stack` label. */
    readonly prefix: string;
    /** The engine's state and run logs (a fresh temporary directory). */
    readonly stateDir: string;

    constructor(readonly layout: StackLayout) {
        this.prefix = stackPrefix(layout.stack);
        this.stateDir = fs.mkdtempSync(path.join(os.tmpdir(), `${this.prefix}-`));
        this.engine = engineForTests({
            programModule: path.join(REPO, "components", "stack.ts"),
            stack: layout.stack,
            project: PROJECT,
            stateDir: this.stateDir,
            cwd: REPO,
        });
    }

    /** The stack's settings without the namespace: the layout on the local platform, then `extra`. */
    settings(extra: Record<string, string> = {}): Record<string, string> {
        return {
            platform: "local",
            lbPort: String(this.layout.lbPort),
            lbStatsPort: String(this.layout.lbStatsPort),
            nodePortBase: String(this.layout.nodePortBase),
            subnet: this.layout.subnet,
            ...(this.layout.controllerPort !== undefined ? { controllerPort: String(this.layout.controllerPort) } : {}),
            prometheusPort: String(this.prometheusPort),
            alertmanagerPort: String(this.alertmanagerPort),
            cadvisorPort: String(this.cadvisorPort),
            ...extra,
        };
    }

    /** {@link settings} as the engine takes them: `cloudlab:<key>` -> value. */
    config(extra: Record<string, string> = {}): Record<string, string> {
        return Object.fromEntries(Object.entries(this.settings(extra)).map(([k, v]) => [`${PROJECT}:${k}`, v]));
    }

    get prometheusPort(): number {
        return this.layout.prometheusPort ?? this.layout.lbStatsPort + 1;
    }

    get alertmanagerPort(): number {
        return this.layout.alertmanagerPort ?? this.layout.lbStatsPort + 2;
    }

    get cadvisorPort(): number {
        return this.layout.cadvisorPort ?? this.layout.lbStatsPort + 3;
    }

    get cadvisorUrl(): string {
        return loopbackUrl(this.cadvisorPort);
    }

    get prometheusUrl(): string {
        return loopbackUrl(this.prometheusPort);
    }

    get alertmanagerUrl(): string {
        return loopbackUrl(this.alertmanagerPort);
    }

    get balancerUrl(): string {
        return loopbackUrl(this.layout.lbPort);
    }

    get statsUrl(): string {
        return loopbackUrl(this.layout.lbStatsPort, "/stats");
    }

    nodeUrl(index: number): string {
        return loopbackUrl(this.layout.nodePortBase + index - 1);
    }

    containerName(node: string): string {
        return nodeContainerName(this.prefix, node);
    }
}
