/**
 * The balancer's access-log path on the local stack (mocks): HAProxy logs through its ring over TCP to the
 * access-log service at its fixed address, which keeps the files on the host and runs the report on reportSchedule.
 */
import { strict as assert } from "assert";
import { SYSLOG_PORT } from "../../logsink/src/settings";
import { Registered, byType, runProgram } from "../support/mocks";

const CONTAINER = "docker:index/container:Container";
const COMMAND = "command:local:Command";
const named = (rs: Registered[], suffix: string) => byType(rs, CONTAINER).find((c) => c.inputs.name.endsWith(suffix))!;
const env = (c: Registered) => Object.fromEntries((c.inputs.envs as string[]).map((e) => e.split(/=(.*)/s, 2)));

describe("local access log (mocks)", function () {
    this.timeout(60000);

    it("forwards HAProxy's log to the service's fixed address, the service a child of the balancer", async () => {
        const { resources } = await runProgram({ platform: "local", subnet: "10.98.0.0/24" });
        const sink = named(resources, "-access-log");
        const lb = named(resources, "-lb");
        assert.equal(sink.inputs.name, "cloudlab-local-access-log");
        assert.equal(sink.name, "balancer-access-log");
        assert.equal(sink.options.parent, "balancer");
        assert.equal(sink.inputs.networksAdvanced[0].ipv4Address, "10.98.0.9");
        const cfg: string = lb.inputs.uploads[0].content;
        // The ring (the cheapest path the bench measured), forwarded over TCP to the service's address.
        assert.match(cfg, /^ {4}log ring@accesslog len 2048 format raw local0 info$/m);
        assert.match(
            cfg,
            new RegExp(`^ring accesslog\n(    .*\n)*    server access-log 10\\.98\\.0\\.9:${SYSLOG_PORT}$`, "m"),
        );
        assert.doesNotMatch(cfg, /log stdout/);
        assert.ok(lb.options.dependsOn.includes("balancer-access-log"), "the log is there before the first request");
        const image = byType(resources, COMMAND).find((c) => c.name === "balancer-access-log-image")!;
        assert.equal(image.inputs.environment.CLOUDLAB_IMAGE_SOURCE, "logsink");
        assert.match(image.inputs.environment.CLOUDLAB_IMAGE, /^cloudlab-logsink:src-[0-9a-f]{12}$/);
    });

    it("keeps the files on the host under the stack's own directory, bounded by config", async () => {
        const { resources } = await runProgram(
            { platform: "local", accessLogMaxMb: "3", accessLogFiles: "4", reportSchedule: "1h" },
            { stack: "blue" },
        );
        const sink = named(resources, "-access-log");
        const mounts = Object.fromEntries(sink.inputs.volumes.map((v: any) => [v.containerPath, v.hostPath]));
        assert.match(mounts["/var/lib/cloudlab/access-log"], /\/\.cloudlab\/cloudlab-blue\/access-log$/);
        assert.match(mounts["/var/lib/cloudlab/reports"], /\/reports$/);
        const e = env(sink);
        assert.equal(e.LOGSINK_MAX_BYTES, String(3 * 1024 * 1024));
        assert.equal(e.LOGSINK_FILES, "4");
        assert.equal(e.LOGSINK_REPORT_SCHEDULE, "1h");
        assert.equal(e.LOGSINK_STACK, "cloudlab-blue");
    });

    it("runs the report daily by default and hands it the SMTP settings, the password as a secret only then", async () => {
        const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"; // the SDK's marker of a secret value
        const mail = { platform: "local", alertEmail: "ops@example.com", smtpHost: "mail.lab", smtpUser: "lab" };
        const sink = named((await runProgram({ ...mail, smtpPassword: "hunter2" })).resources, "-access-log");
        assert.equal(sink.inputs.envs["4dabf18193072939515e22adb298388d"], SECRET_SIG);
        const e = Object.fromEntries((sink.inputs.envs.value as string[]).map((x) => x.split(/=(.*)/s, 2)));
        assert.equal(e.LOGSINK_REPORT_SCHEDULE, "24h");
        assert.equal(e.LOGSINK_ALERT_EMAIL, "ops@example.com");
        assert.equal(e.LOGSINK_SMTP_HOST, "mail.lab");
        assert.equal(e.LOGSINK_SMTP_PASSWORD, "hunter2");
        const plain = named((await runProgram(mail)).resources, "-access-log");
        assert.ok(Array.isArray(plain.inputs.envs), "no password: a plain value");
    });
});
