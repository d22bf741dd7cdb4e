import * as fs from 'node:fs';
import * as path from 'node:path';
import { StompMessagingClient, type ReceivedMessage } from '../../lib/client';
import { renderBrokerConfiguration } from '../../lib/config/resolve-configuration';
import { formatProblem } from '../../lib/config/rules/problem';
import { validateConfig } from '../../lib/config/validate';
import { ActiveMqBroker, TestCa, makeCa, secret, tempDir } from './harness/brokers';
import { nextMessage } from './harness/helpers';

/**
 * The ActiveMQ configuration mq-platform generates for Amazon MQ, loaded into the real ActiveMQ on
 * loopback: the harness wraps the generated `<broker>` document into a runnable activemq.xml (its
 * TLS STOMP connector, its users in a simpleAuthenticationPlugin) and the test proves the
 * authorization map and the dead-letter policy behave.
 *
 * Debian's broker is ActiveMQ 5.17; Amazon MQ runs 5.18 and 5.19. The elements used here
 * (authorizationPlugin/authorizationMap, redeliveryPlugin, individualDeadLetterStrategy,
 * policyEntry expireMessagesPeriod, schedulerSupport) are the same in the 5.17, 5.18 and 5.19
 * schemas. What differs on Amazon MQ: users come from the broker's Users (not a
 * simpleAuthenticationPlugin), Amazon MQ adds the activemq-webconsole group with admin everywhere,
 * and it drops any element outside its schema (the configuration rules refuse those at synth).
 */

const users = {
  writer: { username: 'writer', password: secret(), groups: ['writers'] },
  // Consumers of orders.> also write it: broker redelivery re-sends a rejected message as its consumer.
  reader: { username: 'reader', password: secret(), groups: ['readers'] },
  observer: { username: 'observer', password: secret(), groups: ['observers'] },
};

/** A broker of a validated config, as synth would configure it. */
function generatedConfiguration(): string {
  const raw = {
    environment: 'it',
    region: 'eu-west-1',
    network: { mode: 'create', cidr: '10.0.0.0/16', availabilityZones: ['eu-west-1a', 'eu-west-1b'] },
    brokers: [
      {
        name: 'orders',
        engine: 'ACTIVEMQ',
        engineVersion: '5.19',
        deploymentMode: 'SINGLE_INSTANCE',
        instanceType: 'mq.m5.large',
        rotation: { acceptRebootDowntime: true },
        users: [
          { username: 'writer', groups: ['writers'] },
          { username: 'reader', groups: ['readers'] },
          { username: 'observer', groups: ['observers'] },
        ],
        configuration: {
          activemq: {
            destinationPolicies: [
              {
                queue: 'orders.>',
                expireMessagesPeriodMs: 500,
                deadLetter: { strategy: 'individual', queuePrefix: 'DLQ.', processExpired: true },
              },
            ],
            redelivery: {
              policies: [{ queue: 'orders.>', maximumRedeliveries: 1, initialRedeliveryDelayMs: 1000, redeliveryDelayMs: 1000 }],
            },
            authorization: [
              { queue: 'orders.>', read: ['readers'], write: ['writers', 'readers'], admin: ['readers', 'writers'] },
              { queue: 'DLQ.orders.>', read: ['readers'], admin: ['readers'] },
              { queue: 'reports.>', read: ['observers'], admin: ['observers'] },
            ],
          },
        },
      },
    ],
  };
  const result = validateConfig(raw);
  expect(result.problems.map(formatProblem)).toEqual([]);
  const broker = result.plan!.brokers[0];
  return renderBrokerConfiguration(broker.configuration!);
}

let dir: string;
let ca: TestCa;
let broker: ActiveMqBroker;
const clients: StompMessagingClient[] = [];

function client(user: { username: string; password: string }): StompMessagingClient {
  const c = new StompMessagingClient({
    endpoints: [`stomp+ssl://127.0.0.1:${broker.port}`],
    username: user.username,
    password: user.password,
    ca: fs.readFileSync(ca.caFile),
    backoff: { maxAttempts: 2, initialDelayMs: 100 },
    connectTimeoutMs: 5000,
    autoReconnect: false,
  });
  clients.push(c);
  return c;
}

beforeAll(async () => {
  dir = tempDir('activemq-configuration');
  ca = await makeCa(path.join(dir, 'ca'));
  const xml = generatedConfiguration();
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'amazon-mq-configuration.xml'), xml);
  broker = new ActiveMqBroker(path.join(dir, 'amq'), ca, 'amq', secret(), {
    users: Object.values(users),
    amazonMqConfiguration: xml,
  });
  await broker.start();
}, 120000);

afterEach(async () => {
  for (const c of clients.splice(0)) await c.close().catch(() => undefined);
});

afterAll(async () => {
  await broker?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test('the generated configuration carries the authorization map, the redelivery plugin and the dead-letter policy', () => {
  const xml = fs.readFileSync(path.join(dir, 'amazon-mq-configuration.xml'), 'utf8');
  expect(xml).toContain('<authorizationEntry queue="orders.&gt;" read="readers" write="writers,readers" admin="readers,writers"/>');
  expect(xml).toContain('<individualDeadLetterStrategy queuePrefix="DLQ." useQueueForQueueMessages="true" processExpired="true"/>');
  expect(xml).toContain('<redeliveryPlugin fallbackToDeadLetter="true" sendToDlqIfMaxRetriesExceeded="true">');
  expect(fs.readFileSync(path.join(dir, 'amq', 'conf', 'activemq.xml'), 'utf8')).toContain('schedulerSupport="true"');
});

test('a user without write on the queue is refused; the writer is not', async () => {
  const writer = client(users.writer);
  await writer.connect();
  await writer.publish('orders.created', `ok ${Date.now()}`);

  const observer = client(users.observer);
  await observer.connect();
  await expect(observer.publish('reports.daily', 'not allowed')).rejects.toThrow(
    /User observer is not authorized to write to: queue:\/\/reports\.daily/,
  );
});

test('a user without read is refused as a consumer', async () => {
  const writer = client(users.writer);
  await writer.connect();
  await expect(nextMessage(writer, 'orders.created', 5000)).rejects.toThrow(
    /User writer is not authorized to read from: queue:\/\/orders\.created/,
  );
});

test('an expired message lands in its own dead-letter queue (DLQ.<queue>)', async () => {
  const queue = `orders.expiring.${Date.now()}`;
  const writer = client(users.writer);
  await writer.connect();
  // STOMP "expires" is an absolute time in ms; nobody consumes, the broker's expiry sweep (500 ms) dead-letters it.
  await writer.publish(queue, 'expires soon', { headers: { expires: String(Date.now() + 300) } });

  const reader = client(users.reader);
  await reader.connect();
  const { message, cancel } = await nextMessage(reader, `DLQ.${queue}`, 20000);
  expect(message.body.toString()).toBe('expires soon');
  await message.ack();
  await cancel();
});

test('a poisoned message is redelivered once (redelivery plugin), then lands in its own dead-letter queue', async () => {
  const queue = `orders.poison.${Date.now()}`;
  const writer = client(users.writer);
  await writer.connect();
  await writer.publish(queue, 'poison');

  const consumer = client(users.reader);
  await consumer.connect();
  const deliveries: ReceivedMessage[] = [];
  const sub = await consumer.consume(queue, async (m) => {
    deliveries.push(m);
    await m.nack(); // the consumer rejects it every time
  });

  const reader = client(users.reader);
  await reader.connect();
  const { message, cancel } = await nextMessage(reader, `DLQ.${queue}`, 20000);
  expect(message.body.toString()).toBe('poison');
  // First delivery plus the one redelivery the policy allows (maximumRedeliveries 1).
  expect(deliveries.length).toBe(2);
  await message.ack();
  await cancel();
  await sub.cancel();
});
