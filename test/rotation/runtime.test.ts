import * as net from 'node:net';
import { DescribeBrokerCommand, MqClient, RebootBrokerCommand } from '@aws-sdk/client-mq';
import { rebootOnce } from '../../lib/rotation/activemq-strategy';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { ManagementApiError, RabbitMqManagementClient } from '../../lib/rabbitmq/management-client';
import { mqClientConfig, SDK_TIMEOUTS } from '../../lib/rotation/aws-clients';
import { onCustomResourceEvent } from '../../lib/rotation/custom-resource';
import { jsonLogger, silentLogger } from '../../lib/rotation/log';
import { generatePassword } from '../../lib/rotation/password';
import { activeMqProbe, rabbitMqProbe } from '../../lib/rotation/probe';
import { formatLease, parseLease } from '../../lib/rotation/reboot-lease';
import { FakeSecretsManager } from './fake-aws';

/** The URL the client would call, captured before anything leaves the process. */
async function resolvedUrl(client: MqClient): Promise<string> {
  let url = '';
  client.middlewareStack.add(
    () => async (args) => {
      const r = args.request as { protocol: string; hostname: string; port?: number; path: string };
      url = `${r.protocol}//${r.hostname}${r.port ? `:${r.port}` : ''}`;
      throw new Error('stop before sending');
    },
    { step: 'finalizeRequest', name: 'captureUrl' },
  );
  await client.send(new DescribeBrokerCommand({ BrokerId: 'b-1' })).catch(() => undefined);
  return url;
}

describe('Amazon MQ client endpoint', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  test('resolves the dual-stack name PrivateLink serves, mq.<region>.api.aws', async () => {
    delete process.env.AWS_ENDPOINT_URL_MQ;
    delete process.env.AWS_ENDPOINT_URL;
    const client = new MqClient({
      region: 'eu-west-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' },
      ...mqClientConfig(process.env),
    });
    expect(await resolvedUrl(client)).toBe('https://mq.eu-west-1.api.aws');
  });

  test('honours AWS_ENDPOINT_URL_MQ (the loopback emulator) instead', async () => {
    process.env.AWS_ENDPOINT_URL_MQ = 'http://127.0.0.1:4599';
    const client = new MqClient({
      region: 'eu-west-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' },
      ...mqClientConfig(process.env),
    });
    expect(await resolvedUrl(client)).toBe('http://127.0.0.1:4599');
  });

  test('API calls time out instead of hanging the step', async () => {
    expect(mqClientConfig({})).toEqual(expect.objectContaining({ requestHandler: SDK_TIMEOUTS, maxAttempts: 3 }));
    // An endpoint that accepts the connection and never answers.
    const sockets: net.Socket[] = [];
    const server = net.createServer((s) => void sockets.push(s));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    const client = new MqClient({
      region: 'eu-west-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' },
      endpoint: `http://127.0.0.1:${port}`,
      maxAttempts: 1,
      requestHandler: { ...SDK_TIMEOUTS, requestTimeout: 300 },
    });
    try {
      await expect(client.send(new DescribeBrokerCommand({ BrokerId: 'b-1' }))).rejects.toEqual(
        expect.objectContaining({ name: 'TimeoutError' }),
      );
    } finally {
      client.destroy();
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});

describe('RebootBroker is sent once', () => {
  test('the SDK does not resend it when the answer is late (a resent RebootBroker is a second reboot)', async () => {
    let requests = 0;
    const sockets: net.Socket[] = [];
    const server = net.createServer((sock) => {
      sockets.push(sock);
      sock.on('data', () => {
        requests++; // never answered: the client times out
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const client = new MqClient({
      region: 'eu-west-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' },
      endpoint: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
      maxAttempts: 3,
      requestHandler: { ...SDK_TIMEOUTS, requestTimeout: 200 },
    });
    try {
      await expect(client.send(rebootOnce('b-1'))).rejects.toBeDefined();
      await new Promise((r) => setTimeout(r, 300));
      expect(requests).toBe(1);
      // Without the guard the same client sends it three times.
      requests = 0;
      await expect(client.send(new RebootBrokerCommand({ BrokerId: 'b-1' }))).rejects.toBeDefined();
      expect(requests).toBe(3);
    } finally {
      client.destroy();
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    }
  }, 20000);
});

describe('login probes tell "could not connect" from "wrong credentials"', () => {
  let closedPort: number;
  beforeAll(async () => {
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    closedPort = (server.address() as net.AddressInfo).port;
    await new Promise<void>((r) => server.close(() => r()));
  });
  const creds = { username: 'app', password: 'some-password-123' };

  test('ActiveMQ STOMP+SSL: nothing listening is unreachable, not a wrong password', async () => {
    const r = await activeMqProbe({ timeoutMs: 2000 })([`stomp+ssl://127.0.0.1:${closedPort}`], creds);
    expect(r).toEqual({ outcome: 'unreachable', detail: expect.stringMatching(/ECONNREFUSED/) });
  });

  test('RabbitMQ AMQPS: nothing listening is unreachable', async () => {
    const r = await rabbitMqProbe({ timeoutMs: 2000 })([`amqps://127.0.0.1:${closedPort}`], creds);
    expect(r.outcome).toBe('unreachable');
  });

  test('no endpoints is unreachable', async () => {
    expect((await activeMqProbe()([], creds)).outcome).toBe('unreachable');
  });
});

describe('management client', () => {
  const client = (f: typeof fetch) =>
    new RabbitMqManagementClient({
      baseUrl: 'https://b-1.mq.eu-west-1.on.aws/',
      credentials: { username: 'admin', password: 'pw-123456789012' },
      fetch: f,
    });

  test.each([
    [401, 'auth'],
    [404, 'not-found'],
    [500, 'http'],
  ])('answer %i is a %s error', async (status, kind) => {
    const c = client(async () => new Response('{}', { status }));
    await expect(c.whoami()).rejects.toEqual(expect.objectContaining({ kind }));
  });

  test('a network failure is unreachable, with the socket error code', async () => {
    const c = client(async () => {
      throw new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } });
    });
    await expect(c.whoami()).rejects.toEqual(
      expect.objectContaining({ kind: 'unreachable', message: expect.stringMatching(/ECONNRESET/) }),
    );
  });

  test('a timeout is unreachable', async () => {
    const c = new RabbitMqManagementClient({
      baseUrl: 'https://b-1',
      credentials: { username: 'a', password: 'b' },
      timeoutMs: 20,
      fetch: (_u, init) => new Promise((_r, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason))),
    });
    await expect(c.whoami()).rejects.toEqual(
      expect.objectContaining({ kind: 'unreachable', message: expect.stringMatching(/no answer within 20 ms/) }),
    );
  });

  test('vhost names and tags are encoded as the API wants', async () => {
    const calls: { url: string; body?: string }[] = [];
    const c = client(async (u, init) => {
      calls.push({ url: String(u), body: init?.body as string | undefined });
      return new Response(null, { status: 204 });
    });
    await c.putPermission('app', { vhost: '/', configure: '', write: '.*', read: '.*' });
    await c.putUser('app_clone', { password: 'x-123456789012' }, ['monitoring', 'management']);
    expect(calls[0].url).toBe('https://b-1.mq.eu-west-1.on.aws/api/permissions/%2F/app');
    expect(JSON.parse(calls[1].body!)).toEqual({ password: 'x-123456789012', tags: 'monitoring,management' });
    expect(new ManagementApiError('auth', 'x')).toBeInstanceOf(Error);
  });
});

describe('seed custom resource (ActiveMQ migration)', () => {
  const SOURCE = 'arn:aws:secretsmanager:eu-west-1:1:secret:mq-platform/prod/orders/orders-AbC';
  const TARGET = 'arn:aws:secretsmanager:eu-west-1:1:secret:mq-platform/prod/orders/broker-users/orders-DeF';
  const event = (RequestType: 'Create' | 'Update' | 'Delete') =>
    ({
      RequestType,
      RequestId: 'r',
      LogicalResourceId: 'Seed',
      StackId: 's',
      ResponseURL: '',
      ServiceToken: 'x',
      ResourceType: 'Custom::MqPlatformSeedBrokerUserSecret',
      PhysicalResourceId: `seed/${TARGET}`,
      ResourceProperties: {
        ServiceToken: 'x',
        Kind: 'SeedBrokerUserSecret',
        SourceSecretArn: SOURCE,
        TargetSecretArn: TARGET,
        Username: 'orders',
      },
    }) as unknown as CloudFormationCustomResourceEvent;

  test('Create copies the password the broker has; Update and Delete never touch it', async () => {
    const sm = new FakeSecretsManager();
    sm.add(SOURCE, 'src', { username: 'orders', password: 'the-password-clients-use' });
    sm.add(TARGET, 'dst', { username: 'orders', password: 'generated-placeholder-01' });
    await expect(onCustomResourceEvent(event('Create'), { secretsManager: sm.client, log: silentLogger })).resolves.toEqual({
      PhysicalResourceId: `seed/${TARGET}`,
    });
    expect(sm.value(TARGET)).toEqual({ username: 'orders', password: 'the-password-clients-use' });
    sm.add(SOURCE, 'src', { username: 'orders_clone', password: 'rotated' });
    await onCustomResourceEvent(event('Update'), { secretsManager: sm.client, log: silentLogger });
    await onCustomResourceEvent(event('Delete'), { secretsManager: sm.client, log: silentLogger });
    expect(sm.value(TARGET)).toEqual({ username: 'orders', password: 'the-password-clients-use' });
  });

  test('refuses to seed from a pair that already alternated', async () => {
    const sm = new FakeSecretsManager();
    sm.add(SOURCE, 'src', { username: 'orders_clone', password: 'p-123456789012' });
    sm.add(TARGET, 'dst', { username: 'orders', password: 'generated-placeholder-01' });
    await expect(onCustomResourceEvent(event('Create'), { secretsManager: sm.client, log: silentLogger })).rejects.toThrow(
      /already alternated/,
    );
  });
});

describe('small parts', () => {
  test('the logger writes one JSON line and drops anything that could be a password', () => {
    const lines: string[] = [];
    jsonLogger((l) => lines.push(l))('setSecret', { secret: 's', password: 'p', Passcode: 'q', SecretString: 'r' });
    expect(lines).toEqual([JSON.stringify({ level: 'info', msg: 'setSecret', secret: 's' })]);
  });

  test('lease values round-trip; anything else is no lease', () => {
    const lease = { openedMs: 1, rebootAtMs: 2, owner: '00000000-0000-4000-8000-000000000001', rebootedMs: 0 };
    expect(parseLease(formatLease(lease))).toEqual(lease);
    expect(parseLease('garbage')).toBeUndefined();
    expect(parseLease(undefined)).toBeUndefined();
  });

  test('passwords follow Amazon MQ rules', () => {
    for (let i = 0; i < 50; i++) {
      const p = generatePassword();
      expect(p).toHaveLength(32);
      expect(p).not.toMatch(/[,:=]/);
      expect(new Set(p).size).toBeGreaterThanOrEqual(4);
    }
  });
});
