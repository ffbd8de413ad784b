// Lint: the recommended rules of ESLint and typescript-eslint; type errors are tsc's job (npm run typecheck).
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
    {
        ignores: [
            "node_modules/",
            "app/node_modules/",
            "app/dist/",
            "controller/node_modules/",
            "controller/dist/",
            "bin/",
            ".scratch/",
            ".pulumi-state/",
            ".cloudlab/",
            "sweep-results/",
            "bench-results/",
            ".stryker-tmp/",
            "reports/",
        ],
    },
    js.configs.recommended,
    {
        // CommonJS config files (.dependency-cruiser.cjs).
        files: ["**/*.cjs"],
        languageOptions: { sourceType: "commonjs", globals: { module: "writable", require: "readonly" } },
    },
    {
        // ES module config files run by Node.js (stryker.config.mjs reads MUTATE_FOLDER and its folders.json).
        files: ["**/*.mjs"],
        languageOptions: { globals: { process: "readonly", URL: "readonly" } },
    },
    ...tseslint.configs.recommended,
    {
        rules: {
            // Mocks and provider inputs are untyped JSON by nature.
            "@typescript-eslint/no-explicit-any": "off",
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
        },
    },
);
