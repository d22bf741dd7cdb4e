import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { BrokerMetrics } from '../../lib/amazonmq/metrics';
import { planBrokerAlarmList } from '../../lib/config/alarm-plan';
import { alarmMetric } from '../../lib/constructs/monitoring/broker-alarms';
import { resolveBroker } from '../../lib/config/resolve';
import {
  effectiveRabbitMqLimits,
  renderBrokerConfiguration,
  resolveBrokerConfiguration,
  type ConfigurationContribution,
} from '../../lib/config/resolve-configuration';
import { INSTANCE_TYPE_RULES } from '../../lib/amazonmq/catalog';
import { minimalConfig } from '../support/configs';

type Mutable = any;
const broker = (i: 0 | 1, edit: (b: Mutable) => void = () => undefined) => {
  const b: Mutable = structuredClone(minimalConfig().brokers[i]);
  edit(b);
  return b;
};

describe('rabbitmq.conf', () => {
  test('values then limits, in table order, then contributed entries in order', () => {
    const b = broker(
      1,
      (x) =>
        (x.configuration = { rabbitmq: { limits: { queues: 900, connectionsPerNode: 700 }, heartbeatSeconds: 90, consumerTimeoutMs: 0 } }),
    );
    const oauth: ConfigurationContribution = {
      field: 'authentication',
      rabbitMqConf: [
        { key: 'auth_backends.1', value: 'rabbit_auth_backend_oauth2' },
        { key: 'auth_oauth2.resource_server_id', value: 'rabbitmq' },
      ],
    };
    const m = resolveBrokerConfiguration(b, [undefined, oauth])!;
    expect(renderBrokerConfiguration(m)).toBe(
      [
        'consumer_timeout = 0',
        'heartbeat = 90',
        'connection_max = 700',
        'cluster_queue_limit = 900',
        'auth_backends.1 = rabbit_auth_backend_oauth2',
        'auth_oauth2.resource_server_id = rabbitmq',
        '',
      ].join('\n'),
    );
    expect(m.contributions).toEqual([oauth]);
  });

  test('no configuration and no contribution: no model (no Configuration resource)', () => {
    expect(resolveBrokerConfiguration(broker(1), [])).toBeUndefined();
    expect(resolveBrokerConfiguration(broker(0), [undefined])).toBeUndefined();
  });
});

describe('ActiveMQ XML', () => {
  const withAll = broker(0, (b) => {
    b.configuration = {
      activemq: {
        destinationPolicies: [{ queue: 'orders.>', producerFlowControl: false, deadLetter: { strategy: 'shared', processExpired: false } }],
        redelivery: { defaultPolicy: { maximumRedeliveries: 2, initialRedeliveryDelayMs: 2000 } },
        authorization: [{ queue: 'orders.>', read: ['consumers'], write: ['producers'] }],
      },
    };
  });

  test('destination policy, authorization plugin first, redelivery with schedulerSupport, escaped wildcards', () => {
    const xml = renderBrokerConfiguration(resolveBrokerConfiguration(withAll, [])!);
    expect(xml).toBe(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<broker xmlns="http://activemq.apache.org/schema/core" schedulerSupport="true">
  <destinationPolicy>
    <policyMap>
      <policyEntries>
        <policyEntry queue="orders.&gt;" producerFlowControl="false">
          <deadLetterStrategy>
            <sharedDeadLetterStrategy processExpired="false">
              <deadLetterQueue>
                <queue physicalName="ActiveMQ.DLQ"/>
              </deadLetterQueue>
            </sharedDeadLetterStrategy>
          </deadLetterStrategy>
        </policyEntry>
      </policyEntries>
    </policyMap>
  </destinationPolicy>
  <plugins>
    <authorizationPlugin>
      <map>
        <authorizationMap>
          <authorizationEntries>
            <authorizationEntry queue="orders.&gt;" read="consumers" write="producers"/>
            <authorizationEntry topic="ActiveMQ.Advisory.&gt;" read="activemq-webconsole,consumers,producers" write="activemq-webconsole,consumers,producers" admin="activemq-webconsole,consumers,producers"/>
          </authorizationEntries>
          <tempDestinationAuthorizationEntry>
            <tempDestinationAuthorizationEntry read="activemq-webconsole,consumers,producers" write="activemq-webconsole,consumers,producers" admin="activemq-webconsole,consumers,producers"/>
          </tempDestinationAuthorizationEntry>
        </authorizationMap>
      </map>
    </authorizationPlugin>
    <redeliveryPlugin fallbackToDeadLetter="true" sendToDlqIfMaxRetriesExceeded="true">
      <redeliveryPolicyMap>
        <redeliveryPolicyMap>
          <defaultEntry>
            <redeliveryPolicy maximumRedeliveries="2" initialRedeliveryDelay="2000"/>
          </defaultEntry>
        </redeliveryPolicyMap>
      </redeliveryPolicyMap>
    </redeliveryPlugin>
  </plugins>
</broker>
`);
  });

  test("a contributed plugin follows the platform's; a contributed authorization map stands in for the platform's", () => {
    const ldap: ConfigurationContribution = {
      field: 'authentication',
      activeMqPlugins: [{ name: 'statisticsBrokerPlugin' }],
      activeMqAuthorizationMap: { name: 'cachedLDAPAuthorizationMap', attributes: { queueSearchBase: 'ou=Queue,dc=example,dc=org' } },
    };
    const m = resolveBrokerConfiguration(broker(0), [ldap])!;
    expect(renderBrokerConfiguration(m)).toBe(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<broker xmlns="http://activemq.apache.org/schema/core">
  <plugins>
    <authorizationPlugin>
      <map>
        <cachedLDAPAuthorizationMap queueSearchBase="ou=Queue,dc=example,dc=org"/>
      </map>
    </authorizationPlugin>
    <statisticsBrokerPlugin/>
  </plugins>
</broker>
`);
  });

  test('the same config renders byte-identical text', () => {
    const a = renderBrokerConfiguration(resolveBrokerConfiguration(withAll, [])!);
    const b = renderBrokerConfiguration(resolveBrokerConfiguration(structuredClone(withAll), [])!);
    expect(a).toBe(b);
  });
});

describe('effective limits and the connections alarm', () => {
  test('configured limits over the defaults, with their origin; RabbitMQ 3 at the maxima; ActiveMQ none', () => {
    const b = broker(1, (x) => (x.configuration = { rabbitmq: { limits: { connectionsPerNode: 1000 } } }));
    expect(effectiveRabbitMqLimits(b)).toMatchObject({
      connectionsPerNode: { value: 1000, origin: 'configured' },
      queues: { value: 1000, origin: 'default' },
      maxMessageSizeBytes: { value: 524288, origin: 'default' },
    });
    expect(effectiveRabbitMqLimits(broker(1, (x) => (x.engineVersion = '3.13')))?.connectionsPerNode).toEqual({
      value: 5000,
      origin: 'maximum',
    });
    expect(effectiveRabbitMqLimits(broker(0))).toBeUndefined();
  });

  // Done-when of issue 11: no limit alarm threshold above the limit the broker enforces, for every
  // RabbitMQ version, size and mode offered, with and without a configured limit.
  const offers = INSTANCE_TYPE_RULES.filter((r) => r.engine === 'RABBITMQ').flatMap((r) =>
    r.instanceTypes.flatMap((t) => r.versions.flatMap((v) => r.modes.map((m) => [v, m, t] as const))),
  );
  const LIMIT_OF = {
    Connections: 'connectionsPerNode',
    LimitChannels: 'channelsPerNode',
    LimitQueues: 'queues',
    LimitExchanges: 'exchanges',
  } as const;
  test.each(offers)(
    'RabbitMQ %s %s %s: every limit alarm fires below the limit the broker enforces',
    (engineVersion, deploymentMode, instanceType) => {
      for (const configured of [false, true]) {
        const b = broker(1, (x) => {
          Object.assign(x, { engineVersion, deploymentMode, instanceType });
          if (configured && engineVersion.startsWith('4.'))
            x.configuration = { rabbitmq: { limits: { connectionsPerNode: 3, queues: 7 } } };
        });
        const draft = resolveBroker(b, 'test');
        const alarms = planBrokerAlarmList('test', draft).filter((a) => a.id in LIMIT_OF);
        expect(alarms.map((a) => a.id)).toEqual(expect.arrayContaining(['Connections', 'LimitChannels', 'LimitQueues']));
        for (const a of alarms) {
          const limit = draft.limits![LIMIT_OF[a.id as keyof typeof LIMIT_OF]]!.value;
          expect({ alarm: a.id, below: a.threshold < limit, comparison: a.comparison }).toEqual({
            alarm: a.id,
            below: true,
            comparison: 'at-or-above',
          });
          expect(a.description).toContain(`of the ${limit} `);
        }
      }
    },
  );

  test('limit alarms read ChannelCount, QueueCount and ExchangeCount of the broker', () => {
    const draft = resolveBroker(broker(1), 'test');
    const metrics = new BrokerMetrics(draft);
    const watched = planBrokerAlarmList('test', draft)
      .filter((a) => a.watch.kind === 'resource-count')
      .map((a) => [a.alarmName, a.threshold, (alarmMetric(metrics, a.watch) as cloudwatch.Metric).metricName]);
    // mq.m7g.large cluster, RabbitMQ 4.2 defaults: 1500 channels per node, 1000 queues, 1000 exchanges.
    expect(watched).toEqual([
      ['mq-platform-test-rmq-channels', 1200, 'ChannelCount'],
      ['mq-platform-test-rmq-queues', 800, 'QueueCount'],
      ['mq-platform-test-rmq-exchanges', 800, 'ExchangeCount'],
    ]);
  });
});
