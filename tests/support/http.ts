import * as http from "http";
import { assertLoopback } from "../../scripts/lib/loopback";

export interface JsonResponse {
    status: number;
    body: any;
}

/** One GET on a fresh connection (so the balancer picks a node for each request). */
export function getJson(url: string, timeoutMs = 5000): Promise<JsonResponse> {
    assertLoopback(url);
    return new Promise((resolve, reject) => {
        const req = http.get(url, { agent: false, timeout: timeoutMs }, (res) => {
            let text = "";
            res.setEncoding("utf8");
            res.on("data", (c) => (text += c));
            res.on("end", () => {
                let body: any = text;
                try {
                    body = JSON.parse(text);
                } catch {
                    /* not JSON: keep the text */
                }
                resolve({ status: res.statusCode ?? 0, body });
            });
        });
        req.on("timeout", () => req.destroy(new Error(`GET ${url} timed out after ${timeoutMs} ms`)));
        req.on("error", reject);
    });
}

/** Polls until `check` passes or `timeoutMs` elapses; returns the elapsed ms. */
export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number, everyMs = 250): Promise<number> {
    const started = Date.now();
    let last: unknown;
    while (Date.now() - started < timeoutMs) {
        try {
            if (await check()) return Date.now() - started;
        } catch (err) {
            last = err;
        }
        await new Promise((r) => setTimeout(r, everyMs));
    }
    throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ""}`);
}
