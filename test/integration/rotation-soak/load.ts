/**
 * The soak's clients: logins that re-read AWSCURRENT every time, and one long-lived
 * producer/consumer pair with persistent messages, built on lib/client.
 */
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createMessagingClient, type Engine, type MessagingClient, MqPlatformError, secretCredentials } from '../../../lib/client';

export interface LoginStats {
  tried: number;
  ok: number;
  /** Authentication refused with the AWSCURRENT credentials just read. */
  refused: number;
  /** Could not connect (broker restarting, failover, timeout): not a refusal. */
  couldNotConnect: number;
  readonly refusals: { at: number; username: string; message: string }[];
  readonly connectErrors: Map<string, number>;
}

export function newLoginStats(): LoginStats {
  return { tried: 0, ok: 0, refused: 0, couldNotConnect: 0, refusals: [], connectErrors: new Map() };
}

export interface LoadTarget {
  readonly engine: Engine;
  readonly endpoints: readonly string[];
  readonly ca: Buffer;
  readonly sm: SecretsManagerClient;
}

/** A client that logs in every `intervalMs` with AWSCURRENT of `secretId`, read again each time. */
export function startLoginLoop(t: LoadTarget, secretId: string, stats: LoginStats, intervalMs = 100): () => Promise<void> {
  let stop = false;
  const loop = (async () => {
    while (!stop) {
      const started = Date.now();
      let username = '?';
      try {
        const out = await t.sm.send(new GetSecretValueCommand({ SecretId: secretId }));
        const creds = JSON.parse(out.SecretString ?? '{}') as { username: string; password: string };
        username = creds.username;
        stats.tried++;
        const c = createMessagingClient(t.engine, {
          endpoints: t.endpoints,
          username: creds.username,
          password: creds.password,
          ca: t.ca,
          connectTimeoutMs: 3000,
          backoff: { maxAttempts: 1 },
          autoReconnect: false,
        });
        try {
          await c.connect();
          stats.ok++;
        } finally {
          await c.close().catch(() => undefined);
        }
      } catch (e) {
        const kind = e instanceof MqPlatformError ? e.kind : 'other';
        if (kind === 'auth') {
          stats.refused++;
          stats.refusals.push({ at: Date.now(), username, message: (e as Error).message });
        } else {
          stats.couldNotConnect++;
          stats.connectErrors.set(kind, (stats.connectErrors.get(kind) ?? 0) + 1);
        }
      }
      const wait = intervalMs - (Date.now() - started);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
  })();
  return async () => {
    stop = true;
    await loop;
  };
}

export interface FlowStats {
  /** Published and confirmed by the broker (publisher confirm / receipt). */
  sent: number;
  /** Distinct messages received and acknowledged. */
  received: number;
  duplicates: number;
  publishRetries: number;
  /** Reconnects of the long-lived clients, and how often they re-read the secret after a refusal. */
  reconnects: number;
  credentialRereads: number;
  lost: number;
  /** Client calls that neither settled nor failed within their bound (a hung client is a finding). */
  stuck: string[];
}

/** Settles with the promise, or with `undefined` after `ms` (recording `label` as stuck). */
async function within<T>(ms: number, label: string, p: Promise<T>, stuck: string[]): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), ms)));
  const settled = p.then(
    (v) => ({ v }),
    (e: unknown) => ({ e }),
  );
  const r = await Promise.race([settled, late]);
  clearTimeout(timer);
  if (r === undefined) {
    stuck.push(`${label} (${ms} ms)`);
    return undefined;
  }
  if ('e' in r) throw r.e;
  return r.v;
}

/**
 * One producer and one consumer on a durable queue, each a long-lived client that reconnects and,
 * when refused, re-reads the secret (lib/client `refreshCredentials`). Returns a stop function that
 * drains and reports.
 */
export async function startFlow(t: LoadTarget, secretId: string, queue: string, intervalMs = 100): Promise<() => Promise<FlowStats>> {
  const stats: FlowStats = {
    sent: 0,
    received: 0,
    duplicates: 0,
    publishRetries: 0,
    reconnects: 0,
    credentialRereads: 0,
    lost: 0,
    stuck: [],
  };
  const confirmed = new Set<number>();
  const seen = new Set<number>();
  const read = secretCredentials(t.sm, secretId);

  const make = async (): Promise<MessagingClient> => {
    const creds = await read();
    const c = createMessagingClient(t.engine, {
      endpoints: t.endpoints,
      ...creds,
      ca: t.ca,
      connectTimeoutMs: 3000,
      backoff: { maxAttempts: 60, initialDelayMs: 200, maxDelayMs: 1000 },
      refreshCredentials: read,
    });
    c.on('reconnected', () => stats.reconnects++);
    c.on('credentials-refreshed', () => stats.credentialRereads++);
    c.on('reconnect-failed', () => undefined);
    await c.connect();
    return c;
  };

  const consumer = await make();
  await consumer.consume(
    queue,
    async (m) => {
      const seq = Number(m.body.toString());
      if (seen.has(seq)) stats.duplicates++;
      else seen.add(seq);
      await m.ack().catch(() => undefined);
    },
    { prefetch: 20 },
  );

  let producer = await make();
  let producerDead = false;
  producer.on('reconnect-failed', () => (producerDead = true));
  let stop = false;
  let seq = 0;
  const loop = (async () => {
    while (!stop) {
      const n = ++seq;
      while (!stop) {
        try {
          // Bounded beyond the client's reconnect budget (a publish waits while the client reconnects):
          // a publish that neither confirms nor fails by then is a hung client.
          const published = await within(
            120000,
            `publish #${n}`,
            producer.publish(queue, String(n), { persistent: true }).then(() => true),
            stats.stuck,
          );
          if (!published) throw new Error('no confirm');
          confirmed.add(n);
          stats.sent++;
          break;
        } catch {
          // Not confirmed: send it again (a duplicate would be counted, a loss too).
          stats.publishRetries++;
          await new Promise((r) => setTimeout(r, 300));
          if (producerDead) {
            // Its reconnect gave up (a long reboot): a new client, as an application would make.
            producer.destroy();
            try {
              producer = await make();
              producerDead = false;
              producer.on('reconnect-failed', () => (producerDead = true));
            } catch {
              // broker still down: try again on the next pass
            }
          }
        }
      }
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  })();

  return async () => {
    stop = true;
    await within(150000, 'producer loop', loop, stats.stuck);
    await within(10000, 'producer close', producer.close(), stats.stuck).catch(() => undefined);
    producer.destroy();
    const deadline = Date.now() + 60000;
    while ([...confirmed].some((n) => !seen.has(n)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    await within(10000, 'consumer close', consumer.close(), stats.stuck).catch(() => undefined);
    consumer.destroy();
    stats.received = seen.size;
    stats.lost = [...confirmed].filter((n) => !seen.has(n)).length;
    return stats;
  };
}
