/**
 * Parser of the balancer's access log lines (format: ACCESS_LOG_FORMAT in components/render/haproxyConfig.ts).
 * Pure: a line in, an entry (or the reason it is malformed) out. Lines without the format's tag are HAProxy's
 * own messages (start-up, a server going DOWN) and are neither entries nor malformed.
 */

export const ACCESS_LOG_TAG = "cloudlab1";

/** HAProxy's name for "no server": it answered by itself (503 with no node UP, a denied request). */
export const NO_SERVER = "<NOSRV>";

/** HAProxy's request line for a request it could not parse. */
export const BAD_REQUEST = "<BADREQ>";

export interface AccessLogEntry {
    /** Accept time, ms since the epoch (UTC). */
    at: number;
    client: string;
    backend: string;
    /** The node that answered, or NO_SERVER. */
    server: string;
    /** HAProxy's timers in ms; -1 where the request never got that far. */
    timers: { request: number; queue: number; connect: number; response: number; total: number };
    status: number;
    bytes: number;
    /** HAProxy's termination state (---- for a normal end; SC-- no server, CD-- client went away, ...). */
    termination: string;
    /** Empty for a BAD_REQUEST. */
    method: string;
    /** The path without its query string (BAD_REQUEST for a request HAProxy could not parse). */
    path: string;
}

export type ParsedLine =
    { kind: "entry"; entry: AccessLogEntry } | { kind: "malformed"; reason: string } | { kind: "other" };

const LINE_RE =
    /^cloudlab1 (\d+)\.(\d{3}) (\S+) (\S+) (\S+) (-?\d+) (-?\d+) (-?\d+) (-?\d+) (-?\d+) (-?\d+) (\d+) (\S{4}) "(.*)"$/;

export function parseAccessLine(raw: string): ParsedLine {
    const line = raw.replace(/\r?\n$/, "");
    if (!line.startsWith(`${ACCESS_LOG_TAG} `)) return { kind: "other" };
    const m = LINE_RE.exec(line);
    if (!m) return { kind: "malformed", reason: "does not have the fields of the access log format" };
    const [, seconds, ms, client, backend, server, tr, tw, tc, trs, ta, status, bytes, termination, request] = m;
    // A request HAProxy could not parse (answered 400 by itself) is logged as "<BADREQ>": a request all the same.
    const parts = request === BAD_REQUEST ? ["", BAD_REQUEST] : request.split(" ");
    if (parts.length < 2 || !/^[A-Z]*$/.test(parts[0]) || parts[1] === "")
        return { kind: "malformed", reason: `request line ${JSON.stringify(request)} has no method and path` };
    const code = Number(status);
    if (code < -1 || code > 999) return { kind: "malformed", reason: `status ${status} is not an HTTP status` };
    return {
        kind: "entry",
        entry: {
            at: Number(seconds) * 1000 + Number(ms),
            client,
            backend,
            server,
            timers: {
                request: Number(tr),
                queue: Number(tw),
                connect: Number(tc),
                response: Number(trs),
                total: Number(ta),
            },
            status: code,
            bytes: Number(bytes),
            termination,
            method: parts[0],
            path: pathOf(parts[1]),
        },
    };
}

function pathOf(target: string): string {
    const q = target.search(/[?#]/);
    const path = q === -1 ? target : target.slice(0, q);
    // An absolute-form target (a proxy request): keep its path only.
    const abs = /^[a-z]+:\/\/[^/]*(\/.*)?$/i.exec(path);
    return abs ? (abs[1] ?? "/") : path;
}

export interface ParsedLog {
    entries: AccessLogEntry[];
    /** Lines that carry the tag but not the format, with their number (1-based) and why. */
    malformed: Array<{ line: number; text: string; reason: string }>;
    /** HAProxy's own messages (not requests). */
    otherLines: number;
}

/** Parses a whole log; malformed lines are kept (counted and shown in the report), never thrown. */
export function parseAccessLog(text: string): ParsedLog {
    const out: ParsedLog = { entries: [], malformed: [], otherLines: 0 };
    const lines = text.split("\n");
    lines.forEach((line, i) => {
        if (line.trim() === "") return;
        const r = parseAccessLine(line);
        if (r.kind === "entry") out.entries.push(r.entry);
        else if (r.kind === "malformed")
            out.malformed.push({ line: i + 1, text: line.slice(0, 300), reason: r.reason });
        else out.otherLines++;
    });
    return out;
}
