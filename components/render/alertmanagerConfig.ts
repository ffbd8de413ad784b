import YAML from "yaml";
import type { SmtpSettings } from "../../logsink/src/report/mail";
import type { SmtpConfig } from "../config/validate";

/** Where Alertmanager reads its file inside its container. */
export const ALERTMANAGER_FILES = { config: "/etc/cloudlab/alertmanager.yml", data: "/alertmanager" } as const;

/** The receivers' names: "mail" sends to alertEmail, "ui-only" keeps alerts in Alertmanager's UI and API. */
export const RECEIVERS = { mail: "mail", uiOnly: "ui-only" } as const;

/** One home for the SMTP settings' shape: the access-log service (logsink/) mails with them too. */
export type { SmtpSettings };

/** The SMTP settings of a stack's config. */
export function smtpSettings(cfg: SmtpConfig): SmtpSettings {
    return {
        host: cfg.smtpHost,
        port: cfg.smtpPort,
        tls: cfg.smtpTls,
        user: cfg.smtpUser,
        password: cfg.smtpPassword,
        from: cfg.smtpFrom,
    };
}

export interface AlertmanagerConfigInput {
    alertEmail: string;
    smtp: SmtpSettings;
}

/** True when alerts (and reports) go out by mail. */
export const mailEnabled = (input: AlertmanagerConfigInput): boolean =>
    input.smtp.host !== "" && input.alertEmail !== "";

/**
 * Renders alertmanager.yml. Without SMTP settings the only receiver has no integration at all: alerts are kept
 * and shown (UI, API), nothing tries to send and fails. Alertmanager dials port 465 with TLS itself;
 * `require_tls` is STARTTLS on the others.
 */
export function renderAlertmanagerConfig(input: AlertmanagerConfigInput): string {
    const mail = mailEnabled(input);
    const { smtp } = input;
    const receivers = mail
        ? [
              {
                  name: RECEIVERS.mail,
                  email_configs: [
                      {
                          to: input.alertEmail,
                          from: smtp.from,
                          smarthost: `${smtp.host}:${smtp.port}`,
                          require_tls: smtp.tls === "starttls",
                          send_resolved: true,
                          ...(smtp.user !== "" ? { auth_username: smtp.user, auth_password: smtp.password } : {}),
                      },
                  ],
              },
          ]
        : [{ name: RECEIVERS.uiOnly }];
    const config = {
        route: {
            receiver: mail ? RECEIVERS.mail : RECEIVERS.uiOnly,
            group_by: ["alertname", "node"],
            // Quick enough for a lab (and its tests); repeated every 4 h while it lasts.
            group_wait: "10s",
            group_interval: "1m",
            repeat_interval: "4h",
        },
        receivers,
    };
    return (
        "# Rendered by cloudlab (components/render/alertmanagerConfig.ts); do not edit in the container.\n" +
        YAML.stringify(config, { lineWidth: 0 })
    );
}
