import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { DeploymentMode, Engine } from './engines';

/**
 * What Amazon MQ publishes to CloudWatch, as of 2026-11. Every metric name, unit and dimension set
 * used by mq-platform is here, with its page; alarms and dashboards only use these helpers.
 *
 * ActiveMQ: https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/activemq-logging-monitoring.html
 *   Broker metrics carry `Broker` = the instance, "<name>-1" (single instance) or "<name>-1" and
 *   "<name>-2" (active/standby pair; the active one publishes). Queue metrics carry `Broker` + `Queue`.
 * RabbitMQ: https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/rabbitmq-logging-monitoring.html
 *   Broker metrics carry `Broker` = the broker name; for a cluster the value is the aggregate of the
 *   three nodes. Node metrics carry `Broker` + `Node` (a runtime host name such as
 *   "rabbit@ip-10-0-0-230..."), queue metrics `Broker` + `VirtualHost` + `Queue`. RabbitMQ 4.x brokers
 *   publish no queue metrics ("you can no longer use the Queue and VirtualHost dimensions";
 *   https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/rabbitmq-4.html).
 */
export const AMAZON_MQ_NAMESPACE = 'AWS/AmazonMQ';

/** Dimension sets Amazon MQ publishes, per engine (sorted names). Tests check every alarm against these. */
export const PUBLISHED_DIMENSION_SETS: Record<Engine, ReadonlyArray<readonly string[]>> = {
  ACTIVEMQ: [['Broker'], ['Broker', 'Queue'], ['Broker', 'Topic']],
  RABBITMQ: [['Broker'], ['Broker', 'Node'], ['Broker', 'Queue', 'VirtualHost']],
};

/**
 * Metric name, unit (as the developer guide lists it) and the dimension set it is published on.
 * Units are documentation only: alarms set no unit filter, so a unit Amazon MQ reports differently
 * (the guide once listed "Counter" for RabbitMQ queue counts) cannot leave an alarm without data.
 */
interface MetricFact {
  readonly unit: cloudwatch.Unit;
  readonly dimensions: 'broker' | 'queue' | 'node';
}

/** ActiveMQ metrics used here (activemq-logging-monitoring.html). */
export const ACTIVEMQ_METRICS = {
  CpuUtilization: { unit: cloudwatch.Unit.PERCENT, dimensions: 'broker' },
  HeapUsage: { unit: cloudwatch.Unit.PERCENT, dimensions: 'broker' },
  StorePercentUsage: { unit: cloudwatch.Unit.PERCENT, dimensions: 'broker' },
  CurrentConnectionsCount: { unit: cloudwatch.Unit.COUNT, dimensions: 'broker' },
  TotalMessageCount: { unit: cloudwatch.Unit.COUNT, dimensions: 'broker' },
  TotalConsumerCount: { unit: cloudwatch.Unit.COUNT, dimensions: 'broker' },
  QueueSize: { unit: cloudwatch.Unit.COUNT, dimensions: 'queue' },
  ConsumerCount: { unit: cloudwatch.Unit.COUNT, dimensions: 'queue' },
  EnqueueCount: { unit: cloudwatch.Unit.COUNT, dimensions: 'queue' },
  DequeueCount: { unit: cloudwatch.Unit.COUNT, dimensions: 'queue' },
} as const satisfies Record<string, MetricFact>;

/** RabbitMQ metrics used here (rabbitmq-logging-monitoring.html). Memory and disk are in bytes. */
export const RABBITMQ_METRICS = {
  SystemCpuUtilization: { unit: cloudwatch.Unit.PERCENT, dimensions: 'broker' },
  RabbitMQMemUsed: { unit: cloudwatch.Unit.BYTES, dimensions: 'broker' },
  RabbitMQMemLimit: { unit: cloudwatch.Unit.BYTES, dimensions: 'broker' },
  RabbitMQDiskFree: { unit: cloudwatch.Unit.BYTES, dimensions: 'broker' },
  RabbitMQDiskFreeLimit: { unit: cloudwatch.Unit.BYTES, dimensions: 'broker' },
  ConnectionCount: { unit: cloudwatch.Unit.COUNT, dimensions: 'broker' },
  ChannelCount: { unit: cloudwatch.Unit.COUNT, dimensions: 'broker' },
  QueueCount: { unit: cloudwatch.Unit.COUNT, dimensions: 'broker' },
  ExchangeCount: { unit: cloudwatch.Unit.COUNT, dimensions: 'broker' },
  MessageCount: { unit: cloudwatch.Unit.COUNT, dimensions: 'broker' },
  MessageReadyCount: { unit: cloudwatch.Unit.COUNT, dimensions: 'broker' },
  MessageUnacknowledgedCount: { unit: cloudwatch.Unit.COUNT, dimensions: 'broker' },
  PublishRate: { unit: cloudwatch.Unit.COUNT, dimensions: 'broker' },
  ConsumerCount: { unit: cloudwatch.Unit.COUNT, dimensions: 'broker' },
} as const satisfies Record<string, MetricFact>;

export type ActiveMqMetricName = keyof typeof ACTIVEMQ_METRICS;
export type RabbitMqMetricName = keyof typeof RABBITMQ_METRICS;

/** The RabbitMQ virtual host every broker has. */
export const DEFAULT_VIRTUAL_HOST = '/';

/** RabbitMQ 4.x brokers publish no per-queue metrics. */
export function publishesQueueMetrics(engine: Engine, engineVersion: string): boolean {
  return engine === 'ACTIVEMQ' || !engineVersion.startsWith('4.');
}

/** Values of the `Broker` dimension: ActiveMQ instances ("-1", "-2"), or the RabbitMQ broker name. */
export function brokerDimensionValues(broker: {
  readonly brokerName: string;
  readonly engine: Engine;
  readonly deploymentMode: DeploymentMode;
}): string[] {
  if (broker.engine === 'RABBITMQ') return [broker.brokerName];
  return broker.deploymentMode === 'ACTIVE_STANDBY_MULTI_AZ'
    ? [`${broker.brokerName}-1`, `${broker.brokerName}-2`]
    : [`${broker.brokerName}-1`];
}

export interface BrokerMetricsProps {
  /** The Amazon MQ broker name (not the instance name). */
  readonly brokerName: string;
  readonly engine: Engine;
  readonly engineVersion: string;
  readonly deploymentMode: DeploymentMode;
}

/** A queue of the broker; `virtualHost` is RabbitMQ only. */
export interface QueueRef {
  readonly name: string;
  /** @default "/" on RabbitMQ; not used on ActiveMQ */
  readonly virtualHost?: string;
}

/**
 * Metrics of one broker on the dimensions Amazon MQ publishes. Needs only names known at synth, so
 * alarms and dashboards in other stacks use it without cross-stack references.
 */
export class BrokerMetrics {
  public readonly brokerName: string;
  public readonly engine: Engine;
  public readonly engineVersion: string;
  public readonly deploymentMode: DeploymentMode;

  constructor(props: BrokerMetricsProps) {
    this.brokerName = props.brokerName;
    this.engine = props.engine;
    this.engineVersion = props.engineVersion;
    this.deploymentMode = props.deploymentMode;
  }

  /** Values of the `Broker` dimension: ActiveMQ instances ("-1", "-2"), or the RabbitMQ broker name. */
  public brokerDimensions(): string[] {
    return brokerDimensionValues(this);
  }

  /** Whether per-queue metrics exist for this broker (not on RabbitMQ 4.x). */
  public get hasQueueMetrics(): boolean {
    return publishesQueueMetrics(this.engine, this.engineVersion);
  }

  /** A metric in AWS/AmazonMQ with the given dimensions (5-minute period unless given). */
  public metric(metricName: string, dimensionsMap: Record<string, string>, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({ namespace: AMAZON_MQ_NAMESPACE, metricName, dimensionsMap, period: Duration.minutes(5), ...props });
  }

  /** An ActiveMQ broker metric, one per instance that can be active. */
  public activeMqBrokerMetrics(metricName: ActiveMqMetricName, props?: cloudwatch.MetricOptions): cloudwatch.Metric[] {
    this.requireEngine('ACTIVEMQ', metricName);
    this.requireDimensions(ACTIVEMQ_METRICS[metricName], 'broker', metricName);
    return this.brokerDimensions().map((broker) => this.metric(metricName, { Broker: broker }, props));
  }

  /** An ActiveMQ queue metric, one per instance that can be active. */
  public activeMqQueueMetrics(metricName: ActiveMqMetricName, queue: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric[] {
    this.requireEngine('ACTIVEMQ', metricName);
    this.requireDimensions(ACTIVEMQ_METRICS[metricName], 'queue', metricName);
    return this.brokerDimensions().map((broker) => this.metric(metricName, { Broker: broker, Queue: queue }, props));
  }

  /** A RabbitMQ broker-level metric (`Broker` = name; the aggregate of a cluster's nodes). */
  public rabbitMqBrokerMetric(metricName: RabbitMqMetricName, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    this.requireEngine('RABBITMQ', metricName);
    return this.metric(metricName, { Broker: this.brokerName }, props);
  }

  /** A RabbitMQ queue metric (`Broker` + `VirtualHost` + `Queue`); RabbitMQ 3.x only. */
  public rabbitMqQueueMetric(
    metricName: 'MessageCount' | 'MessageReadyCount' | 'MessageUnacknowledgedCount' | 'ConsumerCount',
    queue: QueueRef,
    props?: cloudwatch.MetricOptions,
  ): cloudwatch.Metric {
    this.requireEngine('RABBITMQ', metricName);
    this.requireQueueMetrics();
    return this.metric(
      metricName,
      { Broker: this.brokerName, VirtualHost: queue.virtualHost ?? DEFAULT_VIRTUAL_HOST, Queue: queue.name },
      props,
    );
  }

  /**
   * One series for a metric of every instance that can be active: the metric itself for a single
   * instance, else MAX([m1, m2]) (the standby publishes nothing, so this is the active instance).
   */
  public activeOf(metrics: readonly cloudwatch.Metric[], label: string): cloudwatch.IMetric {
    if (metrics.length === 1) return metrics[0].with({ label });
    const usingMetrics = Object.fromEntries(metrics.map((m, i) => [`i${i + 1}`, m]));
    return new cloudwatch.MathExpression({
      expression: `MAX([${Object.keys(usingMetrics).join(', ')}])`,
      usingMetrics,
      label,
      period: metrics[0].period,
    });
  }

  // Typed helpers, named after the official metric names.

  /** ActiveMQ `CpuUtilization` (Percent), or RabbitMQ `SystemCpuUtilization` (Percent; a cluster's is the aggregate of its nodes). */
  public metricCpuUtilization(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    if (this.engine === 'RABBITMQ') return this.metricSystemCpuUtilization(props);
    return this.activeOf(this.activeMqBrokerMetrics('CpuUtilization', { statistic: 'Maximum', ...props }), 'CpuUtilization');
  }
  /** ActiveMQ `HeapUsage` (Percent of the JVM memory limit). */
  public metricHeapUsage(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.activeOf(this.activeMqBrokerMetrics('HeapUsage', { statistic: 'Maximum', ...props }), 'HeapUsage');
  }
  /** ActiveMQ `StorePercentUsage` (Percent; at 100 the broker refuses messages). */
  public metricStorePercentUsage(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.activeOf(this.activeMqBrokerMetrics('StorePercentUsage', { statistic: 'Maximum', ...props }), 'StorePercentUsage');
  }
  /** ActiveMQ `CurrentConnectionsCount` (Count). */
  public metricCurrentConnectionsCount(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.activeOf(
      this.activeMqBrokerMetrics('CurrentConnectionsCount', { statistic: 'Maximum', ...props }),
      'CurrentConnectionsCount',
    );
  }
  /** ActiveMQ `TotalMessageCount` (Count of messages stored on the broker). */
  public metricTotalMessageCount(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.activeOf(this.activeMqBrokerMetrics('TotalMessageCount', { statistic: 'Maximum', ...props }), 'TotalMessageCount');
  }
  /** ActiveMQ `QueueSize` of one queue (Count). */
  public metricQueueSize(queue: string, props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.activeOf(this.activeMqQueueMetrics('QueueSize', queue, { statistic: 'Maximum', ...props }), `QueueSize ${queue}`);
  }
  /** ActiveMQ `EnqueueCount` of one queue (Count of messages sent to it, per minute). */
  public metricEnqueueCount(queue: string, props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.activeOf(this.activeMqQueueMetrics('EnqueueCount', queue, { statistic: 'Sum', ...props }), `EnqueueCount ${queue}`);
  }
  /** `ConsumerCount` (Count): of a queue when given (ActiveMQ, RabbitMQ 3.x), else of the RabbitMQ broker. */
  public metricConsumerCount(queue?: QueueRef, props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    if (this.engine === 'ACTIVEMQ') {
      if (!queue)
        throw new Error('ActiveMQ publishes ConsumerCount per queue; name the queue (TotalConsumerCount is the broker-wide count)');
      return this.activeOf(
        this.activeMqQueueMetrics('ConsumerCount', queue.name, { statistic: 'Minimum', ...props }),
        `ConsumerCount ${queue.name}`,
      );
    }
    return queue
      ? this.rabbitMqQueueMetric('ConsumerCount', queue, { statistic: 'Minimum', ...props })
      : this.rabbitMqBrokerMetric('ConsumerCount', { statistic: 'Minimum', ...props });
  }
  /** RabbitMQ `SystemCpuUtilization` (Percent). */
  public metricSystemCpuUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.rabbitMqBrokerMetric('SystemCpuUtilization', { statistic: 'Maximum', ...props });
  }
  /** RabbitMQ `RabbitMQMemUsed` (Bytes). */
  public metricRabbitMQMemUsed(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.rabbitMqBrokerMetric('RabbitMQMemUsed', { statistic: 'Maximum', ...props });
  }
  /** RabbitMQ `RabbitMQMemLimit` (Bytes). */
  public metricRabbitMQMemLimit(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.rabbitMqBrokerMetric('RabbitMQMemLimit', { statistic: 'Minimum', ...props });
  }
  /** RabbitMQ `RabbitMQDiskFree` (Bytes). */
  public metricRabbitMQDiskFree(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.rabbitMqBrokerMetric('RabbitMQDiskFree', { statistic: 'Minimum', ...props });
  }
  /** RabbitMQ `RabbitMQDiskFreeLimit` (Bytes; below it the broker blocks publishers). */
  public metricRabbitMQDiskFreeLimit(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.rabbitMqBrokerMetric('RabbitMQDiskFreeLimit', { statistic: 'Maximum', ...props });
  }
  /** RabbitMQ `ConnectionCount` (Count). */
  public metricConnectionCount(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.rabbitMqBrokerMetric('ConnectionCount', { statistic: 'Maximum', ...props });
  }
  /** RabbitMQ `ChannelCount`, `QueueCount` or `ExchangeCount` of the broker (Count; a cluster's is the sum of its nodes). */
  public metricRabbitMqResourceCount(
    metricName: 'ChannelCount' | 'QueueCount' | 'ExchangeCount',
    props?: cloudwatch.MetricOptions,
  ): cloudwatch.Metric {
    return this.rabbitMqBrokerMetric(metricName, { statistic: 'Maximum', ...props });
  }
  /** RabbitMQ `MessageCount` (Count, ready + unacknowledged): of a queue when given (3.x only), else of the broker. */
  public metricMessageCount(queue?: QueueRef, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return queue
      ? this.rabbitMqQueueMetric('MessageCount', queue, { statistic: 'Maximum', ...props })
      : this.rabbitMqBrokerMetric('MessageCount', { statistic: 'Maximum', ...props });
  }
  /** RabbitMQ `MessageReadyCount` (Count): of a queue when given (3.x only), else of the broker. */
  public metricMessageReadyCount(queue?: QueueRef, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return queue
      ? this.rabbitMqQueueMetric('MessageReadyCount', queue, { statistic: 'Maximum', ...props })
      : this.rabbitMqBrokerMetric('MessageReadyCount', { statistic: 'Maximum', ...props });
  }
  /** RabbitMQ `MessageUnacknowledgedCount` (Count): of a queue when given (3.x only), else of the broker. */
  public metricMessageUnacknowledgedCount(queue?: QueueRef, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return queue
      ? this.rabbitMqQueueMetric('MessageUnacknowledgedCount', queue, { statistic: 'Maximum', ...props })
      : this.rabbitMqBrokerMetric('MessageUnacknowledgedCount', { statistic: 'Maximum', ...props });
  }
  /** RabbitMQ `PublishRate` (messages per second at sampling; AMQP 0-9-1 only). */
  public metricPublishRate(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.rabbitMqBrokerMetric('PublishRate', { statistic: 'Average', ...props });
  }

  /**
   * A CloudWatch Metrics Insights query over every queue of the broker, including queues created at
   * run time: the highest depth (`QueueSize` / `MessageCount`) of any queue on one `Broker` value.
   * Only "=", "!=" and AND are used in WHERE (the documented operators), so an active/standby
   * broker gets one query per instance.
   * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-metrics-insights-querylanguage.html
   */
  public anyQueueDepthQueries(
    options: { readonly exclude?: readonly QueueRef[]; readonly groupByQueue?: boolean } = {},
  ): Array<{ broker: string; query: string }> {
    this.requireQueueMetrics();
    const isActiveMq = this.engine === 'ACTIVEMQ';
    const metricName = isActiveMq ? 'QueueSize' : 'MessageCount';
    const schema = isActiveMq ? 'SCHEMA("AWS/AmazonMQ", Broker, Queue)' : 'SCHEMA("AWS/AmazonMQ", Broker, Queue, VirtualHost)';
    return this.brokerDimensions().map((broker) => {
      // Excluding by queue name also excludes a same-named queue on another vhost; a DLQ name is specific enough.
      const excluded = [...new Set((options.exclude ?? []).map((q) => q.name))].map((name) => ` AND Queue != ${quoteLabel(name)}`).join('');
      const group = options.groupByQueue ? ` GROUP BY Queue ORDER BY MAX() DESC LIMIT 10` : '';
      return { broker, query: `SELECT MAX(${metricName}) FROM ${schema} WHERE Broker = ${quoteLabel(broker)}${excluded}${group}` };
    });
  }

  /** ActiveMQ messages sent to all queues per minute, one Metrics Insights query per instance (for graphs). */
  public enqueueRateQueries(): Array<{ broker: string; query: string }> {
    this.requireEngine('ACTIVEMQ', 'EnqueueCount');
    return this.brokerDimensions().map((broker) => ({
      broker,
      query: `SELECT SUM(EnqueueCount) FROM SCHEMA("AWS/AmazonMQ", Broker, Queue) WHERE Broker = ${quoteLabel(broker)}`,
    }));
  }

  /**
   * The highest per-node CPU of a RabbitMQ broker, over every node whatever its runtime name:
   * the broker-level value of a cluster is the aggregate of its three nodes, which hides one hot node.
   */
  public rabbitMqMaxNodeCpuQuery(): string {
    this.requireEngine('RABBITMQ', 'SystemCpuUtilization');
    return `SELECT MAX(SystemCpuUtilization) FROM SCHEMA("AWS/AmazonMQ", Broker, Node) WHERE Broker = ${quoteLabel(this.brokerName)}`;
  }

  private requireEngine(engine: Engine, metricName: string): void {
    if (this.engine !== engine) throw new Error(`${metricName} is a ${engine} metric; broker ${this.brokerName} runs ${this.engine}`);
  }

  private requireDimensions(fact: MetricFact, want: MetricFact['dimensions'], metricName: string): void {
    if (fact.dimensions !== want) throw new Error(`${metricName} is published per ${fact.dimensions}, not per ${want}`);
  }

  private requireQueueMetrics(): void {
    if (!this.hasQueueMetrics) {
      throw new Error(
        `Amazon MQ publishes no queue metrics for RabbitMQ ${this.engineVersion} broker ${this.brokerName}; use broker-level MessageReadyCount / MessageUnacknowledgedCount`,
      );
    }
  }
}

/** A Metrics Insights label value: single quotes, with quotes inside escaped by a backslash. */
export function quoteLabel(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
