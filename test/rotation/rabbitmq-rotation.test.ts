import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { createHandler } from '../../lib/rotation/factory';
import { silentLogger } from '../../lib/rotation/log';
import { BrokerUnreachableError } from '../../lib/rotation/probe';
import type { BrokerTarget, RotationEvent } from '../../lib/rotation/types';
import { FakeClock, FakeSecretsManager } from './fake-aws';
import { FakeRabbitMq } from './fake-rabbitmq';

const arn = (name: string) => `arn:aws:secretsmanager:eu-west-1:111111111111:secret:mq-platform/prod/events/${name}-AbCdEf`;
const ADMIN = arn('platform-admin');
const APP = arn('events');
const MANAGEMENT = 'https://b-events.mq.eu-west-1.on.aws';

let passwords = 0;
function setup() {
  const sm = new FakeSecretsManager();
  const rabbit = new FakeRabbitMq({ username: 'platform-admin', password: 'admin-initial-password-01' });
  rabbit.vhosts.add('orders');
  sm.add(ADMIN, 'mq-platform/prod/events/platform-admin', { username: 'platform-admin', password: 'admin-initial-password-01' });
  sm.add(APP, 'mq-platform/prod/events/events', { username: 'events', password: 'events-initial-password-01' });
  const target: BrokerTarget = {
    engine: 'RABBITMQ',
    brokerId: 'b-events',
    brokerName: 'events',
    managementUrl: MANAGEMENT,
    amqpEndpoints: 'amqps://b-events-1.mq.eu-west-1.on.aws:5671,amqps://b-events-2.mq.eu-west-1.on.aws:5671', // Fn::Join, as the construct builds it
    administratorSecretArn: ADMIN,
    credentials: [
      { secretArn: APP, username: 'events', partnerUsername: 'events_clone' },
      { secretArn: ADMIN, username: 'platform-admin' },
    ],
  };
  const responses: { url: string; body: Record<string, unknown> }[] = [];
  const fetchFn: typeof fetch = async (input, init) => {
    if (String(input).startsWith('https://cloudformation-custom-resource-response')) {
      responses.push({ url: String(input), body: JSON.parse(String(init?.body)) as Record<string, unknown> });
      return new Response(null, { status: 200 });
    }
    return rabbit.fetch(input, init);
  };
  const clock = new FakeClock();
  const handler = createHandler({
    brokers: [target],
    secretsManager: sm.client,
    fetch: fetchFn,
    probes: { RABBITMQ: rabbit.probe },
    log: silentLogger,
    newPassword: () => `rabbit-new-password-${String(++passwords).padStart(6, '0')}`,
    sleep: clock.sleep,
    now: clock.nowFn,
  });
  const handle = (e: RotationEvent) => handler(e);
  const usersResource = (
    requestType: 'Create' | 'Update' | 'Delete',
    permissions = [{ Vhost: 'orders', Configure: '^events\\.', Write: '.*', Read: '.*' }],
    tags: string[] = [],
  ) =>
    ({
      RequestType: requestType,
      ServiceToken: 'arn:aws:lambda:eu-west-1:111111111111:function:mq-platform-prod-credential-rotation',
      ResponseURL: 'https://cloudformation-custom-resource-response-euwest1.s3.amazonaws.com/presigned',
      StackId: 'arn:aws:cloudformation:eu-west-1:111111111111:stack/brokers/1',
      RequestId: `req-${requestType}`,
      LogicalResourceId: 'EventsUsers',
      ResourceType: 'Custom::MqPlatformRabbitMqUser',
      ...(requestType === 'Create' ? {} : { PhysicalResourceId: 'rabbitmq-user/b-events/events' }),
      ...(requestType === 'Update' ? { OldResourceProperties: {} } : {}),
      ResourceProperties: {
        ServiceToken: 'x',
        Kind: 'RabbitMqUser',
        BrokerId: 'b-events',
        ManagementUrl: MANAGEMENT,
        AdministratorSecretArn: ADMIN,
        SecretArn: APP,
        Username: 'events',
        PartnerUsername: 'events_clone',
        Tags: tags,
        Permissions: permissions,
      },
    }) as unknown as CloudFormationCustomResourceEvent;
  const currentLogsIn = () => rabbit.logsIn(sm.value(APP) as unknown as { username: string; password: string });
  return { sm, rabbit, handler, handle, usersResource, responses, currentLogsIn };
}

describe('RabbitMQ users custom resource', () => {
  test('Create makes both users of the pair: the current one with its secret password, the partner without a password', async () => {
    const w = setup();
    await w.handler(w.usersResource('Create'));
    expect(w.responses).toEqual([
      expect.objectContaining({
        body: expect.objectContaining({
          Status: 'SUCCESS',
          PhysicalResourceId: 'rabbitmq-user/b-events/events',
          RequestId: 'req-Create',
          LogicalResourceId: 'EventsUsers',
        }),
      }),
    ]);
    expect(w.currentLogsIn()).toBe(true);
    expect(w.rabbit.users.get('events_clone')).toEqual({ password: undefined, tags: [] });
    for (const u of ['events', 'events_clone']) expect([...w.rabbit.permissions.get(u)!.keys()]).toEqual(['orders']);
    // The administrator did it all.
    expect(new Set(w.rabbit.requests.map((r) => r.as))).toEqual(new Set(['platform-admin']));
  });

  test('Update changes permissions and tags on both users, never a password; Delete keeps the users', async () => {
    const w = setup();
    await w.handler(w.usersResource('Create'));
    await w.sm.rotate(APP, w.handle);
    const passwordsBefore = new Map([...w.rabbit.users].map(([n, u]) => [n, u.password]));
    await w.handler(w.usersResource('Update', [{ Vhost: '/', Configure: '', Write: '.*', Read: '.*' }], ['monitoring']));
    for (const u of ['events', 'events_clone']) {
      expect([...w.rabbit.permissions.get(u)!.keys()]).toEqual(['/']);
      expect(w.rabbit.users.get(u)!.tags).toEqual(['monitoring']);
      expect(w.rabbit.users.get(u)!.password).toBe(passwordsBefore.get(u));
    }
    expect(w.currentLogsIn()).toBe(true);
    await w.handler(w.usersResource('Delete'));
    expect(w.rabbit.users.has('events')).toBe(true);
    expect(w.responses.map((r) => r.body.Status)).toEqual(['SUCCESS', 'SUCCESS', 'SUCCESS']);
  });

  test('a vhost that does not exist fails the deploy with its name (FAILED response, nothing thrown to Lambda)', async () => {
    const w = setup();
    await w.handler(w.usersResource('Create', [{ Vhost: 'missing', Configure: '.*', Write: '.*', Read: '.*' }]));
    expect(w.responses[0].body).toEqual(
      expect.objectContaining({ Status: 'FAILED', Reason: expect.stringMatching(/vhost missing does not exist/) }),
    );
    expect(w.rabbit.users.has('events')).toBe(false);
  });

  test('without a ResponseURL (direct callers) it returns the response', async () => {
    const w = setup();
    const event = { ...w.usersResource('Create'), ResponseURL: '' } as CloudFormationCustomResourceEvent;
    await expect(w.handler(event)).resolves.toEqual({
      PhysicalResourceId: 'rabbitmq-user/b-events/events',
      Data: { Username: 'events', PartnerUsername: 'events_clone' },
    });
    expect(w.responses).toHaveLength(0);
  });
});

describe('RabbitMQ application pair rotation', () => {
  async function deployed() {
    const w = setup();
    await w.handler(w.usersResource('Create'));
    return w;
  }

  test('changes only the partner (password, tags, permissions of the current user), then flips AWSCURRENT; alternates', async () => {
    const w = await deployed();
    const seen: boolean[] = [];
    await w.sm.rotate(APP, w.handle, { between: () => void seen.push(w.currentLogsIn()) });
    expect(seen).toEqual([true, true, true, true]);
    expect(w.sm.value(APP)!.username).toBe('events_clone');
    expect(w.rabbit.users.get('events')!.password).toBe('events-initial-password-01');
    expect(w.rabbit.permissions.get('events_clone')!.get('orders')).toEqual({ configure: '^events\\.', write: '.*', read: '.*' });
    await w.sm.rotate(APP, w.handle);
    expect(w.sm.value(APP)!.username).toBe('events');
    expect(w.currentLogsIn()).toBe(true);
    expect(w.rabbit.logsIn({ username: 'events_clone', password: w.sm.value(APP, 'AWSPREVIOUS')!.password })).toBe(true);
  });

  test('every step run twice', async () => {
    const w = await deployed();
    await w.sm.rotate(APP, w.handle, { times: 2 });
    expect(w.sm.value(APP)!.username).toBe('events_clone');
    expect(w.currentLogsIn()).toBe(true);
  });

  test('AMQPS cannot be reached: setSecret fails before changing anything', async () => {
    const w = await deployed();
    const token = w.sm.startRotation(APP);
    await w.handle(w.sm.event(APP, token, 'createSecret'));
    w.rabbit.amqpUnreachable = true;
    const puts = () => w.rabbit.requests.filter((r) => r.method === 'PUT').length;
    const before = puts();
    await expect(w.handle(w.sm.event(APP, token, 'setSecret'))).rejects.toBeInstanceOf(BrokerUnreachableError);
    expect(puts()).toBe(before);
  });

  test('the management API cannot be reached: the step fails with "could not connect"-style reason, nothing changes', async () => {
    const w = await deployed();
    const token = w.sm.startRotation(APP);
    await w.handle(w.sm.event(APP, token, 'createSecret'));
    w.rabbit.unreachable = true;
    await expect(w.handle(w.sm.event(APP, token, 'setSecret'))).rejects.toThrow(/ECONNREFUSED/);
    w.rabbit.unreachable = false;
    for (const step of ['setSecret', 'testSecret', 'finishSecret'] as const) await w.handle(w.sm.event(APP, token, step));
    expect(w.currentLogsIn()).toBe(true);
  });

  test('the new password does not log in: testSecret fails, the current user still works, a rerun finishes', async () => {
    const w = await deployed();
    await w.sm.rotate(APP, w.handle); // events_clone is current now, with a password
    const token = w.sm.startRotation(APP);
    await w.handle(w.sm.event(APP, token, 'createSecret'));
    w.rabbit.dropUserPuts = true;
    await w.handle(w.sm.event(APP, token, 'setSecret'));
    await expect(w.handle(w.sm.event(APP, token, 'testSecret'))).rejects.toThrow(/does not log in/);
    expect(w.currentLogsIn()).toBe(true);
    w.rabbit.dropUserPuts = false;
    for (const step of ['setSecret', 'testSecret', 'finishSecret'] as const) await w.handle(w.sm.event(APP, token, step));
    expect(w.sm.value(APP)!.username).toBe('events');
    expect(w.currentLogsIn()).toBe(true);
  });
});

describe("Secrets Manager's configuration test on RabbitMQ secrets", () => {
  test.each([true, false])(
    'AWSPENDING copied: %s — checks AWSCURRENT of the pair and of the administrator, changes nothing',
    async (copy) => {
      const w = setup();
      await w.handler(w.usersResource('Create'));
      const puts = w.rabbit.requests.filter((r) => r.method !== 'GET').length;
      for (const secret of [APP, ADMIN]) {
        const token = w.sm.configurationTest(secret, copy);
        await w.handle(w.sm.event(secret, token, 'testSecret'));
        w.sm.clearPending(secret, token);
      }
      expect(w.rabbit.requests.filter((r) => r.method !== 'GET')).toHaveLength(puts);
      expect(w.sm.value(APP)!.username).toBe('events');
    },
  );
});

describe('RabbitMQ administrator rotation (single user, platform only)', () => {
  test('rotates; an application rotation during its set→finish gap authenticates with AWSPENDING', async () => {
    const w = setup();
    await w.handler(w.usersResource('Create'));
    const token = w.sm.startRotation(ADMIN);
    await w.handle(w.sm.event(ADMIN, token, 'createSecret'));
    await w.handle(w.sm.event(ADMIN, token, 'setSecret'));
    await w.sm.rotate(APP, w.handle);
    expect(w.sm.value(APP)!.username).toBe('events_clone');
    await w.handle(w.sm.event(ADMIN, token, 'testSecret'));
    await w.handle(w.sm.event(ADMIN, token, 'finishSecret'));
    expect(w.rabbit.logsIn(w.sm.value(ADMIN) as unknown as { username: string; password: string })).toBe(true);
    expect(w.rabbit.users.get('platform-admin')!.tags).toEqual(['administrator']);
  });

  test('every step twice', async () => {
    const w = setup();
    await w.sm.rotate(ADMIN, w.handle, { times: 2 });
    expect(w.rabbit.logsIn(w.sm.value(ADMIN) as unknown as { username: string; password: string })).toBe(true);
  });

  test('the new password refused in testSecret: AWSCURRENT is restored before the step fails', async () => {
    const w = setup();
    const token = w.sm.startRotation(ADMIN);
    for (const step of ['createSecret', 'setSecret'] as const) await w.handle(w.sm.event(ADMIN, token, step));
    w.rabbit.refuseWhoami = 1;
    await expect(w.handle(w.sm.event(ADMIN, token, 'testSecret'))).rejects.toThrow(/AWSCURRENT stays valid/);
    expect(w.rabbit.logsIn(w.sm.value(ADMIN) as unknown as { username: string; password: string })).toBe(true);
  });

  test('could not connect in testSecret: fails without restoring or changing anything', async () => {
    const w = setup();
    const token = w.sm.startRotation(ADMIN);
    for (const step of ['createSecret', 'setSecret'] as const) await w.handle(w.sm.event(ADMIN, token, step));
    w.rabbit.unreachable = true;
    const puts = w.rabbit.requests.filter((r) => r.method === 'PUT').length;
    await expect(w.handle(w.sm.event(ADMIN, token, 'testSecret'))).rejects.toBeInstanceOf(BrokerUnreachableError);
    expect(w.rabbit.requests.filter((r) => r.method === 'PUT')).toHaveLength(puts);
    w.rabbit.unreachable = false;
    for (const step of ['testSecret', 'finishSecret'] as const) await w.handle(w.sm.event(ADMIN, token, step));
    expect(w.rabbit.logsIn(w.sm.value(ADMIN) as unknown as { username: string; password: string })).toBe(true);
  });
});
