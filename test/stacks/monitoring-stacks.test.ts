import { Match, Template } from 'aws-cdk-lib/assertions';
import { synthEnvironment } from '../../lib/app/synth';
import { planBrokerAlarms } from '../../lib/config/alarm-plan';
import { parseConfig } from '../../lib/config/load-config';
import type { ResolvedConfig } from '../../lib/config/resolve';
import { PUBLISHED_DIMENSION_SETS } from '../../lib/amazonmq/metrics';
import { alarmsOf } from '../support/alarms';
import { FIXTURES, fixtureConfig, minimalConfig } from '../support/configs';

function alarmTemplates(config: ResolvedConfig) {
  const { stacks } = synthEnvironment(config);
  return { stacks, perBroker: config.brokers.map((b, i) => ({ broker: b, template: Template.fromStack(stacks.alarms[i]) })) };
}

describe.each(FIXTURES)('test/fixtures/%s.json alarms', (stage) => {
  const config = fixtureConfig(stage);
  const { perBroker } = alarmTemplates(config);

  // The point of the issue: an alarm on a dimension set Amazon MQ never publishes sits in INSUFFICIENT_DATA forever.
  test('every alarm reads only dimension sets Amazon MQ publishes for its engine, and only its own broker', () => {
    for (const { broker, template } of perBroker) {
      const published = PUBLISHED_DIMENSION_SETS[broker.engine].map((d) => d.join(','));
      const own = broker.engine === 'RABBITMQ' ? [broker.brokerName] : [`${broker.brokerName}-1`, `${broker.brokerName}-2`];
      for (const alarm of alarmsOf(template)) {
        for (const set of alarm.dimensionSets)
          expect({ alarm: alarm.name, published: published.includes(set.join(',')) }).toEqual({ alarm: alarm.name, published: true });
        for (const b of alarm.brokers) expect(own).toContain(b);
        if (broker.engine === 'RABBITMQ' && broker.engineVersion.startsWith('4.')) {
          expect(alarm.dimensionSets.flat()).not.toContain('Queue'); // RabbitMQ 4.x publishes no queue metrics
        }
      }
    }
  });

  test('every alarm has ALARM and OK actions on the environment topic, and a description', () => {
    for (const { template } of perBroker) {
      for (const { name, properties: p } of alarmsOf(template)) {
        const topic = {
          'Fn::Join': [
            '',
            [Match.stringLikeRegexp('^arn:aws:sns:'), { Ref: 'AWS::AccountId' }, `:mq-platform-${config.environment}-alarms`],
          ],
        };
        expect({ name, actions: p.AlarmActions }).toEqual({ name, actions: [expect.anything()] });
        Template.fromJSON({ Resources: { A: { Type: 'T', Properties: p } } }).hasResourceProperties('T', {
          AlarmActions: [topic],
          OKActions: [topic],
        });
        expect(p.AlarmDescription).toMatch(/First: /);
        expect(p.AlarmName).toMatch(new RegExp(`^mq-platform-${config.environment}-[a-z0-9_-]+-`));
      }
    }
  });

  test('builds exactly the alarms the plan counts (the plan backs the stack-size rule)', () => {
    for (const { broker, template } of perBroker) {
      expect(alarmsOf(template)).toHaveLength(planBrokerAlarms(broker).total);
      expect(alarmsOf(template).filter((a) => a.queries.length > 0)).toHaveLength(planBrokerAlarms(broker).metricsInsights);
    }
  });
});

describe('prod alarms', () => {
  const { perBroker } = alarmTemplates(fixtureConfig('production'));
  const orders = alarmsOf(perBroker.find((b) => b.broker.name === 'orders')!.template);
  const events = alarmsOf(perBroker.find((b) => b.broker.name === 'events')!.template);
  const byName = (alarms: ReturnType<typeof alarmsOf>, n: string) => alarms.find((a) => a.name === n)!;

  test('ActiveMQ active/standby: health alarms read both instances, -1 and -2, as MAX of the two', () => {
    const cpu = byName(orders, 'mq-platform-production-orders-cpu');
    expect(cpu.brokers).toEqual(['orders-production-1', 'orders-production-2']);
    expect(cpu.properties.Metrics[0]).toMatchObject({ Expression: 'MAX([i1, i2])', ReturnData: true });
    expect(cpu.properties.TreatMissingData).toBe('breaching');
  });

  test('ActiveMQ any-queue depth: one Metrics Insights query per instance, dead-letter queue excluded', () => {
    expect(byName(orders, 'mq-platform-production-orders-any-queue-depth-1').queries).toEqual([
      `SELECT MAX(QueueSize) FROM SCHEMA("AWS/AmazonMQ", Broker, Queue) WHERE Broker = 'orders-production-1' AND Queue != 'ActiveMQ.DLQ'`,
    ]);
    expect(byName(orders, 'mq-platform-production-orders-any-queue-depth-2').queries).toEqual([
      `SELECT MAX(QueueSize) FROM SCHEMA("AWS/AmazonMQ", Broker, Queue) WHERE Broker = 'orders-production-2' AND Queue != 'ActiveMQ.DLQ'`,
    ]);
  });

  test('ActiveMQ dead letters: ActiveMQ.DLQ not empty, on Broker + Queue of both instances', () => {
    const dlq = byName(orders, 'mq-platform-production-orders-dead-letters-ActiveMQ.DLQ');
    expect(dlq.dimensionSets).toEqual([
      ['Broker', 'Queue'],
      ['Broker', 'Queue'],
    ]);
    expect(dlq.properties).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'notBreaching' });
  });

  test('RabbitMQ 4.2 cluster: depth from broker-level ready/unacked counts, CPU per node through Metrics Insights', () => {
    expect(byName(events, 'mq-platform-production-events-ready-messages').properties).toMatchObject({
      MetricName: 'MessageReadyCount',
      Dimensions: [{ Name: 'Broker', Value: 'events-production' }],
    });
    expect(byName(events, 'mq-platform-production-events-unacknowledged-messages').properties).toMatchObject({
      MetricName: 'MessageUnacknowledgedCount',
    });
    expect(byName(events, 'mq-platform-production-events-cpu').queries).toEqual([
      `SELECT MAX(SystemCpuUtilization) FROM SCHEMA("AWS/AmazonMQ", Broker, Node) WHERE Broker = 'events-production'`,
    ]);
    // ConnectionCount of a cluster is the sum of three nodes; a node refuses at its own connection_max
    // (Amazon MQ's RabbitMQ 4.2 default on an mq.m7g.large cluster: 500), so the sum alarms at 80% of one node's.
    expect(byName(events, 'mq-platform-production-events-connections').properties).toMatchObject({
      MetricName: 'ConnectionCount',
      Threshold: 400,
    });
  });

  test('RabbitMQ memory and disk are read against their limits', () => {
    expect(byName(events, 'mq-platform-production-events-memory').properties.Metrics[0]).toMatchObject({
      Expression: '100 * used / limit',
    });
    expect(byName(events, 'mq-platform-production-events-disk').properties).toMatchObject({
      Threshold: 2,
      ComparisonOperator: 'LessThanThreshold',
    });
  });
});

describe('RabbitMQ 3.13 named queues', () => {
  const raw: any = minimalConfig();
  Object.assign(raw.brokers[1], {
    engineVersion: '3.13',
    queues: [
      { name: 'orders', virtualHost: 'shop', maxDepth: 50 },
      { name: 'audit', alarmWithoutConsumers: false },
    ],
    deadLetterQueues: [{ name: 'orders.dlq', virtualHost: 'shop' }],
  });
  raw.monitoring = { alarms: { queueDepth: 10 } };
  const { perBroker } = alarmTemplates(parseConfig(raw));
  const alarms = alarmsOf(perBroker[1].template);
  const byName = (n: string) => alarms.find((a) => a.name === n)!;

  test('per-queue alarms use Broker + VirtualHost + Queue', () => {
    expect(byName('mq-platform-test-rmq-queue-depth-shop/orders').properties).toMatchObject({
      MetricName: 'MessageCount',
      Dimensions: [
        { Name: 'Broker', Value: 'rmq-test' },
        { Name: 'Queue', Value: 'orders' },
        { Name: 'VirtualHost', Value: 'shop' },
      ],
      Threshold: 50,
    });
    expect(byName('mq-platform-test-rmq-queue-no-consumers-shop/orders').properties).toMatchObject({
      MetricName: 'ConsumerCount',
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
    });
    expect(byName('mq-platform-test-rmq-queue-depth-audit').properties).toMatchObject({
      Dimensions: [
        { Name: 'Broker', Value: 'rmq-test' },
        { Name: 'Queue', Value: 'audit' },
        { Name: 'VirtualHost', Value: '/' },
      ],
      Threshold: 10,
    });
    expect(alarms.find((a) => a.name === 'mq-platform-test-rmq-queue-no-consumers-audit')).toBeUndefined();
  });

  test('the any-queue query covers every vhost and queue of the broker but the dead-letter queue', () => {
    expect(byName('mq-platform-test-rmq-any-queue-depth').queries).toEqual([
      `SELECT MAX(MessageCount) FROM SCHEMA("AWS/AmazonMQ", Broker, Queue, VirtualHost) WHERE Broker = 'rmq-test' AND Queue != 'orders.dlq'`,
    ]);
  });
});
