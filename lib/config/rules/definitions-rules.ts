import {
  DEFAULT_VHOST,
  isRabbitMq4,
  normalizeDefinitions,
  type Arguments,
  type QueueType,
  type RabbitMqDefinitions,
} from '../../rabbitmq/definitions';
import type { BrokerConfig } from '../schema';
import { at, list } from './problem';
import { brokerRule, type BrokerRule, type BrokerRuleContext, type Report } from './rule';

/**
 * Rules on a RabbitMQ broker's definitions (issue 11): names and patterns, references between
 * them, queue types and arguments valid for the engine version, counts within the broker's limits.
 */

const RMQ = 'https://www.rabbitmq.com/docs';
const MQ = 'https://docs.aws.amazon.com/amazon-mq/latest/developer-guide';
export const DEFINITIONS_SOURCES = {
  definitions: `${RMQ}/definitions`,
  queueNames: `${RMQ}/queues#names`,
  naming: `${MQ}/best-practices-resource-naming.html`,
  policies: `${RMQ}/policies`,
  exchanges: `${RMQ}/exchanges`,
  quorumFeatures: `${RMQ}/quorum-queues#feature-matrix`,
  quorumPolicies: `${MQ}/quorum-queues-policy-configurations.html`,
  rabbitMq4: `${MQ}/rabbitmq-4.html`,
  rabbitMq43: `${MQ}/rabbitmq-43.html`,
  deprecated: 'https://www.rabbitmq.com/release-information/deprecated-features-list',
  vhostLimits: `${RMQ}/vhosts#limits`,
  resourceLimits: `${MQ}/rabbitmq-resource-limits-configuration.html`,
  lambdaInvoke: 'https://docs.aws.amazon.com/lambda/latest/dg/API_Invoke.html',
  deadLettering: `${RMQ}/quorum-queues#dead-lettering`,
  ttl: `${RMQ}/ttl`,
  maxLength: `${RMQ}/maxlength`,
  alternateExchange: `${RMQ}/ae`,
  brokerDefaults: `${MQ}/rabbitmq-defaults.html`,
} as const;

/**
 * The broker's limits on counts of definitions (Amazon MQ RabbitMQ 4.x resource limits: configured,
 * else the default for the version, instance type and mode); undefined: no limit known.
 * The exchange count includes each vhost's built-in exchanges: RabbitMQ counts every exchange of the
 * cluster (our reading; the Amazon MQ pages do not say).
 */
export interface DefinitionCountLimits {
  /** vhost_max (the default "/" counts). */
  readonly vhosts?: number;
  /** cluster_queue_limit. */
  readonly queues?: number;
  /** cluster_exchange_limit (the broker's own amq.* exchanges count: 7 per vhost). */
  readonly exchanges?: number;
}
export type DefinitionCountLimitsOf = (broker: BrokerConfig, ctx: BrokerRuleContext) => DefinitionCountLimits;
/**
 * Default: the broker's effective limits from the plan (BrokerDraft.limits, resolved by
 * lib/config/resolve-configuration.ts effectiveRabbitMqLimits: configured, else Amazon MQ's default
 * for the version, size and mode; RabbitMQ 3 runs at the maxima).
 */
const planLimits: DefinitionCountLimitsOf = (_b, ctx) => {
  const limits = ctx.resolved?.limits;
  return { vhosts: limits?.vhosts?.value, queues: limits?.queues?.value, exchanges: limits?.exchanges?.value };
};
let countLimitsOf: DefinitionCountLimitsOf = planLimits;
/** Where the broker configuration plugs its effective limits in. */
export function useDefinitionCountLimits(fn: DefinitionCountLimitsOf = planLimits): void {
  countLimitsOf = fn;
}

/** Exchanges every vhost has: the default ("") and amq.direct, amq.fanout, amq.headers, amq.match, amq.topic, amq.rabbitmq.trace. */
const BUILT_IN_EXCHANGES = ['', 'amq.direct', 'amq.fanout', 'amq.headers', 'amq.match', 'amq.topic', 'amq.rabbitmq.trace'];
const MAX_NAME_BYTES = 255;
/** `(?i)`, `(?>…)` and other groups JavaScript lacks, and possessive quantifiers (`a++`). */
const PCRE_ONLY = /\(\?(?![:=!]|<[=!]|<[A-Za-z])|[*+?}]\+/;
/** The document as JSON: two copies and the event's other fields stay under Lambda's 1 MB asynchronous payload. */
export const MAX_DOCUMENT_BYTES = 400_000;
const ADVISED_NAME = /^[A-Za-z0-9\-_.:/]+$/;
/** Prefix of the default policies Amazon MQ creates (AWS-DEFAULT-POLICY-*, AWS-DEFAULT-QUORUM-QUEUES-POLICY-*). */
const AMAZON_MQ_POLICY_PREFIX = 'AWS-DEFAULT';
const X_MATCH = ['all', 'any', 'all-with-x', 'any-with-x'];

/** Queue arguments per type (quorum feature matrix, TTL and max-length pages). */
const COMMON_ARGUMENTS = [
  'x-message-ttl',
  'x-expires',
  'x-max-length',
  'x-max-length-bytes',
  'x-overflow',
  'x-dead-letter-exchange',
  'x-dead-letter-routing-key',
  'x-single-active-consumer',
  'x-queue-leader-locator',
];
const QUEUE_ARGUMENTS: Record<QueueType, readonly string[]> = {
  classic: [...COMMON_ARGUMENTS, 'x-max-priority', 'x-queue-version', 'x-queue-mode'],
  quorum: [...COMMON_ARGUMENTS, 'x-delivery-limit', 'x-dead-letter-strategy', 'x-quorum-initial-group-size', 'x-max-priority'],
};
const INTEGER_ARGUMENTS = ['x-message-ttl', 'x-expires', 'x-max-length', 'x-max-length-bytes', 'x-delivery-limit', 'x-max-priority'];
/** Arguments the broker refuses unless they are strings or booleans (rabbit_amqqueue's declare-argument checks). */
const STRING_ARGUMENTS = ['x-dead-letter-exchange', 'x-dead-letter-routing-key', 'x-dead-letter-strategy', 'x-queue-leader-locator'];
const BOOLEAN_ARGUMENTS = ['x-single-active-consumer'];
const CLASSIC_MIRRORING_KEYS = ['ha-mode', 'ha-params', 'ha-sync-mode'];

const p = (ctx: BrokerRuleContext, ...rest: Array<string | number>) => at('brokers', ctx.index, 'definitions', ...rest);
const vhostOf = (x: { vhost?: string }) => x.vhost ?? DEFAULT_VHOST;

/** The normalized document of a RabbitMQ broker with definitions (entries in config order). */
function docOf(b: BrokerConfig, ctx: BrokerRuleContext): RabbitMqDefinitions | undefined {
  if (b.engine !== 'RABBITMQ' || !b.definitions) return undefined;
  return ctx.resolved?.definitions ?? normalizeDefinitions(b.definitions, b);
}

export const DEFINITIONS_RULES: readonly BrokerRule[] = [
  brokerRule('definitions-engine', DEFINITIONS_SOURCES.definitions, (b, ctx, report) => {
    if (b.engine === 'ACTIVEMQ' && b.definitions !== undefined)
      report(p(ctx), '(definitions)', 'does not apply to ActiveMQ brokers (RabbitMQ definitions); allowed: remove the field');
  }),

  // Names: non-empty, at most 255 bytes, amq.* reserved for the broker's own exchanges and queues; one of each per vhost.
  brokerRule('definitions-names', DEFINITIONS_SOURCES.queueNames, (b, ctx, report) => {
    const d = b.engine === 'RABBITMQ' ? b.definitions : undefined;
    if (!d) return;
    const name = (path: string, value: string, what: string, reserved: boolean) => {
      if (value.length === 0) report(path, value, `is empty; allowed: a ${what} name of 1 to ${MAX_NAME_BYTES} bytes`);
      else if (Buffer.byteLength(value, 'utf8') > MAX_NAME_BYTES)
        report(path, value, `is ${Buffer.byteLength(value, 'utf8')} bytes; allowed: a ${what} name of 1 to ${MAX_NAME_BYTES} bytes`);
      else if (reserved && value.startsWith('amq.'))
        report(path, value, `starts with "amq.", reserved for the broker's own ${what}s; allowed: a name without that prefix`);
    };
    const twice = (
      kind: string,
      entries: ReadonlyArray<{ key: string; path: string; value: unknown; where: string }>,
      per = 'per name and vhost',
    ) => {
      const seen = new Set<string>();
      for (const e of entries) {
        if (seen.has(e.key)) report(e.path, e.value, `is declared twice ${e.where}; allowed: one ${kind} ${per}`);
        seen.add(e.key);
      }
    };
    (d.vhosts ?? []).forEach((v, i) => name(p(ctx, 'vhosts', i, 'name'), v.name, 'vhost', false));
    (d.exchanges ?? []).forEach((e, i) => name(p(ctx, 'exchanges', i, 'name'), e.name, 'exchange', true));
    (d.queues ?? []).forEach((q, i) => name(p(ctx, 'queues', i, 'name'), q.name, 'queue', true));
    (d.policies ?? []).forEach((x, i) => name(p(ctx, 'policies', i, 'name'), x.name, 'policy', false));
    twice(
      'vhost',
      (d.vhosts ?? []).map((v, i) => ({ key: v.name, path: p(ctx, 'vhosts', i, 'name'), value: v.name, where: 'in vhosts' })),
      'per name',
    );
    const perVhost = (kind: 'exchanges' | 'queues' | 'policies') =>
      twice(
        kind.replace(/s$/, '').replace(/ie$/, 'y'),
        (d[kind] ?? []).map((x, i) => ({
          key: `${vhostOf(x)}|${x.name}`,
          path: p(ctx, kind, i, 'name'),
          value: x.name,
          where: `in vhost "${vhostOf(x)}"`,
        })),
      );
    perVhost('exchanges');
    perVhost('queues');
    perVhost('policies');
    twice(
      'limits entry',
      (d.limits ?? []).map((l, i) => ({ key: l.vhost, path: p(ctx, 'limits', i, 'vhost'), value: l.vhost, where: 'in limits' })),
      'per vhost',
    );
  }),

  // Amazon MQ advises letters, digits and - _ . : / in names: others may stop its maintenance operations.
  brokerRule('definitions-name-characters', DEFINITIONS_SOURCES.naming, (b, ctx, report) => {
    const d = b.engine === 'RABBITMQ' ? b.definitions : undefined;
    if (!d) return;
    for (const kind of ['vhosts', 'exchanges', 'queues', 'policies'] as const)
      (d[kind] ?? []).forEach((x, i) => {
        if (x.name.length > 0 && !ADVISED_NAME.test(x.name))
          report(
            p(ctx, kind, i, 'name'),
            x.name,
            'has characters that may stop Amazon MQ maintenance operations; advised: letters, digits, "-", "_", ".", ":" and "/"',
            'warning',
          );
      });
  }),

  // Amazon MQ names its default policies AWS-DEFAULT-*; the docs let operators edit them but do not reserve
  // the prefix. We refuse it because definitions-apply and drift skip undeclared AWS-DEFAULT* policies
  // (case-sensitive) as Amazon MQ's: a declared one overwrites Amazon MQ's default, and once removed from
  // the config it is never deleted or reported.
  brokerRule('definitions-policy-names', DEFINITIONS_SOURCES.brokerDefaults, (b, ctx, report) => {
    const d = b.engine === 'RABBITMQ' ? b.definitions : undefined;
    (d?.policies ?? []).forEach((x, i) => {
      if (x.name.startsWith(AMAZON_MQ_POLICY_PREFIX))
        report(
          p(ctx, 'policies', i, 'name'),
          x.name,
          `starts with "${AMAZON_MQ_POLICY_PREFIX}", the prefix of Amazon MQ's own default policies (one declared here overwrites Amazon MQ's, and once removed from the config is never deleted or reported as drift); advised: a name without that prefix`,
          'warning',
        );
    });
  }),

  // An exchange's alternate-exchange argument is a string (an error) naming an exchange of the same
  // vhost (a warning: RabbitMQ accepts one that does not exist yet; RabbitMQ AE docs).
  brokerRule('definitions-exchange-arguments', DEFINITIONS_SOURCES.alternateExchange, (b, ctx, report) => {
    const d = b.engine === 'RABBITMQ' ? b.definitions : undefined;
    if (!d) return;
    const exchanges = new Set((d.exchanges ?? []).map((e) => `${vhostOf(e)}|${e.name}`));
    (d.exchanges ?? []).forEach((e, i) => {
      const ae = e.arguments?.['alternate-exchange'];
      if (ae === undefined) return;
      const path = p(ctx, 'exchanges', i, 'arguments', 'alternate-exchange');
      const v = vhostOf(e);
      if (typeof ae !== 'string') report(path, ae, `is not a string; allowed: the name of an exchange declared in vhost "${v}"`);
      else if (!exchanges.has(`${v}|${ae}`) && (ae === '' || !BUILT_IN_EXCHANGES.includes(ae)))
        report(
          path,
          ae,
          `is not an exchange declared in vhost "${v}" (alternate exchange of exchange "${e.name}"; RabbitMQ accepts it, and drops what the exchange cannot route until it exists); advised: an exchange of definitions.exchanges in vhost "${v}" or amq.direct, amq.fanout, amq.headers, amq.match, amq.topic`,
          'warning',
        );
    });
  }),

  // A headers binding's x-match is any, all, any-with-x or all-with-x (RabbitMQ refuses the binding otherwise).
  brokerRule('definitions-binding-arguments', DEFINITIONS_SOURCES.exchanges, (b, ctx, report) => {
    const d = b.engine === 'RABBITMQ' ? b.definitions : undefined;
    if (!d) return;
    // Only headers exchanges validate binding arguments (rabbit_exchange_type_headers:validate_binding).
    const headers = new Set((d.exchanges ?? []).filter((e) => e.type === 'headers').map((e) => `${vhostOf(e)}|${e.name}`));
    (d.bindings ?? []).forEach((x, i) => {
      const m = x.arguments?.['x-match'];
      const isHeaders = headers.has(`${vhostOf(x)}|${x.source}`) || ['amq.headers', 'amq.match'].includes(x.source);
      if (isHeaders && m !== undefined && !X_MATCH.includes(String(m)))
        report(p(ctx, 'bindings', i, 'arguments', 'x-match'), m, `is not a headers exchange match mode; allowed: ${list(X_MATCH)}`);
    });
  }),

  // Policy patterns (and permission patterns) are regular expressions the broker compiles.
  brokerRule('definitions-patterns', DEFINITIONS_SOURCES.policies, (b, ctx, report) => {
    if (b.engine !== 'RABBITMQ') return;
    const regex = (path: string, value: string) => {
      // The broker compiles Erlang's PCRE; JavaScript's engine judges the rest. PCRE-only syntax
      // (inline flags, atomic groups, possessive quantifiers) is left to the broker: never refused here.
      if (PCRE_ONLY.test(value)) return;
      try {
        new RegExp(value);
      } catch (e) {
        report(
          path,
          value,
          `is not a valid regular expression (${(e as Error).message.replace(/^Invalid regular expression: /, '')}); allowed: a regular expression such as "^orders\\\\."`,
        );
      }
    };
    (b.definitions?.policies ?? []).forEach((x, i) => regex(p(ctx, 'policies', i, 'pattern'), x.pattern));
    b.users.forEach((u, i) =>
      (u.permissions ?? []).forEach((perm, j) =>
        (['configure', 'write', 'read'] as const).forEach((f) => {
          const v = perm[f];
          if (v !== undefined) regex(at('brokers', ctx.index, 'users', i, 'permissions', j, f), v);
        }),
      ),
    );
  }),

  // Every vhost, exchange and queue a definition names must be declared (or be the broker's own).
  brokerRule('definitions-references', DEFINITIONS_SOURCES.definitions, (b, ctx, report) => {
    const d = b.engine === 'RABBITMQ' ? b.definitions : undefined;
    if (!d) return;
    const vhosts = new Set([DEFAULT_VHOST, ...(d.vhosts ?? []).map((v) => v.name)]);
    const exchanges = new Set((d.exchanges ?? []).map((e) => `${vhostOf(e)}|${e.name}`));
    const queues = new Set((d.queues ?? []).map((q) => `${vhostOf(q)}|${q.name}`));
    const allowedVhosts = list([...vhosts].map((v) => `"${v}"`));
    const vhost = (path: string, value: string | undefined, what: string) => {
      if (value !== undefined && !vhosts.has(value))
        report(path, value, `is not a declared vhost (${what}); allowed: ${allowedVhosts} (declare it in definitions.vhosts)`);
      return value === undefined || vhosts.has(value);
    };
    const exchangeKnown = (v: string, name: string) => exchanges.has(`${v}|${name}`) || BUILT_IN_EXCHANGES.includes(name);
    for (const kind of ['exchanges', 'queues', 'policies'] as const)
      (d[kind] ?? []).forEach((x, i) =>
        vhost(p(ctx, kind, i, 'vhost'), x.vhost, `${kind.replace(/s$/, '').replace(/ie$/, 'y')} "${x.name}"`),
      );
    (d.limits ?? []).forEach((l, i) => vhost(p(ctx, 'limits', i, 'vhost'), l.vhost, 'limits'));
    (d.bindings ?? []).forEach((x, i) => {
      const v = vhostOf(x);
      if (!vhost(p(ctx, 'bindings', i, 'vhost'), x.vhost, `binding of exchange "${x.source}"`)) return;
      if (!exchangeKnown(v, x.source) || x.source === '')
        report(
          p(ctx, 'bindings', i, 'source'),
          x.source,
          `is not an exchange declared in vhost "${v}" (binding to ${x.destinationType ?? 'queue'} "${x.destination}"); allowed: an exchange of definitions.exchanges in vhost "${v}" or amq.direct, amq.fanout, amq.headers, amq.match, amq.topic`,
        );
      const toExchange = x.destinationType === 'exchange';
      if (toExchange ? !exchangeKnown(v, x.destination) : !queues.has(`${v}|${x.destination}`))
        report(
          p(ctx, 'bindings', i, 'destination'),
          x.destination,
          `is not ${toExchange ? 'an exchange' : 'a queue'} declared in vhost "${v}" (binding from exchange "${x.source}"); allowed: ${toExchange ? 'an exchange' : 'a queue'} of definitions.${toExchange ? 'exchanges' : 'queues'} in vhost "${v}"`,
        );
    });
    const deadLetter = (path: string, v: string, value: unknown, owner: string) => {
      if (typeof value === 'string' && vhosts.has(v) && !exchangeKnown(v, value))
        report(
          path,
          value,
          `is not an exchange declared in vhost "${v}" (dead-letter exchange of ${owner}); allowed: an exchange of definitions.exchanges in vhost "${v}"`,
        );
    };
    (d.policies ?? []).forEach((x, i) =>
      deadLetter(
        p(ctx, 'policies', i, 'definition', 'dead-letter-exchange'),
        vhostOf(x),
        x.definition['dead-letter-exchange'],
        `policy "${x.name}"`,
      ),
    );
    (d.queues ?? []).forEach((q, i) =>
      deadLetter(
        p(ctx, 'queues', i, 'arguments', 'x-dead-letter-exchange'),
        vhostOf(q),
        q.arguments?.['x-dead-letter-exchange'],
        `queue "${q.name}"`,
      ),
    );
    // Users' permissions are applied after the definitions: their vhosts must be declared too.
    b.users.forEach((u, i) =>
      (u.permissions ?? []).forEach((perm, j) =>
        vhost(at('brokers', ctx.index, 'users', i, 'permissions', j, 'vhost'), perm.vhost, `permission of user "${u.username}"`),
      ),
    );
  }),

  // Quorum queues are durable, take their own set of arguments, and no reject-publish-dlx.
  brokerRule('definitions-queue-types', DEFINITIONS_SOURCES.quorumFeatures, (b, ctx, report) => {
    const doc = docOf(b, ctx);
    if (!doc) return;
    doc.queues.forEach((q, i) => {
      const raw = b.definitions!.queues![i];
      if (q.type === 'quorum' && !q.durable)
        report(
          p(ctx, 'queues', i, 'durable'),
          false,
          'is not possible for a quorum queue (always durable); allowed: true, or type "classic"',
        );
      if (raw.arguments?.['x-queue-type'] !== undefined)
        report(
          p(ctx, 'queues', i, 'arguments', 'x-queue-type'),
          raw.arguments['x-queue-type'],
          `is set by the queue's type; allowed: remove it and set type ("${q.type}")`,
        );
      checkArguments(q.arguments, q.type, p(ctx, 'queues', i, 'arguments'), report);
    });
  }),

  // RabbitMQ 4.x removed classic mirrored queues (ha-* policies) and transient non-exclusive queues;
  // quorum policies carry no ha-*, queue-mode or reject-publish-dlx on any version (Amazon MQ).
  brokerRule('definitions-engine-version', DEFINITIONS_SOURCES.deprecated, (b, ctx, report) => {
    const doc = docOf(b, ctx);
    if (!doc) return;
    const v4 = isRabbitMq4(b.engineVersion);
    doc.queues.forEach((q, i) => {
      if (v4 && !q.durable)
        report(
          p(ctx, 'queues', i, 'durable'),
          false,
          `is a transient non-exclusive queue, which RabbitMQ ${b.engineVersion} refuses (removed in 4.x); allowed: true (use x-expires to clean up unused queues)`,
        );
      if (q.type === 'quorum' && q.arguments['x-max-priority'] !== undefined && !atLeast(b.engineVersion, 4, 3))
        report(
          p(ctx, 'queues', i, 'arguments', 'x-max-priority'),
          q.arguments['x-max-priority'],
          `is not supported on quorum queues before RabbitMQ 4.3 (${b.engineVersion}); allowed: remove it, or a classic queue`,
        );
      if (q.type === 'classic' && q.arguments['x-queue-version'] === 1 && atLeast(b.engineVersion, 4, 3))
        report(
          p(ctx, 'queues', i, 'arguments', 'x-queue-version'),
          1,
          `is refused by RabbitMQ ${b.engineVersion} (classic queue v1 removed in 4.3); allowed: 2, or remove it`,
        );
    });
    doc.policies.forEach((x, i) => {
      const quorum =
        x.applyTo === 'quorum_queues' ||
        ((x.applyTo === 'queues' || x.applyTo === 'all') &&
          doc.queues.some((q) => q.type === 'quorum' && q.vhost === x.vhost && matches(x.pattern, q.name)));
      for (const key of CLASSIC_MIRRORING_KEYS) {
        if (x.definition[key] === undefined) continue;
        if (v4)
          report(
            p(ctx, 'policies', i, 'definition', key),
            x.definition[key],
            `is classic queue mirroring, removed in RabbitMQ 4.x (${b.engineVersion}); allowed: remove it (quorum queues replicate)`,
          );
        else if (quorum)
          report(
            p(ctx, 'policies', i, 'definition', key),
            x.definition[key],
            'is classic queue mirroring, which a quorum queue policy must not carry; allowed: remove it, or applyTo "classic_queues"',
          );
      }
      if (quorum && x.definition['queue-mode'] !== undefined)
        report(
          p(ctx, 'policies', i, 'definition', 'queue-mode'),
          x.definition['queue-mode'],
          'does not apply to quorum queues; allowed: remove it, or applyTo "classic_queues"',
        );
      if (quorum && x.definition.overflow === 'reject-publish-dlx')
        report(
          p(ctx, 'policies', i, 'definition', 'overflow'),
          'reject-publish-dlx',
          'is not supported by quorum queues; allowed: drop-head, reject-publish',
        );
    });
  }),

  // Policy values: non-negative integers; at-least-once dead-lettering needs overflow reject-publish.
  brokerRule('definitions-policy-values', DEFINITIONS_SOURCES.policies, (b, ctx, report) => {
    const d = b.engine === 'RABBITMQ' ? b.definitions : undefined;
    if (!d) return;
    (d.policies ?? []).forEach((x, i) => {
      const def = x.definition as Record<string, unknown>;
      const set = Object.entries(def).filter(([, v]) => v !== undefined);
      if (set.length === 0)
        report(p(ctx, 'policies', i, 'definition'), {}, 'sets nothing; allowed: at least one key, for example "dead-letter-exchange"');
      for (const key of ['max-length', 'max-length-bytes', 'message-ttl', 'delivery-limit'])
        if (typeof def[key] === 'number' && (def[key] as number) < 0)
          report(p(ctx, 'policies', i, 'definition', key), def[key], 'is negative; allowed: 0 or more');
      if (typeof def.expires === 'number' && def.expires < 1)
        report(p(ctx, 'policies', i, 'definition', 'expires'), def.expires, 'is below 1 ms; allowed: 1 or more');
      if (x.priority !== undefined && x.priority < 0)
        report(p(ctx, 'policies', i, 'priority'), x.priority, 'is negative; allowed: 0 or more');
      if (def['dead-letter-strategy'] === 'at-least-once' && def.overflow !== 'reject-publish')
        report(
          p(ctx, 'policies', i, 'definition', 'overflow'),
          def.overflow,
          'must be "reject-publish" with dead-letter-strategy "at-least-once" (otherwise RabbitMQ falls back to at-most-once); allowed: reject-publish',
        );
    });
  }),

  // Per-vhost limits: 0 or more (0 refuses every connection or queue); at least one; room for the declared queues.
  brokerRule('definitions-vhost-limits', DEFINITIONS_SOURCES.vhostLimits, (b, ctx, report) => {
    const d = b.engine === 'RABBITMQ' ? b.definitions : undefined;
    if (!d) return;
    (d.limits ?? []).forEach((l, i) => {
      if (l.maxConnections === undefined && l.maxQueues === undefined)
        report(p(ctx, 'limits', i), { vhost: l.vhost }, 'sets no limit; allowed: maxConnections and/or maxQueues');
      for (const key of ['maxConnections', 'maxQueues'] as const)
        if (l[key] !== undefined && l[key] < 0)
          report(p(ctx, 'limits', i, key), l[key], 'is negative; allowed: 0 or more (omit it for no limit)');
      const declared = (d.queues ?? []).filter((q) => vhostOf(q) === l.vhost).length;
      if (l.maxQueues !== undefined && l.maxQueues >= 0 && declared > l.maxQueues)
        report(
          p(ctx, 'limits', i, 'maxQueues'),
          l.maxQueues,
          `is below the ${declared} queues declared in vhost "${l.vhost}"; allowed: ${declared} or more`,
        );
    });
  }),

  // The custom resource's Update event carries the old and the new document; CloudFormation invokes the
  // function asynchronously (1 MB payload at most, API_Invoke). How CloudFormation invokes it is our
  // reading of the custom-resource docs, which do not state the invocation type: the margin covers both.
  brokerRule('definitions-size', DEFINITIONS_SOURCES.lambdaInvoke, (b, ctx, report) => {
    const doc = docOf(b, ctx);
    if (!doc) return;
    const bytes = Buffer.byteLength(JSON.stringify(doc), 'utf8');
    if (bytes > MAX_DOCUMENT_BYTES)
      report(
        p(ctx),
        `${bytes} bytes`,
        `is too large for one custom resource event (its Update carries the old and the new document, 1 MB at most); allowed: at most ${MAX_DOCUMENT_BYTES} bytes (split the broker's definitions, or shorten names)`,
      );
  }),

  // Counts within the broker's limits (RabbitMQ 4.x on Amazon MQ: configured or default).
  brokerRule('definitions-counts', DEFINITIONS_SOURCES.resourceLimits, (b, ctx, report) => {
    const doc = docOf(b, ctx);
    if (!doc) return;
    const limits = countLimitsOf(b, ctx);
    const vhostCount = doc.vhosts.length + 1;
    if (limits.vhosts !== undefined && vhostCount > limits.vhosts)
      report(
        p(ctx, 'vhosts'),
        vhostCount,
        `vhosts ("/" included) exceed this broker's vhost_max of ${limits.vhosts}; allowed: at most ${limits.vhosts}`,
      );
    if (limits.queues !== undefined && doc.queues.length > limits.queues)
      report(
        p(ctx, 'queues'),
        doc.queues.length,
        `queues exceed this broker's cluster_queue_limit of ${limits.queues}; allowed: at most ${limits.queues}`,
      );
    const exchangeCount = doc.exchanges.length + BUILT_IN_EXCHANGES.length * vhostCount;
    if (limits.exchanges !== undefined && exchangeCount > limits.exchanges)
      report(
        p(ctx, 'exchanges'),
        exchangeCount,
        `exchanges (with the ${BUILT_IN_EXCHANGES.length} built-in ones of each vhost) exceed this broker's cluster_exchange_limit of ${limits.exchanges}; allowed: at most ${limits.exchanges}`,
      );
  }),
];

function checkArguments(args: Arguments, type: QueueType, path: string, report: Report): void {
  for (const [key, value] of Object.entries(args)) {
    if (!QUEUE_ARGUMENTS[type].includes(key)) {
      report(at(path, key), value, `is not a ${type} queue argument; allowed: ${list(QUEUE_ARGUMENTS[type])}`);
      continue;
    }
    if (INTEGER_ARGUMENTS.includes(key) && (typeof value !== 'number' || !Number.isInteger(value) || value < (key === 'x-expires' ? 1 : 0)))
      report(
        at(path, key),
        value,
        `is not ${key === 'x-expires' ? 'a positive' : 'a non-negative'} integer; allowed: ${key === 'x-expires' ? '1' : '0'} or more`,
      );
    if (STRING_ARGUMENTS.includes(key) && typeof value !== 'string') report(at(path, key), value, 'is not a string; allowed: a string');
    if (BOOLEAN_ARGUMENTS.includes(key) && typeof value !== 'boolean')
      report(at(path, key), value, 'is not a boolean; allowed: true or false');
    if (
      key === 'x-overflow' &&
      !['drop-head', 'reject-publish', ...(type === 'classic' ? ['reject-publish-dlx'] : [])].includes(String(value))
    )
      report(
        at(path, key),
        value,
        `is not accepted by ${type} queues; allowed: drop-head, reject-publish${type === 'classic' ? ', reject-publish-dlx' : ''}`,
      );
  }
}

/** Whether a policy pattern matches a queue name (JavaScript's regular expressions, close to the broker's for these patterns). */
function matches(pattern: string, name: string): boolean {
  try {
    return new RegExp(pattern).test(name);
  } catch {
    return false;
  }
}

function atLeast(version: string, major: number, minor: number): boolean {
  const [a, b] = version.split('.').map(Number);
  return a > major || (a === major && b >= minor);
}
