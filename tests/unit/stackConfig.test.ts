import * as pulumi from "@pulumi/pulumi";
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import YAML from "yaml";
import { CliError } from "../../cli/errors";
import { readStackConfig, runConfigCommand, stackConfigPath } from "../../cli/stackConfig";
import { loadConfig } from "../../components/config/load";
import { tempDir } from "../support/tempDir";
import { onPlatform } from "../../components/config/validate";

const repoRoot = path.resolve(__dirname, "..", "..");

/** A project directory with the repository's Pulumi.yaml and, when given, a Pulumi.local.yaml. */
function project(stackFile?: string): { root: string; file: string } {
    const root = tempDir("config");
    fs.copyFileSync(path.join(repoRoot, "Pulumi.yaml"), path.join(root, "Pulumi.yaml"));
    const file = path.join(root, "Pulumi.local.yaml");
    if (stackFile !== undefined) fs.writeFileSync(file, stackFile);
    return { root, file };
}

/** Runs `config <argv>` on the local stack and returns what it printed. */
function config(root: string, ...argv: string[]): string[] {
    const lines: string[] = [];
    runConfigCommand(argv, { root, stack: "local", print: (l) => lines.push(l) });
    return lines;
}

const read = (file: string) => fs.readFileSync(file, "utf8");

/** The CliError `config <argv>` throws (its message is one line); the stack file must be byte-identical after. */
function refused(root: string, file: string, ...argv: string[]): string {
    const before = fs.existsSync(file) ? fs.readFileSync(file) : undefined;
    let message: string | undefined;
    try {
        config(root, ...argv);
    } catch (err) {
        assert.ok(err instanceof CliError, `expected a CliError, got ${String(err)}`);
        message = err.message;
    }
    assert.ok(message !== undefined, `config ${argv.join(" ")} was accepted`);
    assert.ok(!message.includes("\n"), `one line: ${message}`);
    if (before === undefined) assert.ok(!fs.existsSync(file), "the stack file was created");
    else assert.ok(fs.readFileSync(file).equals(before), `the stack file changed:\n${read(file)}`);
    return message;
}

const LOCAL_FILE = `# The user's local stack.
encryptionsalt: v1:abc:def
config:
  # Which release runs.
  cloudlab:imageTag: latest # the app's tag
  aws:region: eu-west-1
  cloudlab:nodeLimit: 4
  cloudlab:appImage: "cloudlab-app"

  cloudlab:lbPort: '8080'
# trailing note
`;

describe("npm run config (cli/main.ts config, on the built-in engine)", function () {
    this.timeout(120_000); // a guard against a hang, not a speed bound: ts-node compiles the entry first
    const run = (...args: string[]) =>
        spawnSync(
            process.execPath,
            ["--require", "ts-node/register/transpile-only", "cli/main.ts", "config", ...args],
            {
                cwd: repoRoot,
                encoding: "utf8",
                env: { ...process.env, CLOUDLAB_ENGINE: "builtin" },
            },
        );

    it("reads the stack -s names (Pulumi.dev.yaml here)", () => {
        const r = run("-s", "dev", "get", "platform");
        assert.equal(r.status, 0, r.stderr);
        assert.equal(r.stdout, "aws\n");
    });

    it("prints a refusal as one line on stderr and exits 1", () => {
        const r = run("--stack=dev", "frob");
        assert.equal(r.status, 1);
        assert.equal(r.stdout, "");
        // The engine's label, then the refusal: one line.
        assert.match(r.stderr, /^built-in engine: [^\n]*\nerror: unknown config verb 'frob'[^\n]*\n$/);
    });
});

describe("npm run config: the pulumi config subset on the built-in engine", () => {
    describe("readStackConfig: the config the CLI hands the program", () => {
        it("is Pulumi.yaml's defaults when the stack has no file (a fresh clone), as the CLI serialises them", () => {
            const { root } = project();
            const cfg = readStackConfig(root, "local");
            assert.equal(cfg["cloudlab:imageTag"], "latest");
            assert.equal(cfg["cloudlab:nodeCount"], "2");
            assert.equal(cfg["cloudlab:nodeCpus"], "0.5");
            assert.equal(cfg["cloudlab:alertEmail"], "");
            assert.equal(cfg["cloudlab:allowedCidrs"], '["0.0.0.0/0"]');
            assert.equal(cfg["cloudlab:subnetIds"], "[]");
            const declared = Object.keys(YAML.parse(read(path.join(root, "Pulumi.yaml"))).config);
            assert.deepEqual(Object.keys(cfg).sort(), declared.map((k) => `cloudlab:${k}`).sort());
        });

        it("takes the stack file's values over the defaults, bare keys in the project's namespace, other namespaces as given", () => {
            const { root } = project(
                "config:\n  imageTag: v2\n  cloudlab:nodeCount: 3\n  aws:region: eu-west-1\n  cloudlab:allowedCidrs: [10.0.0.0/8, 192.168.0.0/16]\n",
            );
            const cfg = readStackConfig(root, "local");
            assert.equal(cfg["cloudlab:imageTag"], "v2");
            assert.equal(cfg["cloudlab:nodeCount"], "3");
            assert.equal(cfg["aws:region"], "eu-west-1");
            assert.equal(cfg["cloudlab:allowedCidrs"], '["10.0.0.0/8","192.168.0.0/16"]');
            assert.equal(cfg["imageTag"], undefined);
            assert.equal(cfg["cloudlab:nodeLimit"], "4");
        });

        it("reads plain scalars as yaml.v3 does: 1.0 is the float 1, 0777 octal, 1_000 an int; quoted ones stay text", () => {
            const { root } = project(
                "config:\n  cloudlab:imageTag: 1.0\n  cloudlab:nodeBaseImage: '1.0'\n  cloudlab:nodeMemoryMb: 0400\n  cloudlab:lbPort: 8_080\n",
            );
            const cfg = readStackConfig(root, "local");
            assert.equal(cfg["cloudlab:imageTag"], "1");
            assert.equal(cfg["cloudlab:nodeBaseImage"], "1.0");
            assert.equal(cfg["cloudlab:nodeMemoryMb"], "256");
            assert.equal(cfg["cloudlab:lbPort"], "8080");
        });

        const typeErrors: Array<[string, RegExp]> = [
            ["cloudlab:nodeCount: abc", /configuration key 'nodeCount' must be of type 'integer'.*"abc"/],
            ["cloudlab:nodeCount: 2.5", /'nodeCount' must be of type 'integer'.*"2.5"/],
            ["cloudlab:allowedCidrs: 0.0.0.0/0", /'allowedCidrs' must be of type 'array<string>'.*"0.0.0.0\/0"/],
            ["cloudlab:imageTag: [a, b]", /'imageTag' must be of type 'string'/],
            ["cloudlab:allowedCidrs: [1, 2]", /'allowedCidrs' must be of type 'array<string>'/],
        ];
        for (const [line, expected] of typeErrors) {
            it(`checks Pulumi.yaml's declared types as the CLI does: ${line}`, () => {
                const { root } = project(`config:\n  ${line}\n`);
                assert.throws(
                    () => readStackConfig(root, "local"),
                    (err: Error) => err instanceof CliError && expected.test(err.message),
                );
            });
        }

        const unreadable: Array<[string, RegExp]> = [
            ["cloudlab:imageTag:", /cloudlab:imageTag has no value/],
            ["cloudlab:imageTag: 2026-01-05", /timestamp.*quote it/],
            ["cloudlab:imageTag:\n    secure: AAABAxyz", /secret.*Pulumi CLI/],
            ["imageTag: a\n  cloudlab:imageTag: b", /cloudlab:imageTag is set twice/],
        ];
        for (const [line, expected] of unreadable) {
            it(`refuses what it cannot hand over as the CLI would: ${line.split("\n")[0]}`, () => {
                const { root } = project(`config:\n  ${line}\n`);
                assert.throws(
                    () => readStackConfig(root, "local"),
                    (err: Error) => err instanceof CliError && expected.test(err.message),
                );
            });
        }

        it("names the file and keeps it when it is not valid YAML", () => {
            const { root } = project("config:\n  cloudlab:imageTag: [oops\n");
            assert.throws(() => readStackConfig(root, "local"), /Pulumi.local.yaml is not valid YAML/);
        });

        it("puts the stack's file beside Pulumi.yaml and refuses a stack name that is a path", () => {
            assert.equal(stackConfigPath("/p", "local"), path.join("/p", "Pulumi.local.yaml"));
            assert.throws(() => stackConfigPath("/p", "../x"), CliError);
        });
    });

    describe("set", () => {
        it("changes only the value, keeping comments, blank lines, other keys and their order", () => {
            const { root, file } = project(LOCAL_FILE);
            config(root, "set", "imageTag", "develop");
            assert.equal(read(file), LOCAL_FILE.replace("cloudlab:imageTag: latest #", "cloudlab:imageTag: develop #"));
        });

        it("appends a new key at the end of config: in the CLI's form, numbers quoted (a string, as pulumi config set stores it)", () => {
            const { root, file } = project(LOCAL_FILE);
            config(root, "set", "nodeCount", "3");
            config(root, "set", "cloudlab:balance", "leastconn");
            assert.equal(
                read(file),
                LOCAL_FILE.replace(
                    "  cloudlab:lbPort: '8080'\n",
                    "  cloudlab:lbPort: '8080'\n  cloudlab:nodeCount: \"3\"\n  cloudlab:balance: leastconn\n",
                ),
            );
        });

        it("keeps a quoted value's quotes, and quotes a plain one whose new text would not read back as text", () => {
            const { root, file } = project(LOCAL_FILE);
            config(root, "set", "appImage", "team/app");
            config(root, "set", "lbPort", "9091");
            config(root, "set", "nodeLimit", "6");
            config(root, "set", "imageTag", "1.0");
            const expected = LOCAL_FILE.replace('cloudlab:appImage: "cloudlab-app"', 'cloudlab:appImage: "team/app"')
                .replace("cloudlab:lbPort: '8080'", "cloudlab:lbPort: '9091'")
                .replace("cloudlab:nodeLimit: 4", 'cloudlab:nodeLimit: "6"')
                .replace("cloudlab:imageTag: latest", 'cloudlab:imageTag: "1.0"');
            assert.equal(read(file), expected);
        });

        it("quotes a new YAML 1.1 boolean as yaml.v3 does, but leaves an existing plain one plain (Edit keeps the node's style)", () => {
            const { root, file } = project("config:\n  cloudlab:imageTag: latest\n");
            config(root, "set", "imageTag", "yes");
            config(root, "set", "appImage", "no");
            assert.equal(read(file), 'config:\n  cloudlab:imageTag: yes\n  cloudlab:appImage: "no"\n');
        });

        /** Each step's `config` argv and the whole file after it, as the CLI's form gives it. */
        const edits: Array<{ what: string; file?: string; steps: Array<[string[], string]> }> = [
            {
                what: "creates Pulumi.<stack>.yaml when the stack has none",
                steps: [[["set", "imageTag", "develop"], "config:\n  cloudlab:imageTag: develop\n"]],
            },
            {
                what: "takes the key bare or namespaced, and writes a bare key of the file namespaced in its place",
                file: "config:\n  # the tag\n  imageTag: v1\n  cloudlab:nodeCount: 2\n",
                steps: [
                    [
                        ["set", "cloudlab:imageTag", "v2"],
                        "config:\n  # the tag\n  cloudlab:imageTag: v2\n  cloudlab:nodeCount: 2\n",
                    ],
                    [
                        ["set", "imageTag", "v3"],
                        "config:\n  # the tag\n  cloudlab:imageTag: v3\n  cloudlab:nodeCount: 2\n",
                    ],
                ],
            },
            {
                what: "adds config: to a file that has none, after its other keys",
                file: "# salt\nencryptionsalt: v1:abc\n",
                steps: [
                    [["set", "nodeCount", "3"], '# salt\nencryptionsalt: v1:abc\nconfig:\n  cloudlab:nodeCount: "3"\n'],
                ],
            },
            {
                what: "appends after a last entry that spans lines",
                file: "config:\n  aws:tags:\n    - a\n    - b\nother: 1\n",
                steps: [
                    [
                        ["set", "imageTag", "v1"],
                        "config:\n  aws:tags:\n    - a\n    - b\n  cloudlab:imageTag: v1\nother: 1\n",
                    ],
                ],
            },
            {
                what: "appends to a file without a final newline, at the file's indentation",
                file: "config:\n    cloudlab:imageTag: v1",
                steps: [
                    [["set", "nodeCount", "3"], 'config:\n    cloudlab:imageTag: v1\n    cloudlab:nodeCount: "3"\n'],
                ],
            },
            {
                what: "edits a flow-style config: map through the parsed document, keeping its comments",
                file: "# mine\nconfig: {cloudlab:imageTag: v1}\n",
                steps: [
                    [["set", "imageTag", "v2"], "# mine\nconfig: {cloudlab:imageTag: v2}\n"],
                    [["set", "nodeCount", "3"], '# mine\nconfig: {cloudlab:imageTag: v2, cloudlab:nodeCount: "3"}\n'],
                ],
            },
        ];
        for (const { what, file: initial, steps } of edits) {
            it(what, () => {
                const { root, file } = project(initial);
                for (const [argv, expected] of steps) {
                    config(root, ...argv);
                    assert.equal(read(file), expected, `after config ${argv.join(" ")}`);
                }
            });
        }

        it("lets a set fix one problem the file already has while another remains", () => {
            const { root, file } = project("config:\n  cloudlab:nodeCount: 6\n  cloudlab:typo: x\n");
            config(root, "set", "nodeLimit", "8");
            assert.equal(
                read(file),
                'config:\n  cloudlab:nodeCount: 6\n  cloudlab:typo: x\n  cloudlab:nodeLimit: "8"\n',
            );
        });

        it("writes what the program's config loading reads back: loadConfig under the SDK gets the typed values", async () => {
            const { root } = project(LOCAL_FILE);
            config(root, "set", "imageTag", "develop");
            config(root, "set", "nodeCount", "3");
            config(root, "set", "nodeCpus", "1");
            config(root, "set", "nodeImageTags", "node-2=canary");
            await pulumi.runtime.setMocks(
                { newResource: () => ({ id: "x", state: {} }), call: () => ({}) },
                "cloudlab",
                "local",
                false,
            );
            pulumi.runtime.setAllConfig(readStackConfig(root, "local"));
            const cfg = onPlatform(loadConfig(), "local");
            assert.equal(cfg.imageTag, "develop");
            assert.equal(cfg.nodeCount, 3);
            assert.equal(cfg.nodeLimit, 4);
            assert.equal(cfg.lbPort, 8080);
            assert.equal(cfg.appImage, "cloudlab-app");
            assert.deepEqual(cfg.nodeImageTags, { "node-2": "canary" });
            assert.equal(cfg.balance, "leastconn"); // Pulumi.yaml's default
            assert.equal("allowedCidrs" in cfg, false, "a local config holds no aws key");
        });
    });

    describe("bad input: one clear message naming the bad value, nothing written", () => {
        const cases: Array<[string, string[], RegExp]> = [
            ["an unknown verb", ["frob"], /unknown config verb 'frob'/],
            [
                "an unknown key, with the closest one",
                ["set", "imagetg", "x"],
                /unknown config key 'imagetg'.*did you mean 'imageTag'/,
            ],
            [
                "an unknown namespaced key",
                ["set", "cloudlab:nodecount", "3"],
                /'cloudlab:nodecount'.*did you mean 'nodeCount'/,
            ],
            [
                "another namespace's key",
                ["set", "aws:region", "us-east-1"],
                /'aws:region' is not a cloudlab key.*pulumi config set aws:region/,
            ],
            ["a value of the wrong type", ["set", "nodeCount", "three"], /nodeCount.*'integer'.*"three"/],
            ["a value the program refuses", ["set", "imageTag", "has space"], /imageTag = "has space" is not allowed/],
            ["nodeCount above nodeLimit", ["set", "nodeCount", "9"], /nodeCount = 9 .*at most nodeLimit \(4\)/],
            [
                "a key of the other platform",
                ["set", "instanceType", "t3.small"],
                /instanceType.*only applies to the aws platform/,
            ],
            [
                "a list given as text",
                ["set", "allowedCidrs", "10.0.0.0/8"],
                /'array<string>'.*pulumi config set --path 'allowedCidrs\[0\]'/,
            ],
            [
                "--secret, with a pointer to the CLI",
                ["set", "--secret", "imageTag", "x"],
                /secrets need the Pulumi CLI: pulumi config set --secret/,
            ],
            ["--path", ["set", "--path", "allowedCidrs[0]", "x"], /--path.*Pulumi CLI/],
            ["--type", ["set", "--type", "int", "nodeCount", "3"], /--type.*Pulumi CLI/],
            ["an unknown flag", ["set", "--force", "imageTag", "x"], /unknown config flag '--force'/],
            ["set without a value", ["set", "imageTag"], /config set takes a key and a value, got 1 argument/],
            ["set with too many values", ["set", "imageTag", "a", "b"], /got 3 arguments/],
            ["get without a key", ["get"], /config get takes one key, got 0/],
            ["rm of two keys", ["rm", "imageTag", "nodeCount"], /config rm takes one key, got 2/],
            [
                "rm of a key that is neither a setting nor in the file",
                ["rm", "imagetg"],
                /unknown config key 'imagetg'/,
            ],
            ["--json with set", ["set", "--json", "imageTag", "x"], /--json is for listing and get/],
            ["a multi-line value", ["set", "imageTag", "a\nb"], /line break/],
            ["a verb the built-in command does not have", ["set-all"], /config set-all needs the Pulumi CLI/],
        ];
        for (const [what, argv, expected] of cases) {
            it(what, () => {
                const { root, file } = project(LOCAL_FILE);
                assert.match(refused(root, file, ...argv), expected);
            });
        }

        it("creates no file when a set on a stack without one is refused", () => {
            const { root, file } = project();
            assert.match(refused(root, file, "set", "nodeCount", "0"), /nodeCount = "0" is not allowed/);
        });

        it("a stack file that is not valid YAML: named, left as it is", () => {
            const { root, file } = project("config:\n  cloudlab:imageTag: [oops\n");
            assert.match(refused(root, file, "set", "imageTag", "x"), /Pulumi.local.yaml is not valid YAML/);
            assert.match(refused(root, file, "rm", "imageTag"), /not valid YAML/);
        });

        it("an rm that would leave the config invalid", () => {
            const { root, file } = project("config:\n  cloudlab:nodeCount: 6\n  cloudlab:nodeLimit: 8\n");
            assert.match(refused(root, file, "rm", "nodeLimit"), /nodeCount = 6 .*at most nodeLimit \(4\)/);
        });
    });

    describe("rm, get and listing", () => {
        it("rm removes the key and its own comment, keeping the rest", () => {
            const { root, file } = project(LOCAL_FILE);
            config(root, "rm", "imageTag");
            assert.equal(
                read(file),
                LOCAL_FILE.replace("  # Which release runs.\n  cloudlab:imageTag: latest # the app's tag\n", ""),
            );
        });

        it("rm of the last key drops config: (the CLI's omitempty); rm of an unset key changes nothing", () => {
            const { root, file } = project("encryptionsalt: v1:abc\nconfig:\n  cloudlab:imageTag: v1\n");
            config(root, "rm", "cloudlab:imageTag");
            assert.equal(read(file), "encryptionsalt: v1:abc\n");
            config(root, "rm", "nodeCount");
            assert.equal(read(file), "encryptionsalt: v1:abc\n");
        });

        it("rm takes a key the file sets that is not a setting (a typo the program reports)", () => {
            const { root, file } = project("config:\n  cloudlab:imagetag: v1\n  cloudlab:nodeCount: 3\n");
            config(root, "rm", "imagetag");
            assert.equal(read(file), "config:\n  cloudlab:nodeCount: 3\n");
        });

        it("get prints the value the program gets, the default when unset; --json in the CLI's shape", () => {
            const { root } = project(LOCAL_FILE);
            assert.deepEqual(config(root, "get", "imageTag"), ["latest"]);
            assert.deepEqual(config(root, "get", "cloudlab:nodeCount"), ["2"]);
            assert.deepEqual(config(root, "get", "aws:region"), ["eu-west-1"]);
            assert.deepEqual(config(root, "get", "lbPort", "--json"), [
                "{",
                '  "value": "8080",',
                '  "secret": false',
                "}",
            ]);
            assert.deepEqual(config(root, "get", "--json", "allowedCidrs"), [
                "{",
                '  "value": "[\\"0.0.0.0/0\\"]",',
                '  "objectValue": [',
                '    "0.0.0.0/0"',
                "  ],",
                '  "secret": false',
                "}",
            ]);
            assert.throws(() => config(root, "get", "imagetg"), /did you mean 'imageTag'/);
        });

        it("lists KEY VALUE sorted by namespace then name, the project's keys bare, defaults included", () => {
            const { root } = project(LOCAL_FILE);
            const lines = config(root);
            const declared = Object.keys(YAML.parse(read(path.join(root, "Pulumi.yaml"))).config);
            // The CLI's table (cmdutil.Table): the key column as wide as the longest key, plus two spaces.
            const width = Math.max(...[...declared, "aws:region"].map((k) => k.length)) + 2;
            const row = (key: string, value: string) => `${key.padEnd(width)}${value}`;
            assert.equal(lines[0], row("KEY", "VALUE"));
            assert.equal(lines[1], row("aws:region", "eu-west-1"));
            assert.equal(lines[2], row("accessLogDays", "0"));
            assert.ok(lines.includes(row("alertEmail", "")));
            assert.ok(lines.includes(row("imageTag", "latest")));
            assert.ok(lines.includes(row("lbPort", "8080")));
            assert.ok(lines.includes(row("nodeCount", "2")));
            assert.equal(lines[lines.length - 1], row("vpcId", ""));
            assert.equal(lines.length, 1 + declared.length + 1); // the header, every setting, aws:region
        });

        it("lists as JSON keyed by the full key", () => {
            const { root } = project("config:\n  cloudlab:imageTag: develop\n");
            const out = JSON.parse(config(root, "--json").join("\n"));
            assert.deepEqual(out["cloudlab:imageTag"], { value: "develop", secret: false });
            assert.deepEqual(out["cloudlab:subnetIds"], { value: "[]", objectValue: [], secret: false });
        });
    });
});
