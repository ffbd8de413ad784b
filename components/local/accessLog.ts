import * as pulumi from "@pulumi/pulumi";
import * as docker from "@pulumi/docker";
import * as fs from "fs";
import { LOG_DIR, REPORT_DIR, SYSLOG_PORT, logsinkEnvironment } from "../../logsink/src/settings";
import type { LocalConfig, SmtpConfig } from "../config/validate";
import { declareServiceImage } from "./serviceImage";
import type { StackNames } from "../shared/naming";
import { ACCESS_LOG_HOST, REPORTS_DIR, accessLogContainerName, accessLogDir, ROLES, dockerLabels } from "./names";
import { smtpSettings } from "../render/alertmanagerConfig";
import type { AccessLogTarget } from "../render/haproxyConfig";

/** What the balancer's access-log service needs: its settings from stack config, the network and its address. */
export interface AccessLogArgs extends SmtpConfig {
    /** Base image the service's own image is built on. */
    nodeBaseImage: LocalConfig["nodeBaseImage"];
    /** MB of the log file before it is rotated. */
    accessLogMaxMb: LocalConfig["accessLogMaxMb"];
    /** Log files kept, the current one included. */
    accessLogFiles: LocalConfig["accessLogFiles"];
    /** How often the report is written (and mailed); `off` for never. */
    reportSchedule: LocalConfig["reportSchedule"];
    /** Who the report is mailed to; empty for nobody. */
    alertEmail: LocalConfig["alertEmail"];
    names: StackNames;
    networkName: pulumi.Input<string>;
    /** Its fixed address on the stack network (AddressPlan.accessLog): HAProxy logs to an address. */
    address: string;
}

/**
 * The balancer's access log (the cheapest durable path measured by `npm run bench:access-log`, README): HAProxy
 * puts each request's line into a memory ring forwarded over TCP to a service in a container of the stack
 * (logsink/, its image built like the controller's: ./serviceImage.ts), which writes a size-rotated, bounded
 * file set on the host (accessLogDir) and runs the access-log report on reportSchedule into the reports
 * directory, mailed when SMTP is set. Declared as children of `parent`, named from `name`. Returns where HAProxy
 * logs and the container it must wait for.
 */
export function declareAccessLog(
    parent: pulumi.Resource,
    name: string,
    args: AccessLogArgs,
): { target: AccessLogTarget; service: docker.Container } {
    const opts = { parent };
    const logDir = accessLogDir(args.names.prefix);
    // Made here, as the user running the program: a bind mount Docker had to create would be root's.
    fs.mkdirSync(logDir, { recursive: true });
    fs.mkdirSync(REPORTS_DIR, { recursive: true });
    const image = declareServiceImage(parent, `${name}-access-log-image`, "logsink", args.nodeBaseImage);
    const smtp = smtpSettings(args);
    const env = logsinkEnvironment({
        stack: args.names.prefix,
        port: SYSLOG_PORT,
        maxBytes: args.accessLogMaxMb * 1024 * 1024,
        files: args.accessLogFiles,
        reportSchedule: args.reportSchedule,
        alertEmail: args.alertEmail,
        smtp,
    });
    // The host user owns the files (the report reads them without Docker); the image's own user elsewhere.
    const uid = process.getuid?.();
    const gid = process.getgid?.();
    const service = new docker.Container(
        `${name}-access-log`,
        {
            name: accessLogContainerName(args.names.prefix),
            hostname: ACCESS_LOG_HOST,
            image,
            // The SMTP password is in the environment: all of it is a secret then.
            envs: smtp.password !== "" ? pulumi.secret(env) : env,
            user: uid !== undefined && gid !== undefined ? `${uid}:${gid}` : undefined,
            volumes: [
                { hostPath: logDir, containerPath: LOG_DIR, readOnly: false },
                { hostPath: REPORTS_DIR, containerPath: REPORT_DIR, readOnly: false },
            ],
            networksAdvanced: [{ name: args.networkName, ipv4Address: args.address, aliases: [ACCESS_LOG_HOST] }],
            restart: "unless-stopped",
            labels: dockerLabels(args.names, ROLES.accessLog),
            logDriver: "json-file",
            logOpts: { "max-size": "10m", "max-file": "3" },
            // SIGTERM: the service writes its last batch and closes the file.
            stopTimeout: 5,
            destroyGraceSeconds: 5,
        },
        // Fixed name and address: the old one must be gone before the new one starts.
        { ...opts, deleteBeforeReplace: true },
    );
    // The ring: the cheapest path measured (`npm run bench:access-log`, README), and HAProxy keeps the lines
    // in memory (ACCESS_LOG_RING) while the service restarts, where UDP would lose them.
    return { target: { to: "ring", address: args.address, port: SYSLOG_PORT }, service };
}
