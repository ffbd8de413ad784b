import * as http from "http";
import { assertLoopback } from "../../lib/loopback";

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
