/**
 * `node cli/engineEnv.ts`: the engine chosen once (cli/engineChoice.ts), printed as KEY=value lines for a script
 * to export: scripts/up.sh runs cli/main.ts several times, and each would otherwise look for a CLI again.
 * On the built-in engine, why and the label go to stderr here, once for the whole run.
 */
import { builtinAnnouncement, chooseEngine, decisionEnv } from "./engineChoice";
import { runEntry } from "./errors";

runEntry(async () => {
    const decision = await chooseEngine(process.env);
    if (decision.mode === "builtin") for (const line of builtinAnnouncement(decision, process.env)) console.error(line);
    for (const [key, value] of Object.entries(decisionEnv(decision))) console.log(`${key}=${value}`);
    return 0;
});
