/** Helpers of the controller's system tests: its API's mutating calls, and commands run in its containers. */
import * as http from "http";
import { docker } from "../../engine";

/** Runs a command in a container (as root) and returns its output. */
export async function execIn(container: string, cmd: string[]): Promise<string> {
    const exec = await docker()
        .getContainer(container)
        .exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true, User: "root" });
    const stream = await exec.start({});
    return new Promise<string>((resolve) => {
        let text = "";
        stream.on("data", (c: Buffer) => (text += c.toString("utf8")));
        stream.on("end", () => resolve(text));
    });
}

export function post(url: string, body: string, token?: string): Promise<{ status: number; body: any }> {
    return new Promise((resolve, reject) => {
        const req = http.request(
            url,
            {
                method: "POST",
                agent: false,
                headers: {
                    "content-type": "application/json",
                    ...(token !== undefined ? { authorization: `Bearer ${token}` } : {}),
                },
            },
            (res) => {
                let text = "";
                res.on("data", (c) => (text += c));
                res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : {} }));
            },
        );
        req.on("error", reject);
        req.end(body);
    });
}
