import { SOURCES } from '../../amazonmq/catalog';
import {
  LAMBDA_BATCH_SIZE,
  LAMBDA_BATCHING_WINDOW_SECONDS,
  LAMBDA_CONSUMER_SOURCES,
  LAMBDA_QUEUE_NAME_MAX,
} from '../../amazonmq/lambda-consumers';
import { PARTNER_SUFFIX } from '../../contract/rotation';
import { DEFAULT_CONSUMER_VHOST } from '../resolve-consumers';
import { at, list } from './problem';
import { brokerRule, type BrokerRule, type BrokerRuleContext } from './rule';

/** Rules on brokers[].consumers: Lambda event source mappings of a broker's queues (issue 17). */

export const CONSUMER_SOURCES = {
  ...LAMBDA_CONSUMER_SOURCES,
  rabbitMqQueues: 'https://www.rabbitmq.com/docs/queues#names',
  amazonMqNaming: 'https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/best-practices-resource-naming.html',
  iamArns: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns',
  cdkIdentifiers: 'https://docs.aws.amazon.com/cdk/v2/guide/identifiers.html',
  secretPolicy: 'https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_PutResourcePolicy.html',
  iamQuotas: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html',
  activeMqSecurity: 'https://activemq.apache.org/components/classic/documentation/security',
  functionTimeout: 'https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html',
} as const;

/** Managed policies attached to a role: 10 by default, adjustable (CONSUMER_SOURCES.iamQuotas). */
const MANAGED_POLICIES_PER_ROLE = 10;

/** ResourcePolicy: at most 20480 characters (CONSUMER_SOURCES.secretPolicy). */
const SECRET_POLICY_MAX_LENGTH = 20480;
/** A function's timeout is at most 900 seconds (CONSUMER_SOURCES.functionTimeout). */
const LAMBDA_MAX_RUN_MS = 900 * 1000;

/** FunctionName as a bare name: "If you specify only the function name, it's limited to 64 characters" (CONSUMER_SOURCES.api). */
const FUNCTION_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
/**
 * FunctionName as a full ARN, optionally qualified (version, alias or $LATEST); the API's pattern
 * with its optional parts required, and 140 characters at most (CONSUMER_SOURCES.api).
 */
const FUNCTION_ARN =
  /^arn:(aws[a-zA-Z-]*):lambda:([a-z]{2}(-gov)?-[a-z]+-\d):(\d{12}):function:([a-zA-Z0-9_-]{1,64})(:(\$LATEST|[a-zA-Z0-9_-]+))?$/;
const FUNCTION_ARN_MAX = 140;
/** An IAM role ARN, path allowed, no wildcard (CONSUMER_SOURCES.iamArns): a secret names its readers by exact ARN. */
const ROLE_ARN = /^arn:aws(-cn|-us-gov)?:iam::(\d{12}):role\/([\x21-\x29\x2b-\x3e\x40-\x7e]*\/)?[\w+=,.@-]{1,64}$/;
const QUEUE_MAX = LAMBDA_QUEUE_NAME_MAX;
/** RabbitMQ: "Queue names may be up to 255 bytes of UTF-8 characters"; "amq." is reserved (CONSUMER_SOURCES.rabbitMqQueues). */
const RABBITMQ_QUEUE_MAX_BYTES = 255;
/** Amazon MQ for RabbitMQ's recommended characters for queue and vhost names (CONSUMER_SOURCES.amazonMqNaming). */
const RECOMMENDED_NAME = /^[A-Za-z0-9\-_.:/]+$/;
const BATCH_SIZE = LAMBDA_BATCH_SIZE;
const BATCHING_WINDOW_SECONDS = LAMBDA_BATCHING_WINDOW_SECONDS;

const p = (ctx: BrokerRuleContext, i: number, ...rest: Array<string | number>) => at('brokers', ctx.index, 'consumers', i, ...rest);
const consumersOf = (b: { consumers?: unknown }) => (Array.isArray(b.consumers) ? (b.consumers as NonNullable<typeof b.consumers>) : []);

export const CONSUMER_RULES: readonly BrokerRule[] = [
  // The name is part of construct ids and alarm names, unique per broker.
  brokerRule('consumer-name', CONSUMER_SOURCES.cdkIdentifiers, (b, ctx, report) => {
    const seen = new Set<string>();
    (b.consumers ?? []).forEach((c, i) => {
      if (!FUNCTION_NAME.test(c.name)) {
        report(p(ctx, i, 'name'), c.name, 'is not accepted; allowed: 1 to 64 letters, digits, "-" and "_"');
      } else if (seen.has(c.name)) {
        report(p(ctx, i, 'name'), c.name, 'is the name of another consumer of this broker; allowed: a name unique on the broker');
      }
      seen.add(c.name);
    });
  }),

  // The forms of FunctionName the mapping accepts. A mapping is a regional resource: the Lambda docs
  // do not say it outright, but FunctionName resolves in the mapping's own region, so a function of
  // another region is refused here.
  brokerRule('consumer-function', CONSUMER_SOURCES.api, (b, ctx, report) => {
    (b.consumers ?? []).forEach((c, i) => {
      const given = [c.functionName !== undefined, c.functionArn !== undefined].filter(Boolean).length;
      if (given !== 1) {
        report(
          p(ctx, i),
          c.name,
          `names ${given === 0 ? 'no function' : 'both functionName and functionArn'}; allowed: exactly one of functionName or functionArn`,
        );
        return;
      }
      if (c.functionName !== undefined && !FUNCTION_NAME.test(c.functionName)) {
        report(
          p(ctx, i, 'functionName'),
          c.functionName,
          'is not a Lambda function name; allowed: 1 to 64 letters, digits, "-" and "_" (or a full ARN in functionArn)',
        );
      }
      if (c.functionArn !== undefined) {
        const m = FUNCTION_ARN.exec(c.functionArn);
        if (!m || c.functionArn.length > FUNCTION_ARN_MAX) {
          report(
            p(ctx, i, 'functionArn'),
            c.functionArn,
            `is not a Lambda function ARN; allowed: arn:aws:lambda:<region>:<account>:function:<name>[:<version or alias>], at most ${FUNCTION_ARN_MAX} characters`,
          );
        } else if (m[2] !== ctx.config.region) {
          report(
            p(ctx, i, 'functionArn'),
            c.functionArn,
            `is a function of region ${m[2]}; allowed: a function of the environment's region ${ctx.config.region}`,
          );
        }
      }
    });
  }),

  // "Lambda does not support cross-account processing" (with-mq.html): the function, and so its role,
  // must be in the broker's account. Checked when the config pins the account.
  brokerRule('consumer-same-account', CONSUMER_SOURCES.withMq, (b, ctx, report) => {
    const account = ctx.config.account;
    if (account === undefined) return;
    (b.consumers ?? []).forEach((c, i) => {
      const fnAccount = c.functionArn !== undefined ? FUNCTION_ARN.exec(c.functionArn)?.[4] : undefined;
      if (fnAccount !== undefined && fnAccount !== account) {
        report(
          p(ctx, i, 'functionArn'),
          c.functionArn,
          `is a function of account ${fnAccount}; allowed: a function of the environment's account ${account} (Lambda does not consume Amazon MQ queues across accounts)`,
        );
      }
      const roleAccount = ROLE_ARN.exec(c.roleArn)?.[2];
      if (roleAccount !== undefined && roleAccount !== account) {
        report(
          p(ctx, i, 'roleArn'),
          c.roleArn,
          `is a role of account ${roleAccount}; allowed: the function's execution role in the environment's account ${account}`,
        );
      }
    });
  }),

  brokerRule('consumer-role', CONSUMER_SOURCES.iamArns, (b, ctx, report) => {
    (b.consumers ?? []).forEach((c, i) => {
      if (!ROLE_ARN.test(c.roleArn)) {
        report(
          p(ctx, i, 'roleArn'),
          c.roleArn,
          'is not an IAM role ARN; allowed: the exact ARN of the function\'s execution role, "arn:aws:iam::<account>:role/[<path>/]<name>", no wildcards',
        );
      }
    });
  }),

  brokerRule('consumer-queue', CONSUMER_SOURCES.api, (b, ctx, report) => {
    (b.consumers ?? []).forEach((c, i) => {
      if (c.queue.length === 0 || c.queue.length > QUEUE_MAX) {
        report(p(ctx, i, 'queue'), c.queue, `is ${c.queue.length} characters; allowed: 1 to ${QUEUE_MAX} characters`);
      }
    });
  }),

  brokerRule('consumer-rabbitmq-queue', CONSUMER_SOURCES.rabbitMqQueues, (b, ctx, report) => {
    if (b.engine !== 'RABBITMQ') return;
    (b.consumers ?? []).forEach((c, i) => {
      const bytes = Buffer.byteLength(c.queue, 'utf8');
      if (bytes > RABBITMQ_QUEUE_MAX_BYTES) {
        report(
          p(ctx, i, 'queue'),
          c.queue,
          `is ${bytes} bytes; allowed: RabbitMQ queue names of at most ${RABBITMQ_QUEUE_MAX_BYTES} bytes (UTF-8)`,
        );
      } else if (c.queue.startsWith('amq.')) {
        report(
          p(ctx, i, 'queue'),
          c.queue,
          'starts with "amq.", which RabbitMQ reserves for its own (server-named) queues; allowed: a queue name of your own',
        );
      }
    });
  }),

  // Amazon MQ may fail maintenance operations on other characters: a warning, RabbitMQ accepts them.
  brokerRule('consumer-queue-naming', CONSUMER_SOURCES.amazonMqNaming, (b, ctx, report) => {
    if (b.engine !== 'RABBITMQ') return;
    (b.consumers ?? []).forEach((c, i) => {
      for (const [field, value] of [
        ['queue', c.queue],
        ['vhost', c.vhost],
      ] as const) {
        if (value !== undefined && value.length > 0 && !RECOMMENDED_NAME.test(value)) {
          report(
            p(ctx, i, field),
            value,
            'has characters Amazon MQ advises against (they may prevent broker maintenance operations); advised: letters, digits, "-", "_", ".", ":" and "/"',
            'warning',
          );
        }
      }
    });
  }),

  brokerRule('consumer-batch-size', CONSUMER_SOURCES.params, (b, ctx, report) => {
    (b.consumers ?? []).forEach((c, i) => {
      if (c.batchSize !== undefined && (c.batchSize < BATCH_SIZE.min || c.batchSize > BATCH_SIZE.max)) {
        report(
          p(ctx, i, 'batchSize'),
          c.batchSize,
          `is out of range; allowed: ${BATCH_SIZE.min} to ${BATCH_SIZE.max} messages (Lambda's default for Amazon MQ: 100)`,
        );
      }
    });
  }),

  brokerRule('consumer-batching-window', CONSUMER_SOURCES.api, (b, ctx, report) => {
    (b.consumers ?? []).forEach((c, i) => {
      const w = c.maximumBatchingWindowSeconds;
      if (w !== undefined && (w < BATCHING_WINDOW_SECONDS.min || w > BATCHING_WINDOW_SECONDS.max)) {
        report(
          p(ctx, i, 'maximumBatchingWindowSeconds'),
          w,
          `is out of range; allowed: ${BATCHING_WINDOW_SECONDS.min} to ${BATCHING_WINDOW_SECONDS.max} seconds (leave it out for Lambda's 500 ms default)`,
        );
      }
    });
  }),

  // VIRTUAL_HOST is RabbitMQ's only; left out, the mapping reads the default virtual host "/".
  brokerRule('consumer-vhost', CONSUMER_SOURCES.params, (b, ctx, report) => {
    (b.consumers ?? []).forEach((c, i) => {
      if (c.vhost === undefined) return;
      if (b.engine === 'ACTIVEMQ') {
        report(p(ctx, i, 'vhost'), c.vhost, "does not apply to ActiveMQ brokers (virtual hosts are RabbitMQ's); allowed: remove the field");
      } else if (c.vhost.length === 0) {
        report(p(ctx, i, 'vhost'), c.vhost, `is empty; allowed: a virtual host name, or leave it out for "${DEFAULT_CONSUMER_VHOST}"`);
      }
    });
  }),

  // The mapping logs in with a broker user's Secrets Manager secret (with-mq.html): an application
  // credential of this broker, whose secret the rotation keeps naming the valid user of its pair.
  brokerRule('consumer-user', CONSUMER_SOURCES.withMq, (b, ctx, report) => {
    const usernames = b.users.map((u) => u.username);
    const admin = b.engine === 'RABBITMQ' ? b.administrator?.username : undefined;
    (b.consumers ?? []).forEach((c, i) => {
      if (usernames.includes(c.user)) return;
      const path = p(ctx, i, 'user');
      const base = c.user.endsWith(PARTNER_SUFFIX) ? c.user.slice(0, -PARTNER_SUFFIX.length) : undefined;
      if (admin !== undefined && c.user === admin) {
        report(
          path,
          c.user,
          `is the broker's administrator, reserved for the platform; allowed: an application credential of this broker (${list(usernames)})`,
        );
      } else if (base !== undefined && usernames.includes(base)) {
        report(
          path,
          c.user,
          `is the second user of credential "${base}", which its secret names only every other rotation; allowed: "${base}" (its secret always names the valid user)`,
        );
      } else {
        report(path, c.user, `is not an application credential of this broker; allowed: ${list(usernames)}`);
      }
    });
  }),

  // "For ActiveMQ, only the ActiveMQ SimpleAuthenticationPlugin is supported. For RabbitMQ, only the
  // PLAIN authentication mechanism is supported" (with-mq.html): a broker that authenticates
  // otherwise (LDAP, IAM, OAuth 2.0; brokers[].authentication, issue 15) cannot be consumed.
  brokerRule('consumer-authentication', CONSUMER_SOURCES.withMq, (b, ctx, report) => {
    const strategy = (b as { authentication?: { strategy?: unknown } }).authentication?.strategy;
    if (strategy === undefined || strategy === 'simple' || consumersOf(b).length === 0) return;
    report(
      at('brokers', ctx.index, 'consumers'),
      `${consumersOf(b).length} consumer(s)`,
      `cannot log in to a broker with ${String(strategy)} authentication; allowed: consumers only on brokers with simple authentication (Lambda logs in with a broker user's secret: ActiveMQ SimpleAuthenticationPlugin, RabbitMQ PLAIN)`,
    );
  }),

  // Every consumer's role joins the readers of its credential's secret; the resource policy names
  // each reader twice (allow and deny), estimated as the secret-readers rule does.
  brokerRule('consumer-secret-policy', CONSUMER_SOURCES.secretPolicy, (b, ctx, report) => {
    b.users.forEach((u) => {
      const roles = new Set(u.readers ?? []);
      const added = (b.consumers ?? []).filter((c) => c.user === u.username && !roles.has(c.roleArn));
      for (const c of added) roles.add(c.roleArn);
      const size = 1500 + 2 * [...roles].reduce((n, arn) => n + arn.length + 3, 0);
      const first = (b.consumers ?? []).findIndex((c) => c.user === u.username);
      if (added.length > 0 && size > SECRET_POLICY_MAX_LENGTH) {
        report(
          p(ctx, first, 'user'),
          u.username,
          `has ${roles.size} readers with its consumers' roles, which make its secret's resource policy about ${size} characters; allowed: at most ${SECRET_POLICY_MAX_LENGTH} (Secrets Manager PutResourcePolicy), so share roles between consumers or name fewer readers`,
        );
      }
    });
  }),

  // Each consumer attaches one managed policy to its role; the role may have others of its own, so
  // this is a warning at the consumer that passes the default quota, environment-wide.
  brokerRule('consumer-role-policies', CONSUMER_SOURCES.iamQuotas, (b, ctx, report) => {
    const seen = new Map<string, number>();
    ctx.config.brokers.forEach((other, k) => {
      consumersOf(other ?? {}).forEach((c, i) => {
        const role = (c as { roleArn?: unknown }).roleArn;
        if (typeof role !== 'string') return;
        const n = (seen.get(role) ?? 0) + 1;
        seen.set(role, n);
        if (k === ctx.index && n === MANAGED_POLICIES_PER_ROLE + 1) {
          report(
            p(ctx, i, 'roleArn'),
            role,
            `gets its ${n}th consumer policy (one per consumer); IAM attaches at most ${MANAGED_POLICIES_PER_ROLE} managed policies to a role by default (adjustable); advised: a role per function, or raise the quota before deploying`,
            'warning',
          );
        }
      });
    });
  }),

  // Lambda holds a batch unacknowledged while the function runs (at most its timeout, 900 s at most),
  // after gathering it for the batching window; RabbitMQ closes a channel whose delivery stays
  // unacknowledged longer than consumer_timeout, and the batch is redelivered. A warning: a function
  // whose own timeout is shorter is fine (its timeout is not in this config).
  brokerRule('consumer-rabbitmq-timeout', CONSUMER_SOURCES.functionTimeout, (b, ctx, report) => {
    const timeout = b.engine === 'RABBITMQ' ? b.configuration?.rabbitmq?.consumerTimeoutMs : undefined;
    if (timeout === undefined || timeout === 0) return;
    (b.consumers ?? []).forEach((c, i) => {
      const needed = LAMBDA_MAX_RUN_MS + (c.maximumBatchingWindowSeconds ?? 0.5) * 1000;
      if (timeout < needed) {
        report(
          p(ctx, i),
          c.name,
          `may hold a batch unacknowledged up to ${needed} ms (a Lambda function runs up to 900 s, after the batching window), longer than the broker's configuration.rabbitmq.consumerTimeoutMs ${timeout}, which closes the channel and redelivers the batch; advised: consumerTimeoutMs of at least ${needed}, or a function timeout well below it`,
          'warning',
        );
      }
    });
  }),

  // With an authorization map (brokers[].configuration.activemq.authorization), a consumer needs read
  // on the queue through one of its groups. Entries are matched with ActiveMQ's wildcards ("*" one
  // segment, ">" the rest); any matching entry that grants read counts, so a config ActiveMQ would
  // accept is never refused here.
  brokerRule('consumer-activemq-authorization', CONSUMER_SOURCES.activeMqSecurity, (b, ctx, report) => {
    const entries = b.engine === 'ACTIVEMQ' ? b.configuration?.activemq?.authorization : undefined;
    if (!entries || entries.length === 0) return;
    (b.consumers ?? []).forEach((c, i) => {
      const user = b.users.find((u) => u.username === c.user);
      if (!user) return; // consumer-user reports it
      const groups = user.groups ?? [];
      const granted = entries.some(
        (e) => e.queue !== undefined && destinationMatches(e.queue, c.queue) && (e.read ?? []).some((g) => groups.includes(g)),
      );
      if (!granted) {
        report(
          p(ctx, i, 'user'),
          c.user,
          `may not consume queue "${c.queue}": no configuration.activemq.authorization entry matching it grants read to one of its groups (${list(groups)}); allowed: a user in a group that such an entry lets read`,
        );
      }
    });
  }),

  // basic.consume needs the read permission on the queue (RabbitMQ access control). Patterns are
  // regular expressions matched anywhere in the name, as RabbitMQ does; one JavaScript cannot read
  // is left to the broker.
  brokerRule('consumer-permissions', SOURCES.rabbitMqAccessControl, (b, ctx, report) => {
    if (b.engine !== 'RABBITMQ') return;
    const resolvedUsers = ctx.resolved?.users ?? [];
    (b.consumers ?? []).forEach((c, i) => {
      const user = resolvedUsers.find((u) => u.username === c.user);
      if (!user) return; // consumer-user reports it
      const vhost = c.vhost ?? DEFAULT_CONSUMER_VHOST;
      if (vhost.length === 0) return; // consumer-vhost reports it
      const perm = user.permissions.find((x) => x.vhost === vhost);
      if (!perm) {
        report(
          p(ctx, i, 'user'),
          c.user,
          `has no permissions on virtual host "${vhost}"; allowed: a user with a users[].permissions entry for "${vhost}" whose read pattern matches "${c.queue}"`,
        );
        return;
      }
      let matches: boolean;
      try {
        matches = new RegExp(perm.read).test(c.queue);
      } catch {
        return;
      }
      if (!matches) {
        report(
          p(ctx, i, 'queue'),
          c.queue,
          `is not readable by user "${c.user}" on virtual host "${vhost}" (read pattern ${JSON.stringify(perm.read)}); allowed: a queue its read pattern matches, or widen the pattern`,
        );
      }
    });
  }),

  // Lambda reaches the broker from its own subnets and needs Lambda, STS and Secrets Manager there:
  // created VPCs get the endpoints; an imported VPC must already have them (or a NAT gateway).
  brokerRule('consumer-network', CONSUMER_SOURCES.network, (b, ctx, report) => {
    if (ctx.config.network.mode !== 'import' || consumersOf(b).length === 0) return;
    report(
      at('brokers', ctx.index, 'consumers'),
      `${consumersOf(b).length} consumer(s)`,
      "need Lambda, STS and Secrets Manager interface endpoints (or a NAT gateway) in the imported VPC's broker subnets, which mq-platform does not create there; advised: check they exist and admit HTTPS from the broker's security group",
      'warning',
    );
  }),
];

/** Whether an ActiveMQ destination pattern ("orders.>", "*.created") matches a destination name. */
function destinationMatches(pattern: string, name: string): boolean {
  const match = (p: readonly string[], n: readonly string[]): boolean => {
    if (p.length === 0) return n.length === 0;
    if (p[0] === '>') return true;
    if (n.length === 0) return false;
    return (p[0] === '*' || p[0] === n[0]) && match(p.slice(1), n.slice(1));
  };
  return match(pattern.split('.'), name.split('.'));
}
