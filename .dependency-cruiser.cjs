/**
 * The project's layering, checked by `npm run lint:deps` (dependency-cruiser; `npm run lint` and `npm test` run it).
 * From the bottom up:
 *   lib/                          helpers that import nothing of ours (wait, log, repo, loopback)
 *   engine/                       the built-in engine: lib/ only
 *   index.ts, components/         the program, in four parts:
 *     config/ render/ shared/        what both platforms use: the config, pure renderers, the concept contracts
 *                                    (args, type token, the outputs both honour), platform-neutral naming, the
 *                                    stack outputs; none of it imports a platform, a hook or the stack
 *     local/ aws/                    one platform each: its components, helpers, naming home (names.ts) and stack
 *                                    composition (stack.ts); shared code only, never the other platform
 *     stack.ts                       the one module that imports both platforms (index.ts reaches them through it)
 *     hooks/                         the deploy-time hooks the components run as processes, never import; a hook
 *                                    imports shared code and lib/, not a platform (one named exception)
 *   cli/                          the verbs: the program's config and the engine
 *   scripts/                      user scripts: anything above
 *   tests/                        imported by nothing else
 *   app/src, controller/src, logsink/src   the services: each its own package and image, importing only itself;
 *                                  the program imports a few of their modules, named below, on purpose.
 * Every rule says why it is there; an exception names the files and says why.
 */

/** Modules the program shares with a service on purpose: one definition for both sides of a contract. */
const SHARED_SERVICE_MODULES = [
    // The app's environment (names, ranges, defaults) is what the program's config keys validate against.
    "^app/src/config\\.ts$",
    // How long a node may take to stop: the app's drain and the ASG lifecycle hook / docker stop timeout agree.
    "^app/src/drainBound\\.ts$",
    // The balancer's load timeout is parsed by the same code as the app's ?timeout= (one range, one message).
    "^app/src/parseLoadTimeout\\.ts$",
    // The CloudWatch alarm's CPU statistic is the one the controller decides on.
    "^controller/src/alarm\\.ts$",
    // The controller's settings (env names, bounds): the program writes the env the controller parses.
    "^controller/src/settings\\.ts$",
    // HAProxy's stats CSV, parsed alike by the controller and by the rolling-deploy gate (components/hooks/).
    "^controller/src/haproxyStats\\.ts$",
    // The access-log service's settings, report schedule and mail settings: the program writes what it parses.
    "^logsink/src/settings\\.ts$",
    "^logsink/src/schedule\\.ts$",
    "^logsink/src/report/mail\\.ts$",
];

/** The AWS rolling-deploy gate: the one hook that imports a platform's module (its rule says why). */
const ROLLOUT_GATE = "^components/hooks/wait-rollout\\.ts$";

module.exports = {
    forbidden: [
        {
            name: "no-circular",
            comment:
                "No import cycle that exists at run time: a cycle makes load order matter (a module sees another's " +
                "exports as undefined while both load) and ties the modules into one unit nobody can test alone.",
            severity: "error",
            from: {},
            to: { circular: true, viaOnly: { dependencyTypesNot: ["type-only"] } },
        },
        {
            name: "no-circular-types",
            comment:
                "No cycle through type-only imports either: they vanish at run time but still tie the modules " +
                "together (the AWS components' circle ended when their fixed names moved to components/aws/names.ts).",
            severity: "error",
            from: {},
            to: { circular: true },
        },
        {
            name: "tests-stay-in-tests",
            comment:
                "tests/ (suites, support, fixtures) is imported by tests only: the program, the engine, the " +
                "scripts and the services must not ship or depend on test code.",
            severity: "error",
            from: { pathNot: "^tests/" },
            to: { path: "^tests/" },
        },
        {
            name: "program-and-engine-without-scripts",
            comment:
                "scripts/ are user scripts on top of everything: the program (index.ts, components/, its " +
                "deploy-time hooks in components/hooks/) and the engine must run without them, so a script can " +
                "change without changing a deploy.",
            severity: "error",
            from: { path: "^(index\\.ts$|components/|engine/)" },
            to: { path: "^scripts/" },
        },
        {
            name: "lib-is-the-bottom",
            comment:
                "lib/ is the bottom layer (wait, log, repo root, loopback): it imports nothing of ours, so any " +
                "layer can use it without a cycle or a layering exception.",
            severity: "error",
            from: { path: "^lib/" },
            to: { dependencyTypes: ["local"], pathNot: "^lib/" },
        },
        {
            name: "engine-below-the-program",
            comment:
                "engine/ stands in for the Pulumi engine: it runs any program and so knows none of ours; it " +
                "imports only itself and lib/ (not the components, the cli, the scripts or the services).",
            severity: "error",
            from: { path: "^engine/" },
            to: { dependencyTypes: ["local"], pathNot: "^(engine|lib)/" },
        },
        {
            name: "cli-on-top-of-the-program",
            comment:
                "cli/ (the verbs) drives the program and the engine: neither may depend on it, or the program " +
                "would only run through our CLI and not through `pulumi`.",
            severity: "error",
            from: { path: "^(index\\.ts$|components/|engine/)" },
            to: { path: "^cli/" },
        },
        {
            name: "services-self-contained",
            comment:
                "app/, controller/ and logsink/ are packages of their own, built into images from their own " +
                "directory (the build context): a service imports only its own src/, never the root project " +
                "nor another service (the import would not be in the image).",
            severity: "error",
            from: { path: "^(app|controller|logsink)/src/" },
            to: { dependencyTypes: ["local"], pathNot: "^$1/src/" },
        },
        {
            name: "platforms-apart",
            comment:
                "components/local/ and components/aws/ never import each other: a platform's folder holds all of " +
                "its components, helpers and names, so a change to one platform cannot break the other, and what " +
                "both need belongs in the shared code (components/config/, render/, shared/).",
            severity: "error",
            from: { path: "^components/(local|aws)/" },
            to: { path: "^components/(local|aws)/", pathNot: "^components/$1/" },
        },
        {
            name: "shared-code-knows-no-platform",
            comment:
                "The shared code (components/config/, render/, shared/: config, pure renderers, concept " +
                "contracts, platform-neutral naming, stack outputs) is what both platforms build on: importing a " +
                "platform, a deploy-time hook or the stack would tie it to one platform or make a circle.",
            severity: "error",
            from: { path: "^components/(config|render|shared)/" },
            to: { path: "^components/(local/|aws/|hooks/|stack\\.ts$)" },
        },
        {
            name: "stack-alone-joins-the-platforms",
            comment:
                "components/stack.ts chooses the platform: index.ts, the cli, the engine and every other module " +
                "of components/ (the deploy-time hooks, a new top-level file) reach a platform only through it " +
                "(defineStack), so the choice is made in one place and they run whatever it returns. " +
                "(scripts/ and tests/, on top, may use either platform's names and helpers; the one hook that " +
                "needs a platform's code has its own rule below.)",
            severity: "error",
            from: {
                path: "^(index\\.ts$|cli/|engine/|components/)",
                pathNot: ["^components/(local|aws)/", "^components/stack\\.ts$", ROLLOUT_GATE],
            },
            to: { path: "^components/(local|aws)/" },
        },
        {
            name: "rollout-gate-reads-only-the-rollout-verdict",
            comment:
                "The exception to stack-alone-joins-the-platforms: components/hooks/wait-rollout.ts, the AWS " +
                "stack's rolling-deploy gate, decides with components/aws/refresh.ts's rolloutVerdict, a pure " +
                "function of the instance refresh the AWS components configure there; moving it to the shared " +
                "code would put an AWS-only concept where both platforms build. Nothing else of a platform.",
            severity: "error",
            from: { path: ROLLOUT_GATE },
            to: { path: "^components/(local|aws)/", pathNot: "^components/aws/refresh\\.ts$" },
        },
        {
            name: "hooks-are-run-not-imported",
            comment:
                "The program (index.ts, components/stack.ts, a platform's components) runs the deploy-time hooks " +
                "(components/hooks/) as processes by their path (shared/scriptCommand.ts) and never imports them: " +
                "a hook's own dependencies (dockerode, tar-fs) and its top-level main() must not load with the " +
                "program. (The shared code is kept from them by shared-code-knows-no-platform.)",
            severity: "error",
            from: { path: "^(index\\.ts$|components/stack\\.ts$|components/(local|aws)/)" },
            to: { path: "^components/hooks/" },
        },
        {
            name: "program-shares-only-contract-modules",
            comment:
                "The program, the engine and the cli import from a service only the modules listed in " +
                "SHARED_SERVICE_MODULES (one definition of a contract both sides must agree on); any other " +
                "service code would be run by the deploy instead of by the service.",
            severity: "error",
            from: { path: "^(index\\.ts$|components/|engine/|cli/)" },
            to: { path: "^(app|controller|logsink)/src/", pathNot: SHARED_SERVICE_MODULES },
        },
    ],
    options: {
        doNotFollow: { path: "node_modules" },
        exclude: { path: "(^|/)(node_modules|dist|bin)/" },
        // Type-only imports count too (the type-only cycle rule needs them).
        tsPreCompilationDeps: true,
        tsConfig: { fileName: "tsconfig.json" },
        moduleSystems: ["cjs", "es6"],
    },
};
