/**
 * Rotation against a real RabbitMQ (Debian rabbitmq-server, management plugin, 127.0.0.1): the
 * function's code as deployed (SecretRotator + RabbitMqStrategy + node http), with Secrets Manager
 * replaced by the in-memory fake on aws-sdk-client-mock (test/support/fake-secrets-manager.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as amqp from 'amqplib';
import { nodeHttpRequest, type HttpRequest } from '../../lib/rotation/http-request';
import { RabbitMqStrategy } from '../../lib/rotation/rabbitmq-strategy';
import { SecretRotator } from '../../lib/rotation/secret-rotator';
import type { Credentials, EngineStrategy } from '../../lib/rotation/types';
import { FakeSecretsManager } from '../support/fake-secrets-manager';
import { RabbitBroker, makeCa, tempDir, type TestCa } from './harness/brokers';

const SECRET = 'mq-platform/it/events/app';
describe('RabbitMQ credential rotation against a real broker', () => {
  let dir: string;
  let ca: TestCa;
  let node: RabbitBroker;
  let sm: FakeSecretsManager;
  /** Fault injection between the function and the broker; undefined means pass through. */
  let fault: ((method: string, url: string, auth: Credentials) => boolean) | undefined;
  let rotator: SecretRotator;

  const realRequest = nodeHttpRequest(5000);
  const request: HttpRequest = async (method, url, auth, body) => {
    if (fault?.(method, url, auth)) return { status: 503, body: 'injected fault' };
    return realRequest(method, url, auth, body);
  };
  const handler = (e: Parameters<SecretRotator['handle']>[0]) => rotator.handle(e);

  async function managementLogin(c: Credentials): Promise<number> {
    return (await realRequest('GET', `${node.managementUrl}/api/whoami`, c)).status;
  }
  /** An AMQPS connection as a client would open it, trusting the test CA. */
  function amqpConnect(c: Credentials) {
    return amqp.connect(
      { protocol: 'amqps', hostname: '127.0.0.1', port: node.port, username: c.username, password: c.password },
      { ca: [fs.readFileSync(ca.caFile)], servername: 'localhost' },
    );
  }
  async function amqpLogin(c: Credentials): Promise<boolean> {
    try {
      const conn = await amqpConnect(c);
      await conn.close();
      return true;
    } catch {
      return false;
    }
  }

  beforeAll(async () => {
    dir = tempDir('rotation');
    ca = await makeCa(path.join(dir, 'ca'));
    node = new RabbitBroker(path.join(dir, 'rabbit'), ca);
    await node.start();
    sm = new FakeSecretsManager(SECRET, { username: node.username, password: node.password });
    const rabbit = new RabbitMqStrategy({ request, log: () => undefined });
    const none: EngineStrategy = { setSecret: async () => undefined, testSecret: async () => undefined };
    rotator = new SecretRotator({
      secretsManager: sm.client,
      brokers: [{ secretNamePrefix: 'mq-platform/it/events/', engine: 'RABBITMQ', brokerId: 'b-local', managementUrl: node.managementUrl }],
      strategies: { RABBITMQ: rabbit, ACTIVEMQ: none },
      log: () => undefined,
    });
  }, 120000);

  afterAll(async () => {
    await node?.shutdown();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }, 90000);

  test('rotate: the old password stops working, the new one works; open connections survive', async () => {
    const old = sm.value('AWSCURRENT')!;
    const openConnection = await amqpConnect(old);

    await sm.rotate(handler);

    const current = sm.value('AWSCURRENT')!;
    expect(current.username).toBe('app');
    expect(current.password).not.toBe(old.password);
    expect(await managementLogin(old)).toBe(401);
    expect(await amqpLogin(old)).toBe(false);
    expect(await managementLogin(current)).toBe(200);
    expect(await amqpLogin(current)).toBe(true);
    // The user keeps its administrator tag.
    const whoami = JSON.parse((await realRequest('GET', `${node.managementUrl}/api/whoami`, current)).body);
    expect(String(whoami.tags)).toContain('administrator');
    // A connection opened with the old password keeps working until it reconnects.
    const channel = await openConnection.createChannel();
    await channel.assertQueue('', { exclusive: true });
    await openConnection.close();
  });

  test('rotate again: AWSPREVIOUS is the first rotated password, which no longer logs in', async () => {
    const before = sm.value('AWSCURRENT')!;
    await sm.rotate(handler);
    const current = sm.value('AWSCURRENT')!;
    expect(sm.value('AWSPREVIOUS')).toEqual(before);
    expect(await managementLogin(before)).toBe(401);
    expect(await amqpLogin(current)).toBe(true);
  });

  test('a failure in testSecret leaves the current password working; a retry completes', async () => {
    const before = sm.value('AWSCURRENT')!;
    const token = sm.startRotation();
    await sm.rotate(handler, token, ['createSecret', 'setSecret']);
    const pendingPassword = sm.value('AWSPENDING')!.password;
    expect(await amqpLogin({ username: 'app', password: pendingPassword })).toBe(true);
    // In the test step the broker answers 503 to the login with the new password.
    fault = (method, url, auth) => method === 'GET' && url.endsWith('/api/whoami') && auth.password === pendingPassword;

    await expect(sm.rotate(handler, token, ['testSecret'])).rejects.toThrow('GET /api/whoami with the pending password answered 503');

    const pending = sm.value('AWSPENDING')!;
    expect(pending.password).not.toBe(before.password);
    expect(sm.value('AWSCURRENT')).toEqual(before);
    expect(await managementLogin(before)).toBe(200);
    expect(await amqpLogin(before)).toBe(true);
    expect(await amqpLogin(pending)).toBe(false);

    // Secrets Manager retries the same rotation; with the fault gone it completes.
    fault = undefined;
    await sm.rotate(handler, token);
    expect(sm.value('AWSCURRENT')).toEqual(pending);
    expect(await amqpLogin(pending)).toBe(true);
    expect(await amqpLogin(before)).toBe(false);
  });
});
