/**
 * The RabbitMQ definitions document (issue 11): vhosts, exchanges, queues, bindings, policies and
 * vhost limits of one broker, every default applied. The config resolves into it, the construct
 * writes it into the custom resource's properties, the custom resource, the CLI (drift) and the
 * integration tests apply or compare it (./definitions-apply.ts). Imports nothing of the app.
 */

export const EXCHANGE_TYPES = ['direct', 'fanout', 'topic', 'headers'] as const;
export const QUEUE_TYPES = ['quorum', 'classic'] as const;
export const POLICY_APPLY_TO = ['queues', 'classic_queues', 'quorum_queues', 'streams', 'exchanges', 'all'] as const;
export const DEFAULT_VHOST = '/';

export type ExchangeType = (typeof EXCHANGE_TYPES)[number];
export type QueueType = (typeof QUEUE_TYPES)[number];
export type PolicyApplyTo = (typeof POLICY_APPLY_TO)[number];
export type ArgumentValue = string | number | boolean;
export type Arguments = Readonly<Record<string, ArgumentValue>>;

export interface ExchangeDefinition {
  readonly vhost: string;
  readonly name: string;
  readonly type: ExchangeType;
  readonly internal: boolean;
  readonly arguments: Arguments;
}

export interface QueueDefinition {
  readonly vhost: string;
  readonly name: string;
  readonly type: QueueType;
  readonly durable: boolean;
  /** Without x-queue-type (that is `type`). */
  readonly arguments: Arguments;
  readonly deleteWithMessages: boolean;
}

export interface BindingDefinition {
  readonly vhost: string;
  readonly source: string;
  readonly destination: string;
  readonly destinationType: 'queue' | 'exchange';
  readonly routingKey: string;
  readonly arguments: Arguments;
}

export interface PolicyDefinition {
  readonly vhost: string;
  readonly name: string;
  readonly pattern: string;
  readonly applyTo: PolicyApplyTo;
  readonly priority: number;
  readonly definition: Readonly<Record<string, unknown>>;
}

export interface VhostLimitsDefinition {
  readonly vhost: string;
  /** RabbitMQ's limit names (`max-connections`, `max-queues`) to their values. */
  readonly limits: Readonly<Record<string, number>>;
}

/** One broker's definitions, defaults applied: what the custom resource applies. */
export interface RabbitMqDefinitions {
  /** Created by the platform (never "/"). */
  readonly vhosts: readonly string[];
  readonly exchanges: readonly ExchangeDefinition[];
  readonly queues: readonly QueueDefinition[];
  readonly bindings: readonly BindingDefinition[];
  readonly policies: readonly PolicyDefinition[];
  readonly limits: readonly VhostLimitsDefinition[];
}

export const EMPTY_DEFINITIONS: RabbitMqDefinitions = { vhosts: [], exchanges: [], queues: [], bindings: [], policies: [], limits: [] };

/** The config's shape of definitions (lib/config/schema-definitions.ts), structurally. */
export interface DefinitionsInput {
  readonly vhosts?: ReadonlyArray<{ readonly name: string }>;
  readonly exchanges?: ReadonlyArray<{
    readonly name: string;
    readonly vhost?: string;
    readonly type: ExchangeType;
    readonly internal?: boolean;
    readonly arguments?: Arguments;
  }>;
  readonly queues?: ReadonlyArray<{
    readonly name: string;
    readonly vhost?: string;
    readonly type?: QueueType;
    readonly durable?: boolean;
    readonly arguments?: Arguments;
    readonly deleteWithMessages?: boolean;
  }>;
  readonly bindings?: ReadonlyArray<{
    readonly vhost?: string;
    readonly source: string;
    readonly destination: string;
    readonly destinationType?: 'queue' | 'exchange';
    readonly routingKey?: string;
    readonly arguments?: Arguments;
  }>;
  readonly policies?: ReadonlyArray<{
    readonly name: string;
    readonly vhost?: string;
    readonly pattern: string;
    readonly applyTo?: PolicyApplyTo;
    readonly priority?: number;
    readonly definition: Readonly<Record<string, unknown>>;
  }>;
  readonly limits?: ReadonlyArray<{ readonly vhost: string; readonly maxConnections?: number; readonly maxQueues?: number }>;
}

/** RabbitMQ 4.x and later (Amazon MQ 4.2, 4.3). */
export function isRabbitMq4(engineVersion: string): boolean {
  return Number(engineVersion.split('.')[0]) >= 4;
}

/**
 * Queue type when the config names none: quorum on clusters (replicated) and on 4.x, where
 * Amazon MQ makes quorum the default (https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/rabbitmq-4.html);
 * classic on a single-instance 3.13 broker.
 */
export function defaultQueueType(broker: { readonly deploymentMode: string; readonly engineVersion: string }): QueueType {
  return broker.deploymentMode === 'CLUSTER_MULTI_AZ' || isRabbitMq4(broker.engineVersion) ? 'quorum' : 'classic';
}

/** The config's definitions with every default applied, in a stable order. */
export function normalizeDefinitions(
  input: DefinitionsInput | undefined,
  broker: { readonly deploymentMode: string; readonly engineVersion: string },
): RabbitMqDefinitions {
  const d = input ?? {};
  const queueType = defaultQueueType(broker);
  return {
    vhosts: [...new Set((d.vhosts ?? []).map((v) => v.name).filter((n) => n !== DEFAULT_VHOST))],
    exchanges: (d.exchanges ?? []).map((e) => ({
      vhost: e.vhost ?? DEFAULT_VHOST,
      name: e.name,
      type: e.type,
      internal: e.internal ?? false,
      arguments: sortKeys(e.arguments ?? {}),
    })),
    queues: (d.queues ?? []).map((q) => {
      const { 'x-queue-type': _type, ...rest } = q.arguments ?? {};
      return {
        vhost: q.vhost ?? DEFAULT_VHOST,
        name: q.name,
        type: q.type ?? queueType,
        durable: q.durable ?? true,
        arguments: sortKeys(rest),
        deleteWithMessages: q.deleteWithMessages ?? false,
      };
    }),
    bindings: (d.bindings ?? []).map((b) => ({
      vhost: b.vhost ?? DEFAULT_VHOST,
      source: b.source,
      destination: b.destination,
      destinationType: b.destinationType ?? 'queue',
      routingKey: b.routingKey ?? '',
      arguments: sortKeys(b.arguments ?? {}),
    })),
    policies: (d.policies ?? []).map((p) => ({
      vhost: p.vhost ?? DEFAULT_VHOST,
      name: p.name,
      pattern: p.pattern,
      applyTo: p.applyTo ?? 'queues',
      priority: p.priority ?? 0,
      definition: sortKeys(Object.fromEntries(Object.entries(p.definition).filter(([, v]) => v !== undefined))),
    })),
    limits: (d.limits ?? []).map((l) => ({
      vhost: l.vhost,
      limits: sortKeys({
        ...(l.maxConnections !== undefined ? { 'max-connections': l.maxConnections } : {}),
        ...(l.maxQueues !== undefined ? { 'max-queues': l.maxQueues } : {}),
      }),
    })),
  };
}

/** Whether the document declares anything. */
export function hasDefinitions(d: RabbitMqDefinitions): boolean {
  return Object.values(d).some((list: readonly unknown[]) => list.length > 0);
}

/** Identity of each kind of definition (what "the same one" means between two documents). */
export const keyOf = {
  vhost: (v: string) => v,
  exchange: (e: Pick<ExchangeDefinition, 'vhost' | 'name'>) => `${e.vhost}|${e.name}`,
  queue: (q: Pick<QueueDefinition, 'vhost' | 'name'>) => `${q.vhost}|${q.name}`,
  binding: (b: Omit<BindingDefinition, never>) =>
    `${b.vhost}|${b.source}|${b.destinationType}|${b.destination}|${b.routingKey}|${stableJson(b.arguments)}`,
  policy: (p: Pick<PolicyDefinition, 'vhost' | 'name'>) => `${p.vhost}|${p.name}`,
  limits: (l: Pick<VhostLimitsDefinition, 'vhost'>) => l.vhost,
};

/** JSON with object keys sorted: equal values give equal strings. */
export function stableJson(value: unknown): string {
  return JSON.stringify(sortDeep(value));
}

/** Parses the document as the custom resource carries it (a JSON string property); undefined/empty: no definitions. */
export function parseDefinitions(text: string | undefined): RabbitMqDefinitions {
  if (!text) return EMPTY_DEFINITIONS;
  const d = JSON.parse(text) as Partial<RabbitMqDefinitions>;
  return {
    vhosts: d.vhosts ?? [],
    exchanges: d.exchanges ?? [],
    queues: d.queues ?? [],
    bindings: d.bindings ?? [],
    policies: d.policies ?? [],
    limits: d.limits ?? [],
  };
}

function sortKeys<T>(o: Readonly<Record<string, T>>): Record<string, T> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function sortDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortDeep);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, sortDeep(v)]),
    );
  return value;
}
