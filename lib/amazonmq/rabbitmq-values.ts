/**
 * The rabbitmq.conf values Amazon MQ lets a RabbitMQ configuration set besides resource limits
 * (./rabbitmq-limits) and authentication (OAuth 2.0, LDAP, ... on their own pages), with the
 * ranges and versions of the developer guide's "Configurable values" table.
 */
const DOCS = 'https://docs.aws.amazon.com/amazon-mq/latest/developer-guide';

export const RABBITMQ_VALUE_SOURCES = {
  configurableValues: `${DOCS}/configurable-values.html`,
  configurationFormat: `${DOCS}/rabbitmq-broker-configuration-parameters.html`,
  oauth2: `${DOCS}/oauth-for-amq-for-rabbitmq.html`,
} as const;

export interface RabbitMqValueFact {
  readonly key: string;
  readonly kind: 'integer' | 'boolean';
  /** Inclusive range of an integer. */
  readonly min?: number;
  readonly max?: number;
  readonly unit?: string;
  /** Oldest major.minor that takes the key. */
  readonly since: string;
  /** The value Amazon MQ applies when the configuration sets none. */
  readonly default: number | boolean;
}

/** Our name of each value -> its fact (RABBITMQ_VALUE_SOURCES.configurableValues). */
export const RABBITMQ_VALUES = {
  consumerTimeoutMs: { key: 'consumer_timeout', kind: 'integer', min: 0, max: 2_147_483_647, unit: 'ms', since: '3.8', default: 1_800_000 },
  heartbeatSeconds: { key: 'heartbeat', kind: 'integer', min: 60, max: 3600, unit: 's', since: '3.8', default: 60 },
  operatorPolicyChangesDisabled: {
    key: 'management.restrictions.operator_policy_changes.disabled',
    kind: 'boolean',
    since: '3.11',
    default: true,
  },
  quorumQueueRelaxedChecksOnRedeclaration: {
    key: 'quorum_queue.property_equivalence.relaxed_checks_on_redeclaration',
    kind: 'boolean',
    since: '3.13',
    default: true,
  },
  secureManagementHttpHeaders: { key: 'secure.management.http.headers.enabled', kind: 'boolean', since: '3.10', default: true },
} as const satisfies Record<string, RabbitMqValueFact>;

export type RabbitMqValueName = keyof typeof RABBITMQ_VALUES;

/**
 * OAuth 2.0 plugin keys Amazon MQ does not accept (RABBITMQ_VALUE_SOURCES.oauth2, "Supported OAuth
 * 2.0 configurations"); `*` stands for one id or index segment.
 */
export const RABBITMQ_UNSUPPORTED_KEYS: readonly string[] = [
  'auth_oauth2.https.cacertfile',
  'auth_oauth2.oauth_providers.*.https.cacertfile',
  'management.oauth_client_secret',
  'management.oauth_resource_servers.*.oauth_client_secret',
  'auth_oauth2.signing_keys.*',
];

/** A rabbitmq.conf key: dot-separated segments of letters, digits, `_` and `-` (the new-style format). */
export const RABBITMQ_CONF_KEY_PATTERN = /^[a-z][a-z0-9_]*(\.[A-Za-z0-9_-]+)*$/;

/** Whether `version` (major.minor) is at least `since`. */
export function versionAtLeast(version: string, since: string): boolean {
  const [a = 0, b = 0] = version.split('.').map(Number);
  const [c = 0, d = 0] = since.split('.').map(Number);
  return a > c || (a === c && b >= d);
}

export const RABBITMQ_VALUE_FACT_DATES = {
  RABBITMQ_VALUES: '2026-11-30',
  RABBITMQ_UNSUPPORTED_KEYS: '2026-11-30',
  RABBITMQ_CONF_KEY_PATTERN: '2026-11-30',
} as const;
