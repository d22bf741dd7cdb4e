import * as fs from 'node:fs';
import * as path from 'node:path';
import { MessagingClientOptions, MqPlatformError, StompMessagingClient, roundTrip } from '../../lib/client';
import { ActiveMqBroker, TestCa, freePort, makeCa, secret, tempDir } from './harness/brokers';
import { runCli, writeSecretFile } from './harness/cli';
import { once } from './harness/helpers';
import { expectPersistentMessageSurvivesRestart, expectRedeliveryAfterConsumerDies } from './harness/scenarios';

let dir: string;
let ca: TestCa;
let first: ActiveMqBroker;
let second: ActiveMqBroker;
const clients: StompMessagingClient[] = [];

function client(overrides: Partial<MessagingClientOptions> = {}): StompMessagingClient {
  const c = new StompMessagingClient({
    endpoints: [`stomp+ssl://127.0.0.1:${first.port}`],
    username: first.username,
    password: first.password,
    ca: fs.readFileSync(ca.caFile),
    backoff: { maxAttempts: 3, initialDelayMs: 100 },
    connectTimeoutMs: 5000,
    ...overrides,
  });
  clients.push(c);
  return c;
}

beforeAll(async () => {
  dir = tempDir('activemq');
  ca = await makeCa(path.join(dir, 'ca'));
  first = new ActiveMqBroker(path.join(dir, 'amq1'), ca, 'amq1');
  second = new ActiveMqBroker(path.join(dir, 'amq2'), ca, 'amq2', first.password);
  await Promise.all([first.start(), second.start()]);
});

afterEach(async () => {
  for (const c of clients.splice(0)) await c.close().catch(() => undefined);
  if (!first.running) await first.start();
});

afterAll(async () => {
  await Promise.all([first?.stop(), second?.stop()]);
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test('round trip over STOMP+TLS with receipts and client-individual ack', async () => {
  const c = client();
  const connected = await c.connect();
  expect(connected.server).toMatch(/ActiveMQ/);
  const result = await roundTrip(c);
  expect(result.engine).toBe('ACTIVEMQ');
  expect(result.instanceIndex).toBe(0);
});

test('round trip on a durable queue (not temporary)', async () => {
  const c = client();
  await c.connect();
  const result = await roundTrip(c, { temporary: false });
  expect(result.queue).toMatch(/^mq-platform\.check\./);
});

test('unacked message is redelivered after the consumer dies', async () => {
  await expectRedeliveryAfterConsumerDies(client, `it.redelivery.${Date.now()}`);
});

test('persistent message survives a broker restart', async () => {
  await expectPersistentMessageSurvivesRestart(client, `it.persist.${Date.now()}`, () => first.restart());
});

test('fails over from a stopped first endpoint to the second', async () => {
  await first.stop();
  const c = client({ endpoints: [`stomp+ssl://127.0.0.1:${first.port}`, `stomp+ssl://127.0.0.1:${second.port}`] });
  const connected = await c.connect();
  expect(connected.index).toBe(1);
  const result = await roundTrip(c);
  expect(result.instanceIndex).toBe(1);
  expect(result.endpoint).toBe(`stomp+ssl://127.0.0.1:${second.port}`);
});

test('reconnects to the second endpoint when the first goes away, and re-creates the consumer', async () => {
  const endpoints = [`stomp+ssl://127.0.0.1:${first.port}`, `stomp+ssl://127.0.0.1:${second.port}`];
  const c = client({ endpoints });
  expect((await c.connect()).index).toBe(0);
  const queue = `it.reconnect.${Date.now()}`;
  const received: string[] = [];
  await c.consume(queue, async (m) => {
    received.push(m.body.toString());
    await m.ack();
  });
  const reconnected = once<{ index: number }>(c, 'reconnected');
  await first.stop();
  expect((await reconnected).index).toBe(1);

  const producer = client({ endpoints: [endpoints[1]] });
  await producer.connect();
  await producer.publish(queue, 'after-failover');
  const deadline = Date.now() + 20000;
  while (received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  expect(received).toEqual(['after-failover']);
});

test('wrong password fails fast with an auth error that does not leak the password', async () => {
  const wrong = secret();
  const c = client({ password: wrong });
  const err = await c.connect().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(MqPlatformError);
  expect((err as MqPlatformError).kind).toBe('auth');
  expect((err as MqPlatformError).message).not.toContain(wrong);
});

test('closed port gives a network error', async () => {
  const port = await freePort();
  const c = client({ endpoints: [`stomp+ssl://127.0.0.1:${port}`], backoff: { maxAttempts: 1 } });
  await expect(c.connect()).rejects.toMatchObject({ kind: 'network' });
});

describe('CLI check through the endpoint override', () => {
  test('round trip on the first instance', async () => {
    const secretFile = writeSecretFile(dir, first.username, first.password);
    const r = await runCli([
      'check',
      'local-amq',
      '--endpoint',
      `stomp+ssl://127.0.0.1:${first.port}`,
      '--ca-file',
      ca.caFile,
      '--secret-json-file',
      secretFile,
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^OK local-amq: round trip [\d.]+ ms via stomp\+ssl:\/\/127\.0\.0\.1:\d+ \[ActiveMQ\/5\./);
    expect(r.stdout).not.toContain(first.password);
  });

  test('reports the second instance when the first is stopped', async () => {
    await first.stop();
    const r = await runCli(
      [
        'check',
        'local-amq',
        '--json',
        '--endpoint',
        `stomp+ssl://127.0.0.1:${first.port}`,
        '--endpoint',
        `stomp+ssl://127.0.0.1:${second.port}`,
        '--ca-file',
        ca.caFile,
      ],
      { MQ_PLATFORM_USERNAME: first.username, MQ_PLATFORM_PASSWORD: first.password },
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      ok: true,
      engine: 'ACTIVEMQ',
      instanceIndex: 1,
      endpoint: `stomp+ssl://127.0.0.1:${second.port}`,
    });
  });

  test('wrong password: exit 4', async () => {
    const r = await runCli(['check', 'local-amq', '--endpoint', `stomp+ssl://127.0.0.1:${first.port}`, '--ca-file', ca.caFile], {
      MQ_PLATFORM_USERNAME: first.username,
      MQ_PLATFORM_PASSWORD: secret(),
    });
    expect(r.code).toBe(4);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
