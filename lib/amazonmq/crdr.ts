/**
 * Amazon MQ cross-Region data replication (CRDR) for ActiveMQ: the facts synth checks and the
 * metrics it alarms on. Imports nothing from lib/.
 */

const DOCS = 'https://docs.aws.amazon.com/amazon-mq/latest/developer-guide';

export const CRDR_SOURCES = {
  /** Primary and replica brokers; "Only available for active/standby brokers". */
  overview: `${DOCS}/crdr-for-active-mq.html`,
  /** Prerequisites: version, Regions, instance type, deployment type, primary RUNNING; the data replication user. */
  createReplica: `${DOCS}/create-replica-broker.html`,
  /** Unpair, then reboot, before deleting either broker. */
  deleteReplica: `${DOCS}/delete-crdr-broker.html`,
  /** SWITCHOVER (consistency) and FAILOVER (availability). */
  promote: `${DOCS}/initate-failover.html`,
  /** POST /v1/brokers/{broker-id}/promote, body { "mode": "SWITCHOVER" | "FAILOVER" }. */
  promoteApi: 'https://docs.aws.amazon.com/amazon-mq/latest/api-reference/brokers-broker-id-promote.html',
  /** TotalReplicationLag, ReplicationLag, PrimaryWaitTime, ReplicaWaitTime, QueueSize. */
  metrics: `${DOCS}/crdr-metrics.html`,
  /** UpdateBroker takes dataReplicationMode but no dataReplicationPrimaryBrokerArn (CreateBroker only). */
  brokersApi: 'https://docs.aws.amazon.com/amazon-mq/latest/api-reference/brokers-broker-id.html',
  /** RabbitMQ's own cross-cluster tools: federation and shovels. */
  rabbitFederation: 'https://www.rabbitmq.com/docs/federation',
  rabbitShovel: 'https://www.rabbitmq.com/docs/shovel',
} as const;

/** "only available for Amazon MQ for ActiveMQ brokers on versions 5.17.6 and above" (createReplica). */
export const CRDR_MIN_VERSION = '5.17.6';

/**
 * "Cross-Region data replication is supported in the following regions: US East (Ohio), US East
 * (N. Virginia), US West (Oregon), and US West (N. California)" (createReplica, as read
 * 2026-11-30). The page names Regions, not pairs: any two different Regions of the list pair.
 */
export const CRDR_REGIONS: readonly string[] = ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2'];

/**
 * "only available for broker instance sizes mq.m5.large and above" (createReplica): of the
 * ActiveMQ instance types offered for new brokers (mq.t3.micro, mq.m5.*), every mq.m5 size.
 */
export const CRDR_INSTANCE_TYPES: readonly string[] = ['mq.m5.large', 'mq.m5.xlarge', 'mq.m5.2xlarge', 'mq.m5.4xlarge'];

/** "only available for active/standby brokers with multi-availability zone deployment" (createReplica). */
export const CRDR_DEPLOYMENT_MODE = 'ACTIVE_STANDBY_MULTI_AZ';

/** CRDR metrics in AWS/AmazonMQ, on the `Broker` dimension (metrics). Times in milliseconds. */
export const CRDR_METRICS = {
  /** Primary: time between TA and TC of the last unacknowledged event. */
  totalReplicationLag: 'TotalReplicationLag',
  /** Replica: time between TP and TC of the last unacknowledged event. */
  replicationLag: 'ReplicationLag',
  /** Primary: time between now and TC of the last processed event; "constantly growing" = degraded or paused. */
  primaryWaitTime: 'PrimaryWaitTime',
  /** Replica: time between now and TP of the last processed event. */
  replicaWaitTime: 'ReplicaWaitTime',
  /** Primary: unacknowledged events in the replication queue. */
  queueSize: 'QueueSize',
} as const;

export const PROMOTE_MODES = ['SWITCHOVER', 'FAILOVER'] as const;
export type PromoteMode = (typeof PROMOTE_MODES)[number];

/** Compares "5.19" / "5.17.6" style versions numerically. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * Whether a major.minor version reaches CRDR_MIN_VERSION: Amazon MQ runs the latest patch of a
 * major.minor (automatic minor version upgrades), so 5.17 qualifies as 5.17.6+.
 */
export function crdrVersionSupported(majorMinor: string): boolean {
  const min = CRDR_MIN_VERSION.split('.').slice(0, 2).join('.');
  return /^\d+\.\d+$/.test(majorMinor) && compareVersions(majorMinor, min) >= 0;
}
