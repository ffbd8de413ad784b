/**
 * Picks the engine a system test runs on: the real Pulumi engine (Automation API) when a `pulumi` on PATH
 * works, else the docker test engine (a suite that wants the real CLI built from Go modules asks for it by kind). CLOUDLAB_TEST_ENGINE=docker-test-engine|pulumi-automation forces one.
 * Tests should print `engine.kind` so a log always says which one ran.
 */
import { AutomationEngine } from "./automationEngine";
import { MockEngine } from "./mockEngine";
import { pulumiOnPath } from "./realPulumi";
import { EngineKind, EngineOptions, TestEngine } from "./testEngine";

/** The engine a suite runs on: CLOUDLAB_TEST_ENGINE or `prefer` when set, else the real one when a `pulumi` is on PATH. */
export function testEngineKind(prefer?: EngineKind): EngineKind {
    const forced = prefer ?? (process.env.CLOUDLAB_TEST_ENGINE as EngineKind | undefined);
    if (forced && forced !== "docker-test-engine" && forced !== "pulumi-automation") {
        throw new Error(`CLOUDLAB_TEST_ENGINE must be docker-test-engine or pulumi-automation, not ${String(forced)}`);
    }
    return forced ?? (pulumiOnPath() ? "pulumi-automation" : "docker-test-engine");
}

export function engineForTests(options: EngineOptions, prefer?: EngineKind): TestEngine {
    return testEngineKind(prefer) === "pulumi-automation" ? new AutomationEngine(options) : new MockEngine(options);
}
