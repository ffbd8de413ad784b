/** The report's mail through nodemailer, received by a real SMTP server (smtp-server) on 127.0.0.1. */
import { strict as assert } from "assert";
import { sendMail, transportOptions } from "../../logsink/src/report/mail";
import type { SmtpSettings } from "../../components/render/alertmanagerConfig";
import { SmtpSink } from "../support/smtpSink";

describe("report mail", () => {
    const sink = new SmtpSink();
    const received = sink.mails;
    let port = 0;
    before(async () => {
        port = await sink.listen(0, "127.0.0.1");
    });
    after(() => sink.close());
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
        const cases: Array<[number, "starttls" | "none", boolean, boolean]> = [
            [587, "none", false, true],
            [25, "starttls", true, false],
            [465, "none", false, false],
        ];
        for (const [port, tls, requireTLS, ignoreTLS] of cases)
            assert.deepEqual(transportOptions(smtp({ port, tls })), {
                host: "127.0.0.1",
                port,
                secure: port === 465,
                requireTLS,
                ignoreTLS,
            });
    });
});
