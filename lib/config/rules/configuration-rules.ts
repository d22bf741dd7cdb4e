import {
  ACTIVEMQ_DESTINATION_PATTERN,
  ACTIVEMQ_ELEMENT_SOURCES,
  ACTIVEMQ_ELEMENTS,
  ACTIVEMQ_MEMORY_LIMIT_PATTERN,
  ACTIVEMQ_MIN_REDELIVERY_DELAY_MS,
  ACTIVEMQ_WEBCONSOLE_GROUP,
  ACTIVEMQ_ROOT_ELEMENT,
  activeMqChildFact,
  type ActiveMqElementFact,
} from '../../amazonmq/activemq-elements';
import type { XmlElement } from '../../amazonmq/activemq-xml';
import { GROUP_NAME_PATTERN } from '../../amazonmq/catalog';
import {
  RABBITMQ_LIMIT_KEYS,
  RABBITMQ_LIMIT_NAMES,
  RABBITMQ_LIMIT_SOURCES,
  rabbitMqLimitsConfigurable,
  rabbitMqMaxLimits,
} from '../../amazonmq/rabbitmq-limits';
import {
  RABBITMQ_CONF_KEY_PATTERN,
  RABBITMQ_UNSUPPORTED_KEYS,
  RABBITMQ_VALUE_SOURCES,
  RABBITMQ_VALUES,
  versionAtLeast,
  type RabbitMqValueFact,
  type RabbitMqValueName,
} from '../../amazonmq/rabbitmq-values';
import { activeMqParts, rabbitMqEntries } from '../resolve-configuration';
import type { BrokerConfig } from '../schema';
import type { AuthorizationEntryConfig, RedeliveryPolicyConfig } from '../schema-configuration';
import { at, list } from './problem';
import { brokerRule, type BrokerRule, type BrokerRuleContext, type Report } from './rule';

/**
 * Rules of a broker's Amazon MQ configuration (brokers[].configuration and what other features
 * contribute to it, lib/config/resolve-configuration.ts): values within what Amazon MQ accepts for
 * the broker's engine, version, size and mode; ActiveMQ elements and attributes Amazon MQ keeps.
 */
const p = (ctx: BrokerRuleContext, ...rest: Array<string | number>) => at('brokers', ctx.index, ...rest);
const RULE_SOURCES = {
  cfnConfiguration: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-amazonmq-configuration.html',
  rabbitMqConfFormat: 'https://www.rabbitmq.com/docs/configure#config-file-formats',
} as const;

const mode = (b: BrokerConfig) => (b.deploymentMode === 'CLUSTER_MULTI_AZ' ? 'cluster' : 'single-instance');

/** Exactly one of queue or topic, a valid destination name; `none` when the entry names no destination (a default). */
function checkDestination(
  path: string,
  d: { readonly queue?: string; readonly topic?: string },
  report: Report,
  expect: 'one' | 'none',
): void {
  const given = (['queue', 'topic'] as const).filter((k) => d[k] !== undefined);
  if (expect === 'none') {
    for (const k of given) report(at(path, k), d[k], 'is not allowed in the default policy; allowed: a policy in policies');
    return;
  }
  if (given.length !== 1) {
    report(path, { queue: d.queue, topic: d.topic }, 'names no destination or both kinds; allowed: exactly one of queue or topic');
    return;
  }
  const name = d[given[0]]!;
  if (!ACTIVEMQ_DESTINATION_PATTERN.test(name)) {
    report(
      at(path, given[0]),
      name,
      'is not an ActiveMQ destination name; allowed: letters, digits and _ . - : $ # / with wildcards * and >',
    );
  }
}

function checkRedeliveryPolicy(path: string, r: RedeliveryPolicyConfig, report: Report): void {
  if (r.maximumRedeliveries !== undefined && r.maximumRedeliveries < -1) {
    report(at(path, 'maximumRedeliveries'), r.maximumRedeliveries, 'is below -1; allowed: -1 (forever), 0 or more');
  }
  for (const k of ['initialRedeliveryDelayMs', 'redeliveryDelayMs'] as const) {
    const v = r[k];
    if (v !== undefined && v < ACTIVEMQ_MIN_REDELIVERY_DELAY_MS) {
      report(
        at(path, k),
        v,
        `is below ${ACTIVEMQ_MIN_REDELIVERY_DELAY_MS}: the redelivery plugin would stop the broker from starting; allowed: ${ACTIVEMQ_MIN_REDELIVERY_DELAY_MS} or more (ms)`,
      );
    }
  }
  if (r.maximumRedeliveryDelayMs !== undefined && r.maximumRedeliveryDelayMs < -1) {
    report(at(path, 'maximumRedeliveryDelayMs'), r.maximumRedeliveryDelayMs, 'is below -1; allowed: -1 (unbounded), 0 or more (ms)');
  }
  if (r.backOffMultiplier !== undefined && !(r.backOffMultiplier > 1)) {
    report(at(path, 'backOffMultiplier'), r.backOffMultiplier, 'would not back off; allowed: more than 1');
  }
}

/** ActiveMQ destination wildcards: `*` one segment, `>` the rest (zero or more segments). */
const segments = (name: string) => name.split('.');

/** Whether every destination `b` matches is one `a` matches. */
function covers(a: readonly string[], b: readonly string[]): boolean {
  if (a.length === 0) return b.length === 0;
  if (a[0] === '>') return true;
  if (b.length === 0 || b[0] === '>') return false;
  if (a[0] !== '*' && (b[0] === '*' || a[0] !== b[0])) return false;
  return covers(a.slice(1), b.slice(1));
}

/** Whether some destination matches both `a` and `b`. */
function overlaps(a: readonly string[], b: readonly string[]): boolean {
  if (a[0] === '>' || b[0] === '>') return true;
  if (a.length === 0 || b.length === 0) return a.length === b.length;
  if (a[0] !== '*' && b[0] !== '*' && a[0] !== b[0]) return false;
  return overlaps(a.slice(1), b.slice(1));
}

type Destination = { readonly queue?: string; readonly topic?: string };
const kindOf = (d: Destination) => (d.queue !== undefined ? 'queue' : d.topic !== undefined ? 'topic' : undefined);

/**
 * Walks `element` (a child of `parentName`) against the permitted elements, reporting each element
 * or attribute Amazon MQ would drop, with its place in the document.
 */
function checkElement(
  path: string,
  parentName: string,
  parentFact: ActiveMqElementFact,
  element: XmlElement,
  trail: string,
  report: Report,
): void {
  const here = `${trail}/${element.name}`;
  const fact = activeMqChildFact(parentName, parentFact, element.name);
  if (!fact) {
    report(
      path,
      here,
      `is an element Amazon MQ does not accept there; allowed in <${parentName}>: ${list((parentFact.children ?? []).map((c) => `<${c}>`))}`,
    );
    return;
  }
  for (const name of Object.keys(element.attributes ?? {})) {
    if (!(fact.attributes ?? []).includes(name)) {
      report(
        path,
        `${here}@${name}`,
        `is an attribute Amazon MQ does not accept; allowed on <${element.name}>: ${list(fact.attributes ?? [])}`,
      );
    }
  }
  for (const child of element.children ?? []) checkElement(path, element.name, fact, child, here, report);
}

const TRAILS = {
  plugins: '/broker/plugins',
  map: '/broker/plugins/authorizationPlugin/map',
} as const;

export const CONFIGURATION_RULES: readonly BrokerRule[] = [
  brokerRule('configuration-engine', RULE_SOURCES.cfnConfiguration, (b, ctx, report) => {
    const c = b.configuration;
    if (c?.rabbitmq && b.engine !== 'RABBITMQ') {
      report(p(ctx, 'configuration', 'rabbitmq'), '(set)', `is for RabbitMQ brokers; allowed for ${b.engine}: configuration.activemq`);
    }
    if (c?.activemq && b.engine !== 'ACTIVEMQ') {
      report(p(ctx, 'configuration', 'activemq'), '(set)', `is for ActiveMQ brokers; allowed for ${b.engine}: configuration.rabbitmq`);
    }
  }),

  brokerRule('rabbitmq-configurable-values', RABBITMQ_VALUE_SOURCES.configurableValues, (b, ctx, report) => {
    const c = b.configuration?.rabbitmq;
    if (!c || b.engine !== 'RABBITMQ') return;
    for (const [name, fact] of Object.entries(RABBITMQ_VALUES) as Array<[RabbitMqValueName, RabbitMqValueFact]>) {
      const v = c[name];
      if (v === undefined) continue;
      const path = p(ctx, 'configuration', 'rabbitmq', name);
      if (!versionAtLeast(b.engineVersion, fact.since)) {
        report(path, v, `is not accepted by RabbitMQ ${b.engineVersion} (${fact.key}); allowed: RabbitMQ ${fact.since} or later`);
      } else if (typeof v === 'number' && fact.min !== undefined && fact.max !== undefined && (v < fact.min || v > fact.max)) {
        report(path, v, `is out of range for ${fact.key}; allowed: ${fact.min} to ${fact.max}${fact.unit ? ` (${fact.unit})` : ''}`);
      }
    }
  }),

  brokerRule('rabbitmq-resource-limits', RABBITMQ_LIMIT_SOURCES.maxima, (b, ctx, report) => {
    const limits = b.configuration?.rabbitmq?.limits;
    if (!limits || b.engine !== 'RABBITMQ') return;
    const path = p(ctx, 'configuration', 'rabbitmq', 'limits');
    if (!rabbitMqLimitsConfigurable(b.engineVersion)) {
      report(path, '(set)', `cannot be set on RabbitMQ ${b.engineVersion} (it runs at the maximum limits); allowed: RabbitMQ 4.2 or later`);
      return;
    }
    const max = rabbitMqMaxLimits(b.instanceType, b.deploymentMode);
    for (const name of RABBITMQ_LIMIT_NAMES) {
      const v = limits[name];
      if (v === undefined) continue;
      // Without a table (an instance type the instance-type rule refuses) only the lower bound is known.
      const top = max?.[name];
      if (v < 1 || (top !== undefined && v > top)) {
        report(
          at(path, name),
          v,
          top !== undefined
            ? `is out of range for ${RABBITMQ_LIMIT_KEYS[name]} on ${b.instanceType} ${mode(b)} brokers; allowed: 1 to ${top}`
            : `is out of range for ${RABBITMQ_LIMIT_KEYS[name]}; allowed: 1 or more`,
        );
      }
    }
  }),

  // Contributed rabbitmq.conf entries (other features); the platform's own come from typed fields.
  brokerRule('rabbitmq-conf-entries', RULE_SOURCES.rabbitMqConfFormat, (b, ctx, report) => {
    const model = ctx.resolved?.configuration;
    if (!model || b.engine !== 'RABBITMQ') return;
    const seen = new Map<string, string>(); // key -> config path that set it
    for (const e of rabbitMqEntries(b.configuration?.rabbitmq)) seen.set(e.key, p(ctx, 'configuration', 'rabbitmq'));
    for (const contribution of model.contributions) {
      const path = p(ctx, contribution.field);
      for (const e of contribution.rabbitMqConf ?? []) {
        if (!RABBITMQ_CONF_KEY_PATTERN.test(e.key)) {
          report(path, e.key, 'is not a rabbitmq.conf key; allowed: dot-separated segments of letters, digits, _ and -');
        } else if (RABBITMQ_UNSUPPORTED_KEYS.some((k) => new RegExp(`^${k.replace(/\./g, '\\.').replace(/\*/g, '[^.]+')}$`).test(e.key))) {
          report(path, e.key, `is a key Amazon MQ does not accept; not allowed: ${list(RABBITMQ_UNSUPPORTED_KEYS)}`);
        } else if (/[\r\n]/.test(String(e.value))) {
          report(path, e.key, 'has a value with a line break; allowed: one line');
        }
        const before = seen.get(e.key);
        if (before !== undefined) report(path, e.key, `is already set by ${before}; allowed: each key once`);
        else seen.set(e.key, path);
      }
    }
  }),

  brokerRule('activemq-destination-policies', ACTIVEMQ_ELEMENT_SOURCES.destinationPolicies, (b, ctx, report) => {
    const policies = b.configuration?.activemq?.destinationPolicies;
    if (!policies || b.engine !== 'ACTIVEMQ') return;
    policies.forEach((d, i) => {
      const path = p(ctx, 'configuration', 'activemq', 'destinationPolicies', i);
      checkDestination(path, d, report, 'one');
      if (d.memoryLimit !== undefined && !ACTIVEMQ_MEMORY_LIMIT_PATTERN.test(d.memoryLimit)) {
        report(
          at(path, 'memoryLimit'),
          d.memoryLimit,
          'is not a memory size; allowed: bytes, or a number with kb, mb or gb (for example "16 mb")',
        );
      }
      if (d.expireMessagesPeriodMs !== undefined && d.expireMessagesPeriodMs < 0) {
        report(at(path, 'expireMessagesPeriodMs'), d.expireMessagesPeriodMs, 'is negative; allowed: 0 (only on dispatch) or more (ms)');
      }
      const dl = d.deadLetter;
      if (!dl) return;
      const dlPath = at(path, 'deadLetter');
      if (dl.queuePrefix !== undefined && dl.strategy !== 'individual') {
        report(
          at(dlPath, 'queuePrefix'),
          dl.queuePrefix,
          `is not used by the ${dl.strategy} strategy; allowed: with strategy "individual"`,
        );
      }
      if (dl.deadLetterQueue !== undefined && dl.strategy !== 'shared') {
        report(
          at(dlPath, 'deadLetterQueue'),
          dl.deadLetterQueue,
          `is not used by the ${dl.strategy} strategy; allowed: with strategy "shared"`,
        );
      }
      for (const k of ['queuePrefix', 'deadLetterQueue'] as const) {
        const v = dl[k];
        if (v !== undefined && (v === '' || !ACTIVEMQ_DESTINATION_PATTERN.test(v) || /[*>]/.test(v))) {
          report(at(dlPath, k), v, 'is not a queue name; allowed: letters, digits and _ . - : $ # / (no wildcards)');
        }
      }
      if (dl.expirationMs !== undefined && dl.expirationMs < 0) {
        report(at(dlPath, 'expirationMs'), dl.expirationMs, 'is negative; allowed: 0 (never) or more (ms)');
      }
    });
  }),

  brokerRule('activemq-redelivery', ACTIVEMQ_ELEMENT_SOURCES.redeliveryPlugin, (b, ctx, report) => {
    const r = b.configuration?.activemq?.redelivery;
    if (!r || b.engine !== 'ACTIVEMQ') return;
    const path = p(ctx, 'configuration', 'activemq', 'redelivery');
    if (r.defaultPolicy) {
      checkDestination(at(path, 'defaultPolicy'), r.defaultPolicy, report, 'none');
      checkRedeliveryPolicy(at(path, 'defaultPolicy'), r.defaultPolicy, report);
    }
    (r.policies ?? []).forEach((policy, i) => {
      checkDestination(at(path, 'policies', i), policy, report, 'one');
      checkRedeliveryPolicy(at(path, 'policies', i), policy, report);
    });
    if (!r.defaultPolicy && (r.policies ?? []).length === 0) {
      report(path, '(set)', 'has no policy; allowed: a defaultPolicy, policies, or both');
    }
  }),

  // The redelivery plugin sends a rejected message back to its destination as the consumer that
  // rejected it (RedeliveryPlugin.scheduleRedelivery through the connection's security context):
  // a consumer without write there gets an error on its rollback and the message never reaches
  // its dead-letter queue (seen on the local 5.17 broker: "Failed to schedule redelivery ... not
  // authorized to write").
  brokerRule('activemq-redelivery-authorization', ACTIVEMQ_ELEMENT_SOURCES.redeliveryPlugin, (b, ctx, report) => {
    const a = b.configuration?.activemq;
    if (!a?.redelivery || !a.authorization || b.engine !== 'ACTIVEMQ') return;
    const policies = a.redelivery.policies ?? [];
    const redelivered = (d: Destination) =>
      a.redelivery!.defaultPolicy !== undefined ||
      policies.some((r) => kindOf(r) === kindOf(d) && overlaps(segments((r.queue ?? r.topic)!), segments((d.queue ?? d.topic)!)));
    a.authorization.forEach((e, i) => {
      const kind = kindOf(e);
      if (!kind || !redelivered(e)) return;
      const name = (e.queue ?? e.topic)!;
      const writers = new Set(
        a
          .authorization!.filter((w) => kindOf(w) === kind && covers(segments((w.queue ?? w.topic)!), segments(name)))
          .flatMap((w) => w.write ?? []),
      );
      const missing = (e.read ?? []).filter((g) => !writers.has(g) && g !== ACTIVEMQ_WEBCONSOLE_GROUP);
      if (missing.length > 0) {
        report(
          p(ctx, 'configuration', 'activemq', 'authorization', i, 'read'),
          missing,
          `may read ${kind} ${name} but not write it: with the redelivery plugin a consumer's rollback re-sends the message as that consumer, which fails, and the message never reaches its dead-letter queue; allowed: give these groups write on ${name}, or no broker redelivery for it`,
        );
      }
    });
  }),

  brokerRule('activemq-authorization', ACTIVEMQ_ELEMENT_SOURCES.users, (b, ctx, report) => {
    const entries = b.configuration?.activemq?.authorization;
    if (!entries || b.engine !== 'ACTIVEMQ') return;
    const path = p(ctx, 'configuration', 'activemq', 'authorization');
    const named = new Set<string>();
    entries.forEach((e: AuthorizationEntryConfig, i) => {
      checkDestination(at(path, i), e, report, 'one');
      const groups = [...(e.read ?? []), ...(e.write ?? []), ...(e.admin ?? [])];
      if (groups.length === 0)
        report(at(path, i), e.queue ?? e.topic, 'grants nothing; allowed: at least one group in read, write or admin');
      for (const k of ['read', 'write', 'admin'] as const) {
        (e[k] ?? []).forEach((g, j) => {
          if (!GROUP_NAME_PATTERN.test(g)) {
            report(at(path, i, k, j), g, 'is not an ActiveMQ group name; allowed: 2 to 100 of A-Z a-z 0-9 _ . ~ -');
          }
          named.add(g);
        });
      }
    });
    // With an authorization map, a user none of whose groups is named may use no destination.
    b.users.forEach((u, i) => {
      if (u.consoleAccess) return; // in activemq-webconsole, admin everywhere
      if (!(u.groups ?? []).some((g) => named.has(g))) {
        report(
          p(ctx, 'users', i, 'groups'),
          u.groups ?? [],
          `names no group of configuration.activemq.authorization, so ${u.username} could use no queue or topic; allowed: one of ${list([...named].sort())}`,
        );
      }
    });
  }),

  // Every element the configuration carries, the platform's and the contributed, is one Amazon MQ keeps.
  brokerRule('activemq-elements', ACTIVEMQ_ELEMENT_SOURCES.elements, (b, ctx, report) => {
    const model = ctx.resolved?.configuration;
    if (!model?.activeMq || b.engine !== 'ACTIVEMQ') return;
    const ownPath = p(ctx, 'configuration', 'activemq');
    const own = activeMqParts(b.configuration?.activemq);
    const root = ACTIVEMQ_ELEMENTS[ACTIVEMQ_ROOT_ELEMENT];
    if (own?.destinationPolicy) checkElement(ownPath, ACTIVEMQ_ROOT_ELEMENT, root, own.destinationPolicy, '/broker', report);
    const plugins = ACTIVEMQ_ELEMENTS.plugins;
    for (const plugin of own?.plugins ?? []) checkElement(ownPath, 'plugins', plugins, plugin, TRAILS.plugins, report);
    if (own?.authorizationMap) checkElement(ownPath, 'map', ACTIVEMQ_ELEMENTS.map, own.authorizationMap, TRAILS.map, report);
    let mapOwner = own?.authorizationMap ? 'configuration.activemq.authorization' : undefined;
    for (const c of model.contributions) {
      const path = p(ctx, c.field);
      for (const plugin of c.activeMqPlugins ?? []) {
        if (plugin.name === 'authorizationPlugin') {
          report(
            path,
            `${TRAILS.plugins}/authorizationPlugin`,
            'is built by the platform; allowed: an activeMqAuthorizationMap contribution',
          );
        } else checkElement(path, 'plugins', plugins, plugin, TRAILS.plugins, report);
      }
      if (c.activeMqAuthorizationMap) {
        if (mapOwner) {
          report(
            path,
            `${TRAILS.map}/${c.activeMqAuthorizationMap.name}`,
            `conflicts with the authorization map of ${mapOwner}; allowed: one authorization map`,
          );
        } else {
          mapOwner = c.field;
          checkElement(path, 'map', ACTIVEMQ_ELEMENTS.map, c.activeMqAuthorizationMap, TRAILS.map, report);
        }
      }
    }
  }),
];
