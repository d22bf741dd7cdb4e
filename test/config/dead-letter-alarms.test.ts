import { BrokerMetrics } from '../../lib/amazonmq/metrics';
import {
  activeMqDeadLetterQueueOf,
  defaultDeadLetterQueues,
  individualDeadLetterPrefixes,
  matchesActiveMqWildcard,
} from '../../lib/config/resolve-dead-letters';
import type { BrokerConfig } from '../../lib/config/schema';
import type { DestinationPolicyConfig } from '../../lib/config/schema-configuration';
import { validateConfig } from '../../lib/config/validate';
import { alarmMetric } from '../../lib/constructs/monitoring/broker-alarms';
import { minimalConfig } from '../support/configs';

type Mutable = any; // test configs are edited freely, then validated

describe('ActiveMQ destination wildcards', () => {
  test.each([
    ['>', 'orders.created', true],
    ['orders.>', 'orders.created', true],
    ['orders.>', 'orders.created.eu', true],
    ['orders.>', 'payments.created', false],
    ['orders.*', 'orders.created', true],
    ['orders.*', 'orders.created.eu', false],
    ['*.created', 'orders.created', true],
    ['orders.created', 'orders.created', true],
    ['orders.created', 'orders', false],
  ])('%s matches %s: %s', (pattern, name, expected) => {
    expect(matchesActiveMqWildcard(pattern, name)).toBe(expected);
  });
});

describe('the dead-letter queue of a queue', () => {
  const individual = (queue: string, queuePrefix?: string): DestinationPolicyConfig => ({
    queue,
    deadLetter: { strategy: 'individual', ...(queuePrefix ? { queuePrefix } : {}) },
  });
  test.each<[string, DestinationPolicyConfig[], string | undefined]>([
    ['no policy: ActiveMQ.DLQ', [], 'ActiveMQ.DLQ'],
    ['a policy without deadLetter: ActiveMQ.DLQ', [{ queue: '>', memoryLimit: '16 mb' }], 'ActiveMQ.DLQ'],
    ['individual, default prefix', [individual('>')], 'DLQ.orders.created'],
    ['individual, own prefix', [individual('>', 'DEAD.')], 'DEAD.orders.created'],
    ['shared, default queue', [{ queue: '>', deadLetter: { strategy: 'shared' } }], 'ActiveMQ.DLQ'],
    ['shared, own queue', [{ queue: 'orders.>', deadLetter: { strategy: 'shared', deadLetterQueue: 'orders.dead' } }], 'orders.dead'],
    ['discard: none', [{ queue: '>', deadLetter: { strategy: 'discard' } }], undefined],
    ['a topic policy does not apply', [{ topic: '>', deadLetter: { strategy: 'individual' } }], 'ActiveMQ.DLQ'],
    ['a policy for other queues does not apply', [individual('payments.>')], 'ActiveMQ.DLQ'],
    ['the most specific policy wins', [individual('>'), individual('orders.>', 'ORDERS.DLQ.')], 'ORDERS.DLQ.orders.created'],
  ])('%s', (_, policies, expected) => {
    expect(activeMqDeadLetterQueueOf('orders.created', policies)).toBe(expected);
  });
});

describe('dead-letter queues the alarms watch by default', () => {
  const broker = (edit: (b: Mutable) => void): BrokerConfig => {
    const b: Mutable = structuredClone(minimalConfig().brokers[0]);
    edit(b);
    return b as BrokerConfig;
  };
  const dlqPolicy = { queue: '>', deadLetter: { strategy: 'individual', queuePrefix: 'DLQ.' } };
  test.each<[string, (b: Mutable) => void, string[], string[]]>([
    ['no policy', () => undefined, ['ActiveMQ.DLQ'], []],
    [
      'individual strategy, no queue named: only the shared queue (no prefix match in Metrics Insights)',
      (b) => (b.configuration = { activemq: { destinationPolicies: [dlqPolicy] } }),
      ['ActiveMQ.DLQ'],
      ['DLQ.'],
    ],
    [
      'individual strategy: DLQ.<queue> of each named queue and consumed queue',
      (b) => {
        b.configuration = { activemq: { destinationPolicies: [dlqPolicy] } };
        b.queues = [{ name: 'orders.created' }, { name: 'DLQ.orders.old' }];
        b.consumers = [{ name: 'n', functionName: 'f', roleArn: 'arn:aws:iam::123456789012:role/r', queue: 'orders.paid', user: 'app' }];
      },
      ['ActiveMQ.DLQ', 'DLQ.orders.created', 'DLQ.orders.old', 'DLQ.orders.paid'],
      ['DLQ.'],
    ],
    [
      'discard: nothing more',
      (b) => {
        b.configuration = { activemq: { destinationPolicies: [{ queue: '>', deadLetter: { strategy: 'discard' } }] } };
        b.queues = [{ name: 'orders.created' }];
      },
      ['ActiveMQ.DLQ'],
      [],
    ],
  ])('%s', (_, edit, queues, prefixes) => {
    const b = broker(edit);
    expect(defaultDeadLetterQueues(b).map((q) => q.name)).toEqual(queues);
    expect(individualDeadLetterPrefixes(b)).toEqual(prefixes);
  });

  test('RabbitMQ: none', () => {
    expect(defaultDeadLetterQueues(minimalConfig().brokers[1] as BrokerConfig)).toEqual([]);
  });
});

describe('dead-letter alarms of an individual strategy', () => {
  function plan(edit: (b: Mutable) => void) {
    const c: Mutable = structuredClone(minimalConfig());
    c.brokers[0].configuration = {
      activemq: { destinationPolicies: [{ queue: '>', deadLetter: { strategy: 'individual', queuePrefix: 'DLQ.' } }] },
    };
    edit(c.brokers[0]);
    const { plan: p, problems } = validateConfig(c);
    expect(problems).toEqual([]);
    return p!.brokers[0];
  }

  test('each DLQ.<queue> gets a dead-letter alarm (above 0) and leaves the any-queue depth query', () => {
    const b = plan((x) => (x.queues = [{ name: 'orders.created' }]));
    const dead = b.alarms.filter((a) => a.watch.kind === 'dead-letters');
    expect(dead.map((a) => [a.id, a.alarmName, a.threshold, a.comparison, a.missingDataBreaches])).toEqual([
      ['DeadLettersActiveMQ.DLQ', 'mq-platform-test-amq-dead-letters-ActiveMQ.DLQ', 0, 'above', false],
      ['DeadLettersDLQ.orders.created', 'mq-platform-test-amq-dead-letters-DLQ.orders.created', 0, 'above', false],
    ]);
    expect(dead[1].description).toMatch(/dead-letter queue DLQ\.orders\.created is not empty.*First: read a few messages/);
    const any = b.alarms.find((a) => a.watch.kind === 'any-queue-depth')!;
    const metrics = new BrokerMetrics({
      brokerName: b.brokerName,
      engine: b.engine,
      engineVersion: b.engineVersion,
      deploymentMode: b.deploymentMode,
    });
    const query = (alarmMetric(metrics, any.watch) as Mutable).expression as string;
    expect(query).toContain(`AND Queue != 'ActiveMQ.DLQ' AND Queue != 'DLQ.orders.created'`);
    expect(any.description).toContain('DLQ.<queue> of queues not named in queues or consumers count here too');
  });

  test('an explicit deadLetterQueues list still wins', () => {
    const b = plan((x) => (x.deadLetterQueues = [{ name: 'orders.dead' }]));
    expect(b.alarms.filter((a) => a.watch.kind === 'dead-letters').map((a) => a.alarmName)).toEqual([
      'mq-platform-test-amq-dead-letters-orders.dead',
    ]);
  });
});
