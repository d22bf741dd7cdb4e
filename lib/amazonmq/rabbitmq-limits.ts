import type { DeploymentMode } from './engines';

/**
 * RabbitMQ resource limits on Amazon MQ: the rabbitmq.conf key of each limit, the defaults Amazon MQ
 * applies to RabbitMQ 4 brokers (guardrails well below what the instance could take) and the
 * maxima a configuration may raise them to, per instance size and deployment mode. RabbitMQ 3
 * brokers run with the maxima and refuse overrides. Every value is dated in RABBITMQ_LIMIT_FACT_DATES.
 *
 * The pages state the 4.2 defaults; they are silent on 4.3, which is taken to share them (review
 * when a 4.3 table appears).
 */
const DOCS = 'https://docs.aws.amazon.com/amazon-mq/latest/developer-guide';

export const RABBITMQ_LIMIT_SOURCES = {
  keys: `${DOCS}/configure-resource-limits.html`,
  defaults: `${DOCS}/rabbitmq-resource-limits-configuration.html`,
  maxima: `${DOCS}/rabbitmq-resource-hard-limit.html`,
  sizing: `${DOCS}/rabbitmq-sizing-guidelines.html`,
} as const;

/** Our name of each limit -> its rabbitmq.conf key (RABBITMQ_LIMIT_SOURCES.keys). */
export const RABBITMQ_LIMIT_KEYS = {
  connectionsPerNode: 'connection_max',
  channelsPerNode: 'channel_max_per_node',
  queues: 'cluster_queue_limit',
  vhosts: 'vhost_max',
  shovels: 'runtime_parameters.limits.shovel',
  exchanges: 'cluster_exchange_limit',
  consumersPerChannel: 'consumer_max_per_channel',
  maxMessageSizeBytes: 'max_message_size',
} as const;

export type RabbitMqLimitName = keyof typeof RABBITMQ_LIMIT_KEYS;
export type RabbitMqLimits = Readonly<Record<RabbitMqLimitName, number>>;
export const RABBITMQ_LIMIT_NAMES = Object.keys(RABBITMQ_LIMIT_KEYS) as RabbitMqLimitName[];

type Mode = Extract<DeploymentMode, 'SINGLE_INSTANCE' | 'CLUSTER_MULTI_AZ'>;

/** Columns of the pages' tables, in their order: connections, channels, consumers per channel, queues, vhosts, shovels, exchanges, message size. */
function row(values: readonly [number, number, number, number, number, number, number, number]): RabbitMqLimits {
  const [connectionsPerNode, channelsPerNode, consumersPerChannel, queues, vhosts, shovels, exchanges, maxMessageSizeBytes] = values;
  return { connectionsPerNode, channelsPerNode, consumersPerChannel, queues, vhosts, shovels, exchanges, maxMessageSizeBytes };
}

const DEFAULT_MESSAGE_SIZE = 524_288;
const MAX_MESSAGE_SIZE = 134_217_728;

/** Defaults of RabbitMQ 4 brokers on mq.m7g, by mode and size (RABBITMQ_LIMIT_SOURCES.defaults). Connections and channels are per node. */
export const RABBITMQ_4_DEFAULT_LIMITS: Readonly<Record<Mode, Readonly<Record<string, RabbitMqLimits>>>> = {
  SINGLE_INSTANCE: {
    medium: row([100, 500, 10, 500, 10, 30, 500, DEFAULT_MESSAGE_SIZE]),
    large: row([1_500, 4_500, 10, 1_000, 50, 50, 1_000, DEFAULT_MESSAGE_SIZE]),
    xlarge: row([3_000, 9_000, 10, 2_000, 100, 100, 2_000, DEFAULT_MESSAGE_SIZE]),
    '2xlarge': row([6_000, 18_000, 10, 4_000, 150, 200, 4_000, DEFAULT_MESSAGE_SIZE]),
    '4xlarge': row([12_000, 36_000, 10, 8_000, 200, 400, 8_000, DEFAULT_MESSAGE_SIZE]),
    '8xlarge': row([24_000, 72_000, 10, 16_000, 250, 800, 16_000, DEFAULT_MESSAGE_SIZE]),
    '12xlarge': row([36_000, 108_000, 10, 24_000, 300, 1_200, 24_000, DEFAULT_MESSAGE_SIZE]),
    '16xlarge': row([48_000, 144_000, 10, 32_000, 350, 1_600, 32_000, DEFAULT_MESSAGE_SIZE]),
  },
  CLUSTER_MULTI_AZ: {
    medium: row([100, 300, 10, 100, 10, 10, 100, DEFAULT_MESSAGE_SIZE]),
    large: row([500, 1_500, 10, 1_000, 50, 30, 1_000, DEFAULT_MESSAGE_SIZE]),
    xlarge: row([1_000, 3_000, 10, 2_000, 100, 60, 2_000, DEFAULT_MESSAGE_SIZE]),
    '2xlarge': row([2_000, 6_000, 10, 4_000, 150, 120, 4_000, DEFAULT_MESSAGE_SIZE]),
    '4xlarge': row([4_000, 12_000, 10, 8_000, 200, 240, 8_000, DEFAULT_MESSAGE_SIZE]),
    '8xlarge': row([8_000, 24_000, 10, 16_000, 250, 480, 16_000, DEFAULT_MESSAGE_SIZE]),
    '12xlarge': row([12_000, 36_000, 10, 24_000, 300, 720, 24_000, DEFAULT_MESSAGE_SIZE]),
    '16xlarge': row([16_000, 48_000, 10, 32_000, 350, 960, 32_000, DEFAULT_MESSAGE_SIZE]),
  },
};

/** The most a configuration may set on mq.m7g, by mode and size (RABBITMQ_LIMIT_SOURCES.maxima). Connections and channels are per node. */
export const RABBITMQ_M7G_MAX_LIMITS: Readonly<Record<Mode, Readonly<Record<string, RabbitMqLimits>>>> = {
  SINGLE_INSTANCE: {
    medium: row([300, 900, 1_000, 2_500, 10, 150, 12_500, MAX_MESSAGE_SIZE]),
    large: row([5_000, 15_000, 1_000, 20_000, 1_500, 250, 100_000, MAX_MESSAGE_SIZE]),
    xlarge: row([10_000, 30_000, 1_000, 30_000, 1_500, 500, 150_000, MAX_MESSAGE_SIZE]),
    '2xlarge': row([20_000, 60_000, 1_000, 40_000, 1_500, 1_000, 200_000, MAX_MESSAGE_SIZE]),
    '4xlarge': row([40_000, 120_000, 1_000, 60_000, 1_500, 2_000, 300_000, MAX_MESSAGE_SIZE]),
    '8xlarge': row([80_000, 240_000, 1_000, 80_000, 1_500, 4_000, 400_000, MAX_MESSAGE_SIZE]),
    '12xlarge': row([120_000, 360_000, 1_000, 100_000, 1_500, 6_000, 500_000, MAX_MESSAGE_SIZE]),
    '16xlarge': row([160_000, 480_000, 1_000, 120_000, 1_500, 8_000, 600_000, MAX_MESSAGE_SIZE]),
  },
  CLUSTER_MULTI_AZ: {
    medium: row([300, 900, 1_000, 500, 10, 50, 500, MAX_MESSAGE_SIZE]),
    large: row([5_000, 15_000, 1_000, 10_000, 1_500, 150, 50_000, MAX_MESSAGE_SIZE]),
    xlarge: row([10_000, 30_000, 1_000, 15_000, 1_500, 300, 75_000, MAX_MESSAGE_SIZE]),
    '2xlarge': row([20_000, 60_000, 1_000, 20_000, 1_500, 600, 100_000, MAX_MESSAGE_SIZE]),
    '4xlarge': row([40_000, 120_000, 1_000, 30_000, 1_500, 1_200, 150_000, MAX_MESSAGE_SIZE]),
    '8xlarge': row([80_000, 240_000, 1_000, 40_000, 1_500, 2_400, 200_000, MAX_MESSAGE_SIZE]),
    '12xlarge': row([120_000, 360_000, 1_000, 50_000, 1_500, 3_600, 250_000, MAX_MESSAGE_SIZE]),
    '16xlarge': row([160_000, 480_000, 1_000, 60_000, 1_500, 4_800, 300_000, MAX_MESSAGE_SIZE]),
  },
};

/**
 * RabbitMQ 3 on mq.m5 (RABBITMQ_LIMIT_SOURCES.maxima): the limits the broker runs with, no
 * override. The page gives no vhost limit for clusters, nor exchange and message-size limits.
 */
export const RABBITMQ_M5_LIMITS: Readonly<Record<Mode, Readonly<Record<string, Partial<RabbitMqLimits>>>>> = {
  SINGLE_INSTANCE: {
    large: { connectionsPerNode: 5_000, channelsPerNode: 15_000, consumersPerChannel: 1_000, queues: 30_000, vhosts: 1_500, shovels: 250 },
    xlarge: {
      connectionsPerNode: 10_000,
      channelsPerNode: 30_000,
      consumersPerChannel: 1_000,
      queues: 60_000,
      vhosts: 1_500,
      shovels: 500,
    },
    '2xlarge': {
      connectionsPerNode: 20_000,
      channelsPerNode: 60_000,
      consumersPerChannel: 1_000,
      queues: 120_000,
      vhosts: 1_500,
      shovels: 1_000,
    },
    '4xlarge': {
      connectionsPerNode: 40_000,
      channelsPerNode: 120_000,
      consumersPerChannel: 1_000,
      queues: 240_000,
      vhosts: 1_000,
      shovels: 2_000,
    },
  },
  CLUSTER_MULTI_AZ: {
    large: { connectionsPerNode: 5_000, channelsPerNode: 15_000, consumersPerChannel: 1_000, queues: 10_000, shovels: 150 },
    xlarge: { connectionsPerNode: 10_000, channelsPerNode: 30_000, consumersPerChannel: 1_000, queues: 15_000, shovels: 300 },
    '2xlarge': { connectionsPerNode: 20_000, channelsPerNode: 60_000, consumersPerChannel: 1_000, queues: 20_000, shovels: 600 },
    '4xlarge': { connectionsPerNode: 40_000, channelsPerNode: 120_000, consumersPerChannel: 1_000, queues: 30_000, shovels: 1_200 },
  },
};

/** Resource limits can be set from RabbitMQ 4 on (RABBITMQ_LIMIT_SOURCES.keys); RabbitMQ 3 refuses overrides (RABBITMQ_LIMIT_SOURCES.defaults). */
export function rabbitMqLimitsConfigurable(engineVersion: string): boolean {
  return Number(engineVersion.split('.')[0]) >= 4;
}

function family(instanceType: string): { family: string; size: string } {
  const [, fam = '', size = ''] = instanceType.split('.');
  return { family: fam, size };
}

function modeOf(mode: DeploymentMode): Mode | undefined {
  return mode === 'SINGLE_INSTANCE' || mode === 'CLUSTER_MULTI_AZ' ? mode : undefined;
}

/** The most a configuration may set; undefined for an instance type or mode without a table (or RabbitMQ 3, which takes none). */
export function rabbitMqMaxLimits(instanceType: string, mode: DeploymentMode): RabbitMqLimits | undefined {
  const m = modeOf(mode);
  const { family: f, size } = family(instanceType);
  return m && f === 'm7g' ? RABBITMQ_M7G_MAX_LIMITS[m][size] : undefined;
}

/**
 * The limits the broker enforces when its configuration sets none: RabbitMQ 4 the defaults, RabbitMQ
 * 3 the maxima (m7g or m5 tables). Undefined where the pages give no table.
 */
export function rabbitMqDefaultLimits(
  engineVersion: string,
  instanceType: string,
  mode: DeploymentMode,
): Partial<RabbitMqLimits> | undefined {
  const m = modeOf(mode);
  const { family: f, size } = family(instanceType);
  if (!m) return undefined;
  if (rabbitMqLimitsConfigurable(engineVersion)) return f === 'm7g' ? RABBITMQ_4_DEFAULT_LIMITS[m][size] : undefined;
  if (f === 'm7g') return RABBITMQ_M7G_MAX_LIMITS[m][size];
  if (f === 'm5') return RABBITMQ_M5_LIMITS[m][size];
  return undefined;
}

/** Nodes of a RabbitMQ cluster (rabbitmq-broker-architecture.html). */
export const RABBITMQ_CLUSTER_NODES = 3;

/** When each fact above was last checked against its source, YYYY-MM-DD. */
export const RABBITMQ_LIMIT_FACT_DATES = {
  RABBITMQ_LIMIT_KEYS: '2026-11-30',
  RABBITMQ_4_DEFAULT_LIMITS: '2026-11-30',
  RABBITMQ_M7G_MAX_LIMITS: '2026-11-30',
  RABBITMQ_M5_LIMITS: '2026-11-30',
  rabbitMqLimitsConfigurable: '2026-11-30',
} as const;
