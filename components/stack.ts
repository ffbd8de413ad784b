import { AwsStackOutputs, defineAwsStack } from "./aws/stack";
import { loadConfig } from "./config/load";
import { LocalStackOutputs, defineLocalStack } from "./local/stack";
import * as pulumi from "@pulumi/pulumi";
import { stackNames } from "./shared/naming";

/** What `pulumi stack output` shows: each platform's own outputs, and none that the platform lacks. */
export type StackOutputs = LocalStackOutputs | AwsStackOutputs;

/**
 * The whole program: validates config first (nothing is declared when it is wrong), then composes the four
 * components of the stack's platform. A function, not top-level code, so tests can run it again with other config.
 */
export function defineStack(): StackOutputs {
    const config = loadConfig();
    const names = stackNames(pulumi.getProject(), pulumi.getStack());
    return config.platform === "aws" ? defineAwsStack(config, names) : defineLocalStack(config, names);
}
