import nodemailer from "nodemailer";

/** SMTP settings from stack config (the same ones Alertmanager uses); `host` empty = no mail. */
export interface SmtpSettings {
    host: string;
    port: number;
    /** starttls: upgrade (required) unless the port is 465; none: plain SMTP (a lab server). */
    tls: "starttls" | "none";
    user: string;
    /** Plain text here; the stack hands it to the containers as a secret. */
    password: string;
    from: string;
}

/** A mail through the stack's SMTP settings (the same ones Alertmanager uses). */
export interface Mail {
    to: string;
    subject: string;
    html: string;
    attachments: Array<{ filename: string; content: string }>;
}

/** nodemailer's transport options for the settings: 465 is TLS from the start, otherwise STARTTLS or plain. */
export function transportOptions(smtp: SmtpSettings) {
    return {
        host: smtp.host,
        port: smtp.port,
        secure: smtp.port === 465,
        requireTLS: smtp.port !== 465 && smtp.tls === "starttls",
        ignoreTLS: smtp.port !== 465 && smtp.tls === "none",
        ...(smtp.user !== "" ? { auth: { user: smtp.user, pass: smtp.password } } : {}),
    };
}

/** Sends the mail; resolves to the server's message id, rejects with the server's answer. */
export async function sendMail(smtp: SmtpSettings, mail: Mail): Promise<string> {
    const transport = nodemailer.createTransport(transportOptions(smtp));
    try {
        const info = await transport.sendMail({ from: smtp.from, ...mail });
        return String(info.messageId);
    } finally {
        transport.close();
    }
}
