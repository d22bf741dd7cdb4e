import { formatProblem } from '../../lib/config/rules/problem';
import { DEFINITIONS_RULES, useDefinitionCountLimits } from '../../lib/config/rules/definitions-rules';
import { validateConfig } from '../../lib/config/validate';
import { minimalConfig } from '../support/configs';

type Mutable = any; // test configs are edited freely, then validated
const amq = (c: Mutable) => c.brokers[0];
const rmq = (c: Mutable) => c.brokers[1];

/** A valid definitions block: a vhost, a quorum queue dead-lettering into a classic one, a policy and limits. */
function definitions(): Mutable {
  return {
    vhosts: [{ name: 'orders' }],
    exchanges: [
      { vhost: 'orders', name: 'orders', type: 'topic' },
      { vhost: 'orders', name: 'orders.dlx', type: 'fanout' },
    ],
    queues: [
      { vhost: 'orders', name: 'orders.created', arguments: { 'x-max-length': 1000 } },
      { vhost: 'orders', name: 'orders.dead', type: 'classic' },
    ],
    bindings: [
      { vhost: 'orders', source: 'orders', destination: 'orders.created', routingKey: 'orders.created' },
      { vhost: 'orders', source: 'orders.dlx', destination: 'orders.dead' },
    ],
    policies: [
      {
        vhost: 'orders',
        name: 'orders-dlx',
        pattern: '^orders\\.created$',
        applyTo: 'quorum_queues',
        definition: { 'dead-letter-exchange': 'orders.dlx', 'delivery-limit': 5, 'message-ttl': 60000 },
      },
    ],
    limits: [{ vhost: 'orders', maxQueues: 100, maxConnections: 500 }],
  };
}

function run(edit: (c: Mutable) => void) {
  const config: Mutable = structuredClone(minimalConfig());
  rmq(config).definitions = definitions();
  rmq(config).users[0].permissions = [{ vhost: 'orders', configure: '^orders\\.', write: '^orders\\.', read: '^orders\\.' }];
  edit(config);
  return validateConfig(config);
}
const problemsOf = (edit: (c: Mutable) => void) => run(edit).problems.map(formatProblem);
const d = (c: Mutable) => rmq(c).definitions;

describe('definitions: valid', () => {
  test('a vhost, exchanges, a quorum queue with a dead-letter policy, bindings and limits are accepted; the plan carries them', () => {
    const result = run(() => undefined);
    expect(result.problems.map(formatProblem)).toEqual([]);
    expect(result.warnings.map(formatProblem)).toEqual([]);
    const doc = result.plan!.brokers[1].definitions!;
    expect(doc.queues.map((q) => [q.name, q.type, q.durable])).toEqual([
      ['orders.created', 'quorum', true],
      ['orders.dead', 'classic', true],
    ]);
    expect(doc.limits).toEqual([{ vhost: 'orders', limits: { 'max-connections': 500, 'max-queues': 100 } }]);
  });

  test('default queue type: quorum on clusters and on 4.x, classic on a single-instance 3.13 broker', () => {
    const type = (mode: string, version: string) =>
      run((c) =>
        Object.assign(rmq(c), {
          deploymentMode: mode,
          engineVersion: version,
          instanceType: version === '3.13' ? 'mq.m5.large' : 'mq.m7g.large',
        }),
      ).plan!.brokers[1].definitions!.queues[0].type;
    expect(type('CLUSTER_MULTI_AZ', '3.13')).toBe('quorum');
    expect(type('SINGLE_INSTANCE', '4.2')).toBe('quorum');
    expect(type('SINGLE_INSTANCE', '3.13')).toBe('classic');
  });

  test('patterns in PCRE syntax JavaScript lacks are left to the broker', () => {
    expect(
      problemsOf((c) => {
        d(c).policies[0].pattern = '(?i)^orders\\.created$';
        rmq(c).users[0].permissions[0].read = '^orders\\.(?>created|dead)$';
        rmq(c).users[0].permissions[0].write = '^orders\\.\\w++$';
      }),
    ).toEqual([]);
  });

  test('an alternate exchange declared in the vhost and a headers binding with x-match "any" are accepted; x-match on other exchanges is ignored', () => {
    expect(
      problemsOf((c) => {
        d(c).exchanges[0].arguments = { 'alternate-exchange': 'orders.dlx' };
        d(c).bindings[0].arguments = { 'x-match': 'any' };
        d(c).bindings[1].arguments = { 'x-match': 'ignored' }; // a fanout exchange ignores binding arguments
      }),
    ).toEqual([]);
  });

  test('3.13: a classic mirroring policy for classic queues and a transient classic queue are accepted', () => {
    expect(
      problemsOf((c) => {
        Object.assign(rmq(c), { engineVersion: '3.13', instanceType: 'mq.m5.large' });
        d(c).queues.push({ vhost: 'orders', name: 'scratch', type: 'classic', durable: false });
        d(c).policies.push({
          vhost: 'orders',
          name: 'ha',
          pattern: '^scratch$',
          applyTo: 'classic_queues',
          definition: { 'ha-mode': 'all' },
        });
      }),
    ).toEqual([]);
  });
});

const B = 'brokers[1].definitions';
/** One case per finding: the edit and the exact line synth prints. */
const cases: Array<[string, (c: Mutable) => void, string]> = [
  [
    'definitions on ActiveMQ',
    (c) => (amq(c).definitions = { vhosts: [{ name: 'x' }] }),
    'brokers[0].definitions: "(definitions)" does not apply to ActiveMQ brokers (RabbitMQ definitions); allowed: remove the field',
  ],
  [
    'empty queue name',
    (c) => d(c).queues.push({ vhost: 'orders', name: '' }),
    `${B}.queues[2].name: "" is empty; allowed: a queue name of 1 to 255 bytes`,
  ],
  [
    'queue name over 255 bytes',
    (c) => {
      d(c).queues[1].name = 'é'.repeat(128);
      d(c).bindings[1].destination = 'é'.repeat(128);
    },
    `${B}.queues[1].name: "${'é'.repeat(128)}" is 256 bytes; allowed: a queue name of 1 to 255 bytes`,
  ],
  [
    'amq. prefix on an exchange',
    (c) => {
      d(c).exchanges[1].name = 'amq.dlx';
      d(c).bindings[1].source = 'amq.dlx';
      d(c).policies[0].definition['dead-letter-exchange'] = 'amq.dlx';
    },
    `${B}.exchanges[1].name: "amq.dlx" starts with "amq.", reserved for the broker's own exchanges; allowed: a name without that prefix`,
  ],
  [
    'queue declared twice in a vhost',
    (c) => d(c).queues.push({ vhost: 'orders', name: 'orders.dead', type: 'classic' }),
    `${B}.queues[2].name: "orders.dead" is declared twice in vhost "orders"; allowed: one queue per name and vhost`,
  ],
  [
    'policy declared twice in a vhost',
    (c) => d(c).policies.push({ ...d(c).policies[0] }),
    `${B}.policies[1].name: "orders-dlx" is declared twice in vhost "orders"; allowed: one policy per name and vhost`,
  ],
  [
    'invalid policy pattern',
    (c) => (d(c).policies[0].pattern = '^orders.(created'),
    `${B}.policies[0].pattern: "^orders.(created" is not a valid regular expression (/^orders.(created/: Unterminated group); allowed: a regular expression such as "^orders\\\\."`,
  ],
  [
    'invalid permission pattern',
    (c) => (rmq(c).users[0].permissions[0].read = '['),
    'brokers[1].users[0].permissions[0].read: "[" is not a valid regular expression (/[/: Unterminated character class); allowed: a regular expression such as "^orders\\\\."',
  ],
  [
    'binding to an unknown exchange names the exchange and the vhost',
    (c) => (d(c).bindings[0].source = 'order'),
    `${B}.bindings[0].source: "order" is not an exchange declared in vhost "orders" (binding to queue "orders.created"); allowed: an exchange of definitions.exchanges in vhost "orders" or amq.direct, amq.fanout, amq.headers, amq.match, amq.topic`,
  ],
  [
    'binding in an unknown vhost names the vhost and the exchange',
    (c) => (d(c).bindings[0].vhost = 'order'),
    `${B}.bindings[0].vhost: "order" is not a declared vhost (binding of exchange "orders"); allowed: "/", "orders" (declare it in definitions.vhosts)`,
  ],
  [
    'binding to an unknown queue',
    (c) => (d(c).bindings[0].destination = 'orders.create'),
    `${B}.bindings[0].destination: "orders.create" is not a queue declared in vhost "orders" (binding from exchange "orders"); allowed: a queue of definitions.queues in vhost "orders"`,
  ],
  [
    'queue in an unknown vhost',
    (c) => d(c).queues.push({ vhost: 'billing', name: 'invoices' }),
    `${B}.queues[2].vhost: "billing" is not a declared vhost (queue "invoices"); allowed: "/", "orders" (declare it in definitions.vhosts)`,
  ],
  [
    'dead-letter exchange not declared',
    (c) => (d(c).policies[0].definition['dead-letter-exchange'] = 'orders.dl'),
    `${B}.policies[0].definition.dead-letter-exchange: "orders.dl" is not an exchange declared in vhost "orders" (dead-letter exchange of policy "orders-dlx"); allowed: an exchange of definitions.exchanges in vhost "orders"`,
  ],
  [
    'user permission on a vhost the definitions do not declare',
    (c) => (rmq(c).users[0].permissions[0].vhost = 'billing'),
    'brokers[1].users[0].permissions[0].vhost: "billing" is not a declared vhost (permission of user "app"); allowed: "/", "orders" (declare it in definitions.vhosts)',
  ],
  [
    'non-durable quorum queue',
    (c) => {
      Object.assign(rmq(c), { engineVersion: '3.13', instanceType: 'mq.m5.large' });
      d(c).queues[0].durable = false;
    },
    `${B}.queues[0].durable: false is not possible for a quorum queue (always durable); allowed: true, or type "classic"`,
  ],
  [
    'x-queue-type among the arguments',
    (c) => (d(c).queues[1].arguments = { 'x-queue-type': 'classic' }),
    `${B}.queues[1].arguments.x-queue-type: "classic" is set by the queue's type; allowed: remove it and set type ("classic")`,
  ],
  [
    'classic-only argument on a quorum queue',
    (c) => (d(c).queues[0].arguments = { 'x-queue-mode': 'lazy' }),
    `${B}.queues[0].arguments.x-queue-mode: "lazy" is not a quorum queue argument; allowed: x-message-ttl, x-expires, x-max-length, x-max-length-bytes, x-overflow, x-dead-letter-exchange, x-dead-letter-routing-key, x-single-active-consumer, x-queue-leader-locator, x-delivery-limit, x-dead-letter-strategy, x-quorum-initial-group-size, x-max-priority`,
  ],
  [
    'negative max length argument',
    (c) => (d(c).queues[0].arguments = { 'x-max-length': -1 }),
    `${B}.queues[0].arguments.x-max-length: -1 is not a non-negative integer; allowed: 0 or more`,
  ],
  [
    'dead-letter routing key argument that is not a string',
    (c) => (d(c).queues[0].arguments = { 'x-dead-letter-routing-key': 5 }),
    `${B}.queues[0].arguments.x-dead-letter-routing-key: 5 is not a string; allowed: a string`,
  ],
  [
    'single-active-consumer argument that is not a boolean',
    (c) => (d(c).queues[0].arguments = { 'x-single-active-consumer': 'true' }),
    `${B}.queues[0].arguments.x-single-active-consumer: "true" is not a boolean; allowed: true or false`,
  ],
  [
    'reject-publish-dlx on a quorum queue',
    (c) => (d(c).queues[0].arguments = { 'x-overflow': 'reject-publish-dlx' }),
    `${B}.queues[0].arguments.x-overflow: "reject-publish-dlx" is not accepted by quorum queues; allowed: drop-head, reject-publish`,
  ],
  [
    '4.x: transient non-exclusive queue',
    (c) => (d(c).queues[1].durable = false),
    `${B}.queues[1].durable: false is a transient non-exclusive queue, which RabbitMQ 4.2 refuses (removed in 4.x); allowed: true (use x-expires to clean up unused queues)`,
  ],
  [
    '4.x: classic mirroring policy',
    (c) => d(c).policies.push({ vhost: 'orders', name: 'ha', pattern: '^x$', applyTo: 'classic_queues', definition: { 'ha-mode': 'all' } }),
    `${B}.policies[1].definition.ha-mode: "all" is classic queue mirroring, removed in RabbitMQ 4.x (4.2); allowed: remove it (quorum queues replicate)`,
  ],
  [
    '3.13: classic mirroring in a policy that matches a quorum queue',
    (c) => {
      Object.assign(rmq(c), { engineVersion: '3.13', instanceType: 'mq.m5.large' });
      d(c).policies[0].applyTo = 'queues';
      d(c).policies[0].definition['ha-mode'] = 'all';
    },
    `${B}.policies[0].definition.ha-mode: "all" is classic queue mirroring, which a quorum queue policy must not carry; allowed: remove it, or applyTo "classic_queues"`,
  ],
  [
    'queue-mode in a quorum queue policy',
    (c) => (d(c).policies[0].definition['queue-mode'] = 'lazy'),
    `${B}.policies[0].definition.queue-mode: "lazy" does not apply to quorum queues; allowed: remove it, or applyTo "classic_queues"`,
  ],
  [
    'reject-publish-dlx in a quorum queue policy',
    (c) => (d(c).policies[0].definition.overflow = 'reject-publish-dlx'),
    `${B}.policies[0].definition.overflow: "reject-publish-dlx" is not supported by quorum queues; allowed: drop-head, reject-publish`,
  ],
  [
    'x-max-priority on a quorum queue before 4.3',
    (c) => (d(c).queues[0].arguments = { 'x-max-priority': 5 }),
    `${B}.queues[0].arguments.x-max-priority: 5 is not supported on quorum queues before RabbitMQ 4.3 (4.2); allowed: remove it, or a classic queue`,
  ],
  [
    'classic queue v1 on 4.3',
    (c) => {
      rmq(c).engineVersion = '4.3';
      d(c).queues[1].arguments = { 'x-queue-version': 1 };
    },
    `${B}.queues[1].arguments.x-queue-version: 1 is refused by RabbitMQ 4.3 (classic queue v1 removed in 4.3); allowed: 2, or remove it`,
  ],
  [
    'empty policy definition',
    (c) => (d(c).policies[0].definition = {}),
    `${B}.policies[0].definition: {} sets nothing; allowed: at least one key, for example "dead-letter-exchange"`,
  ],
  [
    'negative message TTL',
    (c) => (d(c).policies[0].definition['message-ttl'] = -5),
    `${B}.policies[0].definition.message-ttl: -5 is negative; allowed: 0 or more`,
  ],
  [
    'at-least-once dead-lettering without reject-publish',
    (c) => (d(c).policies[0].definition['dead-letter-strategy'] = 'at-least-once'),
    `${B}.policies[0].definition.overflow: (missing) must be "reject-publish" with dead-letter-strategy "at-least-once" (otherwise RabbitMQ falls back to at-most-once); allowed: reject-publish`,
  ],
  [
    'a document too large for one custom resource event',
    (c) => {
      d(c).limits = [];
      d(c).queues.push(
        ...Array.from({ length: 900 }, (_, i) => ({
          vhost: 'orders',
          name: `q${i}`,
          arguments: { 'x-dead-letter-routing-key': 'r'.repeat(400) },
        })),
      );
    },
    `${B}: "483256 bytes" is too large for one custom resource event (its Update carries the old and the new document, 1 MB at most); allowed: at most 400000 bytes (split the broker's definitions, or shorten names)`,
  ],
  [
    "more queues than the broker's cluster_queue_limit (Amazon MQ's default for RabbitMQ 4.2 on a mq.m7g.large cluster)",
    (c) => {
      d(c).limits = [];
      d(c).queues.push(...Array.from({ length: 999 }, (_, i) => ({ vhost: 'orders', name: `q${i}` })));
    },
    `${B}.queues: 1001 queues exceed this broker's cluster_queue_limit of 1000; allowed: at most 1000`,
  ],
  [
    'vhost limits below the declared queues',
    (c) => (d(c).limits[0].maxQueues = 1),
    `${B}.limits[0].maxQueues: 1 is below the 2 queues declared in vhost "orders"; allowed: 2 or more`,
  ],
  [
    'vhost limits without a limit',
    (c) => (d(c).limits[0] = { vhost: 'orders' }),
    `${B}.limits[0]: {"vhost":"orders"} sets no limit; allowed: maxConnections and/or maxQueues`,
  ],
  [
    'negative vhost limit',
    (c) => (d(c).limits[0].maxConnections = -1),
    `${B}.limits[0].maxConnections: -1 is negative; allowed: 0 or more (omit it for no limit)`,
  ],
  [
    'alternate exchange that is not a string',
    (c) => (d(c).exchanges[0].arguments = { 'alternate-exchange': 5 }),
    `${B}.exchanges[0].arguments.alternate-exchange: 5 is not a string; allowed: the name of an exchange declared in vhost "orders"`,
  ],
  [
    'headers binding with an unknown x-match',
    (c) => {
      d(c).exchanges[0].type = 'headers';
      d(c).bindings[0].arguments = { 'x-match': 'some' };
    },
    `${B}.bindings[0].arguments.x-match: "some" is not a headers exchange match mode; allowed: all, any, all-with-x, any-with-x`,
  ],
  [
    'dead-letter-routing-key that is not a string (schema)',
    (c) => (d(c).policies[0].definition['dead-letter-routing-key'] = 5),
    `${B}.policies[0].definition.dead-letter-routing-key: 5 is not a string`,
  ],
  ['empty vhost name', (c) => d(c).vhosts.push({ name: '' }), `${B}.vhosts[1].name: "" is empty; allowed: a vhost name of 1 to 255 bytes`],
  [
    'vhost declared twice',
    (c) => d(c).vhosts.push({ name: 'orders' }),
    `${B}.vhosts[1].name: "orders" is declared twice in vhosts; allowed: one vhost per name`,
  ],
  [
    'vhost name over 255 bytes',
    (c) => d(c).vhosts.push({ name: 'v'.repeat(256) }),
    `${B}.vhosts[1].name: "${'v'.repeat(256)}" is 256 bytes; allowed: a vhost name of 1 to 255 bytes`,
  ],
  [
    'exchange in an unknown vhost',
    (c) => d(c).exchanges.push({ vhost: 'billing', name: 'invoices', type: 'direct' }),
    `${B}.exchanges[2].vhost: "billing" is not a declared vhost (exchange "invoices"); allowed: "/", "orders" (declare it in definitions.vhosts)`,
  ],
  [
    'policy in an unknown vhost',
    (c) => (d(c).policies[0].vhost = 'billing'),
    `${B}.policies[0].vhost: "billing" is not a declared vhost (policy "orders-dlx"); allowed: "/", "orders" (declare it in definitions.vhosts)`,
  ],
  [
    'limits for an unknown vhost',
    (c) => (d(c).limits[0].vhost = 'billing'),
    `${B}.limits[0].vhost: "billing" is not a declared vhost (limits); allowed: "/", "orders" (declare it in definitions.vhosts)`,
  ],
  [
    'limits declared twice for a vhost',
    (c) => d(c).limits.push({ vhost: 'orders', maxQueues: 50 }),
    `${B}.limits[1].vhost: "orders" is declared twice in limits; allowed: one limits entry per vhost`,
  ],
  ['negative policy priority', (c) => (d(c).policies[0].priority = -1), `${B}.policies[0].priority: -1 is negative; allowed: 0 or more`],
  [
    'negative max-length in a policy',
    (c) => (d(c).policies[0].definition['max-length'] = -1),
    `${B}.policies[0].definition.max-length: -1 is negative; allowed: 0 or more`,
  ],
  [
    'negative max-length-bytes in a policy',
    (c) => (d(c).policies[0].definition['max-length-bytes'] = -1),
    `${B}.policies[0].definition.max-length-bytes: -1 is negative; allowed: 0 or more`,
  ],
  [
    'policy expires below 1 ms',
    (c) => (d(c).policies[0].definition.expires = 0),
    `${B}.policies[0].definition.expires: 0 is below 1 ms; allowed: 1 or more`,
  ],
  [
    'negative delivery-limit in a policy',
    (c) => (d(c).policies[0].definition['delivery-limit'] = -1),
    `${B}.policies[0].definition.delivery-limit: -1 is negative; allowed: 0 or more`,
  ],
  [
    'delivery-limit that is not an integer (schema)',
    (c) => (d(c).policies[0].definition['delivery-limit'] = 1.5),
    `${B}.policies[0].definition.delivery-limit: 1.5 is not an int`,
  ],
  [
    '4.x: ha-params in a policy',
    (c) => d(c).policies.push({ vhost: 'orders', name: 'ha', pattern: '^x$', applyTo: 'classic_queues', definition: { 'ha-params': 2 } }),
    `${B}.policies[1].definition.ha-params: 2 is classic queue mirroring, removed in RabbitMQ 4.x (4.2); allowed: remove it (quorum queues replicate)`,
  ],
  [
    '4.x: ha-sync-mode in a policy',
    (c) =>
      d(c).policies.push({
        vhost: 'orders',
        name: 'ha',
        pattern: '^x$',
        applyTo: 'classic_queues',
        definition: { 'ha-sync-mode': 'automatic' },
      }),
    `${B}.policies[1].definition.ha-sync-mode: "automatic" is classic queue mirroring, removed in RabbitMQ 4.x (4.2); allowed: remove it (quorum queues replicate)`,
  ],
  [
    'exchange-to-exchange binding to an unknown exchange',
    (c) => d(c).bindings.push({ vhost: 'orders', source: 'orders', destination: 'orders.audit', destinationType: 'exchange' }),
    `${B}.bindings[2].destination: "orders.audit" is not an exchange declared in vhost "orders" (binding from exchange "orders"); allowed: an exchange of definitions.exchanges in vhost "orders"`,
  ],
];

const warningCases: Array<[string, (c: Mutable) => void, string]> = [
  [
    "a policy named with the AWS-DEFAULT prefix of Amazon MQ's own policies",
    (c) => d(c).policies.push({ vhost: 'orders', name: 'AWS-DEFAULT-POLICY-CLUSTER', pattern: '.*', definition: { 'max-length': 10 } }),
    `${B}.policies[1].name: "AWS-DEFAULT-POLICY-CLUSTER" starts with "AWS-DEFAULT", the prefix of Amazon MQ's own default policies (one declared here overwrites Amazon MQ's, and once removed from the config is never deleted or reported as drift); advised: a name without that prefix`,
  ],
  [
    'alternate exchange not declared in the vhost',
    (c) => (d(c).exchanges[0].arguments = { 'alternate-exchange': 'orders.unrouted' }),
    `${B}.exchanges[0].arguments.alternate-exchange: "orders.unrouted" is not an exchange declared in vhost "orders" (alternate exchange of exchange "orders"; RabbitMQ accepts it, and drops what the exchange cannot route until it exists); advised: an exchange of definitions.exchanges in vhost "orders" or amq.direct, amq.fanout, amq.headers, amq.match, amq.topic`,
  ],
  [
    'a name with characters Amazon MQ advises against',
    (c) => {
      d(c).queues[1].name = 'orders dead';
      d(c).bindings[1].destination = 'orders dead';
    },
    `${B}.queues[1].name: "orders dead" has characters that may stop Amazon MQ maintenance operations; advised: letters, digits, "-", "_", ".", ":" and "/"`,
  ],
];

describe('definitions: invalid', () => {
  test.each(cases)('%s', (_name, edit, expected) => {
    expect(problemsOf(edit)).toEqual([expected]);
  });

  test.each(warningCases)('warning: %s', (_name, edit, expected) => {
    const result = run(edit);
    expect(result.problems.map(formatProblem)).toEqual([]);
    expect(result.warnings.map(formatProblem)).toEqual([expected]);
  });

  describe('counts within the broker limits', () => {
    afterEach(() => useDefinitionCountLimits());
    test.each([
      [{ vhosts: 1 }, `${B}.vhosts: 2 vhosts ("/" included) exceed this broker's vhost_max of 1; allowed: at most 1`],
      [{ queues: 1 }, `${B}.queues: 2 queues exceed this broker's cluster_queue_limit of 1; allowed: at most 1`],
      [
        { exchanges: 10 },
        `${B}.exchanges: 16 exchanges (with the 7 built-in ones of each vhost) exceed this broker's cluster_exchange_limit of 10; allowed: at most 10`,
      ],
    ])('%j', (limits, expected) => {
      useDefinitionCountLimits(() => limits);
      expect(problemsOf(() => undefined)).toEqual([expected]);
    });
  });

  test("by default the counts come from the plan's effective limits (configured, else Amazon MQ's default)", () => {
    const config: Mutable = structuredClone(minimalConfig());
    rmq(config).definitions = definitions();
    const plan = validateConfig(config).plan!;
    const rule = DEFINITIONS_RULES.find((r) => r.id === 'definitions-counts')!;
    const resolved = { ...plan.brokers[1], limits: { vhosts: { value: 1, origin: 'default' }, queues: { value: 500, origin: 'default' } } };
    expect(rule.check(rmq(config), { config, index: 1, resolved } as never).map(formatProblem)).toEqual([
      `${B}.vhosts: 2 vhosts ("/" included) exceed this broker's vhost_max of 1; allowed: at most 1`,
    ]);
  });

  test('every definitions rule has at least one case', () => {
    const fired = new Set<string>();
    for (const [, edit] of [...cases, ...warningCases]) for (const p of [...run(edit).problems, ...run(edit).warnings]) fired.add(p.rule);
    expect(DEFINITIONS_RULES.map((r) => r.id).filter((id) => !fired.has(id))).toEqual([]);
  });

  test('every rule names a source page', () => {
    for (const r of DEFINITIONS_RULES) expect(r.source).toMatch(/^https:\/\/(docs\.aws\.amazon\.com|www\.rabbitmq\.com)\//);
  });
});
