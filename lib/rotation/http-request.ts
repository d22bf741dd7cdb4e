import * as http from 'node:http';
import * as https from 'node:https';
import type { Credentials } from './types';

export interface HttpResponse {
  readonly status: number;
  readonly body: string;
}

/** One HTTP call with basic auth; injectable so tests can put faults between the function and a real broker. */
export type HttpRequest = (method: string, url: string, auth: Credentials, body?: unknown) => Promise<HttpResponse>;

/** node's http(s) with a timeout; https uses the system trust store (Amazon MQ's certificates are public). */
export function nodeHttpRequest(timeoutMs = 10000): HttpRequest {
  return (method, url, auth, body) =>
    new Promise((resolve, reject) => {
      const u = new URL(url);
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const lib = u.protocol === 'https:' ? https : http;
      const req = lib.request(
        u,
        {
          method,
          auth: `${auth.username}:${auth.password}`,
          headers: { accept: 'application/json', ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}) },
          timeout: timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${method} ${u.origin}${u.pathname} timed out after ${timeoutMs} ms`)));
      req.on('error', reject);
      if (payload) req.write(payload);
      req.end();
    });
}
