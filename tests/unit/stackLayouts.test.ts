/**
 * Every stack the tests, the bench and the sweep bring up has ports and a subnet of its own, and none takes the
 * user's `local` stack's defaults: a stack a failed run left behind (or a user's running lab) must not make the
 * next suite's network or port collide. Reads the layouts where they are written (tests/system, the tools' flags).
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { KEYS } from "../../components/config/schema";
import { REPO } from "../../lib/repo";

const LAYOUT_KEYS = [
    "lbPort",
    "lbStatsPort",
    "nodePortBase",
    "controllerPort",
    "prometheusPort",
    "alertmanagerPort",
    "cadvisorPort",
];

/** The files that declare a stack layout of their own. */
function layoutFiles(): string[] {
    const system = fs
        .readdirSync(path.join(REPO, "tests", "system"))
        .filter((f) => f.endsWith(".ts"))
        .map((f) => path.join("tests", "system", f));
    return [
        ...system,
        "scripts/load/bench/flags.ts",
        "scripts/load/sweep/flags.ts",
        "scripts/load/bench/accessLogCost.ts",
        "scripts/load/bench/cadvisorCost.ts",
    ];
}

/** `key value` -> the files that write it (a file may write a value more than once). */
function valuesByFile(): Map<string, Set<string>> {
    const found = new Map<string, Set<string>>();
    const add = (what: string, file: string) => found.set(what, (found.get(what) ?? new Set()).add(file));
    for (const file of layoutFiles()) {
        const text = fs.readFileSync(path.join(REPO, file), "utf8");
        for (const m of text.matchAll(new RegExp(`\\b(${LAYOUT_KEYS.join("|")}): (\\d+)`, "g")))
            add(`port ${m[2]}`, file);
        for (const m of text.matchAll(/\b(?:subnet|SUBNET)\s*[:=]\s*"(\d+\.\d+\.\d+\.\d+\/\d+)"/g))
            add(`subnet ${m[1]}`, file);
    }
    return found;
}

describe("the stacks of the tests and tools", () => {
    const found = valuesByFile();

    it("finds the layouts it checks (the bench's, the sweep's, the system tests')", () => {
        const files = new Set([...found.values()].flatMap((s) => [...s]));
        for (const f of [
            "scripts/load/bench/flags.ts",
            "scripts/load/sweep/flags.ts",
            "tests/system/controller.test.ts",
        ])
            assert.ok(files.has(f), `no layout read from ${f}`);
        assert.ok(found.size >= 30, `only ${found.size} values found`);
    });

    it("give each port and subnet to one file only", () => {
        const shared = [...found].filter(([, files]) => files.size > 1).map(([v, f]) => `${v}: ${[...f].join(", ")}`);
        assert.deepEqual(shared, []);
    });

    it("never take a port or the subnet of the user's local stack", () => {
        const defaults = [
            ...LAYOUT_KEYS.map((k) => `port ${String(KEYS[k as keyof typeof KEYS].default)}`),
            `port ${String(KEYS.grafanaPort.default)}`,
            `subnet ${String(KEYS.subnet.default)}`,
        ];
        assert.deepEqual(
            defaults.filter((d) => found.has(d)).map((d) => `${d}: ${[...found.get(d)!].join(", ")}`),
            [],
        );
    });
});
