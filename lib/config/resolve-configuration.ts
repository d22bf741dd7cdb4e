import { ACTIVEMQ_DEFAULTS, ACTIVEMQ_WEBCONSOLE_GROUP } from '../amazonmq/activemq-elements';
import { ACTIVEMQ_CORE_NAMESPACE, renderXml, type XmlElement } from '../amazonmq/activemq-xml';
import type { DeploymentMode, Engine } from '../amazonmq/engines';
import { renderRabbitMqConf, type RabbitMqConfEntry } from '../amazonmq/rabbitmq-conf';
import {
  RABBITMQ_LIMIT_KEYS,
  RABBITMQ_LIMIT_NAMES,
  rabbitMqDefaultLimits,
  rabbitMqLimitsConfigurable,
  type RabbitMqLimitName,
} from '../amazonmq/rabbitmq-limits';
import { RABBITMQ_VALUES, type RabbitMqValueName } from '../amazonmq/rabbitmq-values';
import type { BrokerConfig } from './schema';
import type {
  ActiveMqConfigurationConfig,
  AuthorizationEntryConfig,
  BrokerConfigurationConfig,
  DestinationPolicyConfig,
  RabbitMqConfigurationConfig,
  RedeliveryPolicyConfig,
} from './schema-configuration';

/**
 * A broker's Amazon MQ configuration (AWS::AmazonMQ::Configuration, associated with the broker by
 * revision) as the plan holds it: the broker's own `configuration` field resolved, plus what other
 * features contribute. Features extend it WITHOUT editing this file: they return a
 * ConfigurationContribution from their own function and add that call to the list in
 * resolveBroker (lib/config/resolve.ts, `configuration: resolveBrokerConfiguration(broker, [...])`).
 * The configuration rules (lib/config/rules/configuration-rules.ts) check every entry and element,
 * contributed ones included, against what Amazon MQ accepts.
 */
export interface ConfigurationContribution {
  /** The broker's config field the contribution comes from, for example "authentication"; synth errors name `brokers[i].<field>`. */
  readonly field: string;
  /** RabbitMQ: rabbitmq.conf entries, appended in order after the broker's own. A key set twice is a synth error. */
  readonly rabbitMqConf?: readonly RabbitMqConfEntry[];
  /** ActiveMQ: elements appended inside `<plugins>`, after the platform's own plugins. */
  readonly activeMqPlugins?: readonly XmlElement[];
  /**
   * ActiveMQ: the authorization map, the one element inside `<authorizationPlugin><map>` (for
   * example `cachedLDAPAuthorizationMap` for LDAP brokers). Exclusive with the broker's own
   * `configuration.activemq.authorization` and with another contribution's map: a synth error.
   */
  readonly activeMqAuthorizationMap?: XmlElement;
}

/** ActiveMQ parts of the configuration, merged: the plan's view of the `<broker>` document. */
export interface ActiveMqConfigurationModel {
  /** Attributes of `<broker>` (schedulerSupport for the redelivery plugin). @default - none */
  readonly brokerAttributes?: Readonly<Record<string, string | number | boolean>>;
  /** `<destinationPolicy>` (destination policies, dead-letter strategies), if any. */
  readonly destinationPolicy?: XmlElement;
  /** Children of `<plugins>` other than the authorization plugin, in order: the platform's (redeliveryPlugin), then contributed. */
  readonly plugins: readonly XmlElement[];
  /** The element inside `<authorizationPlugin><map>`: the platform's `authorizationMap` or a contributed one. */
  readonly authorizationMap?: XmlElement;
}

/** A broker's configuration in the plan. */
export interface BrokerConfigurationModel {
  readonly engine: Engine;
  /** RabbitMQ: rabbitmq.conf entries in order, the broker's own then each contribution's (empty for ActiveMQ). */
  readonly rabbitMqConf: readonly RabbitMqConfEntry[];
  /** ActiveMQ only. */
  readonly activeMq?: ActiveMqConfigurationModel;
  /** The contributions as given, so that rules can name the field a bad entry came from. */
  readonly contributions: readonly ConfigurationContribution[];
}

/** What resolveBrokerConfiguration needs from the broker's own configuration (built by the engine modules). */
export interface OwnConfiguration {
  readonly rabbitMqConf: readonly RabbitMqConfEntry[];
  readonly activeMq?: Omit<ActiveMqConfigurationModel, 'plugins'> & { readonly plugins?: readonly XmlElement[] };
}

/**
 * Merges the broker's own configuration with the contributions (undefined entries skipped);
 * undefined when there is nothing to configure, so a broker without configuration gets no
 * Configuration resource and its template does not change.
 */
export function mergeBrokerConfiguration(
  engine: Engine,
  own: OwnConfiguration,
  contributions: ReadonlyArray<ConfigurationContribution | undefined>,
): BrokerConfigurationModel | undefined {
  const given = contributions.filter((c): c is ConfigurationContribution => c !== undefined);
  const rabbitMqConf = engine === 'RABBITMQ' ? [...own.rabbitMqConf, ...given.flatMap((c) => c.rabbitMqConf ?? [])] : [];
  let activeMq: ActiveMqConfigurationModel | undefined;
  if (engine === 'ACTIVEMQ') {
    const plugins = [...(own.activeMq?.plugins ?? []), ...given.flatMap((c) => c.activeMqPlugins ?? [])];
    // The first map wins here; the configuration rules report a second one as an error.
    const authorizationMap = own.activeMq?.authorizationMap ?? given.find((c) => c.activeMqAuthorizationMap)?.activeMqAuthorizationMap;
    const destinationPolicy = own.activeMq?.destinationPolicy;
    const brokerAttributes = own.activeMq?.brokerAttributes;
    if (plugins.length > 0 || authorizationMap || destinationPolicy) {
      activeMq = {
        ...(brokerAttributes ? { brokerAttributes } : {}),
        ...(destinationPolicy ? { destinationPolicy } : {}),
        plugins,
        ...(authorizationMap ? { authorizationMap } : {}),
      };
    }
  }
  if (rabbitMqConf.length === 0 && !activeMq) return undefined;
  return { engine, rabbitMqConf, ...(activeMq ? { activeMq } : {}), contributions: given };
}

/**
 * The plan's configuration of a broker: its own `configuration` field, then the contributions in
 * the order given. Called once, in resolveBroker.
 */
export function resolveBrokerConfiguration(
  broker: Pick<BrokerConfig, 'engine' | 'configuration'>,
  contributions: ReadonlyArray<ConfigurationContribution | undefined>,
): BrokerConfigurationModel | undefined {
  const own: OwnConfiguration =
    broker.engine === 'RABBITMQ'
      ? { rabbitMqConf: rabbitMqEntries(broker.configuration?.rabbitmq) }
      : { rabbitMqConf: [], activeMq: activeMqParts(broker.configuration?.activemq) };
  return mergeBrokerConfiguration(broker.engine, own, contributions);
}

/** rabbitmq.conf entries of the typed values: the configurable values, then the limits, in table order. */
export function rabbitMqEntries(c: RabbitMqConfigurationConfig | undefined): RabbitMqConfEntry[] {
  if (!c) return [];
  const entries: RabbitMqConfEntry[] = [];
  for (const [name, fact] of Object.entries(RABBITMQ_VALUES) as Array<[RabbitMqValueName, (typeof RABBITMQ_VALUES)[RabbitMqValueName]]>) {
    const value = c[name];
    if (value !== undefined) entries.push({ key: fact.key, value });
  }
  for (const name of RABBITMQ_LIMIT_NAMES) {
    const value = c.limits?.[name];
    if (value !== undefined) entries.push({ key: RABBITMQ_LIMIT_KEYS[name], value });
  }
  return entries;
}

/** Our default prefix of per-destination dead-letter queues ("DLQ.orders"), shorter than ActiveMQ's "ActiveMQ.DLQ.". */
export const DEFAULT_DEAD_LETTER_QUEUE_PREFIX = 'DLQ.';

const destinationAttributes = (d: { readonly queue?: string; readonly topic?: string }) => ({
  ...(d.queue !== undefined ? { queue: d.queue } : {}),
  ...(d.topic !== undefined ? { topic: d.topic } : {}),
});

/** Drops undefined values, keeping the order given. */
function attrs(a: Record<string, string | number | boolean | undefined>): Record<string, string | number | boolean> {
  return Object.fromEntries(Object.entries(a).filter(([, v]) => v !== undefined)) as Record<string, string | number | boolean>;
}

const el = (name: string, attributes?: Record<string, string | number | boolean | undefined>, children?: XmlElement[]): XmlElement => ({
  name,
  ...(attributes && Object.keys(attrs(attributes)).length > 0 ? { attributes: attrs(attributes) } : {}),
  ...(children && children.length > 0 ? { children } : {}),
});

function deadLetterStrategy(d: DestinationPolicyConfig['deadLetter'] & object): XmlElement {
  const common = { processExpired: d.processExpired, processNonPersistent: d.processNonPersistent, expiration: d.expirationMs };
  switch (d.strategy) {
    case 'individual':
      return el('individualDeadLetterStrategy', {
        queuePrefix: d.queuePrefix ?? DEFAULT_DEAD_LETTER_QUEUE_PREFIX,
        useQueueForQueueMessages: true,
        ...common,
      });
    case 'shared':
      return el('sharedDeadLetterStrategy', common, [
        el('deadLetterQueue', undefined, [el('queue', { physicalName: d.deadLetterQueue ?? ACTIVEMQ_DEFAULTS.sharedDeadLetterQueue })]),
      ]);
    case 'discard':
      return el('discarding', common);
  }
}

function redeliveryPolicy(p: RedeliveryPolicyConfig): XmlElement {
  return el('redeliveryPolicy', {
    ...destinationAttributes(p),
    maximumRedeliveries: p.maximumRedeliveries,
    initialRedeliveryDelay: p.initialRedeliveryDelayMs,
    redeliveryDelay: p.redeliveryDelayMs,
    useExponentialBackOff: p.useExponentialBackOff,
    backOffMultiplier: p.backOffMultiplier,
    maximumRedeliveryDelay: p.maximumRedeliveryDelayMs,
  });
}

/** Every group an authorization map names, sorted, plus the web console's (admin everywhere on Amazon MQ). */
export function authorizationGroups(entries: readonly AuthorizationEntryConfig[]): string[] {
  const groups = new Set<string>([ACTIVEMQ_WEBCONSOLE_GROUP]);
  for (const e of entries) for (const g of [...(e.read ?? []), ...(e.write ?? []), ...(e.admin ?? [])]) groups.add(g);
  return [...groups].sort();
}

/** The advisory topics every client reads and writes (connection and consumer events); ActiveMQ clients fail without them. */
export const ADVISORY_TOPICS = 'ActiveMQ.Advisory.>';

function authorizationMap(entries: readonly AuthorizationEntryConfig[]): XmlElement {
  const join = (groups?: readonly string[]) => (groups && groups.length > 0 ? groups.join(',') : undefined);
  const all = authorizationGroups(entries).join(',');
  const everything = { read: all, write: all, admin: all };
  return el('authorizationMap', undefined, [
    el('authorizationEntries', undefined, [
      ...entries.map((e) =>
        el('authorizationEntry', { ...destinationAttributes(e), read: join(e.read), write: join(e.write), admin: join(e.admin) }),
      ),
      el('authorizationEntry', { topic: ADVISORY_TOPICS, ...everything }),
    ]),
    el('tempDestinationAuthorizationEntry', undefined, [el('tempDestinationAuthorizationEntry', everything)]),
  ]);
}

/** The ActiveMQ parts of the typed configuration. */
export function activeMqParts(c: ActiveMqConfigurationConfig | undefined): OwnConfiguration['activeMq'] {
  if (!c) return undefined;
  const policies = c.destinationPolicies ?? [];
  const destinationPolicy =
    policies.length > 0
      ? el('destinationPolicy', undefined, [
          el('policyMap', undefined, [
            el(
              'policyEntries',
              undefined,
              policies.map((p) =>
                el(
                  'policyEntry',
                  {
                    ...destinationAttributes(p),
                    memoryLimit: p.memoryLimit,
                    producerFlowControl: p.producerFlowControl,
                    expireMessagesPeriod: p.expireMessagesPeriodMs,
                  },
                  p.deadLetter ? [el('deadLetterStrategy', undefined, [deadLetterStrategy(p.deadLetter)])] : [],
                ),
              ),
            ),
          ]),
        ])
      : undefined;
  const r = c.redelivery;
  const plugins: XmlElement[] = [];
  if (r) {
    const policyMap: XmlElement[] = [];
    if (r.policies && r.policies.length > 0) policyMap.push(el('redeliveryPolicyEntries', undefined, r.policies.map(redeliveryPolicy)));
    if (r.defaultPolicy) policyMap.push(el('defaultEntry', undefined, [redeliveryPolicy(r.defaultPolicy)]));
    plugins.push(
      el(
        'redeliveryPlugin',
        { fallbackToDeadLetter: r.fallbackToDeadLetter ?? true, sendToDlqIfMaxRetriesExceeded: r.sendToDlqIfMaxRetriesExceeded ?? true },
        [el('redeliveryPolicyMap', undefined, [el('redeliveryPolicyMap', undefined, policyMap)])],
      ),
    );
  }
  const map = c.authorization && c.authorization.length > 0 ? authorizationMap(c.authorization) : undefined;
  return {
    // The redelivery plugin schedules redeliveries with the broker's scheduler (SOURCES.redelivery).
    ...(r ? { brokerAttributes: { schedulerSupport: true } } : {}),
    ...(destinationPolicy ? { destinationPolicy } : {}),
    plugins,
    ...(map ? { authorizationMap: map } : {}),
  };
}

/** The `<broker>` element of an ActiveMQ configuration: destination policy, then plugins (authorization first). */
export function activeMqBrokerElement(m: ActiveMqConfigurationModel): XmlElement {
  const plugins: XmlElement[] = [
    ...(m.authorizationMap ? [el('authorizationPlugin', undefined, [el('map', undefined, [m.authorizationMap])])] : []),
    ...m.plugins,
  ];
  return {
    name: 'broker',
    attributes: { xmlns: ACTIVEMQ_CORE_NAMESPACE, ...(m.brokerAttributes ?? {}) },
    children: [...(m.destinationPolicy ? [m.destinationPolicy] : []), ...(plugins.length > 0 ? [el('plugins', undefined, plugins)] : [])],
  };
}

/** The configuration data (before base64): rabbitmq.conf, or the ActiveMQ XML document. */
export function renderBrokerConfiguration(m: BrokerConfigurationModel): string {
  if (m.engine === 'RABBITMQ') return renderRabbitMqConf(m.rabbitMqConf);
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n${renderXml(activeMqBrokerElement(m.activeMq ?? { plugins: [] }))}`;
}

/** One limit a broker enforces, and where its value comes from. */
export interface BrokerLimit {
  readonly value: number;
  /** `configured`: the broker's configuration; `default`: Amazon MQ's RabbitMQ 4 default; `maximum`: RabbitMQ 3, which runs at the maxima. */
  readonly origin: 'configured' | 'default' | 'maximum';
}

/** The limits a RabbitMQ broker enforces, by name (lib/amazonmq/rabbitmq-limits); a limit the pages give no value for is absent. */
export type EffectiveLimits = Partial<Record<RabbitMqLimitName, BrokerLimit>>;

/** The limits a broker enforces (RabbitMQ): its configured limits over the defaults of its version, size and mode; undefined for ActiveMQ. */
export function effectiveRabbitMqLimits(b: {
  readonly engine: Engine;
  readonly engineVersion: string;
  readonly instanceType: string;
  readonly deploymentMode: DeploymentMode;
  readonly configuration?: Pick<BrokerConfigurationConfig, 'rabbitmq'>;
}): EffectiveLimits | undefined {
  if (b.engine !== 'RABBITMQ') return undefined;
  const configurable = rabbitMqLimitsConfigurable(b.engineVersion);
  const defaults = rabbitMqDefaultLimits(b.engineVersion, b.instanceType, b.deploymentMode) ?? {};
  const configured = configurable ? (b.configuration?.rabbitmq?.limits ?? {}) : {};
  const out: EffectiveLimits = {};
  for (const name of RABBITMQ_LIMIT_NAMES) {
    const own = configured[name];
    const fallback = defaults[name];
    if (own !== undefined) out[name] = { value: own, origin: 'configured' };
    else if (fallback !== undefined) out[name] = { value: fallback, origin: configurable ? 'default' : 'maximum' };
  }
  return out;
}
