import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { normalizeDefinitions, type DefinitionsInput } from '../../lib/rabbitmq/definitions';
import {
  applyDefinitions,
  compareDefinitions,
  compareUsers,
  DefinitionsRefusedError,
  formatDifference,
  readLive,
  vhostsOf,
} from '../../lib/rabbitmq/definitions-apply';
import { DefinitionsClient } from '../../lib/rabbitmq/definitions-client';
import { onCustomResourceEvent } from '../../lib/rotation/custom-resource';
import { silentLogger } from '../../lib/rotation/log';
import { FakeSecretsManager } from '../rotation/fake-aws';
import { FakeDefinitionsApi } from './fake-definitions-api';

const BROKER = { deploymentMode: 'CLUSTER_MULTI_AZ', engineVersion: '4.2' };
const INPUT: DefinitionsInput = {
  vhosts: [{ name: 'orders' }],
  exchanges: [
    { vhost: 'orders', name: 'orders', type: 'topic' },
    { vhost: 'orders', name: 'orders.dlx', type: 'fanout' },
  ],
  queues: [
    { vhost: 'orders', name: 'orders.created' },
    { vhost: 'orders', name: 'orders.dead', arguments: { 'x-max-length': 1000 } },
  ],
  bindings: [
    { vhost: 'orders', source: 'orders', destination: 'orders.created', routingKey: 'created' },
    { vhost: 'orders', source: 'orders.dlx', destination: 'orders.dead' },
  ],
  policies: [
    {
      vhost: 'orders',
      name: 'dlx',
      pattern: '^orders\\.created$',
      definition: { 'dead-letter-exchange': 'orders.dlx', 'delivery-limit': 5 },
    },
  ],
  limits: [{ vhost: 'orders', maxQueues: 10 }],
};
const V1 = normalizeDefinitions(INPUT, BROKER);

function setup() {
  const api = new FakeDefinitionsApi();
  const client = () =>
    new DefinitionsClient({
      baseUrl: 'https://b-1.mq.eu-west-1.on.aws',
      credentials: { username: 'admin', password: 'pw' },
      fetch: api.fetch,
    });
  return { api, client };
}

describe('applyDefinitions', () => {
  test('creates in dependency order, then a second apply writes nothing and nothing differs', async () => {
    const { api, client } = setup();
    const first = await applyDefinitions(client(), V1);
    expect(first.writes).toEqual([
      'PUT /api/vhosts/orders',
      'PUT /api/vhost-limits/orders/max-queues',
      'PUT /api/exchanges/orders/orders',
      'PUT /api/exchanges/orders/orders.dlx',
      'PUT /api/queues/orders/orders.created',
      'PUT /api/queues/orders/orders.dead',
      'POST /api/bindings/orders/e/orders/q/orders.created',
      'POST /api/bindings/orders/e/orders.dlx/q/orders.dead',
      'PUT /api/policies/orders/dlx',
    ]);
    expect(api.queues.get('orders|orders.created')).toMatchObject({ durable: true, arguments: { 'x-queue-type': 'quorum' } });
    api.writes.length = 0;
    expect((await applyDefinitions(client(), V1, { previous: V1 })).writes).toEqual([]);
    expect(api.writes).toEqual([]);
    expect(compareDefinitions(V1, await readLive(client(), vhostsOf(V1)))).toEqual([]);
  });

  test('a broker that does not give the creator of a vhost permissions on it: the administrator grants itself', async () => {
    const { api, client } = setup();
    api.grantCreator = false;
    const r = await applyDefinitions(client(), V1);
    expect(r.writes.slice(0, 2)).toEqual(['PUT /api/vhosts/orders', 'PUT /api/permissions/orders/admin']);
    expect(api.permissions.has('orders|admin')).toBe(true);
  });

  test('updates policies and limits in place; deletes only what the previous document declared', async () => {
    const { api, client } = setup();
    await applyDefinitions(client(), V1);
    await client().putQueue('orders', 'app.own', { durable: true, arguments: {} }); // an application's queue: never ours to delete
    const v2 = normalizeDefinitions(
      {
        ...INPUT,
        bindings: [INPUT.bindings![1]],
        policies: [{ ...INPUT.policies![0], definition: { 'dead-letter-exchange': 'orders.dlx', 'delivery-limit': 3 } }],
        limits: [{ vhost: 'orders', maxConnections: 50 }],
      },
      BROKER,
    );
    const r = await applyDefinitions(client(), v2, { previous: V1 });
    expect(r.writes).toEqual([
      'PUT /api/vhost-limits/orders/max-connections',
      'PUT /api/policies/orders/dlx',
      expect.stringMatching(/^DELETE \/api\/bindings\/orders\/e\/orders\/q\/orders\.created\//),
      'DELETE /api/vhost-limits/orders/max-queues',
    ]);
    expect(r.changes).toContain('updated policy orders/dlx');
    expect(api.queues.has('orders|app.own')).toBe(true);
  });

  test('refuses, before any write, what RabbitMQ cannot change in place', async () => {
    const { api, client } = setup();
    await applyDefinitions(client(), V1);
    api.queues.get('orders|orders.dead')!.messages = 4;
    api.writes.length = 0;
    const changed = normalizeDefinitions(
      {
        ...INPUT,
        exchanges: [{ vhost: 'orders', name: 'orders', type: 'direct' }, INPUT.exchanges![1]],
        queues: [{ vhost: 'orders', name: 'orders.created', type: 'classic' }],
        bindings: [INPUT.bindings![0]],
        vhosts: [{ name: 'orders' }, { name: 'new' }],
      },
      BROKER,
    );
    const refused = applyDefinitions(client(), changed, { previous: V1 });
    await expect(refused).rejects.toThrow(DefinitionsRefusedError);
    await expect(refused).rejects.toThrow(
      'definitions not applied (nothing was changed): ' +
        'exchange orders/orders differs in what RabbitMQ cannot change in place (type: topic -> direct); declare it under a new name, or delete it on the broker first; ' +
        'queue orders/orders.created differs in what RabbitMQ cannot change in place (type: quorum -> classic); use a policy for limits and TTLs, or declare a new queue and move the consumers',
    );
    expect(api.writes).toEqual([]);
    expect(api.vhosts.has('new')).toBe(false);
  });

  test('a removed queue that holds messages is kept and reported, never deleted; the rest of the change applies', async () => {
    const { api, client } = setup();
    await applyDefinitions(client(), V1);
    api.queues.get('orders|orders.dead')!.messages = 4;
    api.writes.length = 0;
    const without = normalizeDefinitions({ ...INPUT, queues: [INPUT.queues![0]], bindings: [INPUT.bindings![0]] }, BROKER);
    const r = await applyDefinitions(client(), without, { previous: V1 });
    expect(r.kept).toEqual([
      'queue orders/orders.dead was removed from the config but holds 4 message(s): kept; drain it and delete it, or declare it again with deleteWithMessages, deploy, then remove it',
    ]);
    expect(api.writes).toEqual([expect.stringMatching(/^DELETE \/api\/bindings\/orders\/e\/orders\.dlx\/q\/orders\.dead\//)]);
    expect(api.queues.get('orders|orders.dead')!.messages).toBe(4);
    // The next deploy no longer declares it in its previous document: never touched again.
    expect((await applyDefinitions(client(), without, { previous: without })).writes).toEqual([]);
  });

  test('deleteWithMessages (declared in the previous document) lets a non-empty queue go; an empty one goes with if-empty', async () => {
    const { api, client } = setup();
    const flagged = normalizeDefinitions(
      { ...INPUT, queues: [INPUT.queues![0], { ...INPUT.queues![1], deleteWithMessages: true }] },
      BROKER,
    );
    await applyDefinitions(client(), flagged);
    api.queues.get('orders|orders.dead')!.messages = 2;
    api.writes.length = 0;
    const without = normalizeDefinitions({ ...INPUT, queues: [], bindings: [], policies: [] }, BROKER);
    await applyDefinitions(client(), without, { previous: flagged });
    expect(api.writes).toEqual([
      expect.stringMatching(/^DELETE \/api\/bindings\/orders\/e\/orders\/q\/orders\.created\//),
      expect.stringMatching(/^DELETE \/api\/bindings\/orders\/e\/orders\.dlx\/q\/orders\.dead\//),
      'DELETE /api/policies/orders/dlx',
      'DELETE /api/queues/orders/orders.created?if-empty=true',
      'DELETE /api/queues/orders/orders.dead',
    ]);
  });

  test('a vhost removed from the config is deleted only when none of its queues holds messages (or has no known count)', async () => {
    const { api, client } = setup();
    await applyDefinitions(client(), V1);
    const none = normalizeDefinitions({}, BROKER);
    api.queues.get('orders|orders.created')!.messages = 1;
    expect((await applyDefinitions(client(), none, { previous: V1 })).kept).toEqual([
      'queue orders/orders.created was removed from the config but holds 1 message(s): kept; drain it and delete it, or declare it again with deleteWithMessages, deploy, then remove it',
      'vhost orders was removed from the config but its queue(s) orders.created (1) hold messages: kept; drain them and delete the vhost',
    ]);
    expect(api.vhosts.has('orders')).toBe(true);
    // An application's queue whose count the broker does not report yet also keeps it.
    const { api: api2, client: client2 } = setup();
    await applyDefinitions(client2(), V1);
    await client2().putQueue('orders', 'app.own', { durable: true, arguments: {} });
    (api2.queues.get('orders|app.own') as { messages?: number }).messages = undefined;
    expect((await applyDefinitions(client2(), none, { previous: V1 })).kept).toEqual([
      'vhost orders was removed from the config but its queue(s) app.own (count unknown) hold messages: kept; drain them and delete the vhost',
    ]);
    const { api: api3, client: client3 } = setup();
    await applyDefinitions(client3(), V1);
    const r = await applyDefinitions(client3(), none, { previous: V1 });
    expect(r.writes.at(-1)).toBe('DELETE /api/vhosts/orders');
    expect(api3.vhosts.has('orders')).toBe(false);
  });

  test('a queue that got a message after the read: the broker refuses the if-empty delete; the queue and its vhost stay', async () => {
    const { api, client } = setup();
    await applyDefinitions(client(), V1);
    // A publisher's message lands between the read and the delete.
    const racing: typeof fetch = async (input, init) => {
      if ((init?.method ?? 'GET') === 'DELETE' && String(input).includes('/api/queues/orders/orders.dead'))
        api.queues.get('orders|orders.dead')!.messages = 1;
      return api.fetch(input, init);
    };
    const raced = new DefinitionsClient({
      baseUrl: 'https://b-1.mq.eu-west-1.on.aws',
      credentials: { username: 'admin', password: 'pw' },
      fetch: racing,
    });
    const r = await applyDefinitions(raced, normalizeDefinitions({}, BROKER), { previous: V1 });
    expect(r.kept).toEqual([
      'queue orders/orders.dead was removed from the config but holds messages (the broker refused to delete it): kept; drain it and delete it, or declare it again with deleteWithMessages, deploy, then remove it',
      'vhost orders was removed from the config but keeps a queue that holds messages: kept',
    ]);
    expect(api.queues.get('orders|orders.dead')!.messages).toBe(1);
    expect(api.vhosts.has('orders')).toBe(true);
  });
});

describe('compareDefinitions', () => {
  test('missing, different and extra definitions, one line each; the broker and Amazon MQ defaults are not drift', async () => {
    const { api, client } = setup();
    await applyDefinitions(client(), V1);
    api.policies.set('orders|dlx', { ...api.policies.get('orders|dlx')!, priority: 7 });
    api.policies.set('orders|AWS-DEFAULT-POLICY-CLUSTER', {
      vhost: 'orders',
      name: 'AWS-DEFAULT-POLICY-CLUSTER',
      pattern: '.*',
      'apply-to': 'all',
      priority: 0,
      definition: {},
    });
    api.queues.delete('orders|orders.dead');
    await client().putQueue('orders', 'stray', { durable: true, arguments: {} });
    api.limits.set('orders', { 'max-queues': 20 });
    const lines = compareDefinitions(V1, await readLive(client(), vhostsOf(V1))).map(formatDifference);
    expect(lines).toEqual([
      '+ queue orders/orders.dead: declared, not on the broker',
      '~ policy orders/dlx: differs (priority: 7 -> 0)',
      '~ limit orders/max-queues: differs (value: 20 -> 10)',
      '- queue orders/stray: on the broker, not declared',
    ]);
  });
});

describe('compareDefinitions on "/"', () => {
  test('the limits and AWS-DEFAULT policies Amazon MQ puts on "/" are not drift', async () => {
    const { api, client } = setup();
    const doc = normalizeDefinitions({ queues: [{ name: 'jobs' }] }, BROKER);
    await applyDefinitions(client(), doc);
    api.limits.set('/', { 'max-connections': 5000, 'max-queues': 5000 });
    api.policies.set('/|AWS-DEFAULT-POLICY-CLUSTER', {
      vhost: '/',
      name: 'AWS-DEFAULT-POLICY-CLUSTER',
      pattern: '.*',
      'apply-to': 'all',
      priority: 0,
      definition: {},
    });
    expect(compareDefinitions(doc, await readLive(client(), vhostsOf(doc)))).toEqual([]);
  });
});

describe('compareUsers', () => {
  test('a missing pair user, other tags, and missing, different or extra permissions', async () => {
    const { api, client } = setup();
    const all = { configure: '.*', write: '.*', read: '.*' };
    api.users.set('app', {
      tags: ['monitoring'],
      permissions: new Map([
        ['orders', { ...all, read: '^x$' }],
        ['/', all],
      ]),
    });
    const wanted = {
      tags: ['management'],
      permissions: [
        { vhost: 'orders', ...all },
        { vhost: 'billing', ...all },
      ],
    };
    const lines = (
      await compareUsers(client(), [
        { username: 'app', ...wanted },
        { username: 'app_clone', ...wanted },
      ])
    ).map(formatDifference);
    expect(lines).toEqual([
      '~ user app: differs (tags: ["monitoring"] -> ["management"])',
      '~ permission app@orders: differs (read: ^x$ -> .*)',
      '+ permission app@billing: declared, not on the broker',
      '- permission app@/: on the broker, not declared',
      '+ user app_clone: declared, not on the broker',
    ]);
  });
});

describe('the custom resource', () => {
  const ADMIN = 'arn:aws:secretsmanager:eu-west-1:1:secret:mq-platform/test/rmq/admin-AbC';
  function event(type: 'Create' | 'Update' | 'Delete', doc: unknown, old?: unknown, brokerId = 'b-1'): CloudFormationCustomResourceEvent {
    const props = (d: unknown, id = brokerId) => ({
      ServiceToken: 'x',
      Kind: 'RabbitMqDefinitions',
      BrokerId: id,
      ManagementUrl: 'https://b-1.mq.eu-west-1.on.aws',
      AdministratorSecretArn: ADMIN,
      Definitions: JSON.stringify(d),
    });
    return {
      RequestType: type,
      ResourceProperties: props(doc),
      ...(old ? { OldResourceProperties: props(old, 'b-1'), PhysicalResourceId: 'rabbitmq-definitions/b-1' } : {}),
      ...(type === 'Delete' ? { PhysicalResourceId: 'rabbitmq-definitions/b-1' } : {}),
    } as unknown as CloudFormationCustomResourceEvent;
  }
  function deps(api: FakeDefinitionsApi) {
    const sm = new FakeSecretsManager();
    sm.add(ADMIN, 'mq-platform/test/rmq/admin', { username: 'admin', password: 'pw' });
    return { secretsManager: sm.client, fetch: api.fetch, log: silentLogger };
  }

  test('Create applies; Update deletes what the old properties declared; Delete keeps everything and calls nothing', async () => {
    const api = new FakeDefinitionsApi();
    expect(await onCustomResourceEvent(event('Create', V1), deps(api))).toEqual({
      PhysicalResourceId: 'rabbitmq-definitions/b-1',
      Data: { Writes: '9', Kept: '0' },
    });
    const v2 = normalizeDefinitions({ ...INPUT, policies: [] }, BROKER);
    expect(await onCustomResourceEvent(event('Update', v2, V1), deps(api))).toEqual({
      PhysicalResourceId: 'rabbitmq-definitions/b-1',
      Data: { Writes: '1', Kept: '0' },
    });
    expect(api.policies.size).toBe(0);
    api.writes.length = 0;
    expect(await onCustomResourceEvent(event('Delete', v2), deps(api))).toEqual({ PhysicalResourceId: 'rabbitmq-definitions/b-1' });
    expect(api.writes).toEqual([]);
    expect(api.queues.size).toBe(2);
  });

  test('a replaced broker (new BrokerId) deletes nothing of the old document', async () => {
    const api = new FakeDefinitionsApi();
    await onCustomResourceEvent(event('Create', V1), deps(api));
    api.writes.length = 0;
    await onCustomResourceEvent(event('Update', normalizeDefinitions({}, BROKER), V1, 'b-2'), deps(api));
    expect(api.writes).toEqual([]);
  });
});
