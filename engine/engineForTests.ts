/**
 * Picks the engine a system test runs on: the real Pulumi engine (Automation API) when the `pulumi` CLI
 * works, else the docker test engine. CLOUDLAB_TEST_ENGINE=docker-test-engine|pulumi-automation forces one.
 * Tests should print `engine.kind` so a log always says which one ran.
 */
import { execFileSync } from "child_process";
import { AutomationEngine } from "./automationEngine";
import { MockEngine } from "./mockEngine";
import { EngineKind, EngineOptions, TestEngine } from "./testEngine";

let cliAvailable: boolean | undefined;

/** True when `pulumi version` runs (cached). */
export function pulumiCliAvailable(): boolean {
    if (cliAvailable === undefined) {
        try {
            execFileSync("pulumi", ["version"], { stdio: "ignore", timeout: 30_000 });
            cliAvailable = true;
        } catch {
            cliAvailable = false;
        }
    }
    return cliAvailable;
}

export function engineForTests(options: EngineOptions, prefer?: EngineKind): TestEngine {
    const forced = prefer ?? (process.env.CLOUDLAB_TEST_ENGINE as EngineKind | undefined);
    if (forced && forced !== "docker-test-engine" && forced !== "pulumi-automation") {
        throw new Error(`CLOUDLAB_TEST_ENGINE must be docker-test-engine or pulumi-automation, not ${String(forced)}`);
    }
    const kind: EngineKind = forced ?? (pulumiCliAvailable() ? "pulumi-automation" : "docker-test-engine");
    return kind === "pulumi-automation" ? new AutomationEngine(options) : new MockEngine(options);
}
