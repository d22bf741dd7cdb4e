import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import type { BrokerMetrics } from '../../amazonmq/metrics';
import type { AlarmComparison, AlarmWatch, PlannedAlarm } from '../../contract/alarms';
import { createAlarm, insightsQuery, percentOf, ratioOf, type AlarmActions, type AlarmTiming } from './alarm-factories';

const COMPARISONS: Record<AlarmComparison, cloudwatch.ComparisonOperator> = {
  above: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
  below: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
  'at-or-above': cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
};

/** Evaluation settings shared by a broker's alarms. */
export interface BrokerAlarmTiming {
  readonly periodMinutes: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
}

export interface BrokerAlarmsProps {
  readonly metrics: BrokerMetrics;
  /** The broker's alarm list, from the environment plan (lib/config/alarm-plan.ts). */
  readonly alarms: readonly PlannedAlarm[];
  readonly timing: BrokerAlarmTiming;
  readonly actions: AlarmActions;
}

/**
 * Every alarm of one broker, as its plan lists them: each alarm covers every instance or node that
 * can be active, and gets the injected ALARM and OK actions.
 */
export class BrokerAlarms extends Construct {
  public readonly alarms: cloudwatch.Alarm[] = [];
  /** Broker-level alarms (health, any-queue depth, dead letters), for the dashboard's status widget. */
  public readonly brokerLevelAlarmNames: string[];

  constructor(scope: Construct, id: string, props: BrokerAlarmsProps) {
    super(scope, id);
    const t = props.timing;
    const timing: AlarmTiming = {
      period: Duration.minutes(t.periodMinutes),
      evaluationPeriods: t.evaluationPeriods,
      datapointsToAlarm: t.datapointsToAlarm,
    };
    for (const a of props.alarms) {
      const spec = {
        alarmName: a.alarmName,
        description: a.description,
        metric: alarmMetric(props.metrics, a.watch),
        threshold: a.threshold,
        comparison: COMPARISONS[a.comparison],
        missingData: a.missingDataBreaches ? cloudwatch.TreatMissingData.BREACHING : cloudwatch.TreatMissingData.NOT_BREACHING,
      };
      this.alarms.push(createAlarm(this, a.id, spec, timing, props.actions));
    }
    this.brokerLevelAlarmNames = props.alarms.filter((a) => a.brokerLevel).map((a) => a.alarmName);
  }
}

/** The engine's metric for what an alarm watches. */
export function alarmMetric(m: BrokerMetrics, watch: AlarmWatch): cloudwatch.IMetric {
  const isActiveMq = m.engine === 'ACTIVEMQ';
  switch (watch.kind) {
    case 'cpu':
      return isActiveMq ? m.metricCpuUtilization() : m.metricSystemCpuUtilization();
    case 'cpu-max-node':
      return insightsQuery(m.rabbitMqMaxNodeCpuQuery(), 'Max node SystemCpuUtilization');
    case 'memory':
      return isActiveMq ? m.metricHeapUsage() : percentOf(m.metricRabbitMQMemUsed(), m.metricRabbitMQMemLimit(), 'Memory used %');
    case 'storage':
      return isActiveMq
        ? m.metricStorePercentUsage()
        : ratioOf(m.metricRabbitMQDiskFree(), m.metricRabbitMQDiskFreeLimit(), 'Free disk / limit');
    case 'connections':
      return isActiveMq ? m.metricCurrentConnectionsCount() : m.metricConnectionCount();
    case 'resource-count':
      return m.metricRabbitMqResourceCount(watch.metric);
    case 'any-queue-depth': {
      const query = m.anyQueueDepthQueries({ exclude: watch.exclude }).find((q) => q.broker === watch.broker);
      if (!query) throw new Error(`${watch.broker} is not a Broker dimension value of ${m.brokerName}`);
      return insightsQuery(query.query, 'Max queue depth');
    }
    case 'ready-messages':
      return m.metricMessageReadyCount();
    case 'unacknowledged-messages':
      return m.metricMessageUnacknowledgedCount();
    case 'queue-depth':
    case 'dead-letters':
      return isActiveMq ? m.metricQueueSize(watch.queue.name) : m.metricMessageCount(watch.queue);
    case 'queue-consumers':
      return m.metricConsumerCount(watch.queue);
    case 'function-errors':
      return new cloudwatch.Metric({
        namespace: 'AWS/Lambda',
        metricName: 'Errors',
        dimensionsMap: { FunctionName: watch.functionName },
        statistic: cloudwatch.Stats.SUM,
      });
  }
}
