import { createHash } from 'crypto';
import { maxConnections } from '../amazonmq/catalog';
import type { DeploymentMode, Engine } from '../amazonmq/engines';
import { RABBITMQ_CLUSTER_NODES } from '../amazonmq/rabbitmq-limits';
import type { BrokerLimit, EffectiveLimits } from './resolve-configuration';
import { brokerDimensionValues, DEFAULT_VIRTUAL_HOST, publishesQueueMetrics } from '../amazonmq/metrics';
import type { AlarmQueue, PlannedAlarm } from '../contract/alarms';
import { alarmName } from '../contract/names';
import type { ResolvedConsumer } from './resolve-consumers';
import type { ResolvedBrokerMonitoring } from './resolve-monitoring';

/**
 * The alarm list of a broker, written once here: the alarm construct builds exactly these, the
 * dashboard shows their names, and the validation rules count them to refuse configs that would
 * break CloudFormation's or CloudWatch's limits at deploy time.
 */
export interface AlarmPlanInput {
  /** Short broker name (the config's `name`), used in alarm names. */
  readonly name: string;
  readonly brokerName: string;
  readonly engine: Engine;
  readonly engineVersion: string;
  readonly deploymentMode: DeploymentMode;
  readonly instanceType: string;
  readonly monitoring: ResolvedBrokerMonitoring;
  /**
   * RabbitMQ: the limits the broker enforces (configured, else Amazon MQ's default for its version,
   * size and mode; lib/config/resolve-configuration.ts effectiveRabbitMqLimits).
   * @default - the instance type's maximum (lib/amazonmq/catalog maxConnections)
   */
  readonly limits?: EffectiveLimits;
  /** Lambda consumers: their functions' errors and the depth of the queues they consume. @default - none */
  readonly consumers?: readonly ResolvedConsumer[];
}

/**
 * Every alarm of one broker: health (CPU, memory, storage, connections), queue depth (any queue,
 * named queues, no consumers) and dead letters, in the order the alarm stack creates them. A broker
 * whose instance type has no known connection limit (refused by the instance-type rule) gets a
 * connections threshold of 0.
 */
export function planBrokerAlarmList(environment: string, b: AlarmPlanInput): PlannedAlarm[] {
  const { monitoring } = b;
  const s = monitoring.alarms;
  const name = (what: string) => alarmName(environment, b.name, what);
  const title = `${b.engine === 'ACTIVEMQ' ? 'ActiveMQ' : 'RabbitMQ'} broker ${b.brokerName}`;
  const alarms: PlannedAlarm[] = [];
  // Construct ids cannot hold "/" (virtual hosts can).
  const add = (id: string, brokerLevel: boolean, alarm: Omit<PlannedAlarm, 'id' | 'brokerLevel' | 'metricsInsights'>) =>
    alarms.push({
      id: id.replace(/\//g, '|'),
      brokerLevel,
      metricsInsights: alarm.watch.kind === 'cpu-max-node' || alarm.watch.kind === 'any-queue-depth',
      ...alarm,
    });
  const isCluster = b.deploymentMode === 'CLUSTER_MULTI_AZ';

  // Health. CPU treats missing data as breaching: no CPU data means the broker stopped reporting.
  if (b.engine === 'ACTIVEMQ') {
    add('Cpu', true, {
      alarmName: name('cpu'),
      description: `${title}: CpuUtilization above ${s.cpuPercent}% (or no data: the broker is down or not reporting). First: check the broker state in the Amazon MQ console, then producers/consumers for a burst; scale the instance type if it persists.`,
      watch: { kind: 'cpu' },
      threshold: s.cpuPercent,
      comparison: 'above',
      missingDataBreaches: true,
    });
    add('Memory', true, {
      alarmName: name('memory'),
      description: `${title}: HeapUsage above ${s.memoryPercent}% of the JVM limit; ActiveMQ slows producers near 100%. First: look for queues with many messages and slow or missing consumers (TotalMessageCount, QueueSize); scale the instance type if it persists.`,
      watch: { kind: 'memory' },
      threshold: s.memoryPercent,
      comparison: 'above',
      missingDataBreaches: false,
    });
    add('Storage', true, {
      alarmName: name('storage'),
      description: `${title}: StorePercentUsage above ${s.storagePercent}%; at 100% the broker refuses producers. First: drain or purge the deepest queues and the dead-letter queue; check consumers are running.`,
      watch: { kind: 'storage' },
      threshold: s.storagePercent,
      comparison: 'above',
      missingDataBreaches: false,
    });
  } else {
    add('Cpu', true, {
      alarmName: name('cpu'),
      description: `${title}: SystemCpuUtilization${isCluster ? ' of a node' : ''} above ${s.cpuPercent}% (or no data: the broker is down or not reporting). First: check the broker state in the Amazon MQ console, then connection and channel churn; scale the instance type if it persists.`,
      watch: { kind: isCluster ? 'cpu-max-node' : 'cpu' },
      threshold: s.cpuPercent,
      comparison: 'above',
      missingDataBreaches: true,
    });
    add('Memory', true, {
      alarmName: name('memory'),
      description: `${title}: RabbitMQMemUsed above ${s.memoryPercent}% of RabbitMQMemLimit${isCluster ? ' (across the cluster)' : ''}; at the limit RabbitMQ blocks all publishers. First: find queues with large backlogs and add consumers or limits (max-length); scale the instance type if it persists.`,
      watch: { kind: 'memory' },
      threshold: s.memoryPercent,
      comparison: 'above',
      missingDataBreaches: false,
    });
    add('Storage', true, {
      alarmName: name('disk'),
      description: `${title}: RabbitMQDiskFree below ${s.diskFreeLimitFactor} times RabbitMQDiskFreeLimit${isCluster ? ' (across the cluster)' : ''}; below the limit RabbitMQ blocks all publishers. First: drain the deepest queues; on RabbitMQ 4 clusters consider a larger storage size.`,
      watch: { kind: 'storage' },
      threshold: s.diskFreeLimitFactor,
      comparison: 'below',
      missingDataBreaches: false,
    });
  }
  if (b.engine === 'ACTIVEMQ') {
    // ActiveMQ's limit is per wire protocol; the total count against it warns early.
    const limit = maxConnections(b.engine, b.instanceType) ?? 0;
    const threshold = Math.floor((limit * s.connectionsPercent) / 100);
    add('Connections', true, {
      alarmName: name('connections'),
      description: `${title}: ${threshold} connections or more, ${s.connectionsPercent}% of the ${limit} per protocol that ${b.instanceType} accepts; new clients will be refused at the limit. First: look for clients leaking connections (no pooling); scale the instance type if the load is real.`,
      watch: { kind: 'connections' },
      threshold,
      comparison: 'at-or-above',
      missingDataBreaches: false,
    });
  } else {
    // A node refuses connections at its own limit (connection_max). A cluster's ConnectionCount is
    // the sum of its nodes, which reaches a threshold below one node's limit before any node can
    // reach that limit: the alarm fires first however unevenly clients spread.
    const own = b.limits?.connectionsPerNode;
    const limit = own?.value ?? maxConnections(b.engine, b.instanceType) ?? 0;
    const origin = limitOrigin(own, b, isCluster);
    const threshold = Math.floor((limit * s.connectionsPercent) / 100);
    const what = isCluster ? `connections across the ${RABBITMQ_CLUSTER_NODES} nodes` : 'connections';
    add('Connections', true, {
      alarmName: name('connections'),
      description: `${title}: ${threshold} ${what} or more, ${s.connectionsPercent}% of the ${limit} one node accepts (connection_max, ${origin}); a node refuses new clients at its limit. First: look for clients leaking connections (no pooling); raise connection_max (configuration.rabbitmq.limits.connectionsPerNode) or scale the instance type if the load is real.`,
      watch: { kind: 'connections' },
      threshold,
      comparison: 'at-or-above',
      missingDataBreaches: false,
    });
  }

  if (b.engine === 'RABBITMQ') {
    // Channels are limited per node, like connections (the cluster's count is compared with one
    // node's limit); queues and exchanges per cluster. Whether Amazon MQ's cluster QueueCount and
    // ExchangeCount count each queue once or once per node the docs do not say: either way the
    // count passes the threshold no later than the broker reaches its limit.
    const resources = [
      {
        id: 'LimitChannels',
        what: 'channels',
        metric: 'ChannelCount',
        limit: b.limits?.channelsPerNode,
        key: 'channel_max_per_node',
        field: 'channelsPerNode',
        perNode: true,
      },
      {
        id: 'LimitQueues',
        what: 'queues',
        metric: 'QueueCount',
        limit: b.limits?.queues,
        key: 'cluster_queue_limit',
        field: 'queues',
        perNode: false,
      },
      {
        id: 'LimitExchanges',
        what: 'exchanges',
        metric: 'ExchangeCount',
        limit: b.limits?.exchanges,
        key: 'cluster_exchange_limit',
        field: 'exchanges',
        perNode: false,
      },
    ] as const;
    for (const r of resources) {
      if (!r.limit) continue; // no table for this instance type (refused by the instance-type rule)
      const threshold = Math.floor((r.limit.value * s.connectionsPercent) / 100);
      const scope = r.perNode
        ? `one node accepts${isCluster ? ` (${r.metric} is the sum of the ${RABBITMQ_CLUSTER_NODES} nodes)` : ''}`
        : 'the broker accepts';
      add(r.id, true, {
        alarmName: name(r.what),
        description: `${title}: ${threshold} ${r.what} or more, ${s.connectionsPercent}% of the ${r.limit.value} ${scope} (${r.key}, ${limitOrigin(r.limit, b, isCluster)}); at the limit RabbitMQ refuses new ${r.what}. First: look for clients leaking ${r.what}; raise configuration.rabbitmq.limits.${r.field} or scale the instance type if the load is real.`,
        watch: { kind: 'resource-count', metric: r.metric },
        threshold,
        comparison: 'at-or-above',
        missingDataBreaches: false,
      });
    }
  }

  // Depth of any queue, including queues created at run time.
  if (publishesQueueMetrics(b.engine, b.engineVersion)) {
    const instances = brokerDimensionValues(b);
    const exclude = monitoring.deadLetterQueues;
    // Metrics Insights has no prefix match: DLQ.<queue> of queues the config does not name stay in this query.
    const prefixes = monitoring.deadLetterPrefixes ?? [];
    const unwatched =
      prefixes.length > 0
        ? `; ${prefixes.map((p) => `${p}<queue>`).join(', ')} of queues not named in queues or consumers count here too`
        : '';
    instances.forEach((broker, i) => {
      const suffix = instances.length > 1 ? `-${i + 1}` : '';
      add(`AnyQueueDepth${suffix}`, true, {
        alarmName: name(`any-queue-depth${suffix}`),
        description: `${title}${suffix ? ` (instance ${broker})` : ''}: a queue holds more than ${s.queueDepth} messages (${b.engine === 'ACTIVEMQ' ? 'QueueSize' : 'MessageCount'}, any queue but the dead-letter queues${unwatched}). First: find the queue on the dashboard's depth widget${unwatched ? '; a dead-letter queue there means failed deliveries: read a few messages for the cause and fix the consumer' : ''}, then check its consumers are running and keeping up.`,
        watch: { kind: 'any-queue-depth', broker, exclude },
        threshold: s.queueDepth,
        comparison: 'above',
        missingDataBreaches: false,
      });
    });
  } else {
    add('ReadyMessages', true, {
      alarmName: name('ready-messages'),
      description: `${title}: more than ${s.queueDepth} messages ready for delivery (MessageReadyCount, all queues; RabbitMQ ${b.engineVersion} publishes no per-queue metrics). First: find the deep queue in the RabbitMQ console or Prometheus endpoint, then check its consumers.`,
      watch: { kind: 'ready-messages' },
      threshold: s.queueDepth,
      comparison: 'above',
      missingDataBreaches: false,
    });
    add('UnacknowledgedMessages', true, {
      alarmName: name('unacknowledged-messages'),
      description: `${title}: more than ${s.unacknowledgedMessages} messages delivered but not acknowledged (MessageUnacknowledgedCount). First: look for stuck consumers or a prefetch set too high.`,
      watch: { kind: 'unacknowledged-messages' },
      threshold: s.unacknowledgedMessages,
      comparison: 'above',
      missingDataBreaches: false,
    });
  }

  for (const q of monitoring.queues) {
    const queue: AlarmQueue = { name: q.name, virtualHost: q.virtualHost };
    const label = queueLabel(queue);
    add(`Queue${label}Depth`, false, {
      alarmName: fitName(name(`queue-depth-${label}`)),
      description: `${title}: queue ${label} holds more than ${q.maxDepth} messages. First: check its consumers are running and keeping up; then look for a producer burst.`,
      watch: { kind: 'queue-depth', queue },
      threshold: q.maxDepth,
      comparison: 'above',
      missingDataBreaches: false,
    });
    if (q.alarmWithoutConsumers) {
      add(`Queue${label}NoConsumers`, false, {
        alarmName: fitName(name(`queue-no-consumers-${label}`)),
        description: `${title}: queue ${label} has no consumer (or no data: the queue does not exist, is beyond the destinations CloudWatch monitors, or the broker is down). First: check the consuming service is running and can connect.`,
        watch: { kind: 'queue-consumers', queue },
        threshold: 1,
        comparison: 'below',
        missingDataBreaches: true,
      });
    }
  }

  for (const q of monitoring.deadLetterQueues) {
    const queue: AlarmQueue = { name: q.name, virtualHost: q.virtualHost };
    const label = queueLabel(queue);
    add(`DeadLetters${label}`, true, {
      alarmName: fitName(name(`dead-letters-${label}`)),
      description: `${title}: dead-letter queue ${label} is not empty: messages failed delivery or expired. First: read a few messages for the cause, fix the consumer, then replay or purge the queue.`,
      watch: { kind: 'dead-letters', queue },
      threshold: 0,
      comparison: 'above',
      missingDataBreaches: false, // ActiveMQ.DLQ only exists after the first dead letter
    });
  }

  // Lambda consumers: each function's errors, and the depth and consumers of each consumed queue no
  // named queue covers, all shown in the dashboard's status widget. RabbitMQ 4.x publishes no queue
  // metrics: there its ReadyMessages and UnacknowledgedMessages alarms cover the consumed queues.
  const covered = new Set(monitoring.queues.map((q) => queueLabel(q)));
  for (const c of b.consumers ?? []) {
    add(`Consumer${c.name}Errors`, true, {
      alarmName: fitName(name(`consumer-errors-${c.name}`)),
      description: `${title}: Lambda function ${c.functionName} (consumer ${c.name} of queue ${queueLabel({ name: c.queue, virtualHost: c.virtualHost })}) returned errors; Lambda retries the whole batch until it succeeds or the messages expire, so the queue stops draining. First: read the function's logs for the failing message, fix the function or the message.`,
      watch: { kind: 'function-errors', functionName: c.functionName },
      threshold: 0,
      comparison: 'above',
      missingDataBreaches: false,
    });
    const queue: AlarmQueue = { name: c.queue, virtualHost: c.virtualHost };
    const label = queueLabel(queue);
    if (!publishesQueueMetrics(b.engine, b.engineVersion) || covered.has(label)) continue;
    covered.add(label);
    add(`Queue${label}Depth`, true, {
      alarmName: fitName(name(`queue-depth-${label}`)),
      description: `${title}: queue ${label}, consumed by Lambda function ${c.functionName}, holds more than ${s.queueDepth} messages. First: check the function's errors and throttles and the event source mapping's state (aws lambda list-event-source-mappings); then look for a producer burst.`,
      watch: { kind: 'queue-depth', queue },
      threshold: s.queueDepth,
      comparison: 'above',
      missingDataBreaches: false,
    });
    if (c.enabled) {
      add(`Queue${label}NoConsumers`, true, {
        alarmName: fitName(name(`queue-no-consumers-${label}`)),
        description: `${title}: queue ${label} has no consumer although Lambda function ${c.functionName} should consume it (or no data: the queue does not exist or the broker is down). First: read the event source mapping's StateTransitionReason and LastProcessingResult (an authentication failure names the credential), then the network path from the broker's subnets to the Lambda, STS and Secrets Manager endpoints.`,
        watch: { kind: 'queue-consumers', queue },
        threshold: 1,
        comparison: 'below',
        missingDataBreaches: true,
      });
    }
  }
  return alarms;
}

/** Where a limit's value comes from, as alarm descriptions say it. */
function limitOrigin(limit: BrokerLimit | undefined, b: AlarmPlanInput, isCluster: boolean): string {
  if (limit?.origin === 'configured') return 'configured';
  if (limit?.origin === 'default')
    return `Amazon MQ's default for ${b.instanceType} ${isCluster ? 'clusters' : 'single instances'} on RabbitMQ ${b.engineVersion}`;
  return `the maximum of ${b.instanceType}`;
}

/** `name`, or `vhost/name` outside the default virtual host. */
function queueLabel(q: AlarmQueue): string {
  return q.virtualHost === undefined || q.virtualHost === DEFAULT_VIRTUAL_HOST ? q.name : `${q.virtualHost}/${q.name}`;
}

/** Alarm names are at most 255 characters; long ones keep their start and a stable hash. */
function fitName(n: string): string {
  if (n.length <= 255) return n;
  return `${n.slice(0, 240)}-${createHash('sha256').update(n).digest('hex').slice(0, 14)}`;
}

/** What the limits rules need to know of a broker's alarm list. */
export interface AlarmPlan {
  readonly total: number;
  readonly metricsInsights: number;
  /** Upper estimate of the broker's alarm template (unindented JSON), in bytes. */
  readonly estimatedBytes: number;
}

/** Health alarms every broker gets: CPU, memory, storage, connections. */
export const HEALTH_ALARMS = 4;

/** Counts and sizes a broker's alarm list. */
export function planBrokerAlarms(b: {
  readonly deploymentMode: DeploymentMode;
  readonly engine: Engine;
  readonly alarms: readonly PlannedAlarm[];
}): AlarmPlan {
  const instances = b.engine === 'ACTIVEMQ' && b.deploymentMode === 'ACTIVE_STANDBY_MULTI_AZ' ? 2 : 1;
  // Measured on synthesized stacks (test/scripts/scale.test.ts checks it holds): a queue alarm takes
  // about 1.1 KB (1.4 KB when it reads both active/standby instances) plus 6 bytes per character of
  // its queue and vhost names, which appear in its name, description, id and dimensions.
  const perAlarm = (q: AlarmQueue) => (instances === 2 ? 1400 : 1100) + 6 * (q.name.length + (q.virtualHost?.length ?? 0));
  let estimatedBytes = BASE_STACK_BYTES;
  for (const a of b.alarms) if ('queue' in a.watch) estimatedBytes += perAlarm(a.watch.queue);
  // A Lambda consumer's errors alarm: measured 1,222 bytes in the dev snapshot; its names appear in
  // its name, description and id.
  for (const a of b.alarms) if (a.watch.kind === 'function-errors') estimatedBytes += 1300 + 4 * a.alarmName.length;
  for (const a of b.alarms) if (a.watch.kind === 'resource-count') estimatedBytes += LIMIT_ALARM_BYTES;
  return { total: b.alarms.length, metricsInsights: b.alarms.filter((a) => a.metricsInsights).length, estimatedBytes };
}

/** The health and any-queue alarms with the stack's metadata (measured: under 10 KB). */
const BASE_STACK_BYTES = 12_000;
/** A RabbitMQ channel, queue or exchange limit alarm (measured: about 1.1 KB). */
const LIMIT_ALARM_BYTES = 1_500;

/** CloudFormation takes templates up to 1 MB (cloudformation-limits.html); the margin covers the estimate's error. */
export const MAX_ALARM_TEMPLATE_BYTES = 900_000;

/**
 * Alarms of one broker live in one stack of their own; CloudFormation allows 500 resources per
 * stack (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html).
 * The margin leaves room for the stack's own metadata resources.
 */
export const MAX_ALARMS_PER_BROKER = 450;

/**
 * Metrics Insights query alarms per account and region: 200 by default
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-limits.html).
 */
export const MAX_METRICS_INSIGHTS_ALARMS = 200;

/**
 * Alarm and OK actions per alarm: at most 5 each (PutMetricAlarm AlarmActions / OKActions,
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html);
 * the environment's own topic takes one.
 */
export const MAX_EXTRA_ALARM_TOPICS = 4;
