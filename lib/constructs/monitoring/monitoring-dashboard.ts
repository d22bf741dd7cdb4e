import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import type { BrokerMetrics } from '../../amazonmq/metrics';
import { percentOf } from './alarm-factories';

export interface DashboardBroker {
  readonly metrics: BrokerMetrics;
  /** Names of the broker-level alarms, for the status widget (they live in other stacks). */
  readonly alarmNames: readonly string[];
}

export interface MonitoringDashboardProps {
  readonly dashboardName: string;
  readonly brokers: readonly DashboardBroker[];
}

const W = 4; // six graphs and the status widget per broker row (24 columns)

/**
 * One dashboard per environment: per broker, depth, throughput, connections, CPU, memory and
 * storage on the dimensions Amazon MQ publishes, and the status of the broker's alarms.
 */
export class MonitoringDashboard extends Construct {
  public readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: MonitoringDashboardProps) {
    super(scope, id);
    this.dashboard = new cloudwatch.Dashboard(this, 'Resource', { dashboardName: props.dashboardName });
    props.brokers.forEach((b, i) => {
      const m = b.metrics;
      const isActiveMq = m.engine === 'ACTIVEMQ';
      const query = (expression: string, label: string) => new cloudwatch.MathExpression({ expression, usingMetrics: {}, label });
      const graph = (title: string, left: cloudwatch.IMetric[]) => new cloudwatch.GraphWidget({ title, left, width: W, height: 6 });

      const depth = m.hasQueueMetrics
        ? m.anyQueueDepthQueries({ groupByQueue: true }).map((q) => query(q.query, q.broker))
        : [m.metricMessageReadyCount(), m.metricMessageUnacknowledgedCount(), m.metricMessageCount()];
      const throughput = isActiveMq
        ? m.enqueueRateQueries().map((q) => query(q.query, `EnqueueCount ${q.broker}`))
        : [m.metricPublishRate()];
      const connections = isActiveMq ? [m.metricCurrentConnectionsCount()] : [m.metricConnectionCount()];
      const cpu =
        isActiveMq || m.deploymentMode !== 'CLUSTER_MULTI_AZ'
          ? [m.metricCpuUtilization()]
          : [query(`${m.rabbitMqMaxNodeCpuQuery()}`, 'Max node SystemCpuUtilization')];
      const memory = isActiveMq
        ? [m.metricHeapUsage()]
        : [percentOf(m.metricRabbitMQMemUsed(), m.metricRabbitMQMemLimit(), 'RabbitMQMemUsed % of limit')];
      const storage = isActiveMq ? [m.metricStorePercentUsage()] : [m.metricRabbitMQDiskFree(), m.metricRabbitMQDiskFreeLimit()];
      const alarms = b.alarmNames.map((n, j) => cloudwatch.Alarm.fromAlarmName(this, `Alarm${i}-${j}`, n));

      this.dashboard.addWidgets(
        new cloudwatch.TextWidget({
          markdown: `## ${m.brokerName} (${m.engine} ${m.engineVersion}, ${m.deploymentMode})`,
          width: 24,
          height: 1,
        }),
      );
      this.dashboard.addWidgets(
        graph(
          isActiveMq
            ? 'Depth: QueueSize, top 10 queues'
            : m.hasQueueMetrics
              ? 'Depth: MessageCount, top 10 queues'
              : 'Depth: ready / unacked / total',
          depth,
        ),
        graph(isActiveMq ? 'Throughput: EnqueueCount / min' : 'Throughput: PublishRate / s', throughput),
        graph(isActiveMq ? 'CurrentConnectionsCount' : 'ConnectionCount', connections),
        graph('CPU %', cpu),
        graph(isActiveMq ? 'HeapUsage %' : 'Memory used % of limit', memory),
        graph(isActiveMq ? 'StorePercentUsage %' : 'RabbitMQDiskFree / limit (bytes)', storage),
      );
      this.dashboard.addWidgets(new cloudwatch.AlarmStatusWidget({ title: `${m.brokerName} alarms`, alarms, width: 24, height: 3 }));
    });
  }
}
