import { createHash } from 'crypto';
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { maxConnections } from '../../amazonmq/catalog';
import { DEFAULT_VIRTUAL_HOST, type BrokerMetrics, type QueueRef } from '../../amazonmq/metrics';
import { alarmName } from '../../contract/names';
import { createAlarm, insightsQuery, percentOf, ratioOf, type AlarmActions, type AlarmSpec, type AlarmTiming } from './alarm-factories';

const { GREATER_THAN_THRESHOLD: ABOVE, LESS_THAN_THRESHOLD: BELOW } = cloudwatch.ComparisonOperator;
const { BREACHING, NOT_BREACHING } = cloudwatch.TreatMissingData;

/** Nodes of a RabbitMQ cluster (rabbitmq-broker-architecture-cluster). */
const RABBITMQ_CLUSTER_NODES = 3;

/** Thresholds and timing of a broker's alarms. */
export interface BrokerAlarmSettings {
  readonly queueDepth: number;
  readonly unacknowledgedMessages: number;
  readonly cpuPercent: number;
  readonly memoryPercent: number;
  readonly storagePercent: number;
  readonly diskFreeLimitFactor: number;
  readonly connectionsPercent: number;
  readonly periodMinutes: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
}

/** What a broker's alarms watch: settings, named queues (with their own depth) and dead-letter queues. */
export interface BrokerAlarmsMonitoring {
  readonly alarms: BrokerAlarmSettings;
  readonly queues: ReadonlyArray<QueueRef & { readonly maxDepth: number; readonly alarmWithoutConsumers: boolean }>;
  readonly deadLetterQueues: readonly QueueRef[];
}

export interface BrokerAlarmsProps {
  readonly environment: string;
  /** Short broker name used in alarm names (the config's `name`). */
  readonly name: string;
  readonly metrics: BrokerMetrics;
  readonly instanceType: string;
  readonly monitoring: BrokerAlarmsMonitoring;
  readonly actions: AlarmActions;
}

/**
 * Every alarm of one broker: health (CPU, memory, storage, connections), queue depth (any queue,
 * named queues, no consumers) and dead letters. Each alarm covers every instance or node that can be
 * active, and gets the injected ALARM and OK actions.
 */
export class BrokerAlarms extends Construct {
  public readonly alarms: cloudwatch.Alarm[] = [];
  /** Broker-level alarms (health, any-queue depth, dead letters), for the dashboard's status widget. */
  public readonly brokerLevelAlarmNames: string[];

  constructor(scope: Construct, id: string, props: BrokerAlarmsProps) {
    super(scope, id);
    const specs = brokerAlarmSpecs(props);
    const s = props.monitoring.alarms;
    const timing: AlarmTiming = { period: Duration.minutes(s.periodMinutes), evaluationPeriods: s.evaluationPeriods, datapointsToAlarm: s.datapointsToAlarm };
    for (const spec of specs) this.alarms.push(createAlarm(this, spec.id, spec, timing, props.actions));
    this.brokerLevelAlarmNames = specs.filter((x) => x.brokerLevel).map((x) => x.alarmName);
  }
}

interface BrokerAlarmSpec extends AlarmSpec {
  readonly id: string;
  readonly brokerLevel: boolean;
}

/** The alarm specs of one broker; also gives the dashboard the names of the broker-level alarms. */
export function brokerAlarmSpecs(props: Omit<BrokerAlarmsProps, 'actions'>): BrokerAlarmSpec[] {
  const { metrics: m, monitoring, environment } = props;
  const s = monitoring.alarms;
  const name = (what: string) => alarmName(environment, props.name, what);
  const title = `${m.engine === 'ACTIVEMQ' ? 'ActiveMQ' : 'RabbitMQ'} broker ${m.brokerName}`;
  const specs: BrokerAlarmSpec[] = [];
  // Construct ids cannot hold "/" (virtual hosts can).
  const add = (id: string, brokerLevel: boolean, spec: AlarmSpec) => specs.push({ id: id.replace(/\//g, '|'), brokerLevel, ...spec });
  const isCluster = m.deploymentMode === 'CLUSTER_MULTI_AZ';

  // Health. CPU treats missing data as breaching: no CPU data means the broker stopped reporting.
  if (m.engine === 'ACTIVEMQ') {
    add('Cpu', true, {
      alarmName: name('cpu'),
      description: `${title}: CpuUtilization above ${s.cpuPercent}% (or no data: the broker is down or not reporting). First: check the broker state in the Amazon MQ console, then producers/consumers for a burst; scale the instance type if it persists.`,
      metric: m.metricCpuUtilization(),
      threshold: s.cpuPercent,
      comparison: ABOVE,
      missingData: BREACHING,
    });
    add('Memory', true, {
      alarmName: name('memory'),
      description: `${title}: HeapUsage above ${s.memoryPercent}% of the JVM limit; ActiveMQ slows producers near 100%. First: look for queues with many messages and slow or missing consumers (TotalMessageCount, QueueSize); scale the instance type if it persists.`,
      metric: m.metricHeapUsage(),
      threshold: s.memoryPercent,
      comparison: ABOVE,
      missingData: NOT_BREACHING,
    });
    add('Storage', true, {
      alarmName: name('storage'),
      description: `${title}: StorePercentUsage above ${s.storagePercent}%; at 100% the broker refuses producers. First: drain or purge the deepest queues and the dead-letter queue; check consumers are running.`,
      metric: m.metricStorePercentUsage(),
      threshold: s.storagePercent,
      comparison: ABOVE,
      missingData: NOT_BREACHING,
    });
  } else {
    add('Cpu', true, {
      alarmName: name('cpu'),
      description: `${title}: SystemCpuUtilization${isCluster ? ' of a node' : ''} above ${s.cpuPercent}% (or no data: the broker is down or not reporting). First: check the broker state in the Amazon MQ console, then connection and channel churn; scale the instance type if it persists.`,
      metric: isCluster ? insightsQuery(m.rabbitMqMaxNodeCpuQuery(), 'Max node SystemCpuUtilization') : m.metricSystemCpuUtilization(),
      threshold: s.cpuPercent,
      comparison: ABOVE,
      missingData: BREACHING,
    });
    add('Memory', true, {
      alarmName: name('memory'),
      description: `${title}: RabbitMQMemUsed above ${s.memoryPercent}% of RabbitMQMemLimit${isCluster ? ' (across the cluster)' : ''}; at the limit RabbitMQ blocks all publishers. First: find queues with large backlogs and add consumers or limits (max-length); scale the instance type if it persists.`,
      metric: percentOf(m.metricRabbitMQMemUsed(), m.metricRabbitMQMemLimit(), 'Memory used %'),
      threshold: s.memoryPercent,
      comparison: ABOVE,
      missingData: NOT_BREACHING,
    });
    add('Storage', true, {
      alarmName: name('disk'),
      description: `${title}: RabbitMQDiskFree below ${s.diskFreeLimitFactor} times RabbitMQDiskFreeLimit${isCluster ? ' (across the cluster)' : ''}; below the limit RabbitMQ blocks all publishers. First: drain the deepest queues; on RabbitMQ 4 clusters consider a larger storage size.`,
      metric: ratioOf(m.metricRabbitMQDiskFree(), m.metricRabbitMQDiskFreeLimit(), 'Free disk / limit'),
      threshold: s.diskFreeLimitFactor,
      comparison: BELOW,
      missingData: NOT_BREACHING,
    });
  }
  const perInstance = maxConnections(m.engine, props.instanceType);
  if (perInstance === undefined) throw new Error(`no connection limit known for ${m.engine} ${props.instanceType}`);
  // ActiveMQ's limit is per wire protocol; the total count against it warns early. A cluster's ConnectionCount is the sum of its nodes.
  const connectionLimit = m.engine === 'RABBITMQ' && isCluster ? perInstance * RABBITMQ_CLUSTER_NODES : perInstance;
  const connectionThreshold = Math.floor((connectionLimit * s.connectionsPercent) / 100);
  add('Connections', true, {
    alarmName: name('connections'),
    description: `${title}: ${connectionThreshold} connections or more, ${s.connectionsPercent}% of the ${connectionLimit} ${m.engine === 'ACTIVEMQ' ? 'per protocol' : isCluster ? 'of the cluster' : ''} that ${props.instanceType} accepts; new clients will be refused at the limit. First: look for clients leaking connections (no pooling); scale the instance type if the load is real.`.replace(/ {2}/g, ' '),
    metric: m.engine === 'ACTIVEMQ' ? m.metricCurrentConnectionsCount() : m.metricConnectionCount(),
    threshold: connectionThreshold,
    comparison: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    missingData: NOT_BREACHING,
  });

  // Depth of any queue, including queues created at run time.
  if (m.hasQueueMetrics) {
    const queries = m.anyQueueDepthQueries({ exclude: monitoring.deadLetterQueues });
    queries.forEach(({ broker, query }, i) => {
      const suffix = queries.length > 1 ? `-${i + 1}` : '';
      add(`AnyQueueDepth${suffix}`, true, {
        alarmName: name(`any-queue-depth${suffix}`),
        description: `${title}${suffix ? ` (instance ${broker})` : ''}: a queue holds more than ${s.queueDepth} messages (${m.engine === 'ACTIVEMQ' ? 'QueueSize' : 'MessageCount'}, any queue but the dead-letter queues). First: find the queue on the dashboard's depth widget, then check its consumers are running and keeping up.`,
        metric: insightsQuery(query, 'Max queue depth'),
        threshold: s.queueDepth,
        comparison: ABOVE,
        missingData: NOT_BREACHING,
      });
    });
  } else {
    add('ReadyMessages', true, {
      alarmName: name('ready-messages'),
      description: `${title}: more than ${s.queueDepth} messages ready for delivery (MessageReadyCount, all queues; RabbitMQ ${m.engineVersion} publishes no per-queue metrics). First: find the deep queue in the RabbitMQ console or Prometheus endpoint, then check its consumers.`,
      metric: m.metricMessageReadyCount(),
      threshold: s.queueDepth,
      comparison: ABOVE,
      missingData: NOT_BREACHING,
    });
    add('UnacknowledgedMessages', true, {
      alarmName: name('unacknowledged-messages'),
      description: `${title}: more than ${s.unacknowledgedMessages} messages delivered but not acknowledged (MessageUnacknowledgedCount). First: look for stuck consumers or a prefetch set too high.`,
      metric: m.metricMessageUnacknowledgedCount(),
      threshold: s.unacknowledgedMessages,
      comparison: ABOVE,
      missingData: NOT_BREACHING,
    });
  }

  for (const q of monitoring.queues) {
    const ref: QueueRef = { name: q.name, virtualHost: q.virtualHost };
    const label = queueLabel(ref);
    const depth = m.engine === 'ACTIVEMQ' ? m.metricQueueSize(q.name) : m.metricMessageCount(ref);
    add(`Queue${label}Depth`, false, {
      alarmName: fitName(name(`queue-depth-${label}`)),
      description: `${title}: queue ${label} holds more than ${q.maxDepth} messages. First: check its consumers are running and keeping up; then look for a producer burst.`,
      metric: depth,
      threshold: q.maxDepth,
      comparison: ABOVE,
      missingData: NOT_BREACHING,
    });
    if (q.alarmWithoutConsumers) {
      add(`Queue${label}NoConsumers`, false, {
        alarmName: fitName(name(`queue-no-consumers-${label}`)),
        description: `${title}: queue ${label} has no consumer (or no data: the queue does not exist, is beyond the destinations CloudWatch monitors, or the broker is down). First: check the consuming service is running and can connect.`,
        metric: m.metricConsumerCount(ref),
        threshold: 1,
        comparison: BELOW,
        missingData: BREACHING,
      });
    }
  }

  for (const q of monitoring.deadLetterQueues) {
    const ref: QueueRef = { name: q.name, virtualHost: q.virtualHost };
    const label = queueLabel(ref);
    add(`DeadLetters${label}`, true, {
      alarmName: fitName(name(`dead-letters-${label}`)),
      description: `${title}: dead-letter queue ${label} is not empty: messages failed delivery or expired. First: read a few messages for the cause, fix the consumer, then replay or purge the queue.`,
      metric: m.engine === 'ACTIVEMQ' ? m.metricQueueSize(q.name) : m.metricMessageCount(ref),
      threshold: 0,
      comparison: ABOVE,
      missingData: NOT_BREACHING, // ActiveMQ.DLQ only exists after the first dead letter
    });
  }
  return specs;
}

/** `name`, or `vhost/name` outside the default virtual host. */
function queueLabel(q: QueueRef): string {
  return q.virtualHost === undefined || q.virtualHost === DEFAULT_VIRTUAL_HOST ? q.name : `${q.virtualHost}/${q.name}`;
}

/** Alarm names are at most 255 characters; long ones keep their start and a stable hash. */
function fitName(n: string): string {
  if (n.length <= 255) return n;
  return `${n.slice(0, 240)}-${createHash('sha256').update(n).digest('hex').slice(0, 14)}`;
}
