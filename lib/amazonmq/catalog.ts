import type { DeploymentMode, Engine, Protocol, StorageType } from './engines';

/**
 * What Amazon MQ (and the services beside it) accept, each fact dated in FACT_DATES. Review when
 * AWS announces a new engine version or instance family (several times a year) and when a version
 * nears end of support; synth warns when the oldest date is more than CATALOG_MAX_AGE_DAYS old.
 *
 * To add an engine version: add it to ENGINE_VERSIONS, to the `versions` of the INSTANCE_TYPE_RULES
 * rows that offer it, and to ENGINE_UPGRADE_PATHS; set today's date in FACT_DATES; run
 * `npm run schema` (config/schema.json lists the versions) and `npx jest test/config`.
 */

const DOCS = 'https://docs.aws.amazon.com/amazon-mq/latest/developer-guide';
const CFN = 'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference';

export const SOURCES = {
  activeMqVersions: `${DOCS}/activemq-version-management.html`,
  rabbitMqVersions: `${DOCS}/rabbitmq-version-management.html`,
  activeMqInstances: `${DOCS}/broker-instance-types.html`,
  rabbitMqInstances: `${DOCS}/rmq-broker-instance-types.html`,
  rabbitMq4: `${DOCS}/rabbitmq-4.html`,
  rabbitMq43: `${DOCS}/rabbitmq-43.html`,
  m7gRabbitOnly: `${DOCS}/upgrading-instance-type.html`,
  activeStandby: `${DOCS}/active-standby-broker-deployment.html`,
  singleInstance: `${DOCS}/single-broker-deployment.html`,
  quotas: `${DOCS}/amazon-mq-limits.html`,
  activeMqLogging: `${DOCS}/configure-logging-monitoring-activemq.html`,
  cfnBroker: `${CFN}/aws-resource-amazonmq-broker.html`,
  cfnUser: `${CFN}/aws-properties-amazonmq-broker-user.html`,
  cfnLogs: `${CFN}/aws-properties-amazonmq-broker-loglist.html`,
  cfnMaintenance: `${CFN}/aws-properties-amazonmq-broker-maintenancewindow.html`,
  brokerConfigurations: `${DOCS}/managing-broker-configurations.html`,
  maintenanceWindow: `${DOCS}/maintaining-brokers.html`,
  rotationSchedule: 'https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotate-secrets_schedule.html',
  rotationStrategy: 'https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotation-strategy.html',
  rabbitMqAccessControl: 'https://www.rabbitmq.com/docs/access-control',
  vpcQuotas: 'https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html',
  vpcSizing: 'https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html',
  tagging: 'https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html',
  ec2Tags: 'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/Using_Tags.html',
  secretName: 'https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html',
  cfnQuotas: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html',
  regions: 'https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html',
} as const;

/**
 * Engine versions accepted for new brokers, major.minor only (AWS manages the patch level).
 * Not listed, because past end of support or refused for new brokers: ActiveMQ 5.17 and older
 * (5.17 ended 2025-06-16), RabbitMQ 3.12 and older (3.12 ended 2025-03-17). Amazon MQ also refuses
 * new brokers on a version within 30 days of its end of support.
 * Sources: SOURCES.activeMqVersions, SOURCES.rabbitMqVersions, SOURCES.rabbitMq4, SOURCES.rabbitMq43 (4.3 and 4.2 on every mq.m7g size).
 */
export const ENGINE_VERSIONS: Record<Engine, readonly string[]> = {
  ACTIVEMQ: ['5.18', '5.19'],
  RABBITMQ: ['3.13', '4.2', '4.3'],
};

/**
 * In-place upgrades Amazon MQ offers between the versions above, one step at a time: RabbitMQ
 * 3.13 goes to 4.2 before 4.3 (SOURCES.rabbitMq4, SOURCES.rabbitMq43).
 */
export const ENGINE_UPGRADE_PATHS: Record<Engine, Readonly<Record<string, readonly string[]>>> = {
  ACTIVEMQ: { '5.18': ['5.19'] },
  RABBITMQ: { '3.13': ['4.2'], '4.2': ['4.3'] },
};

/** Modes per engine. Source: SOURCES.cfnBroker (DeploymentMode). */
export const DEPLOYMENT_MODES_BY_ENGINE: Record<Engine, readonly DeploymentMode[]> = {
  ACTIVEMQ: ['SINGLE_INSTANCE', 'ACTIVE_STANDBY_MULTI_AZ'],
  RABBITMQ: ['SINGLE_INSTANCE', 'CLUSTER_MULTI_AZ'],
};

export interface InstanceTypeRule {
  readonly engine: Engine;
  readonly instanceTypes: readonly string[];
  readonly versions: readonly string[];
  readonly modes: readonly DeploymentMode[];
  readonly storage: readonly StorageType[];
  readonly source: string;
}

const M5 = ['mq.m5.large', 'mq.m5.xlarge', 'mq.m5.2xlarge', 'mq.m5.4xlarge'];
const M7G = [
  'mq.m7g.medium',
  'mq.m7g.large',
  'mq.m7g.xlarge',
  'mq.m7g.2xlarge',
  'mq.m7g.4xlarge',
  'mq.m7g.8xlarge',
  'mq.m7g.12xlarge',
  'mq.m7g.16xlarge',
];

/**
 * Instance types for new brokers. Refused and so not listed: mq.t2.micro and mq.m4.large (no new
 * brokers since 2025-03-17, SOURCES.activeMqInstances); RabbitMQ mq.t3.micro (deprecated for new
 * brokers, end of support 2026-10-01, SOURCES.rabbitMqInstances); mq.m7g for ActiveMQ
 * (SOURCES.m7gRabbitOnly). ActiveMQ mq.t3.micro is EFS only, and active/standby brokers keep their
 * store on EFS (SOURCES.activeStandby); EBS is for single-instance mq.m5 brokers.
 */
export const INSTANCE_TYPE_RULES: readonly InstanceTypeRule[] = [
  {
    engine: 'ACTIVEMQ',
    instanceTypes: ['mq.t3.micro'],
    versions: ENGINE_VERSIONS.ACTIVEMQ,
    modes: ['SINGLE_INSTANCE', 'ACTIVE_STANDBY_MULTI_AZ'],
    storage: ['EFS'],
    source: SOURCES.activeMqInstances,
  },
  {
    engine: 'ACTIVEMQ',
    instanceTypes: M5,
    versions: ENGINE_VERSIONS.ACTIVEMQ,
    modes: ['SINGLE_INSTANCE', 'ACTIVE_STANDBY_MULTI_AZ'],
    storage: ['EFS', 'EBS'],
    source: SOURCES.activeMqInstances,
  },
  {
    engine: 'RABBITMQ',
    instanceTypes: M5,
    versions: ['3.13'],
    modes: ['SINGLE_INSTANCE', 'CLUSTER_MULTI_AZ'],
    storage: ['EBS'],
    source: SOURCES.rabbitMqInstances,
  },
  {
    engine: 'RABBITMQ',
    instanceTypes: M7G,
    versions: ['3.13', '4.2', '4.3'],
    modes: ['SINGLE_INSTANCE', 'CLUSTER_MULTI_AZ'],
    storage: ['EBS'],
    source: SOURCES.rabbitMqInstances,
  },
];

/** Storage the engine supports in a given mode (SOURCES.activeStandby, SOURCES.rabbitMqInstances). */
export const STORAGE_BY_ENGINE_MODE: Record<Engine, Partial<Record<DeploymentMode, readonly StorageType[]>>> = {
  ACTIVEMQ: { SINGLE_INSTANCE: ['EFS', 'EBS'], ACTIVE_STANDBY_MULTI_AZ: ['EFS'] },
  RABBITMQ: { SINGLE_INSTANCE: ['EBS'], CLUSTER_MULTI_AZ: ['EBS'] },
};

/**
 * Subnets a private broker needs: one for a single instance, two in different AZs for
 * active/standby, at least one for a RabbitMQ cluster (we give it up to three, one per AZ, so the
 * three nodes spread). Source: SOURCES.cfnBroker (SubnetIds).
 */
export const SUBNETS_BY_MODE: Record<DeploymentMode, { min: number; max: number }> = {
  SINGLE_INSTANCE: { min: 1, max: 1 },
  ACTIVE_STANDBY_MULTI_AZ: { min: 2, max: 2 },
  CLUSTER_MULTI_AZ: { min: 1, max: 3 },
};

/** Wire protocols and their TLS ports (SOURCES.cfnBroker return values; RabbitMQ console on 443). */
export const PROTOCOL_PORTS: Record<Engine, Partial<Record<Protocol, number>>> = {
  ACTIVEMQ: { OPENWIRE: 61617, STOMP: 61614, AMQP: 5671, MQTT: 8883, WSS: 61619, CONSOLE: 8162 },
  RABBITMQ: { AMQP: 5671, CONSOLE: 443 },
};

/** Storage when a broker names none: EFS works on every ActiveMQ type and mode; RabbitMQ has only EBS. */
export const DEFAULT_STORAGE_TYPE: Record<Engine, StorageType> = { ACTIVEMQ: 'EFS', RABBITMQ: 'EBS' };

/** The weekly maintenance window when a broker names none. */
export const DEFAULT_MAINTENANCE_WINDOW = { dayOfWeek: 'SUNDAY', timeOfDay: '03:00', timeZone: 'UTC' } as const;

/** What users expect open when a broker names no protocols. */
export const DEFAULT_PROTOCOLS: Record<Engine, readonly Protocol[]> = {
  ACTIVEMQ: ['OPENWIRE', 'STOMP', 'AMQP'],
  RABBITMQ: ['AMQP'],
};

/** Broker names (SOURCES.cfnBroker, BrokerName pattern). */
export const BROKER_NAME_PATTERN = /^[0-9A-Za-z_-]{1,50}$/;

/** Usernames (SOURCES.cfnUser): RabbitMQ also refuses "~" and the name "guest". */
export const USERNAME_PATTERN: Record<Engine, RegExp> = {
  ACTIVEMQ: /^[A-Za-z0-9_.~-]{2,100}$/,
  RABBITMQ: /^[A-Za-z0-9_.-]{2,100}$/,
};

/** Group names of ActiveMQ users, at most 20 per user (SOURCES.cfnUser, SOURCES.quotas). */
export const GROUP_NAME_PATTERN = /^[A-Za-z0-9_.~-]{2,100}$/;
export const MAX_GROUPS_PER_USER = 20;

/** Users at creation: RabbitMQ exactly one, ActiveMQ 1 to 250 (SOURCES.cfnBroker Users, SOURCES.quotas). */
export const USERS_PER_BROKER: Record<Engine, { min: number; max: number }> = {
  ACTIVEMQ: { min: 1, max: 250 },
  RABBITMQ: { min: 1, max: 1 },
};

/** Longest username (SOURCES.cfnUser). */
export const MAX_USERNAME_LENGTH = 100;

/**
 * Generated passwords: Amazon MQ wants 12 to 250 printable ASCII characters, at least 4 unique, and
 * no "," ":" "="; we also leave out characters that must be escaped in a connection URL or a shell.
 * Source: SOURCES.cfnUser (Password).
 */
export const PASSWORD_LENGTH = 32;
export const PASSWORD_EXCLUDED_CHARACTERS = ',:=' + '"\'\\/@%?#&+`$ ';

/** Maintenance window start time, 24-hour HH:MM (SOURCES.cfnMaintenance). */
export const TIME_OF_DAY_PATTERN = /^([01]\d|2[0-3]):[0-5]\d$/;
/** "UTC", a UTC offset such as "UTC+02:00", or an IANA Country/City name (SOURCES.cfnMaintenance). */
export const TIME_ZONE_PATTERN = /^(UTC([+-](0\d|1[0-4]):[0-5]\d)?|[A-Z][A-Za-z_]+(\/[A-Za-z0-9_+-]+){1,2})$/;

/** Security groups: at most 5 per broker (SOURCES.quotas); 60 inbound rules per group (SOURCES.vpcQuotas). */
export const MAX_INGRESS_RULES_PER_SECURITY_GROUP = 60;

/** Tag keys (SOURCES.tagging); "aws:" is reserved. */
export const TAG_KEY_PATTERN = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;
/** Tag values (SOURCES.tagging): the same characters, possibly empty. */
export const TAG_VALUE_PATTERN = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/**
 * Longest tag key and value each kind of resource the stacks tag accepts: EC2 resources (VPC,
 * subnets, security groups, endpoints) take 127/255 (SOURCES.ec2Tags), the others 128/256
 * (SOURCES.tagging). Environment and broker tags reach security groups, so the EC2 limits apply.
 */
export const TAG_LENGTHS = {
  ec2: { key: 127, value: 255 },
  other: { key: 128, value: 256 },
} as const;

/** Tags: at most 50 per broker (SOURCES.quotas) and per resource of any other service (SOURCES.tagging). */
export const MAX_TAGS_PER_BROKER = 50;
export const MAX_TAGS_PER_RESOURCE = 50;
/** Prefix of keys reserved for AWS (SOURCES.tagging): refused in keys. */
export const RESERVED_TAG_PREFIX = 'aws:';

/**
 * Brokers per account and region, an adjustable quota, so a warning. The pages disagree: the
 * Amazon MQ quotas page says 200 (SOURCES.quotas), its ActiveMQ copy and older versions 50; we warn
 * above the current page's value.
 */
export const MAX_BROKERS_PER_REGION = 200;

/** Resources and outputs declared in one CloudFormation template (SOURCES.cfnQuotas). */
export const MAX_RESOURCES_PER_STACK = 500;
export const MAX_OUTPUTS_PER_STACK = 200;

/** Secrets Manager secret names: 1 to 512 ASCII letters, digits and / _ + = . @ - (SOURCES.secretName). */
export const SECRET_NAME_PATTERN = /^[A-Za-z0-9/_+=.@-]{1,512}$/;

/**
 * Connections one broker instance accepts: ActiveMQ per wire protocol (SOURCES.quotas), RabbitMQ
 * per node (https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/rabbitmq-resource-hard-limit.html).
 */
export function maxConnections(engine: Engine, instanceType: string): number | undefined {
  if (engine === 'ACTIVEMQ') {
    return instanceType.endsWith('.micro') ? 300 : 2000;
  }
  const size = instanceType.split('.').pop() ?? '';
  return RABBITMQ_CONNECTIONS_BY_SIZE[size];
}

const RABBITMQ_CONNECTIONS_BY_SIZE: Record<string, number> = {
  micro: 500,
  medium: 300,
  large: 5000,
  xlarge: 10000,
  '2xlarge': 20000,
  '4xlarge': 40000,
  '8xlarge': 80000,
  '12xlarge': 120000,
  '16xlarge': 160000,
};

/**
 * Instance types that Amazon MQ offers (SOURCES.rabbitMqInstances) but the offline CloudFormation
 * validator in aws-cdk-lib 2.276 does not know (it reports E3670). The docs win: the broker
 * construct acknowledges E3670 on that one resource for these types only.
 */
export const INSTANCE_TYPES_UNKNOWN_TO_CFN_VALIDATOR: readonly string[] = [
  'mq.m7g.2xlarge',
  'mq.m7g.4xlarge',
  'mq.m7g.8xlarge',
  'mq.m7g.12xlarge',
  'mq.m7g.16xlarge',
];

/**
 * When each fact above was last checked against its source, YYYY-MM-DD. Change a date only after
 * re-reading the source; synth warns when the oldest is more than CATALOG_MAX_AGE_DAYS old.
 */
export const FACT_DATES = {
  SOURCES: '2026-11-30',
  ENGINE_VERSIONS: '2026-11-30',
  ENGINE_UPGRADE_PATHS: '2026-11-30',
  DEPLOYMENT_MODES_BY_ENGINE: '2026-11-30',
  INSTANCE_TYPE_RULES: '2026-11-30',
  STORAGE_BY_ENGINE_MODE: '2026-11-30',
  SUBNETS_BY_MODE: '2026-11-30',
  PROTOCOL_PORTS: '2026-11-30',
  DEFAULT_STORAGE_TYPE: '2026-11-30',
  DEFAULT_MAINTENANCE_WINDOW: '2026-11-30',
  DEFAULT_PROTOCOLS: '2026-11-30',
  BROKER_NAME_PATTERN: '2026-11-30',
  USERNAME_PATTERN: '2026-11-30',
  MAX_USERNAME_LENGTH: '2026-11-30',
  GROUP_NAME_PATTERN: '2026-11-30',
  MAX_GROUPS_PER_USER: '2026-11-30',
  USERS_PER_BROKER: '2026-11-30',
  PASSWORD_LENGTH: '2026-11-30',
  PASSWORD_EXCLUDED_CHARACTERS: '2026-11-30',
  TIME_OF_DAY_PATTERN: '2026-11-30',
  TIME_ZONE_PATTERN: '2026-11-30',
  MAX_INGRESS_RULES_PER_SECURITY_GROUP: '2026-11-30',
  TAG_KEY_PATTERN: '2026-11-30',
  TAG_VALUE_PATTERN: '2026-11-30',
  TAG_LENGTHS: '2026-11-30',
  MAX_TAGS_PER_BROKER: '2026-11-30',
  MAX_TAGS_PER_RESOURCE: '2026-11-30',
  RESERVED_TAG_PREFIX: '2026-11-30',
  MAX_BROKERS_PER_REGION: '2026-11-30',
  MAX_RESOURCES_PER_STACK: '2026-11-30',
  MAX_OUTPUTS_PER_STACK: '2026-11-30',
  SECRET_NAME_PATTERN: '2026-11-30',
  maxConnections: '2026-11-30',
  INSTANCE_TYPES_UNKNOWN_TO_CFN_VALIDATOR: '2026-11-30',
} as const;

/** Synth warns when a fact has not been checked for longer than this. */
export const CATALOG_MAX_AGE_DAYS = 90;

/** The least recently checked fact and its age in whole days on `today`. */
export function catalogAge(today: Date): { fact: string; date: string; days: number } {
  const [fact, date] = Object.entries(FACT_DATES).sort((a, b) => a[1].localeCompare(b[1]))[0];
  const days = Math.floor((today.getTime() - Date.parse(`${date}T00:00:00Z`)) / 86_400_000);
  return { fact, date, days };
}
