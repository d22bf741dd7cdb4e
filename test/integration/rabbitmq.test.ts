import * as fs from 'node:fs';
import * as path from 'node:path';
import { AmqpMessagingClient, MqPlatformError, MessagingClientOptions, roundTrip } from '../../lib/client';
import { RabbitBroker, TestCa, freePort, makeCa, secret, tempDir } from './harness/brokers';
import { runCli, writeSecretFile } from './harness/cli';
import { expectPersistentMessageSurvivesRestart, expectRedeliveryAfterConsumerDies } from './harness/scenarios';

let dir: string;
let ca: TestCa;
let broker: RabbitBroker;
const clients: AmqpMessagingClient[] = [];

function client(overrides: Partial<MessagingClientOptions> = {}): AmqpMessagingClient {
  const c = new AmqpMessagingClient({
    endpoints: [`amqps://127.0.0.1:${broker.port}`],
    username: broker.username,
    password: broker.password,
    ca: fs.readFileSync(ca.caFile),
    backoff: { maxAttempts: 2, initialDelayMs: 100 },
    connectTimeoutMs: 5000,
    ...overrides,
  });
  clients.push(c);
  return c;
}

beforeAll(async () => {
  dir = tempDir('rabbitmq');
  ca = await makeCa(path.join(dir, 'ca'));
  broker = new RabbitBroker(path.join(dir, 'rabbit'), ca);
  await broker.start();
});

afterEach(async () => {
  for (const c of clients.splice(0)) await c.close().catch(() => undefined);
});

afterAll(async () => {
  await broker?.shutdown();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test('round trip over AMQPS with confirms and manual ack', async () => {
  const c = client();
  const connected = await c.connect();
  expect(connected.endpoint).toBe(`amqps://127.0.0.1:${broker.port}`);
  expect(connected.server).toMatch(/RabbitMQ/);
  const result = await roundTrip(c);
  expect(result.engine).toBe('RABBITMQ');
  expect(result.latencyMs).toBeGreaterThan(0);
});

test('unacked message is redelivered after the consumer dies', async () => {
  await expectRedeliveryAfterConsumerDies(client, `it.redelivery.${Date.now()}`);
});

test('persistent message on a durable queue survives a broker restart', async () => {
  await expectPersistentMessageSurvivesRestart(client, `it.persist.${Date.now()}`, () => broker.restart());
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
  expect((err as MqPlatformError).message).not.toContain(broker.password);
});

test('closed port gives a network error', async () => {
  const port = await freePort();
  const c = client({ endpoints: [`amqps://127.0.0.1:${port}`] });
  await expect(c.connect()).rejects.toMatchObject({ kind: 'network' });
});

describe('CLI check through the endpoint override', () => {
  test('round trip succeeds, prints the latency, never the password', async () => {
    const secretFile = writeSecretFile(dir, broker.username, broker.password);
    const r = await runCli([
      'check',
      'local-rabbit',
      '--endpoint',
      `amqps://127.0.0.1:${broker.port}`,
      '--ca-file',
      ca.caFile,
      '--secret-json-file',
      secretFile,
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(`^OK local-rabbit: round trip [\\d.]+ ms via amqps://127\\.0\\.0\\.1:${broker.port} \\[RabbitMQ/3\\.`),
    );
    expect(r.stdout).not.toContain(broker.password);
  });

  test('--json', async () => {
    const r = await runCli(['check', 'local-rabbit', '--json', '--endpoint', `amqps://127.0.0.1:${broker.port}`, '--ca-file', ca.caFile], {
      MQ_PLATFORM_USERNAME: broker.username,
      MQ_PLATFORM_PASSWORD: broker.password,
    });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, engine: 'RABBITMQ', instanceIndex: 0 });
  });

  test('wrong password: exit 4, one line, password not shown', async () => {
    const wrong = secret();
    const r = await runCli(['check', 'local-rabbit', '--endpoint', `amqps://127.0.0.1:${broker.port}`, '--ca-file', ca.caFile], {
      MQ_PLATFORM_USERNAME: broker.username,
      MQ_PLATFORM_PASSWORD: wrong,
    });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/^mq-platform: error: amqps:\/\/127\.0\.0\.1:\d+ rejected the credentials \(.*\)\n$/);
    expect(r.stderr + r.stdout).not.toContain(wrong);
  });

  test('closed port: exit 5', async () => {
    const port = await freePort();
    const r = await runCli(['check', 'local-rabbit', '--endpoint', `amqps://127.0.0.1:${port}`, '--ca-file', ca.caFile], {
      MQ_PLATFORM_USERNAME: broker.username,
      MQ_PLATFORM_PASSWORD: broker.password,
    });
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/^mq-platform: error: .*cannot reach amqps:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\).*\n$/);
  });

  test('untrusted CA (no --ca-file): TLS error, exit 5', async () => {
    const r = await runCli(['check', 'local-rabbit', '--endpoint', `amqps://127.0.0.1:${broker.port}`], {
      MQ_PLATFORM_USERNAME: broker.username,
      MQ_PLATFORM_PASSWORD: broker.password,
    });
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/TLS handshake with amqps:\/\/127\.0\.0\.1:\d+ failed/);
    expect(r.stderr).toContain('--ca-file');
  });
});
