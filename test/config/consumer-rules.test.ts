import { formatProblem } from '../../lib/config/rules/problem';
import { CONSUMER_RULES } from '../../lib/config/rules/consumer-rules';
import { validateConfig } from '../../lib/config/validate';
import { minimalConfig } from '../support/configs';

type Mutable = any; // test configs are edited freely, then validated
const amq = (c: Mutable) => c.brokers[0];
const rmq = (c: Mutable) => c.brokers[1];
const ROLE = 'arn:aws:iam::123456789012:role/notifier';

/** The minimal config with one valid consumer on each broker. */
function withConsumers(): Mutable {
  const c: Mutable = structuredClone(minimalConfig());
  amq(c).consumers = [{ name: 'notifier', functionName: 'orders-notifier', roleArn: ROLE, queue: 'orders.created', user: 'app' }];
  rmq(c).consumers = [
    { name: 'audit', functionName: 'events-audit', roleArn: ROLE, queue: 'events.audit', user: rmq(c).users[0].username },
  ];
  return c;
}

function resultOf(edit: (c: Mutable) => void) {
  const config = withConsumers();
  edit(config);
  return validateConfig(config);
}
const problemsOf = (edit: (c: Mutable) => void) => resultOf(edit).problems.map(formatProblem);
const warningsOf = (edit: (c: Mutable) => void) => resultOf(edit).warnings.map(formatProblem);

describe('valid consumers', () => {
  test('one per engine, by name and by ARN (with an alias), every field set', () => {
    expect(problemsOf(() => undefined)).toEqual([]);
    expect(
      problemsOf((c) => {
        c.account = '123456789012';
        Object.assign(amq(c).consumers[0], {
          functionName: undefined,
          functionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:orders-notifier:live',
          batchSize: 10000,
          maximumBatchingWindowSeconds: 300,
          enabled: false,
        });
        delete amq(c).consumers[0].functionName;
        Object.assign(rmq(c).consumers[0], { vhost: '/', batchSize: 1, maximumBatchingWindowSeconds: 0 });
      }),
    ).toEqual([]);
  });

  test('ActiveMQ authorization: a wildcard entry that lets one of the groups read', () => {
    expect(
      problemsOf((c) => {
        amq(c).users[0].groups = ['apps'];
        amq(c).configuration = { activemq: { authorization: [{ queue: 'orders.*', read: ['auditors', 'apps'] }] } };
      }),
    ).toEqual([]);
  });

  test('the plan resolves defaults: RabbitMQ reads "/", ActiveMQ has no virtual host, enabled by default', () => {
    const plan = validateConfig(withConsumers()).plan!;
    expect(plan.brokers[0].consumers).toEqual([
      { name: 'notifier', functionName: 'orders-notifier', roleArn: ROLE, queue: 'orders.created', user: 'app', enabled: true },
    ]);
    expect(plan.brokers[1].consumers[0]).toMatchObject({ functionName: 'events-audit', virtualHost: '/', enabled: true });
  });
});

const b0 = 'brokers[0].consumers[0]';
const b1 = 'brokers[1].consumers[0]';
const cases: Array<[string, (c: Mutable) => void, string]> = [
  [
    'consumer-name: bad characters',
    (c) => (amq(c).consumers[0].name = 'no/slash'),
    `${b0}.name: "no/slash" is not accepted; allowed: 1 to 64 letters, digits, "-" and "_"`,
  ],
  [
    'consumer-name: duplicate',
    (c) => amq(c).consumers.push({ ...amq(c).consumers[0], queue: 'other' }),
    'brokers[0].consumers[1].name: "notifier" is the name of another consumer of this broker; allowed: a name unique on the broker',
  ],
  [
    'consumer-function: neither',
    (c) => delete amq(c).consumers[0].functionName,
    `${b0}: "notifier" names no function; allowed: exactly one of functionName or functionArn`,
  ],
  [
    'consumer-function: both',
    (c) => (amq(c).consumers[0].functionArn = 'arn:aws:lambda:eu-west-1:123456789012:function:orders-notifier'),
    `${b0}: "notifier" names both functionName and functionArn; allowed: exactly one of functionName or functionArn`,
  ],
  [
    'consumer-function: bad name',
    (c) => (amq(c).consumers[0].functionName = 'orders notifier'),
    `${b0}.functionName: "orders notifier" is not a Lambda function name; allowed: 1 to 64 letters, digits, "-" and "_" (or a full ARN in functionArn)`,
  ],
  [
    'consumer-function: a partial ARN in functionArn',
    (c) => {
      delete amq(c).consumers[0].functionName;
      amq(c).consumers[0].functionArn = '123456789012:function:orders-notifier';
    },
    `${b0}.functionArn: "123456789012:function:orders-notifier" is not a Lambda function ARN; allowed: arn:aws:lambda:<region>:<account>:function:<name>[:<version or alias>], at most 140 characters`,
  ],
  [
    'consumer-function: another region',
    (c) => {
      delete amq(c).consumers[0].functionName;
      amq(c).consumers[0].functionArn = 'arn:aws:lambda:us-east-1:123456789012:function:orders-notifier';
    },
    `${b0}.functionArn: "arn:aws:lambda:us-east-1:123456789012:function:orders-notifier" is a function of region us-east-1; allowed: a function of the environment's region eu-west-1`,
  ],
  [
    'consumer-same-account: function',
    (c) => {
      c.account = '123456789012';
      delete amq(c).consumers[0].functionName;
      amq(c).consumers[0].functionArn = 'arn:aws:lambda:eu-west-1:999999999999:function:orders-notifier';
    },
    `${b0}.functionArn: "arn:aws:lambda:eu-west-1:999999999999:function:orders-notifier" is a function of account 999999999999; allowed: a function of the environment's account 123456789012 (Lambda does not consume Amazon MQ queues across accounts)`,
  ],
  [
    'consumer-same-account: role',
    (c) => {
      c.account = '123456789012';
      amq(c).consumers[0].roleArn = 'arn:aws:iam::999999999999:role/notifier';
    },
    `${b0}.roleArn: "arn:aws:iam::999999999999:role/notifier" is a role of account 999999999999; allowed: the function's execution role in the environment's account 123456789012`,
  ],
  [
    'consumer-role: a wildcard',
    (c) => (amq(c).consumers[0].roleArn = 'arn:aws:iam::123456789012:role/*'),
    `${b0}.roleArn: "arn:aws:iam::123456789012:role/*" is not an IAM role ARN; allowed: the exact ARN of the function's execution role, "arn:aws:iam::<account>:role/[<path>/]<name>", no wildcards`,
  ],
  ['consumer-queue: empty', (c) => (amq(c).consumers[0].queue = ''), `${b0}.queue: "" is 0 characters; allowed: 1 to 1000 characters`],
  [
    'consumer-queue: too long',
    (c) => (amq(c).consumers[0].queue = 'q'.repeat(1001)),
    `${b0}.queue: "${'q'.repeat(1001)}" is 1001 characters; allowed: 1 to 1000 characters`,
  ],
  [
    'consumer-rabbitmq-queue: over 255 bytes',
    (c) => (rmq(c).consumers[0].queue = 'é'.repeat(128)),
    `${b1}.queue: "${'é'.repeat(128)}" is 256 bytes; allowed: RabbitMQ queue names of at most 255 bytes (UTF-8)`,
  ],
  [
    'consumer-rabbitmq-queue: amq. prefix',
    (c) => (rmq(c).consumers[0].queue = 'amq.gen-abc'),
    `${b1}.queue: "amq.gen-abc" starts with "amq.", which RabbitMQ reserves for its own (server-named) queues; allowed: a queue name of your own`,
  ],
  [
    'consumer-batch-size: 0',
    (c) => (amq(c).consumers[0].batchSize = 0),
    `${b0}.batchSize: 0 is out of range; allowed: 1 to 10000 messages (Lambda's default for Amazon MQ: 100)`,
  ],
  [
    'consumer-batch-size: 10001',
    (c) => (rmq(c).consumers[0].batchSize = 10001),
    `${b1}.batchSize: 10001 is out of range; allowed: 1 to 10000 messages (Lambda's default for Amazon MQ: 100)`,
  ],
  [
    'consumer-batching-window: 301',
    (c) => (amq(c).consumers[0].maximumBatchingWindowSeconds = 301),
    `${b0}.maximumBatchingWindowSeconds: 301 is out of range; allowed: 0 to 300 seconds (leave it out for Lambda's 500 ms default)`,
  ],
  [
    'consumer-batching-window: negative',
    (c) => (rmq(c).consumers[0].maximumBatchingWindowSeconds = -1),
    `${b1}.maximumBatchingWindowSeconds: -1 is out of range; allowed: 0 to 300 seconds (leave it out for Lambda's 500 ms default)`,
  ],
  [
    'consumer-vhost: on ActiveMQ',
    (c) => (amq(c).consumers[0].vhost = '/'),
    `${b0}.vhost: "/" does not apply to ActiveMQ brokers (virtual hosts are RabbitMQ's); allowed: remove the field`,
  ],
  [
    'consumer-vhost: empty on RabbitMQ',
    (c) => (rmq(c).consumers[0].vhost = ''),
    `${b1}.vhost: "" is empty; allowed: a virtual host name, or leave it out for "/"`,
  ],
  [
    'consumer-user: unknown',
    (c) => (amq(c).consumers[0].user = 'nobody'),
    `${b0}.user: "nobody" is not an application credential of this broker; allowed: app`,
  ],
  [
    'consumer-user: the second user of a pair',
    (c) => (amq(c).consumers[0].user = 'app_clone'),
    `${b0}.user: "app_clone" is the second user of credential "app", which its secret names only every other rotation; allowed: "app" (its secret always names the valid user)`,
  ],
  [
    'consumer-user: the RabbitMQ administrator',
    (c) => (rmq(c).consumers[0].user = rmq(c).administrator.username),
    `${b1}.user: "ADMIN" is the broker's administrator, reserved for the platform; allowed: an application credential of this broker (USERS)`,
  ],
  [
    'consumer-permissions: no permission on the virtual host',
    (c) => (rmq(c).consumers[0].vhost = 'billing'),
    `${b1}.user: "USER" has no permissions on virtual host "billing"; allowed: a user with a users[].permissions entry for "billing" whose read pattern matches "events.audit"`,
  ],
  [
    'consumer-permissions: the read pattern does not match the queue',
    (c) => (rmq(c).users[0].permissions = [{ vhost: '/', read: '^orders\\.' }]),
    `${b1}.queue: "events.audit" is not readable by user "USER" on virtual host "/" (read pattern "^orders\\\\."); allowed: a queue its read pattern matches, or widen the pattern`,
  ],
  [
    "consumer-activemq-authorization: no entry lets the user's groups read the queue",
    (c) => {
      amq(c).users[0].groups = ['apps'];
      amq(c).configuration = {
        activemq: {
          authorization: [
            { queue: 'orders.>', write: ['apps'], read: ['auditors'] },
            { queue: 'billing.*', read: ['apps'] },
          ],
        },
      };
    },
    `${b0}.user: "app" may not consume queue "orders.created": no configuration.activemq.authorization entry matching it grants read to one of its groups (apps); allowed: a user in a group that such an entry lets read`,
  ],
  [
    'consumer-secret-policy: too many roles read one secret',
    (c) => {
      amq(c).users[0].readers = Array.from(
        { length: 215 },
        (_, i) => `arn:aws:iam::123456789012:role/reader-${String(i).padStart(3, '0')}`,
      );
    },
    `${b0}.user: "app" has 216 readers with its consumers' roles, which make its secret's resource policy about 20504 characters; allowed: at most 20480 (Secrets Manager PutResourcePolicy), so share roles between consumers or name fewer readers`,
  ],
];

/** brokers[].authentication arrives with issue 15: the rule reads it when present, checked here on the parsed broker. */
function authenticationProblems(strategy: string): string[] {
  const config = withConsumers();
  const plan = validateConfig(config).plan!;
  const rule = CONSUMER_RULES.find((r) => r.id === 'consumer-authentication')!;
  const broker = { ...config.brokers[0], authentication: { strategy } };
  return rule.check(broker, { config, index: 0, resolved: plan.brokers[0] }).map(formatProblem);
}

describe('invalid consumers', () => {
  test('consumer-authentication: a broker that does not use simple authentication', () => {
    expect(authenticationProblems('ldap')).toEqual([
      `brokers[0].consumers: "1 consumer(s)" cannot log in to a broker with ldap authentication; allowed: consumers only on brokers with simple authentication (Lambda logs in with a broker user's secret: ActiveMQ SimpleAuthenticationPlugin, RabbitMQ PLAIN)`,
    ]);
    expect(authenticationProblems('simple')).toEqual([]);
  });

  test.each(cases)('%s', (_name, edit, expected) => {
    const config = withConsumers();
    const text = expected
      .replace('ADMIN', rmq(config).administrator.username)
      .replace(
        'USERS',
        rmq(config)
          .users.map((u: { username: string }) => u.username)
          .join(', '),
      )
      .replace(/USER/g, rmq(config).users[0].username);
    expect(problemsOf(edit)).toEqual([text]);
  });
});

const warningCases: Array<[string, (c: Mutable) => void, string]> = [
  [
    'consumer-queue-naming: characters Amazon MQ advises against',
    (c) => (rmq(c).consumers[0].queue = 'events audit'),
    `${b1}.queue: "events audit" has characters Amazon MQ advises against (they may prevent broker maintenance operations); advised: letters, digits, "-", "_", ".", ":" and "/"`,
  ],
  [
    'consumer-network: an imported VPC',
    (c) =>
      (c.network = {
        mode: 'import',
        vpcId: 'vpc-0a1b2c3d4e5f67890',
        cidr: '10.0.0.0/16',
        availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
        subnetIds: ['subnet-0a1b2c3d4e5f67890', 'subnet-1a1b2c3d4e5f67890', 'subnet-2a1b2c3d4e5f67890'],
      }),
    `brokers[0].consumers: "1 consumer(s)" need Lambda, STS and Secrets Manager interface endpoints (or a NAT gateway) in the imported VPC's broker subnets, which mq-platform does not create there; advised: check they exist and admit HTTPS from the broker's security group`,
  ],
  [
    'consumer-role-policies: an 11th consumer on one role',
    (c) => {
      for (let i = 1; i <= 6; i++) amq(c).consumers.push({ ...amq(c).consumers[0], name: `n${i}`, queue: `q${i}` });
      for (let i = 1; i <= 4; i++) rmq(c).consumers.push({ ...rmq(c).consumers[0], name: `a${i}`, queue: `q${i}` });
    },
    'brokers[1].consumers[3].roleArn: "arn:aws:iam::123456789012:role/notifier" gets its 11th consumer policy (one per consumer); IAM attaches at most 10 managed policies to a role by default (adjustable); advised: a role per function, or raise the quota before deploying',
  ],
  [
    'consumer-rabbitmq-timeout: consumer_timeout shorter than a batch may be held',
    (c) => (rmq(c).configuration = { rabbitmq: { consumerTimeoutMs: 600000 } }),
    `${b1}: "audit" may hold a batch unacknowledged up to 900500 ms (a Lambda function runs up to 900 s, after the batching window), longer than the broker's configuration.rabbitmq.consumerTimeoutMs 600000, which closes the channel and redelivers the batch; advised: consumerTimeoutMs of at least 900500, or a function timeout well below it`,
  ],
];

describe('consumer warnings', () => {
  test.each(warningCases)('%s', (_name, edit, expected) => {
    expect(problemsOf(edit)).toEqual([]);
    expect(warningsOf(edit)).toContain(expected);
  });

  test('every consumer rule has at least one case', () => {
    const fired = new Set<string>();
    for (const [, edit] of [...cases, ...warningCases]) {
      const r = resultOf(edit);
      for (const p of [...r.problems, ...r.warnings]) fired.add(p.rule);
    }
    if (authenticationProblems('iam').length === 1) fired.add('consumer-authentication');
    expect(CONSUMER_RULES.map((r) => r.id).filter((id) => !fired.has(id))).toEqual([]);
    for (const r of CONSUMER_RULES) expect(r.source).toMatch(/^https:\/\//);
  });
});
