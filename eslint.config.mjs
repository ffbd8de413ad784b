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
    ...tseslint.configs.recommended,
    {
        rules: {
            // Mocks and provider inputs are untyped JSON by nature.
            "@typescript-eslint/no-explicit-any": "off",
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
        },
    },
);
