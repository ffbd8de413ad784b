import pino from "pino";

/** Scripts log JSON to stderr: stdout is reserved for their result (Pulumi's Command reads it). */
export const log = pino({ name: "cloudlab", level: process.env.LOG_LEVEL ?? "info" }, pino.destination(2));
