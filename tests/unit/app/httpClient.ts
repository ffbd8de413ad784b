/** Minimal HTTP client for the app tests: one fresh connection per request, so keep-alive pooling cannot hide a closed listener. */
import * as http from "node:http";
import { waitFor as sharedWaitFor } from "../../../lib/wait";

export interface HttpResult {
    status: number;
    headers: http.IncomingHttpHeaders;
    body: string;
}

export function request(
    port: number,
    path: string,
    method = "GET",
    headers: http.OutgoingHttpHeaders = {},
): Promise<HttpResult> {
    return new Promise((resolve, reject) => {
        const req = http.request({ host: "127.0.0.1", port, path, method, headers, agent: false }, (res) => {
            let body = "";
            res.setEncoding("utf8");
            res.on("data", (chunk: string) => (body += chunk));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
            res.on("error", reject);
        });
        req.on("error", reject);
        req.end();
    });
}

export async function requestJson(
    port: number,
    path: string,
    method = "GET",
): Promise<{ status: number; json: any; headers: http.IncomingHttpHeaders }> {
    const res = await request(port, path, method);
    return { status: res.status, headers: res.headers, json: JSON.parse(res.body) };
}

export { sleep } from "../../../lib/wait";

/** The shared waitFor (lib/wait.ts) in the argument order the app tests use, polling every 20 ms. */
export async function waitFor(cond: () => boolean, timeoutMs = 3000, what = "condition"): Promise<void> {
    await sharedWaitFor(what, cond, timeoutMs, { everyMs: 20 });
}
