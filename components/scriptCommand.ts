/**
 * Local Commands run the project's TypeScript scripts with the project's own ts-node (Pulumi runs the program,
 * and so these commands, from the project directory).
 */
export function scriptCommand(script: string): string {
    return `node --require ts-node/register/transpile-only scripts/${script}`;
}
