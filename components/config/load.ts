import * as pulumi from "@pulumi/pulumi";
import { PROJECT } from "../shared/naming";
import { KEYS } from "./schema";
import { RawConfig, CloudlabConfig, validateConfig } from "./validate";

/** The project's config namespace: Pulumi.yaml's project name. */
export const NAMESPACE = PROJECT;

/**
 * Reads every `cloudlab:*` key the stack sets (including keys we do not know, so a typo is reported, not
 * ignored) and validates them together. Called once, before any resource is declared.
 */
export function loadConfig(): CloudlabConfig {
    const config = new pulumi.Config(NAMESPACE);
    const raw: RawConfig = {};
    for (const fullKey of Object.keys(pulumi.runtime.allConfig())) {
        if (fullKey.startsWith(`${NAMESPACE}:`))
            raw[fullKey.slice(NAMESPACE.length + 1)] = config.get(fullKey.slice(NAMESPACE.length + 1));
    }
    for (const name of Object.keys(KEYS)) raw[name] = config.get(name);
    return validateConfig(raw);
}
