/**
 * docker test engine: a Docker-backed stand-in for the Pulumi engine, for the system tests and the bench's own
 * stack (see README.md).
 */
export { AutomationEngine } from "./automationEngine";
export { diffResource, applyIgnoreChanges } from "./diff";
export type { DiffKind, DiffOptions, DiffOutcome } from "./diff";
export { docker, dockerAvailable, removeDockerObjects } from "./dockerClient";
export { engineForTests, testEngineKind } from "./engineForTests";
export { BUILT_PULUMI_BIN, builtPulumi, builtPulumiEnv, pulumiOnPath } from "./realPulumi";
export { MockEngine } from "./mockEngine";
export { SUPPORTED_TYPES } from "./resourceTypes";
export type { EngineKind, EngineOptions, FlatConfig, TestEngine } from "./testEngine";
export type { EngineEvent, ResourceState, RunResult, StateFile, StepOp, StepRecord, TimelineEvent } from "./types";
export { CANCELED, UNKNOWN_OUTPUT } from "./types";
