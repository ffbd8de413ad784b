/**
 * Docker HEALTHCHECK probe: the runtime image has no curl or wget, so node
 * itself GETs /health. Exit 0 only for a 200 within 2 s; a draining node
 * (503) is reported unhealthy too, which is what it is.
 */
import * as http from 'node:http';
import { parsePort } from './config';

const TIMEOUT_MS = 2_000;

function finish(code: 0 | 1, detail: string): never {
  process.stdout.write(`healthcheck: ${detail}\n`);
  process.exit(code);
}

let port: number;
try {
  port = parsePort(process.env.PORT);
} catch (err) {
  finish(1, err instanceof Error ? err.message : String(err));
}

setTimeout(() => finish(1, `no answer within ${TIMEOUT_MS} ms`), TIMEOUT_MS).unref();

http
  .get({ host: '127.0.0.1', port, path: '/health', agent: false }, (res) => {
    res.resume();
    if (res.statusCode === 200) finish(0, 'ok');
    finish(1, `status ${res.statusCode ?? 'none'}`);
  })
  .on('error', (err) => finish(1, err.message));
