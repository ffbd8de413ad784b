/** The report's mail through nodemailer, received by a real SMTP server (smtp-server) on 127.0.0.1. */
import { strict as assert } from "assert";
import { AddressInfo } from "net";
import { SMTPServer } from "smtp-server";
import { sendMail, transportOptions } from "../../components/report/mail";
import type { SmtpSettings } from "../../components/render/alertmanagerConfig";

describe("report mail", () => {
    const received: Array<{ from: string; to: string[]; data: string }> = [];
    const server = new SMTPServer({
        authOptional: true,
        disabledCommands: ["STARTTLS"],
        onData(stream, session, callback) {
            const chunks: Buffer[] = [];
            stream.on("data", (c: Buffer) => chunks.push(c));
            stream.on("end", () => {
                received.push({
                    from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
                    to: session.envelope.rcptTo.map((r) => r.address),
                    data: Buffer.concat(chunks).toString("utf8"),
                });
                callback();
            });
        },
    });
    let port = 0;
    before((done) => {
        server.listen(0, "127.0.0.1", () => {
            port = (server.server.address() as AddressInfo).port;
            done();
        });
    });
    after((done) => {
        server.close(done);
    });
    const smtp = (extra: Partial<SmtpSettings> = {}): SmtpSettings => ({
        host: "127.0.0.1",
        port,
        tls: "none",
        user: "",
        password: "",
        from: "lab@example.com",
        ...extra,
    });

    it("delivers the report to alertEmail from smtpFrom, with the JSON attached", async () => {
        await sendMail(smtp(), {
            to: "ops@example.com",
            subject: "cloudlab access report",
            html: "<p>9 requests</p>",
            attachments: [{ filename: "report.json", content: '{"requests":9}' }],
        });
        assert.equal(received.length, 1);
        assert.equal(received[0].from, "lab@example.com");
        assert.deepEqual(received[0].to, ["ops@example.com"]);
        assert.match(received[0].data, /Subject: cloudlab access report/);
        assert.match(received[0].data, /filename=report\.json/);
    });

    it("refuses to send in clear when STARTTLS is required and the server lacks it", async () => {
        await assert.rejects(
            sendMail(smtp({ tls: "starttls" }), { to: "ops@example.com", subject: "x", html: "x", attachments: [] }),
            /STARTTLS/i,
        );
    });

    it("maps the settings to nodemailer: 465 is TLS from the start, a login only when smtpUser is set", () => {
        assert.deepEqual(transportOptions(smtp({ port: 465, tls: "starttls" })), {
            host: "127.0.0.1",
            port: 465,
            secure: true,
            requireTLS: false,
            ignoreTLS: false,
        });
        assert.deepEqual(transportOptions(smtp({ port: 587, tls: "starttls", user: "lab", password: "pw" })), {
            host: "127.0.0.1",
            port: 587,
            secure: false,
            requireTLS: true,
            ignoreTLS: false,
            auth: { user: "lab", pass: "pw" },
        });
    });
});
