import { randomUUID } from 'node:crypto';
import { MqPlatformError } from './errors';
import { ConsumeOptions, MessagingClient } from './messaging-client';

/** Options of a round-trip check. */
export interface RoundTripOptions {
  /** Time to wait for the message to come back. @default 15000 */
  readonly timeoutMs?: number;
  /** Queue name. @default `mq-platform.check.<uuid>` */
  readonly queue?: string;
  /** Use a temporary queue that disappears with the connection, so checks leave nothing behind. @default true */
  readonly temporary?: boolean;
}

/** Outcome of a successful round trip. */
export interface RoundTripResult {
  readonly engine: string;
  readonly endpoint: string;
  /** Which endpoint answered (0-based); for active/standby, the instance that is active. */
  readonly instanceIndex: number;
  readonly server?: string;
  readonly queue: string;
  readonly checkId: string;
  /** Publish (confirmed) + deliver + ack, in milliseconds. */
  readonly latencyMs: number;
}

/**
 * Publishes a uniquely tagged persistent message, consumes it with a manual ack and measures
 * the latency. The client must be connected.
 */
export async function roundTrip(client: MessagingClient, options: RoundTripOptions = {}): Promise<RoundTripResult> {
  const current = client.current;
  if (!current) throw new MqPlatformError('network', 'not connected', { hint: 'call connect() first' });
  const checkId = randomUUID();
  const queue = options.queue ?? `mq-platform.check.${checkId}`;
  const temporary = options.temporary ?? true;
  const timeoutMs = options.timeoutMs ?? 15000;
  const consumeOptions: ConsumeOptions = { temporary, prefetch: 1 };

  let timer: NodeJS.Timeout | undefined;
  let resolveAcked!: () => void;
  let rejectAcked!: (e: Error) => void;
  const acked = new Promise<void>((res, rej) => {
    resolveAcked = res;
    rejectAcked = rej;
  });
  const consumer = await client.consume(
    queue,
    async (m) => {
      let id: string | undefined;
      try {
        id = (JSON.parse(m.body.toString('utf8')) as { checkId?: string }).checkId;
      } catch {
        id = undefined;
      }
      if (id !== checkId) {
        // Not ours (shared queue): leave it for its owner.
        await m.nack().catch(() => undefined);
        return;
      }
      try {
        await m.ack();
        resolveAcked();
      } catch (e) {
        rejectAcked(e as Error);
      }
    },
    consumeOptions,
  );
  const started = process.hrtime.bigint();
  try {
    const timeout = new Promise<never>((_r, rej) => {
      timer = setTimeout(
        () =>
          rej(
            new MqPlatformError('check-failed', `message not received back within ${timeoutMs} ms on ${current.endpoint}`, {
              hint: 'the broker accepted the message but did not deliver it; check broker health and queue policies',
            }),
          ),
        timeoutMs,
      );
    });
    const body = JSON.stringify({ checkId, sentAt: new Date().toISOString(), source: 'mq-platform check' });
    await Promise.race([client.publish(queue, body, { persistent: true, temporary, headers: { 'mq-platform-check': checkId } }), timeout]);
    await Promise.race([acked, timeout]);
  } finally {
    if (timer) clearTimeout(timer);
    await consumer.cancel().catch(() => undefined);
  }
  const latencyMs = Number(process.hrtime.bigint() - started) / 1e6;
  return {
    engine: client.engine,
    endpoint: current.endpoint,
    instanceIndex: current.index,
    server: current.server,
    queue,
    checkId,
    latencyMs: Math.round(latencyMs * 10) / 10,
  };
}
