import { BrokerMetrics } from '../../lib/amazonmq/metrics';
import { validateConfig } from '../../lib/config/validate';
import { alarmMetric } from '../../lib/constructs/monitoring/broker-alarms';
import { minimalConfig } from '../support/configs';

type Mutable = any; // test configs are edited freely, then validated
const ROLE = 'arn:aws:iam::123456789012:role/notifier';

function alarmsOf(edit: (c: Mutable) => void) {
  const c: Mutable = structuredClone(minimalConfig());
  c.brokers[0].consumers = [{ name: 'notifier', functionName: 'orders-notifier', roleArn: ROLE, queue: 'orders.created', user: 'app' }];
  c.brokers[1].consumers = [{ name: 'audit', functionName: 'events-audit', roleArn: ROLE, queue: 'events.audit', user: 'app' }];
  edit(c);
  const { plan, problems } = validateConfig(c);
  expect(problems).toEqual([]);
  return plan!.brokers.map((b) => b.alarms.filter((a) => /^Consumer|^Queue/.test(a.id)));
}

describe('alarms of Lambda consumers', () => {
  test("ActiveMQ: the function's errors, the consumed queue's depth and consumers, all in the dashboard's status widget", () => {
    const [amq] = alarmsOf(() => undefined);
    expect(amq.map((a) => [a.id, a.alarmName, a.watch, a.threshold, a.comparison, a.brokerLevel])).toEqual([
      [
        'ConsumernotifierErrors',
        'mq-platform-test-amq-consumer-errors-notifier',
        { kind: 'function-errors', functionName: 'orders-notifier' },
        0,
        'above',
        true,
      ],
      [
        'Queueorders.createdDepth',
        'mq-platform-test-amq-queue-depth-orders.created',
        { kind: 'queue-depth', queue: { name: 'orders.created' } },
        1000,
        'above',
        true,
      ],
      [
        'Queueorders.createdNoConsumers',
        'mq-platform-test-amq-queue-no-consumers-orders.created',
        { kind: 'queue-consumers', queue: { name: 'orders.created' } },
        1,
        'below',
        true,
      ],
    ]);
  });

  test('RabbitMQ 4.x publishes no queue metrics: only the errors alarm (ReadyMessages covers every queue)', () => {
    const [, rmq] = alarmsOf(() => undefined);
    expect(rmq.map((a) => a.id)).toEqual(['ConsumerauditErrors']);
  });

  test('RabbitMQ 3.13: the queue alarms read its virtual host', () => {
    const [, rmq] = alarmsOf((c) => (c.brokers[1].engineVersion = '3.13'));
    expect(rmq.map((a) => [a.id, a.watch])).toEqual([
      ['ConsumerauditErrors', { kind: 'function-errors', functionName: 'events-audit' }],
      ['Queueevents.auditDepth', { kind: 'queue-depth', queue: { name: 'events.audit', virtualHost: '/' } }],
      ['Queueevents.auditNoConsumers', { kind: 'queue-consumers', queue: { name: 'events.audit', virtualHost: '/' } }],
    ]);
  });

  test('a named queue keeps its own alarms; a paused consumer raises no no-consumer alarm; ARNs give the bare name', () => {
    const [amq] = alarmsOf((c) => {
      c.brokers[0].queues = [{ name: 'orders.created', maxDepth: 5 }];
      c.brokers[0].consumers.push({
        name: 'paused',
        functionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:paused-fn:live',
        roleArn: ROLE,
        queue: 'orders.paused',
        user: 'app',
        enabled: false,
      });
    });
    expect(amq.map((a) => [a.id, a.threshold])).toEqual([
      ['Queueorders.createdDepth', 5],
      ['Queueorders.createdNoConsumers', 1],
      ['ConsumernotifierErrors', 0],
      ['ConsumerpausedErrors', 0],
      ['Queueorders.pausedDepth', 1000],
    ]);
    expect(amq.find((a) => a.id === 'ConsumerpausedErrors')?.watch).toEqual({ kind: 'function-errors', functionName: 'paused-fn' });
  });

  test("the errors alarm reads the function's Errors sum in AWS/Lambda", () => {
    const metrics = new BrokerMetrics({ brokerName: 'b', engine: 'ACTIVEMQ', engineVersion: '5.19', deploymentMode: 'SINGLE_INSTANCE' });
    const m = alarmMetric(metrics, { kind: 'function-errors', functionName: 'orders-notifier' }) as unknown as {
      namespace: string;
      metricName: string;
      dimensions: object;
      statistic: string;
    };
    expect([m.namespace, m.metricName, m.dimensions, m.statistic]).toEqual([
      'AWS/Lambda',
      'Errors',
      { FunctionName: 'orders-notifier' },
      'Sum',
    ]);
  });
});
