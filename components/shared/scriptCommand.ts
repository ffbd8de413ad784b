/**
 * Local Commands run the project's deploy-time hooks, TypeScript files in components/hooks/, with the project's own
 * ts-node (Pulumi runs the program, and so these commands, from the project directory). They sit beside the
 * components that run them, not in scripts/: they are part of the program, and the program imports nothing of
 * scripts/ (.dependency-cruiser.cjs).
 */
export const HOOKS_DIR = "components/hooks";

export function scriptCommand(script: string): string {
    return `node --require ts-node/register/transpile-only ${HOOKS_DIR}/${script}`;
}
