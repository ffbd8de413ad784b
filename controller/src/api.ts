/**
 * The controller's HTTP API (docs: /work/notes/controller-api.md, README): GET /status, GET /metrics, and the
 * mutating POST /desired, /pause, /resume, which need `Authorization: Bearer <controllerToken>`.
 */
import * as http from "node:http";
import type { Logger } from "pino";
import { MAX_BODY_BYTES, Parsed, authorized, parseDesiredBody, parseEmptyBody } from "./request";

export interface ApiHandlers {
    status(): unknown;
    metrics(): Promise<{ contentType: string; body: string }>;
    floor: number;
    ceiling: number;
    setDesired(count: number): void;
    setPaused(paused: boolean): void;
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
    res.end(text);
}

async function readBody(req: http.IncomingMessage): Promise<string | undefined> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
        size += (chunk as Buffer).length;
        if (size > MAX_BODY_BYTES) return undefined;
        chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks).toString("utf8");
}

const MUTATING: Record<string, true> = { "/desired": true, "/pause": true, "/resume": true };

export function createApi(token: string, handlers: ApiHandlers, log: Logger): http.Server {
    return http.createServer((req, res) => {
        void handle(req, res).catch((e: Error) => {
            log.error({ err: e.message }, "API request failed");
            if (!res.headersSent) send(res, 500, { error: e.message });
        });
    });

    async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
        const path = (req.url ?? "/").split("?")[0];
        const method = req.method ?? "GET";
        if (method === "GET" && path === "/status") return send(res, 200, handlers.status());
        if (method === "GET" && path === "/metrics") {
            const m = await handlers.metrics();
            res.writeHead(200, { "content-type": m.contentType });
            res.end(m.body);
            return;
        }
        if (!MUTATING[path]) {
            if (path === "/status" || path === "/metrics")
                return send(res, 405, { error: `${method} ${path}: use GET` });
            return send(res, 404, { error: `no such endpoint: ${method} ${path}` });
        }
        if (method !== "POST") return send(res, 405, { error: `${method} ${path}: use POST` });
        if (!authorized(req.headers.authorization, token)) {
            log.warn(
                {
                    event: "unauthorized",
                    path,
                    remote: req.socket.remoteAddress,
                    hadHeader: !!req.headers.authorization,
                },
                "refused a mutating call without the controller token",
            );
            res.setHeader("www-authenticate", 'Bearer realm="cloudlab-controller"');
            return send(res, 401, { error: "missing or wrong bearer token (stack output controllerToken)" });
        }
        const text = await readBody(req);
        if (text === undefined) return send(res, 413, { error: `the body is larger than ${MAX_BODY_BYTES} bytes` });
        const refuse = (p: Parsed<unknown>) => {
            if (p.ok) return false;
            log.info({ event: "bad-request", path, error: p.error }, "refused a request");
            send(res, 400, { error: p.error });
            return true;
        };
        if (path === "/desired") {
            const p = parseDesiredBody(text, handlers.floor, handlers.ceiling);
            if (refuse(p) || !p.ok) return;
            handlers.setDesired(p.value);
            return send(res, 200, { desired: p.value });
        }
        const p = parseEmptyBody(text);
        if (refuse(p)) return;
        const paused = path === "/pause";
        handlers.setPaused(paused);
        return send(res, 200, { paused });
    }
}
