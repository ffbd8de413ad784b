/**
 * The names both platforms use: the project and the stack prefix every Docker object and AWS name starts with.
 * Each platform computes its own names from them in its naming home: local/names.ts, aws/names.ts.
 */
/** The Pulumi project (Pulumi.yaml `name`) and so the namespace of its config keys (`cloudlab:imageTag`). */
export const PROJECT = "cloudlab";

/** Names shared by every component of one stack; Docker objects carry the stack so two stacks can coexist. */
export interface StackNames {
    stack: string;
    /** Prefix of every Docker object of the stack: see {@link stackPrefix}. */
    prefix: string;
}

/**
 * `<project>-<stack>`, lowercased, with anything Docker does not allow in a name or label value replaced by
 * '-': the prefix of every Docker object and AWS name of a stack, and the `cloudlab.stack` label's value.
 */
export function stackPrefix(stack: string, project: string = PROJECT): string {
    return `${project}-${stack}`.toLowerCase().replace(/[^a-z0-9_.-]/g, "-");
}

/** Pure (no Pulumi SDK here, so scripts that only need names start fast): the program passes its project and stack. */
export function stackNames(project: string, stack: string): StackNames {
    return { stack, prefix: stackPrefix(stack, project) };
}
