/**
 * The local monitoring's resources under mocks: which containers exist with the official images (default) and
 * with the offline config (Grafana left out, and the outputs say so; cAdvisor built from its Go module), their
 * ports on 127.0.0.1, the configs they get, and what each output says.
 */
import { strict as assert } from "assert";
import YAML from "yaml";
import { OFFLINE_MONITORING } from "../../scripts/lib/offlineImages";
import { LABELS, ROLES } from "../../components/local/names";
import { Registered, byType, runProgram } from "../support/mocks";

const CONTAINER = "docker:index/container:Container";
const PASSWORD = "random:index/randomPassword:RandomPassword";
/** The monitoring's generated passwords (the controller's token is its own). */
const monitoringPasswords = (rs: Registered[]) => byType(rs, PASSWORD).filter((r) => r.options.parent === "monitoring");
const monitoringOf = (rs: Registered[]) =>
    Object.fromEntries(
        byType(rs, CONTAINER)
            .filter((c) => c.inputs.labels.some((l: any) => l.label === LABELS.role && l.value === ROLES.monitoring))
            .map((c) => [c.inputs.hostname as string, c]),
    );
const upload = (c: Registered, file: string): string =>
    (c.inputs.uploads as Array<{ file: string; content: string }>).find((u) => u.file === file)!.content;
const OFFLINE = { platform: "local", ...OFFLINE_MONITORING };

describe("local monitoring (mocks)", function () {
    this.timeout(60000);

    it("offline: Prometheus, Alertmanager and cAdvisor, on 127.0.0.1, and the outputs say Grafana is left out", async () => {
        const { resources, outputs } = await runProgram({ ...OFFLINE, prometheusPort: "19090" });
        const mon = monitoringOf(resources);
        assert.deepEqual(Object.keys(mon).sort(), ["alertmanager", "cadvisor", "prometheus"]);
        assert.equal(
            byType(resources, "docker:index/remoteImage:RemoteImage").find(
                (r) => r.name === "monitoring-cadvisor-image",
            )?.inputs.name,
            OFFLINE_MONITORING.cadvisorImage,
        );
        assert.deepEqual(monitoringPasswords(resources), [], "no Grafana, no password to generate");
        assert.deepEqual(mon.prometheus.inputs.ports, [{ internal: 9090, external: 19090, ip: "127.0.0.1" }]);
        assert.deepEqual(mon.alertmanager.inputs.ports, [{ internal: 9093, external: 9093, ip: "127.0.0.1" }]);
        assert.equal(outputs.prometheusUrl, "http://127.0.0.1:19090");
        assert.equal(outputs.alertmanagerUrl, "http://127.0.0.1:9093");
        assert.equal(outputs.grafanaUrl, undefined);
        assert.equal("grafanaUrl" in outputs, false);
        assert.equal(outputs.cadvisorUrl, "http://127.0.0.1:8081");
        const notes = (outputs.monitoringNotes as string[]).join("\n");
        assert.match(notes, /Grafana is left out/);
        assert.doesNotMatch(notes, /cAdvisor/);
        assert.match(notes, /Alertmanager's UI only/);
    });

    it("without cAdvisor (cadvisorImage empty): no container, no URL, and the notes say what stands in for it", async () => {
        const { resources, outputs } = await runProgram({ ...OFFLINE, cadvisorImage: "" });
        assert.deepEqual(Object.keys(monitoringOf(resources)).sort(), ["alertmanager", "prometheus"]);
        assert.equal("cadvisorUrl" in outputs, false);
        assert.match((outputs.monitoringNotes as string[]).join("\n"), /cAdvisor is left out.*controller's metrics/);
    });

    it("runs cAdvisor read-only on the host, published on 127.0.0.1 only, housekeeping twice per scrape", async () => {
        const { resources } = await runProgram({ ...OFFLINE, cadvisorPort: "18081", scrapeIntervalSeconds: "5" });
        const cadvisor = monitoringOf(resources).cadvisor;
        assert.deepEqual(cadvisor.inputs.ports, [{ internal: 8080, external: 18081, ip: "127.0.0.1" }]);
        const volumes = cadvisor.inputs.volumes as Array<{ hostPath: string; readOnly: boolean }>;
        assert.deepEqual(volumes.map((v) => v.hostPath).sort(), [
            "/",
            "/dev/disk",
            "/sys",
            "/var/lib/docker",
            "/var/run",
        ]);
        assert.ok(volumes.every((v) => v.readOnly));
        assert.equal(cadvisor.inputs.privileged, undefined);
        const command = cadvisor.inputs.command as string[];
        assert.ok(command.includes("--housekeeping_interval=2500ms"), command.join(" "));
        assert.ok(command.includes("--whitelisted_container_labels=cloudlab.stack,cloudlab.node"), command.join(" "));
    });

    it("with the official images: Grafana (provisioned, generated admin password) and cAdvisor too", async () => {
        const { resources, outputs } = await runProgram({ platform: "local", grafanaPort: "13100" });
        const mon = monitoringOf(resources);
        assert.deepEqual(Object.keys(mon).sort(), ["alertmanager", "cadvisor", "grafana", "prometheus"]);
        assert.equal(monitoringPasswords(resources).length, 1);
        assert.deepEqual(mon.grafana.inputs.ports, [{ internal: 3000, external: 13100, ip: "127.0.0.1" }]);
        assert.deepEqual(mon.cadvisor.inputs.ports, [{ internal: 8080, external: 8081, ip: "127.0.0.1" }]);
        const files = (mon.grafana.inputs.uploads as Array<{ file: string }>).map((u) => u.file).sort();
        assert.deepEqual(files, [
            "/etc/grafana/provisioning/dashboards/cloudlab.yml",
            "/etc/grafana/provisioning/datasources/cloudlab.yml",
            "/var/lib/grafana/dashboards/cloudlab.json",
        ]);
        assert.equal(outputs.grafanaUrl, "http://127.0.0.1:13100");
        assert.deepEqual(outputs.monitoringNotes, ["No alertEmail: alerts are visible in Alertmanager's UI only."]);
        const scrape = YAML.parse(upload(mon.prometheus, "/etc/cloudlab/prometheus.yml"));
        assert.ok(scrape.scrape_configs.some((j: any) => j.job_name === "cadvisor"));
    });

    it("scrapes every declared node, the first nodeCount marked as always running", async () => {
        const { resources } = await runProgram({ ...OFFLINE, nodeCount: "1", nodeLimit: "3" });
        const scrape = YAML.parse(upload(monitoringOf(resources).prometheus, "/etc/cloudlab/prometheus.yml"));
        const nodes = scrape.scrape_configs.find((j: any) => j.job_name === "nodes").static_configs;
        assert.deepEqual(
            nodes.map((s: any) => [s.targets[0], s.labels.floor]),
            [
                ["node-1:3000", "true"],
                ["node-2:3000", "false"],
                ["node-3:3000", "false"],
            ],
        );
        assert.ok(scrape.scrape_configs.some((j: any) => j.job_name === "balancer"));
    });

    it("gives Prometheus its retention and Alertmanager the mail settings from config", async () => {
        const { resources, outputs } = await runProgram({
            ...OFFLINE,
            retentionDays: "3",
            alertEmail: "ops@example.com",
            smtpHost: "10.77.0.1",
            smtpPort: "2525",
            smtpTls: "none",
        });
        const mon = monitoringOf(resources);
        assert.ok((mon.prometheus.inputs.command as string[]).includes("--storage.tsdb.retention.time=3d"));
        const am = YAML.parse(upload(mon.alertmanager, "/etc/cloudlab/alertmanager.yml"));
        assert.equal(am.receivers[0].email_configs[0].smarthost, "10.77.0.1:2525");
        assert.equal(am.receivers[0].email_configs[0].to, "ops@example.com");
        assert.match(String(outputs.monitoring), /mails ops@example.com/);
    });

    it("hands Alertmanager's config to Pulumi as a secret when it holds the SMTP password, and only then", async () => {
        const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"; // the SDK's marker of a secret value
        const mail = { ...OFFLINE, alertEmail: "ops@example.com", smtpHost: "mail.lab", smtpUser: "lab" };
        const withPassword = monitoringOf((await runProgram({ ...mail, smtpPassword: "hunter2" })).resources);
        const uploads = withPassword.alertmanager.inputs.uploads;
        assert.equal(uploads["4dabf18193072939515e22adb298388d"], SECRET_SIG);
        assert.match(uploads.value[0].content, /auth_password: hunter2/);
        const without = monitoringOf((await runProgram(mail)).resources);
        assert.ok(Array.isArray(without.alertmanager.inputs.uploads), "no password: a plain value");
    });

    it("puts every monitoring container on the stack network at its own fixed address, below the balancer", async () => {
        const { resources } = await runProgram({ ...OFFLINE, subnet: "10.88.0.0/24" });
        const mon = monitoringOf(resources);
        assert.deepEqual(mon.prometheus.inputs.networksAdvanced[0].ipv4Address, "10.88.0.5");
        assert.deepEqual(mon.prometheus.inputs.networksAdvanced[0].aliases, ["prometheus"]);
        assert.deepEqual(mon.alertmanager.inputs.networksAdvanced[0].ipv4Address, "10.88.0.6");
        for (const c of Object.values(mon)) assert.equal(c.options.deleteBeforeReplace, true);
    });
});
