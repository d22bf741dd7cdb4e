import { randomUUID } from 'node:crypto';
import { roundTrip } from '../../lib/client/round-trip';
import { InMemoryClient } from '../support/in-memory-client';

const A = 'stomp+ssl://a.example:61614';
const B = 'stomp+ssl://b.example:61614';

function client(autoReconnect = true): InMemoryClient {
  return new InMemoryClient('ACTIVEMQ', {
    endpoints: [A, B],
    username: 'app',
    password: randomUUID(),
    backoff: { maxAttempts: 3, initialDelayMs: 1, maxDelayMs: 2 },
    autoReconnect,
  });
}

test('connects to the first endpoint that answers, in order', async () => {
  const c = client();
  c.down.add(A);
  const connected = await c.connect();
  expect(connected).toMatchObject({ endpoint: B, index: 1 });
  expect(c.attempts).toEqual([A, B]);
});

test('retries rounds with backoff, then fails with the last error', async () => {
  const c = client();
  c.down.add(A).add(B);
  await expect(c.connect()).rejects.toMatchObject({ kind: 'network', message: expect.stringMatching(/after 3 rounds/) });
  expect(c.attempts).toEqual([A, B, A, B, A, B]);
});

test('does not retry an auth failure', async () => {
  const c = client();
  c.authFail.add(A);
  await expect(c.connect()).rejects.toMatchObject({ kind: 'auth' });
  expect(c.attempts).toEqual([A]);
});

test('reconnects after a loss and re-creates consumers', async () => {
  const c = client();
  await c.connect();
  const got: string[] = [];
  await c.consume('q', async (m) => {
    got.push(m.body.toString());
    await m.ack();
  });
  const reconnected = new Promise((r) => c.once('reconnected', r));
  c.down.add(A);
  c.sessions[0].drop();
  expect(await reconnected).toMatchObject({ endpoint: B, index: 1 });
  await c.publish('q', 'after');
  await new Promise((r) => setImmediate(r));
  expect(got).toEqual(['after']);
});

test('emits reconnect-failed when no endpoint comes back', async () => {
  const c = client();
  await c.connect();
  const failed = new Promise((r) => c.once('reconnect-failed', r));
  c.down.add(A).add(B);
  c.sessions[0].drop();
  await expect(failed).resolves.toMatchObject({ kind: 'network' });
  await expect(c.publish('q', 'x')).rejects.toMatchObject({ kind: 'network' });
});

test('without autoReconnect a loss only emits disconnected', async () => {
  const c = client(false);
  await c.connect();
  const disconnected = new Promise((r) => c.once('disconnected', r));
  c.sessions[0].drop();
  await disconnected;
  expect(c.current).toBeUndefined();
  expect(c.attempts).toEqual([A]);
});

test('roundTrip publishes a tagged persistent message on a temporary queue and reports the instance', async () => {
  const c = client();
  c.down.add(A);
  await c.connect();
  const r = await roundTrip(c, { timeoutMs: 5000 });
  expect(r).toMatchObject({ engine: 'ACTIVEMQ', endpoint: B, instanceIndex: 1, server: 'InMemory/1.0' });
  const sent = c.sessions[0].published[0];
  expect(sent.options).toMatchObject({ persistent: true, temporary: true });
  expect(JSON.parse(sent.body.toString()).checkId).toBe(r.checkId);
});

test('roundTrip fails with check-failed when the message never comes back', async () => {
  const c = client();
  await c.connect();
  // A session that swallows messages.
  c.sessions[0].publish = async () => undefined;
  await expect(roundTrip(c, { timeoutMs: 20 })).rejects.toMatchObject({ kind: 'check-failed' });
});
