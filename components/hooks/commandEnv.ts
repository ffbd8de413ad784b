/**
 * The settings a local.Command hands a script in its environment (components/*): the named variables, all
 * required, and CLOUDLAB_TIMEOUT_SECONDS, a positive number. One error names every missing or bad variable.
 */
export function commandEnv<N extends string>(
    script: string,
    env: NodeJS.ProcessEnv,
    names: readonly N[],
): { values: Record<N, string>; timeoutSeconds: number } {
    const problems: string[] = [];
    const required = (name: string): string => {
        const value = env[name]?.trim() ?? "";
        if (!value) problems.push(`${name} is required`);
        return value;
    };
    const values = Object.fromEntries(names.map((name) => [name, required(name)])) as Record<N, string>;
    const timeout = required("CLOUDLAB_TIMEOUT_SECONDS");
    const timeoutSeconds = Number(timeout);
    if (timeout && !(Number.isFinite(timeoutSeconds) && timeoutSeconds > 0))
        problems.push(`CLOUDLAB_TIMEOUT_SECONDS must be a positive number of seconds, not ${JSON.stringify(timeout)}`);
    if (problems.length) throw new Error(`${script}: ${problems.join("; ")}`);
    return { values, timeoutSeconds };
}
