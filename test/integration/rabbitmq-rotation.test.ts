/**
 * Rotation against a real RabbitMQ (Debian rabbitmq-server, management plugin, 127.0.0.1): the
 * function's code as deployed (createHandler: users custom resource, alternating-users rotation,
 * administrator rotation, fetch management client, amqplib login probe with the test CA), with
 * Secrets Manager replaced by the in-memory fake on aws-sdk-client-mock (test/rotation/fake-aws.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as amqp from 'amqplib';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { createHandler } from '../../lib/rotation/factory';
import { silentLogger } from '../../lib/rotation/log';
import { rabbitMqProbe, type LoginProbe } from '../../lib/rotation/probe';
import type { BrokerTarget, Credentials, RotationEvent } from '../../lib/rotation/types';
import { FakeSecretsManager } from '../rotation/fake-aws';
import { RabbitBroker, makeCa, tempDir, type TestCa } from './harness/brokers';

const ADMIN = 'arn:aws:secretsmanager:eu-west-1:1:secret:mq-platform/it/events/admin-AbC';
const APP = 'arn:aws:secretsmanager:eu-west-1:1:secret:mq-platform/it/events/events-DeF';

describe('RabbitMQ credential rotation against a real broker', () => {
  let dir: string;
  let ca: TestCa;
  let node: RabbitBroker;
  let sm: FakeSecretsManager;
  let handler: ReturnType<typeof createHandler>;
  /** Fault: the login probe cannot connect. */
  let unreachable = false;
  const handle = (e: RotationEvent) => handler(e);

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
  const current = () => sm.value(APP) as unknown as Credentials;

  beforeAll(async () => {
    dir = tempDir('rotation');
    ca = await makeCa(path.join(dir, 'ca'));
    node = new RabbitBroker(path.join(dir, 'rabbit'), ca);
    await node.start();
    sm = new FakeSecretsManager();
    sm.add(ADMIN, 'mq-platform/it/events/admin', { username: node.username, password: node.password });
    sm.add(APP, 'mq-platform/it/events/events', { username: 'events', password: 'events-first-password-0001' });
    const target: BrokerTarget = {
      engine: 'RABBITMQ',
      brokerId: 'b-local',
      brokerName: 'events',
      managementUrl: node.managementUrl,
      amqpEndpoints: [`amqps://127.0.0.1:${node.port}`],
      administratorSecretArn: ADMIN,
      credentials: [
        { secretArn: APP, username: 'events', partnerUsername: 'events_clone' },
        { secretArn: ADMIN, username: node.username },
      ],
    };
    const real = rabbitMqProbe({ ca: fs.readFileSync(ca.caFile), timeoutMs: 5000 });
    const probe: LoginProbe = (endpoints, creds, options) =>
      unreachable ? real([`amqps://127.0.0.1:1`], creds, options) : real(endpoints, creds, options);
    handler = createHandler({ brokers: [target], secretsManager: sm.client, probes: { RABBITMQ: probe }, log: silentLogger });
    const created = await handler({
      RequestType: 'Create',
      ResponseURL: '',
      StackId: 's',
      RequestId: 'r',
      LogicalResourceId: 'EventsUsers',
      ResourceType: 'Custom::MqPlatformRabbitMqUser',
      ServiceToken: 'x',
      ResourceProperties: {
        ServiceToken: 'x',
        Kind: 'RabbitMqUser',
        BrokerId: 'b-local',
        ManagementUrl: node.managementUrl,
        AdministratorSecretArn: ADMIN,
        SecretArn: APP,
        Username: 'events',
        PartnerUsername: 'events_clone',
        Tags: [],
        Permissions: [{ Vhost: '/', Configure: '.*', Write: '.*', Read: '.*' }],
      },
    } as unknown as CloudFormationCustomResourceEvent);
    expect(created).toEqual(expect.objectContaining({ PhysicalResourceId: 'rabbitmq-user/b-local/events' }));
  }, 120000);

  afterAll(async () => {
    await node?.shutdown();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }, 90000);

  test('the custom resource made the pair: the current user logs in over AMQPS, the partner cannot yet', async () => {
    expect(await amqpLogin(current())).toBe(true);
    expect(await amqpLogin({ username: 'events_clone', password: 'anything-at-all-123' })).toBe(false);
  });

  test('rotate: AWSCURRENT logs in after every step; the previous user keeps working; open connections survive', async () => {
    const open = await amqpConnect(current());
    const before = current();
    const seen: boolean[] = [];
    await sm.rotate(APP, handle, { between: async () => void seen.push(await amqpLogin(current())) });
    expect(seen).toEqual([true, true, true, true]);
    expect(current().username).toBe('events_clone');
    expect(await amqpLogin(before)).toBe(true);
    const channel = await open.createChannel();
    await channel.assertQueue('', { exclusive: true });
    await open.close();
  });

  test('rotate again: back to the A user with a new password; the clone keeps its password until the next rotation', async () => {
    const clone = current();
    await sm.rotate(APP, handle);
    expect(current().username).toBe('events');
    expect(await amqpLogin(current())).toBe(true);
    expect(await amqpLogin(clone)).toBe(true);
    expect(await amqpLogin({ username: 'events', password: 'events-first-password-0001' })).toBe(false);
  });

  test('a partner that lost its vhost permissions gets them back from the current user', async () => {
    const partner = current().username === 'events' ? 'events_clone' : 'events';
    const admin = sm.value(ADMIN) as unknown as Credentials;
    const auth = { authorization: `Basic ${Buffer.from(`${admin.username}:${admin.password}`).toString('base64')}` };
    expect((await fetch(`${node.managementUrl}/api/permissions/%2F/${partner}`, { method: 'DELETE', headers: auth })).status).toBe(204);
    await sm.rotate(APP, handle);
    expect(current().username).toBe(partner);
    expect(await amqpLogin(current())).toBe(true);
  });

  test('probe cannot connect: setSecret fails and changes nothing; the rerun completes', async () => {
    const token = sm.startRotation(APP);
    await handle(sm.event(APP, token, 'createSecret'));
    const pending = sm.value(APP, 'AWSPENDING') as unknown as Credentials;
    unreachable = true;
    await expect(handle(sm.event(APP, token, 'setSecret'))).rejects.toThrow(/could not connect/);
    unreachable = false;
    expect(await amqpLogin(pending)).toBe(false);
    for (const step of ['setSecret', 'testSecret', 'finishSecret'] as const) await handle(sm.event(APP, token, step));
    sm.clearPending(APP, token);
    expect(await amqpLogin(current())).toBe(true);
  });

  test('the administrator rotates (single user) and keeps its tag; application rotation keeps working after', async () => {
    const before = sm.value(ADMIN) as unknown as Credentials;
    await sm.rotate(ADMIN, handle, { times: 2 });
    const admin = sm.value(ADMIN) as unknown as Credentials;
    expect(admin.password).not.toBe(before.password);
    const who = await fetch(`${node.managementUrl}/api/whoami`, {
      headers: { authorization: `Basic ${Buffer.from(`${admin.username}:${admin.password}`).toString('base64')}` },
    });
    expect(who.status).toBe(200);
    expect(JSON.stringify(await who.json())).toContain('administrator');
    await sm.rotate(APP, handle);
    expect(await amqpLogin(current())).toBe(true);
  });
});
