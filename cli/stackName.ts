/**
 * What a stack may be called, checked before the name reaches a file name (Pulumi.<stack>.yaml,
 * .cloudlab/builtin/<stack>.state.json) or a CLI: Pulumi's rule (sdk/go/common/tokens/stack_name.go
 * ParseStackName: letters, digits, `-`, `_`, `.`; not empty; at most 100), and, stricter, not `.` or `..`.
 */
import { CliError } from "./errors";

const STACK_NAME = /^[A-Za-z0-9_.-]{1,100}$/;

/** The name, or a CliError naming it. */
export function checkedStackName(stack: string): string {
    if (!STACK_NAME.test(stack) || stack === "." || stack === "..") {
        throw new CliError(
            `'${stack}' is not a stack name: letters, digits, '-', '_' and '.' only, at most 100, not '.' or '..'`,
        );
    }
    return stack;
}
