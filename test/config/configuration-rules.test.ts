import { resolveBroker } from '../../lib/config/resolve';
import { activeMqParts, mergeBrokerConfiguration, rabbitMqEntries } from '../../lib/config/resolve-configuration';
import { formatProblem } from '../../lib/config/rules/problem';
import { CONFIGURATION_RULES } from '../../lib/config/rules/configuration-rules';
import { validateConfig } from '../../lib/config/validate';
import { minimalConfig } from '../support/configs';

type Mutable = any; // test configs are edited freely, then validated
const amq = (c: Mutable) => c.brokers[0];
const rmq = (c: Mutable) => c.brokers[1];
const amqConf = (c: Mutable, activemq: object) => (amq(c).configuration = { activemq });
const rmqConf = (c: Mutable, rabbitmq: object) => (rmq(c).configuration = { rabbitmq });

function problemsOf(edit: (c: Mutable) => void): string[] {
  const config: Mutable = structuredClone(minimalConfig());
  edit(config);
  return validateConfig(config).problems.map(formatProblem);
}

describe('valid configurations', () => {
  test('every RabbitMQ value and limit at its bounds on a 4.2 mq.m7g.large cluster', () => {
    expect(
      problemsOf((c) =>
        rmqConf(c, {
          consumerTimeoutMs: 0,
          heartbeatSeconds: 3600,
          operatorPolicyChangesDisabled: false,
          quorumQueueRelaxedChecksOnRedeclaration: true,
          secureManagementHttpHeaders: true,
          limits: {
            connectionsPerNode: 5000,
            channelsPerNode: 15000,
            queues: 10000,
            vhosts: 1500,
            shovels: 150,
            exchanges: 50000,
            consumersPerChannel: 1000,
            maxMessageSizeBytes: 134217728,
          },
        }),
      ),
    ).toEqual([]);
  });

  test('RabbitMQ 3.13 takes the configurable values (not the limits)', () => {
    expect(
      problemsOf((c) => {
        rmq(c).engineVersion = '3.13';
        rmqConf(c, { consumerTimeoutMs: 3_600_000, heartbeatSeconds: 60, quorumQueueRelaxedChecksOnRedeclaration: true });
      }),
    ).toEqual([]);
  });

  test('ActiveMQ: policies of every strategy, redelivery and an authorization map covering the users', () => {
    expect(
      problemsOf((c) => {
        amq(c).users = [
          { username: 'app', groups: ['apps'] },
          { username: 'ops', consoleAccess: true },
        ];
        amqConf(c, {
          destinationPolicies: [
            {
              queue: 'orders.>',
              memoryLimit: '16 mb',
              producerFlowControl: true,
              deadLetter: { strategy: 'individual', queuePrefix: 'DLQ.' },
            },
            { queue: 'audit', deadLetter: { strategy: 'shared', deadLetterQueue: 'audit.DLQ', processExpired: false } },
            { topic: '>', expireMessagesPeriodMs: 0, deadLetter: { strategy: 'discard' } },
          ],
          redelivery: {
            defaultPolicy: { maximumRedeliveries: -1 },
            policies: [{ queue: 'orders.>', maximumRedeliveries: 3, useExponentialBackOff: true, backOffMultiplier: 2 }],
          },
          authorization: [{ queue: 'orders.>', read: ['apps'], write: ['apps'], admin: ['apps'] }],
        });
      }),
    ).toEqual([]);
  });
});

const cases: Array<[string, (c: Mutable) => void, string[]]> = [
  [
    'configuration-engine: RabbitMQ values on ActiveMQ',
    (c) => (amq(c).configuration = { rabbitmq: { heartbeatSeconds: 60 } }),
    ['brokers[0].configuration.rabbitmq: "(set)" is for RabbitMQ brokers; allowed for ACTIVEMQ: configuration.activemq'],
  ],
  [
    'configuration-engine: ActiveMQ XML on RabbitMQ',
    (c) => (rmq(c).configuration = { activemq: { destinationPolicies: [] } }),
    ['brokers[1].configuration.activemq: "(set)" is for ActiveMQ brokers; allowed for RABBITMQ: configuration.rabbitmq'],
  ],
  [
    'rabbitmq-configurable-values: heartbeat below 60 s',
    (c) => rmqConf(c, { heartbeatSeconds: 30 }),
    ['brokers[1].configuration.rabbitmq.heartbeatSeconds: 30 is out of range for heartbeat; allowed: 60 to 3600 (s)'],
  ],
  [
    'rabbitmq-configurable-values: consumer timeout above 2^31-1 ms',
    (c) => rmqConf(c, { consumerTimeoutMs: 2_147_483_648 }),
    ['brokers[1].configuration.rabbitmq.consumerTimeoutMs: 2147483648 is out of range for consumer_timeout; allowed: 0 to 2147483647 (ms)'],
  ],
  [
    'rabbitmq-resource-limits: connections above the mq.m7g.large cluster maximum',
    (c) => rmqConf(c, { limits: { connectionsPerNode: 5001 } }),
    [
      'brokers[1].configuration.rabbitmq.limits.connectionsPerNode: 5001 is out of range for connection_max on mq.m7g.large cluster brokers; allowed: 1 to 5000',
    ],
  ],
  [
    'rabbitmq-resource-limits: queues of a cluster are fewer than of a single instance',
    (c) => rmqConf(c, { limits: { queues: 20000 } }),
    [
      'brokers[1].configuration.rabbitmq.limits.queues: 20000 is out of range for cluster_queue_limit on mq.m7g.large cluster brokers; allowed: 1 to 10000',
    ],
  ],
  [
    'rabbitmq-resource-limits: a single mq.m7g.medium takes at most 10 vhosts, and no limit below 1',
    (c) => {
      Object.assign(rmq(c), { deploymentMode: 'SINGLE_INSTANCE', instanceType: 'mq.m7g.medium' });
      rmqConf(c, { limits: { vhosts: 11, shovels: 0 } });
    },
    [
      'brokers[1].configuration.rabbitmq.limits.shovels: 0 is out of range for runtime_parameters.limits.shovel on mq.m7g.medium single-instance brokers; allowed: 1 to 150',
      'brokers[1].configuration.rabbitmq.limits.vhosts: 11 is out of range for vhost_max on mq.m7g.medium single-instance brokers; allowed: 1 to 10',
    ],
  ],
  [
    'rabbitmq-resource-limits: channels per node above the mq.m7g.large cluster maximum',
    (c) => rmqConf(c, { limits: { channelsPerNode: 15001 } }),
    [
      'brokers[1].configuration.rabbitmq.limits.channelsPerNode: 15001 is out of range for channel_max_per_node on mq.m7g.large cluster brokers; allowed: 1 to 15000',
    ],
  ],
  [
    'rabbitmq-resource-limits: exchanges above the mq.m7g.large cluster maximum',
    (c) => rmqConf(c, { limits: { exchanges: 50001 } }),
    [
      'brokers[1].configuration.rabbitmq.limits.exchanges: 50001 is out of range for cluster_exchange_limit on mq.m7g.large cluster brokers; allowed: 1 to 50000',
    ],
  ],
  [
    'rabbitmq-resource-limits: consumers per channel above the maximum',
    (c) => rmqConf(c, { limits: { consumersPerChannel: 1001 } }),
    [
      'brokers[1].configuration.rabbitmq.limits.consumersPerChannel: 1001 is out of range for consumer_max_per_channel on mq.m7g.large cluster brokers; allowed: 1 to 1000',
    ],
  ],
  [
    'rabbitmq-resource-limits: message size above 128 MiB',
    (c) => rmqConf(c, { limits: { maxMessageSizeBytes: 134217729 } }),
    [
      'brokers[1].configuration.rabbitmq.limits.maxMessageSizeBytes: 134217729 is out of range for max_message_size on mq.m7g.large cluster brokers; allowed: 1 to 134217728',
    ],
  ],
  [
    'rabbitmq-resource-limits: RabbitMQ 3.13 takes no limits',
    (c) => {
      rmq(c).engineVersion = '3.13';
      rmqConf(c, { limits: { queues: 100 } });
    },
    [
      'brokers[1].configuration.rabbitmq.limits: "(set)" cannot be set on RabbitMQ 3.13 (it runs at the maximum limits); allowed: RabbitMQ 4.2 or later',
    ],
  ],
  [
    'activemq-destination-policies: no destination, a bad memory limit, a prefix for the shared strategy',
    (c) =>
      amqConf(c, {
        destinationPolicies: [
          { memoryLimit: 'lots' },
          { queue: 'a', topic: 'b' },
          { queue: 'orders', deadLetter: { strategy: 'shared', queuePrefix: 'DLQ.' } },
          { queue: 'has space', expireMessagesPeriodMs: -1 },
          { queue: 'x', deadLetter: { strategy: 'individual', queuePrefix: 'DLQ.>', deadLetterQueue: 'q', expirationMs: -5 } },
        ],
      }),
    [
      'brokers[0].configuration.activemq.destinationPolicies[0]: {} names no destination or both kinds; allowed: exactly one of queue or topic',
      'brokers[0].configuration.activemq.destinationPolicies[0].memoryLimit: "lots" is not a memory size; allowed: bytes, or a number with kb, mb or gb (for example "16 mb")',
      'brokers[0].configuration.activemq.destinationPolicies[1]: {"queue":"a","topic":"b"} names no destination or both kinds; allowed: exactly one of queue or topic',
      'brokers[0].configuration.activemq.destinationPolicies[2].deadLetter.queuePrefix: "DLQ." is not used by the shared strategy; allowed: with strategy "individual"',
      'brokers[0].configuration.activemq.destinationPolicies[3].expireMessagesPeriodMs: -1 is negative; allowed: 0 (only on dispatch) or more (ms)',
      'brokers[0].configuration.activemq.destinationPolicies[3].queue: "has space" is not an ActiveMQ destination name; allowed: letters, digits and _ . - : $ # / with wildcards * and >',
      'brokers[0].configuration.activemq.destinationPolicies[4].deadLetter.deadLetterQueue: "q" is not used by the individual strategy; allowed: with strategy "shared"',
      'brokers[0].configuration.activemq.destinationPolicies[4].deadLetter.expirationMs: -5 is negative; allowed: 0 (never) or more (ms)',
      'brokers[0].configuration.activemq.destinationPolicies[4].deadLetter.queuePrefix: "DLQ.>" is not a queue name; allowed: letters, digits and _ . - : $ # / (no wildcards)',
    ],
  ],
  [
    'activemq-redelivery: a destination in the default, bad counts and delays',
    (c) =>
      amqConf(c, {
        redelivery: {
          defaultPolicy: { queue: '>', maximumRedeliveries: -2, initialRedeliveryDelayMs: 999 },
          policies: [{ maximumRedeliveryDelayMs: -2, backOffMultiplier: 1 }],
        },
      }),
    [
      'brokers[0].configuration.activemq.redelivery.defaultPolicy.initialRedeliveryDelayMs: 999 is below 1000: the redelivery plugin would stop the broker from starting; allowed: 1000 or more (ms)',
      'brokers[0].configuration.activemq.redelivery.defaultPolicy.maximumRedeliveries: -2 is below -1; allowed: -1 (forever), 0 or more',
      'brokers[0].configuration.activemq.redelivery.defaultPolicy.queue: ">" is not allowed in the default policy; allowed: a policy in policies',
      'brokers[0].configuration.activemq.redelivery.policies[0]: {} names no destination or both kinds; allowed: exactly one of queue or topic',
      'brokers[0].configuration.activemq.redelivery.policies[0].backOffMultiplier: 1 would not back off; allowed: more than 1',
      'brokers[0].configuration.activemq.redelivery.policies[0].maximumRedeliveryDelayMs: -2 is below -1; allowed: -1 (unbounded), 0 or more (ms)',
    ],
  ],
  [
    'activemq-redelivery: a plugin without any policy',
    (c) => amqConf(c, { redelivery: { sendToDlqIfMaxRetriesExceeded: true } }),
    ['brokers[0].configuration.activemq.redelivery: "(set)" has no policy; allowed: a defaultPolicy, policies, or both'],
  ],
  [
    'activemq-redelivery-authorization: consumers without write where the broker redelivers',
    (c) => {
      amq(c).users = [{ username: 'app', groups: ['consumers'] }];
      amqConf(c, {
        redelivery: { policies: [{ queue: 'orders.>', maximumRedeliveries: 3 }] },
        authorization: [
          { queue: 'orders.*', read: ['consumers', 'auditors'], admin: ['consumers'] },
          { queue: 'orders.>', write: ['auditors'] },
          { queue: 'reports.>', read: ['consumers'] },
          { topic: 'orders.>', read: ['consumers'] },
        ],
      });
    },
    [
      'brokers[0].configuration.activemq.authorization[0].read: ["consumers"] may read queue orders.* but not write it: with the redelivery plugin a consumer\'s rollback re-sends the message as that consumer, which fails, and the message never reaches its dead-letter queue; allowed: give these groups write on orders.*, or no broker redelivery for it',
    ],
  ],
  [
    'activemq-authorization: an entry granting nothing, a bad group, a user left without any destination',
    (c) => {
      amq(c).users = [{ username: 'app', groups: ['other'] }];
      amqConf(c, { authorization: [{ queue: 'orders.>' }, { topic: 'events.>', read: ['a b'] }] });
    },
    [
      'brokers[0].configuration.activemq.authorization[0]: "orders.>" grants nothing; allowed: at least one group in read, write or admin',
      'brokers[0].configuration.activemq.authorization[1].read[0]: "a b" is not an ActiveMQ group name; allowed: 2 to 100 of A-Z a-z 0-9 _ . ~ -',
      'brokers[0].users[0].groups: ["other"] names no group of configuration.activemq.authorization, so app could use no queue or topic; allowed: one of a b',
    ],
  ],
  [
    'activemq-redelivery: redeliveryDelayMs below 1000',
    (c) => amqConf(c, { redelivery: { policies: [{ queue: 'orders.>', redeliveryDelayMs: 999 }] } }),
    [
      'brokers[0].configuration.activemq.redelivery.policies[0].redeliveryDelayMs: 999 is below 1000: the redelivery plugin would stop the broker from starting; allowed: 1000 or more (ms)',
    ],
  ],
  [
    'activemq-authorization: a bad group in write',
    (c) => {
      amq(c).users = [{ username: 'app', groups: ['apps'] }];
      amqConf(c, { authorization: [{ queue: 'orders.>', read: ['apps'], write: ['a b'] }] });
    },
    [
      'brokers[0].configuration.activemq.authorization[0].write[0]: "a b" is not an ActiveMQ group name; allowed: 2 to 100 of A-Z a-z 0-9 _ . ~ -',
    ],
  ],
  [
    'activemq-authorization: a bad group in admin',
    (c) => {
      amq(c).users = [{ username: 'app', groups: ['apps'] }];
      amqConf(c, { authorization: [{ queue: 'orders.>', read: ['apps'], admin: ['x'] }] });
    },
    [
      'brokers[0].configuration.activemq.authorization[0].admin[0]: "x" is not an ActiveMQ group name; allowed: 2 to 100 of A-Z a-z 0-9 _ . ~ -',
    ],
  ],
  // Booleans and enums only the schema checks: zod's message, as synth prints it.
  [
    'schema: producerFlowControl is a boolean',
    (c) => amqConf(c, { destinationPolicies: [{ queue: 'orders.>', producerFlowControl: 'yes' }] }),
    ['brokers[0].configuration.activemq.destinationPolicies[0].producerFlowControl: "yes" is not a boolean'],
  ],
  [
    'schema: deadLetter.processExpired is a boolean',
    (c) => amqConf(c, { destinationPolicies: [{ queue: 'orders.>', deadLetter: { strategy: 'individual', processExpired: 'no' } }] }),
    ['brokers[0].configuration.activemq.destinationPolicies[0].deadLetter.processExpired: "no" is not a boolean'],
  ],
  [
    'schema: deadLetter.strategy is one of the enum',
    (c) => amqConf(c, { destinationPolicies: [{ queue: 'orders.>', deadLetter: { strategy: 'sometimes' } }] }),
    [
      'brokers[0].configuration.activemq.destinationPolicies[0].deadLetter.strategy: "sometimes" is not accepted; allowed: individual, shared, discard',
    ],
  ],
  [
    'schema: operatorPolicyChangesDisabled is a boolean',
    (c) => rmqConf(c, { operatorPolicyChangesDisabled: 'true' }),
    ['brokers[1].configuration.rabbitmq.operatorPolicyChangesDisabled: "true" is not a boolean'],
  ],
  [
    'schema: quorumQueueRelaxedChecksOnRedeclaration is a boolean',
    (c) => rmqConf(c, { quorumQueueRelaxedChecksOnRedeclaration: 1 }),
    ['brokers[1].configuration.rabbitmq.quorumQueueRelaxedChecksOnRedeclaration: 1 is not a boolean'],
  ],
];

describe('rule cases', () => {
  test.each(cases)('%s', (_name, edit, expected) => {
    expect(problemsOf(edit)).toEqual(expected);
  });
});

describe('contributed entries and elements (ConfigurationContribution)', () => {
  // Contributions come from other features' resolve step; these drive the rules through a broker draft.
  function contributed(index: 0 | 1, own: Mutable, contributions: Mutable[]): string[] {
    const config: Mutable = structuredClone(minimalConfig());
    const b = config.brokers[index];
    b.configuration = own;
    if (index === 0) b.users = [{ username: 'app', groups: ['apps'] }];
    const draft = resolveBroker(b, config.environment);
    const configuration = mergeBrokerConfiguration(
      b.engine,
      { rabbitMqConf: rabbitMqEntries(own?.rabbitmq), activeMq: index === 0 ? activeMqParts(own?.activemq) : undefined },
      contributions,
    );
    const resolved = { ...draft, configuration };
    return CONFIGURATION_RULES.flatMap((r) => r.check(b, { config, index, resolved })).map(formatProblem);
  }

  test('rabbitmq-conf-entries: a key set twice, an unsupported OAuth key, a malformed key', () => {
    expect(
      contributed(1, { rabbitmq: { heartbeatSeconds: 60 } }, [
        {
          field: 'authentication',
          rabbitMqConf: [
            { key: 'auth_backends.1', value: 'oauth2' },
            { key: 'heartbeat', value: 30 },
            { key: 'management.oauth_client_secret', value: 'x' },
            { key: 'Bad Key', value: 1 },
            { key: 'auth_oauth2.issuer', value: 'https://a\nb' },
          ],
        },
      ]),
    ).toEqual([
      'brokers[1].authentication: "heartbeat" is already set by brokers[1].configuration.rabbitmq; allowed: each key once',
      'brokers[1].authentication: "management.oauth_client_secret" is a key Amazon MQ does not accept; not allowed: auth_oauth2.https.cacertfile, auth_oauth2.oauth_providers.*.https.cacertfile, management.oauth_client_secret, management.oauth_resource_servers.*.oauth_client_secret, auth_oauth2.signing_keys.*',
      'brokers[1].authentication: "Bad Key" is not a rabbitmq.conf key; allowed: dot-separated segments of letters, digits, _ and -',
      'brokers[1].authentication: "auth_oauth2.issuer" has a value with a line break; allowed: one line',
    ]);
  });

  test('activemq-elements: an element and an attribute Amazon MQ drops, a second authorization map', () => {
    expect(
      contributed(0, { activemq: { authorization: [{ queue: '>', read: ['apps'] }] } }, [
        {
          field: 'authentication',
          activeMqPlugins: [{ name: 'jaasAuthenticationPlugin', attributes: { configuration: 'x' } }, { name: 'authorizationPlugin' }],
          activeMqAuthorizationMap: { name: 'cachedLDAPAuthorizationMap', attributes: { queueSearchBase: 'ou=q' } },
        },
        { field: 'ldap', activeMqPlugins: [{ name: 'timeStampingBrokerPlugin', attributes: { ttlCeiling: 1, zeroExpiration: 5 } }] },
      ]),
    ).toEqual([
      'brokers[0].authentication: "/broker/plugins/jaasAuthenticationPlugin" is an element Amazon MQ does not accept there; allowed in <plugins>: <authorizationPlugin>, <discardingDLQBrokerPlugin>, <forcePersistencyModeBrokerPlugin>, <redeliveryPlugin>, <statisticsBrokerPlugin>, <timeStampingBrokerPlugin>',
      'brokers[0].authentication: "/broker/plugins/authorizationPlugin" is built by the platform; allowed: an activeMqAuthorizationMap contribution',
      'brokers[0].authentication: "/broker/plugins/authorizationPlugin/map/cachedLDAPAuthorizationMap" conflicts with the authorization map of configuration.activemq.authorization; allowed: one authorization map',
      'brokers[0].ldap: "/broker/plugins/timeStampingBrokerPlugin@zeroExpiration" is an attribute Amazon MQ does not accept; allowed on <timeStampingBrokerPlugin>: futureOnly, processNetworkMessages, ttlCeiling, zeroExpirationOverride',
    ]);
  });

  test('activemq-elements: a contributed LDAP authorization map alone is accepted', () => {
    expect(
      contributed(0, undefined, [
        {
          field: 'ldap',
          activeMqAuthorizationMap: {
            name: 'cachedLDAPAuthorizationMap',
            attributes: {
              queueSearchBase: 'ou=Queue,ou=Destination,ou=ActiveMQ,dc=example,dc=org',
              refreshInterval: 300000,
              legacyGroupMapping: false,
            },
          },
        },
      ]),
    ).toEqual([]);
  });
});

test('every rule of the table has at least one case', () => {
  const fired = new Set<string>(['rabbitmq-conf-entries', 'activemq-elements']); // driven by contributions above
  for (const [, edit] of cases) {
    const config: Mutable = structuredClone(minimalConfig());
    edit(config);
    for (const p of validateConfig(config).problems) fired.add(p.rule);
  }
  expect(CONFIGURATION_RULES.map((r) => r.id).filter((id) => !fired.has(id))).toEqual([]);
});

test('every rule names its source page', () => {
  for (const r of CONFIGURATION_RULES) expect(r.source).toMatch(/^https:\/\//);
});
