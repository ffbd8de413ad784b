import { AddressInfo } from "net";
import { SMTPServer } from "smtp-server";

/** One mail the sink received: envelope recipients and the raw message. */
export interface ReceivedMail {
    from: string;
    to: string[];
    data: string;
}

/**
 * A real SMTP server (smtp-server) that keeps every mail it receives: no TLS, no login required, so it stands
 * for a relay on the lab's own network (smtpTls none).
 */
export class SmtpSink {
    readonly mails: ReceivedMail[] = [];
    private readonly server = new SMTPServer({
        authOptional: true,
        disabledCommands: ["STARTTLS"],
        onData: (stream, session, callback) => {
            const chunks: Buffer[] = [];
            stream.on("data", (c: Buffer) => chunks.push(c));
            stream.on("end", () => {
                this.mails.push({
                    from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
                    to: session.envelope.rcptTo.map((r) => r.address),
                    data: Buffer.concat(chunks).toString("utf8"),
                });
                callback();
            });
        },
    });

    /** Listens on host:port (port 0: any free one); resolves to the port. */
    listen(port: number, host: string): Promise<number> {
        return new Promise((resolve, reject) => {
            this.server.on("error", reject);
            this.server.listen(port, host, () => resolve((this.server.server.address() as AddressInfo).port));
        });
    }

    close(): Promise<void> {
        return new Promise((resolve) => this.server.close(() => resolve()));
    }
}
