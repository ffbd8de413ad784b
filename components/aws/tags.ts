import { StackNames } from "../shared/naming";

/** Tags on every AWS resource of the stack: what a user filters on in the console or in Cost Explorer. */
export function awsTags(names: StackNames, extra: Record<string, string> = {}): Record<string, string> {
    return { "cloudlab:stack": names.prefix, ...extra };
}
