/**
 * RabbitMQ definitions against a real broker (Debian rabbitmq-server 3.10, management plugin,
 * 127.0.0.1) through the code the custom resource runs: the rotation function's handler
 * (createHandler) with a `Custom::MqPlatformRabbitMqDefinitions` event, the administrator's secret in
 * the in-memory Secrets Manager, and a fetch that counts the management API's writes.
 *
 * Where 3.10 differs from what Amazon MQ runs (3.13, 4.2, 4.3): policies here apply to "queues"
 * (apply-to classic_queues/quorum_queues/streams came with 3.12); quorum queues have no priorities
 * (4.x); 3.10 still accepts transient non-exclusive queues and ha-* policies, which 4.x refuses and
 * synth rejects for 4.x (lib/config/rules/definitions-rules.ts); its PUT /api/vhost-limits answers
 * 406 to `accept: application/json` (the client accepts any type there). Creating a vhost through the API gives
 * the creating user (the administrator) full permissions on it, which the applier relies on.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { main } from '../../lib/cli/main';
import { normalizeDefinitions, type DefinitionsInput, type RabbitMqDefinitions } from '../../lib/rabbitmq/definitions';
import { compareDefinitions, formatDifference, readLive, vhostsOf } from '../../lib/rabbitmq/definitions-apply';
import { DefinitionsClient } from '../../lib/rabbitmq/definitions-client';
import { createHandler } from '../../lib/rotation/factory';
import { silentLogger } from '../../lib/rotation/log';
import { FakeSecretsManager } from '../rotation/fake-aws';
import { RabbitBroker, makeCa, tempDir } from './harness/brokers';

const ADMIN = 'arn:aws:secretsmanager:eu-west-1:1:secret:mq-platform/it/events/admin-AbC';
const APP = 'arn:aws:secretsmanager:eu-west-1:1:secret:mq-platform/it/events/orders-app-DeF';
const BROKER = { deploymentMode: 'CLUSTER_MULTI_AZ', engineVersion: '3.13' };
const APP_PERMISSION = { configure: '^$', write: '^orders$', read: '^orders\\.' };

const V1: DefinitionsInput = {
  vhosts: [{ name: 'orders' }],
  exchanges: [
    { vhost: 'orders', name: 'orders', type: 'topic' },
    { vhost: 'orders', name: 'orders.dlx', type: 'fanout' },
  ],
  queues: [
    { vhost: 'orders', name: 'orders.created', arguments: { 'x-max-length': 100000 } },
    { vhost: 'orders', name: 'orders.dead' },
  ],
  bindings: [
    { vhost: 'orders', source: 'orders', destination: 'orders.created', routingKey: 'orders.created.#' },
    { vhost: 'orders', source: 'orders.dlx', destination: 'orders.dead' },
  ],
  policies: [
    {
      vhost: 'orders',
      name: 'orders-dlx',
      pattern: '^orders\\.created$',
      definition: { 'dead-letter-exchange': 'orders.dlx', 'delivery-limit': 5, 'message-ttl': 3600000 },
    },
  ],
  limits: [{ vhost: 'orders', maxQueues: 50 }],
};

describe('RabbitMQ definitions against a real broker (3.10)', () => {
  let dir: string;
  let node: RabbitBroker;
  let sm: FakeSecretsManager;
  let handler: ReturnType<typeof createHandler>;
  let client: DefinitionsClient;
  const writes: string[] = [];
  let properties: Record<string, unknown> | undefined;
  let lastResponse: { Data?: Record<string, string> } | undefined;

  /** The fetch the function uses, recording every call that is not a read. */
  const countingFetch: typeof fetch = (input, init) => {
    const method = init?.method ?? 'GET';
    if (method !== 'GET') writes.push(`${method} ${new URL(String(input)).pathname}`);
    return fetch(input, init);
  };

  /** What CloudFormation sends: Create first, then Update with the previous properties. */
  async function deploy(input: DefinitionsInput | RabbitMqDefinitions): Promise<string[]> {
    const doc = isDocument(input) ? input : normalizeDefinitions(input, BROKER);
    const props = {
      ServiceToken: 'x',
      Kind: 'RabbitMqDefinitions',
      BrokerId: 'b-local',
      ManagementUrl: node.managementUrl,
      AdministratorSecretArn: ADMIN,
      Definitions: JSON.stringify(doc),
    };
    const start = writes.length;
    const event = {
      RequestType: properties ? 'Update' : 'Create',
      ResponseURL: '',
      StackId: 's',
      RequestId: 'r',
      LogicalResourceId: 'EventsDefinitions',
      ResourceType: 'Custom::MqPlatformRabbitMqDefinitions',
      ServiceToken: 'x',
      ResourceProperties: props,
      ...(properties ? { PhysicalResourceId: 'rabbitmq-definitions/b-local', OldResourceProperties: properties } : {}),
    } as unknown as CloudFormationCustomResourceEvent;
    const out = await handler(event);
    expect(out).toEqual(expect.objectContaining({ PhysicalResourceId: 'rabbitmq-definitions/b-local' }));
    lastResponse = out as typeof lastResponse;
    properties = props;
    return writes.slice(start);
  }

  async function drift(doc: RabbitMqDefinitions): Promise<string[]> {
    return compareDefinitions(doc, await readLive(client, vhostsOf(doc))).map(formatDifference);
  }

  async function publish(vhost: string, queue: string, count: number): Promise<void> {
    for (let i = 0; i < count; i++) {
      const res = await fetch(`${node.managementUrl}/api/exchanges/${encodeURIComponent(vhost)}/amq.default/publish`, {
        method: 'POST',
        headers: { authorization: auth(), 'content-type': 'application/json' },
        body: JSON.stringify({ properties: { delivery_mode: 2 }, routing_key: queue, payload: `m${i}`, payload_encoding: 'string' }),
      });
      expect(await res.json()).toEqual({ routed: true });
    }
    // Message counts come from statistics, emitted every few seconds.
    for (let i = 0; i < 60; i++) {
      if (((await client.queue(vhost, queue))?.messages ?? 0) >= count) return;
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error(`queue ${queue} never showed ${count} messages`);
  }
  /** What CloudFormation sends the users custom resource of the pair orders-app / orders-app_clone. */
  const usersEvent = () =>
    ({
      RequestType: 'Create',
      ResponseURL: '',
      StackId: 's',
      RequestId: 'r',
      LogicalResourceId: 'OrdersAppUsers',
      ResourceType: 'Custom::MqPlatformRabbitMqUser',
      ServiceToken: 'x',
      ResourceProperties: {
        ServiceToken: 'x',
        Kind: 'RabbitMqUser',
        BrokerId: 'b-local',
        ManagementUrl: node.managementUrl,
        AdministratorSecretArn: ADMIN,
        SecretArn: APP,
        Username: 'orders-app',
        PartnerUsername: 'orders-app_clone',
        Tags: [],
        Permissions: [{ Vhost: 'orders', Configure: APP_PERMISSION.configure, Write: APP_PERMISSION.write, Read: APP_PERMISSION.read }],
      },
    }) as unknown as CloudFormationCustomResourceEvent;
  const auth = () => `Basic ${Buffer.from(`${node.username}:${node.password}`).toString('base64')}`;

  beforeAll(async () => {
    dir = tempDir('definitions');
    const ca = await makeCa(path.join(dir, 'ca'));
    node = new RabbitBroker(path.join(dir, 'rabbit'), ca);
    await node.start();
    sm = new FakeSecretsManager();
    sm.add(ADMIN, 'mq-platform/it/events/admin', { username: node.username, password: node.password });
    sm.add(APP, 'mq-platform/it/events/orders-app', { username: 'orders-app', password: 'orders-app-first-password-01' });
    handler = createHandler({ brokers: [], secretsManager: sm.client, fetch: countingFetch, log: silentLogger });
    client = new DefinitionsClient({ baseUrl: node.managementUrl, credentials: { username: node.username, password: node.password } });
  }, 120000);

  afterAll(async () => {
    await node?.shutdown();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }, 90000);

  test('apply: vhost, exchanges, quorum and dead-letter queues, bindings, policy and limits; nothing left to differ', async () => {
    const made = await deploy(V1);
    expect(made).toEqual([
      'PUT /api/vhosts/orders',
      'PUT /api/vhost-limits/orders/max-queues',
      'PUT /api/exchanges/orders/orders',
      'PUT /api/exchanges/orders/orders.dlx',
      'PUT /api/queues/orders/orders.created',
      'PUT /api/queues/orders/orders.dead',
      'POST /api/bindings/orders/e/orders/q/orders.created',
      'POST /api/bindings/orders/e/orders.dlx/q/orders.dead',
      'PUT /api/policies/orders/orders-dlx',
    ]);
    expect(await drift(normalizeDefinitions(V1, BROKER))).toEqual([]);
    expect((await client.queue('orders', 'orders.created'))?.type).toBe('quorum');
  });

  test('the users custom resource, which runs after the definitions, gives an application pair its permission on the new vhost', async () => {
    await handler(usersEvent());
    for (const user of ['orders-app', 'orders-app_clone'])
      expect(await client.userPermissions(user)).toEqual([{ vhost: 'orders', ...APP_PERMISSION }]);
  });

  test('apply again with no change: no write call', async () => {
    expect(await deploy(V1)).toEqual([]);
  });

  test('change: the policy is updated in place, a new queue and binding are created, a removed binding is deleted', async () => {
    const v2: DefinitionsInput = {
      ...V1,
      queues: [...V1.queues!, { vhost: 'orders', name: 'orders.audit', type: 'classic' }],
      bindings: [V1.bindings![1], { vhost: 'orders', source: 'orders', destination: 'orders.audit', routingKey: '#' }],
      policies: [{ ...V1.policies![0], definition: { ...V1.policies![0].definition, 'message-ttl': 600000 } }],
    };
    const made = await deploy(v2);
    expect(made).toEqual([
      'PUT /api/queues/orders/orders.audit',
      'POST /api/bindings/orders/e/orders/q/orders.audit',
      'PUT /api/policies/orders/orders-dlx',
      expect.stringMatching(/^DELETE \/api\/bindings\/orders\/e\/orders\/q\/orders\.created\//),
    ]);
    expect(await drift(normalizeDefinitions(v2, BROKER))).toEqual([]);
    expect(await deploy(v2)).toEqual([]);
  });

  test('a queue type change is refused before any write, naming the queue and what differs', async () => {
    const current = JSON.parse(String(properties!.Definitions)) as RabbitMqDefinitions;
    const input: DefinitionsInput = {
      ...V1,
      queues: current.queues.map((q) => (q.name === 'orders.audit' ? { ...q, type: 'quorum' as const } : q)),
      bindings: current.bindings,
      policies: current.policies,
    };
    const before = properties;
    await expect(deploy(input)).rejects.toThrow(
      'definitions not applied (nothing was changed): queue orders/orders.audit differs in what RabbitMQ cannot change in place (type: classic -> quorum)',
    );
    properties = before;
    expect(writes.slice(-1)[0]).not.toMatch(/orders\.audit/);
  });

  test('a removed queue that holds messages is not deleted (kept and reported); with deleteWithMessages it is', async () => {
    const current = JSON.parse(String(properties!.Definitions)) as RabbitMqDefinitions;
    await publish('orders', 'orders.audit', 3);
    const without = { ...current, queues: current.queues.filter((q) => q.name !== 'orders.audit') };
    const withoutBinding = { ...without, bindings: without.bindings.filter((b) => b.destination !== 'orders.audit') };
    expect(await deploy(withoutBinding)).toEqual([expect.stringMatching(/^DELETE \/api\/bindings\/orders\/e\/orders\/q\/orders\.audit\//)]);
    expect(lastResponse?.Data).toEqual({ Writes: '1', Kept: '1' });
    expect((await client.queue('orders', 'orders.audit'))?.messages).toBe(3);

    // Declared again, now with deleteWithMessages (the queue is as declared: only its binding comes back), then removed: deleted.
    const flagged = { ...current, queues: current.queues.map((q) => (q.name === 'orders.audit' ? { ...q, deleteWithMessages: true } : q)) };
    expect(await deploy(flagged)).toEqual(['POST /api/bindings/orders/e/orders/q/orders.audit']);
    expect(await deploy(withoutBinding)).toEqual([
      expect.stringMatching(/^DELETE \/api\/bindings\/orders\/e\/orders\/q\/orders\.audit\//),
      'DELETE /api/queues/orders/orders.audit',
    ]);
    expect(await client.queue('orders', 'orders.audit')).toBeUndefined();
  });

  test('drift: a manual change on the broker is found (library and `mq-platform drift`), the next apply repairs it', async () => {
    const doc = JSON.parse(String(properties!.Definitions)) as RabbitMqDefinitions;
    const res = await fetch(`${node.managementUrl}/api/policies/orders/orders-dlx`, {
      method: 'PUT',
      headers: { authorization: auth(), 'content-type': 'application/json' },
      body: JSON.stringify({ pattern: '^orders\\.', 'apply-to': 'queues', priority: 0, definition: { 'max-length': 1 } }),
    });
    expect(res.status).toBeLessThan(300);
    await client.putQueue('orders', 'orders.manual', { durable: true, arguments: {} });
    await client.deletePermission('orders-app_clone', 'orders');
    expect(await drift(doc)).toEqual([
      '~ policy orders/orders-dlx: differs (pattern: ^orders\\. -> ^orders\\.created$, definition: {"max-length":1} -> {"dead-letter-exchange":"orders.dlx","delivery-limit":5,"message-ttl":600000})',
      '- queue orders/orders.manual: on the broker, not declared',
    ]);
    // The CLI on the same broker and document (config file with the same definitions).
    const cfgDir = tempDir('drift-config');
    const secretFile = path.join(cfgDir, 'admin.json');
    fs.writeFileSync(secretFile, JSON.stringify({ username: node.username, password: node.password }), { mode: 0o600 });
    fs.mkdirSync(path.join(cfgDir, 'config'));
    fs.writeFileSync(path.join(cfgDir, 'config', 'it.json'), JSON.stringify(configWith(doc, node.username)));
    const run = async () => {
      let stdout = '';
      let stderr = '';
      const code = await main(
        ['drift', '--env', 'it', 'events', '--management-url', node.managementUrl, '--secret-json-file', secretFile],
        {
          stdout: { write: (s: string) => ((stdout += s), true) } as never,
          stderr: { write: (s: string) => ((stderr += s), true) } as never,
          env: {},
          cwd: cfgDir,
        },
      );
      return { code, stdout, stderr };
    };
    const found = await run();
    expect(found.stderr).toBe('');
    expect(found.code).toBe(1);
    expect(found.stdout).toContain('~ policy orders/orders-dlx: differs');
    expect(found.stdout).toContain('+ permission orders-app_clone@orders: declared, not on the broker');
    // As in an environment: the CLI asks the rotation function (here its handler, in process), which
    // reads the broker with the administrator's secret.
    const fn = createHandler({
      brokers: [
        {
          engine: 'RABBITMQ',
          brokerName: 'events-it',
          brokerId: 'b-local',
          managementUrl: node.managementUrl,
          administratorSecretArn: ADMIN,
          credentials: [],
        },
      ],
      secretsManager: sm.client,
      log: silentLogger,
    });
    let viaFunction = '';
    const code = await main(['drift', '--env', 'it'], {
      stdout: { write: (s: string) => ((viaFunction += s), true) } as never,
      stderr: { write: () => true } as never,
      env: {},
      cwd: cfgDir,
      lambdaInvoker: () => async (_name, event) => JSON.parse(JSON.stringify(await fn(event))),
    });
    expect(code).toBe(1);
    expect(viaFunction).toBe(found.stdout);
    expect(await deploy(JSON.parse(String(properties!.Definitions)))).toEqual(['PUT /api/policies/orders/orders-dlx']);
    await client.deleteQueue('orders', 'orders.manual', true);
    await handler(usersEvent()); // the users custom resource puts the permission back
    expect((await run()).code).toBe(0);
    fs.rmSync(cfgDir, { recursive: true, force: true });
  });
});

function isDocument(d: DefinitionsInput | RabbitMqDefinitions): d is RabbitMqDefinitions {
  return (d.vhosts ?? []).some((v) => typeof v === 'string');
}

/** An environment config whose RabbitMQ broker "events" declares the document (for the CLI). */
function configWith(doc: RabbitMqDefinitions, admin: string): unknown {
  return {
    environment: 'it',
    region: 'eu-west-1',
    tags: { owner: 'it' },
    network: { mode: 'create', cidr: '10.20.0.0/16', availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'] },
    brokers: [
      {
        name: 'events',
        engine: 'RABBITMQ',
        engineVersion: '3.13',
        deploymentMode: 'CLUSTER_MULTI_AZ',
        instanceType: 'mq.m5.large',
        administrator: { username: admin },
        users: [{ username: 'orders-app', permissions: [{ vhost: 'orders', ...APP_PERMISSION }] }],
        definitions: {
          vhosts: doc.vhosts.map((name) => ({ name })),
          exchanges: doc.exchanges,
          queues: doc.queues.map(({ deleteWithMessages, ...q }) => ({ ...q, ...(deleteWithMessages ? { deleteWithMessages } : {}) })),
          bindings: doc.bindings,
          policies: doc.policies,
          limits: doc.limits.map((l) => ({ vhost: l.vhost, maxQueues: l.limits['max-queues'] })),
        },
      },
    ],
  };
}
