import * as amqp from 'amqplib';
import { parseEndpoint } from '../client/endpoint';
import { MqPlatformError } from '../client/errors';
import { StompConnection } from '../client/stomp-connection';
import type { Credentials } from './types';

/**
 * What a login attempt proved: the credentials log in, the broker refused them, or no endpoint could
 * be reached (network, TLS, timeout), which says nothing about the credentials.
 */
export type ProbeResult =
  | { readonly outcome: 'ok' }
  | { readonly outcome: 'wrong-credentials'; readonly detail: string }
  | { readonly outcome: 'unreachable'; readonly detail: string };

/** Tries credentials against a broker's endpoints. */
export type LoginProbe = (endpoints: readonly string[], creds: Credentials, options?: { vhost?: string }) => Promise<ProbeResult>;

export interface ProbeOptions {
  /** Extra CA certificates (PEM), e.g. a private test CA. @default node's bundled CAs (Amazon MQ's certificates are public) */
  readonly ca?: string | Buffer;
  /** Per endpoint. @default 10000 */
  readonly timeoutMs?: number;
}

/** Thrown by a step when the probe could not reach the broker: the step fails without changing anything. */
export class BrokerUnreachableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BrokerUnreachableError';
  }
}

/**
 * Tries every endpoint in turn (active/standby: only the active instance listens): the first that
 * answers decides; when none answers the result is `unreachable`.
 */
async function firstAnswer(endpoints: readonly string[], attempt: (endpoint: string) => Promise<ProbeResult>): Promise<ProbeResult> {
  if (endpoints.length === 0) return { outcome: 'unreachable', detail: 'the broker has no endpoints for the login check' };
  const misses: string[] = [];
  for (const endpoint of endpoints) {
    const r = await attempt(endpoint);
    if (r.outcome !== 'unreachable') return r;
    misses.push(r.detail);
  }
  return { outcome: 'unreachable', detail: misses.join('; ') };
}

/** ActiveMQ: a STOMP+SSL login (port 61614, always open on Amazon MQ for ActiveMQ) with lib/client's STOMP connection. */
export function activeMqProbe(options: ProbeOptions = {}): LoginProbe {
  return (endpoints, creds) =>
    firstAnswer(endpoints, async (raw) => {
      const ep = parseEndpoint(raw);
      try {
        const conn = await StompConnection.connect({
          host: ep.host,
          port: ep.port,
          login: creds.username,
          passcode: creds.password,
          ca: options.ca,
          connectTimeoutMs: options.timeoutMs ?? 10000,
          receiptTimeoutMs: options.timeoutMs ?? 10000,
        });
        await conn.disconnect();
        return { outcome: 'ok' };
      } catch (e) {
        return classify(e, raw);
      }
    });
}

/** RabbitMQ application users (no management tag): an AMQPS login to a vhost they have permissions on. */
export function rabbitMqProbe(options: ProbeOptions = {}): LoginProbe {
  return (endpoints, creds, probeOptions) =>
    firstAnswer(endpoints, async (raw) => {
      const ep = parseEndpoint(raw);
      const isIp = /^[\d.]+$|:/.test(ep.host);
      try {
        const conn = await amqp.connect(
          {
            protocol: 'amqps',
            hostname: ep.host,
            port: ep.port,
            username: creds.username,
            password: creds.password,
            vhost: probeOptions?.vhost ?? '/',
            heartbeat: 0,
          },
          {
            ca: options.ca === undefined ? undefined : [options.ca],
            servername: isIp ? undefined : ep.host,
            timeout: options.timeoutMs ?? 10000,
          },
        );
        conn.on('error', () => undefined);
        await conn.close();
        return { outcome: 'ok' };
      } catch (e) {
        const msg = (e as Error)?.message ?? String(e);
        // amqplib: "Handshake terminated by server: 403 (ACCESS-REFUSED) ..." for a refused login, and
        // "530 (NOT-ALLOWED) ... access to vhost refused" for a user without permissions there: either way the
        // broker answered and these credentials do not work.
        if (/ACCESS[-_]REFUSED|NOT[-_]ALLOWED|\b403\b|\b530\b/i.test(msg))
          return { outcome: 'wrong-credentials', detail: `${raw}: ${firstLine(msg)}` };
        return { outcome: 'unreachable', detail: `${raw}: ${firstLine(msg)}` };
      }
    });
}

function classify(e: unknown, where: string): ProbeResult {
  if (e instanceof MqPlatformError && e.kind === 'auth') return { outcome: 'wrong-credentials', detail: e.message };
  return { outcome: 'unreachable', detail: `${where}: ${(e as Error)?.message ?? String(e)}` };
}

function firstLine(s: string): string {
  return s.split('\n')[0];
}
