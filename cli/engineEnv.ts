/**
 * `node cli/engineEnv.ts`: the engine chosen once (cli/engineChoice.ts), printed as KEY=value lines for a script
 * to export: scripts/up.sh runs cli/main.ts several times, and each would otherwise look for a CLI again.
 * Why there is no CLI goes to stderr, once.
 */
import { chooseEngine, decisionEnv } from "./engineChoice";
import { runEntry } from "./errors";

runEntry(async () => {
    const decision = await chooseEngine(process.env);
    if (decision.mode === "builtin" && decision.notice) console.error(decision.notice);
    for (const [key, value] of Object.entries(decisionEnv(decision))) console.log(`${key}=${value}`);
    return 0;
});
