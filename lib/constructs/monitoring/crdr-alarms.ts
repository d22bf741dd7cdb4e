import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { CRDR_METRICS, CRDR_SOURCES } from '../../amazonmq/crdr';
import { AMAZON_MQ_NAMESPACE } from '../../amazonmq/metrics';
import { createAlarm, type AlarmActions, type AlarmTiming } from './alarm-factories';

export interface CrdrAlarmsProps {
  /** Amazon MQ broker name (the `Broker` dimension is `<name>-1` and `<name>-2` for active/standby). */
  readonly brokerName: string;
  /** Alarm names: `<prefix>crdr-replication-lag`, `<prefix>crdr-wait-time`. */
  readonly alarmNamePrefix: string;
  /** Where the other broker of the pair runs, for the descriptions. */
  readonly counterpartRegion: string;
  readonly timing: AlarmTiming;
  readonly actions: AlarmActions;
  /** @default Duration.minutes(5) - the recovery point the pair should hold */
  readonly maxLag?: Duration;
}

/**
 * Alarms of one broker of a CRDR pair on the metrics Amazon MQ publishes for it (crdr-metrics):
 * lag (TotalReplicationLag on the primary, ReplicationLag on the replica) and the wait times that
 * "constantly growing" mean a degraded or paused replication. Roles swap at promotion, so both
 * brokers alarm on both sides' metrics; the side not in that role publishes nothing, which is not
 * breaching.
 */
export class CrdrAlarms extends Construct {
  public readonly replicationLag: cloudwatch.Alarm;
  public readonly waitTime: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: CrdrAlarmsProps) {
    super(scope, id);
    const maxLag = props.maxLag ?? Duration.minutes(5);
    const worst = (label: string, names: readonly string[]) => {
      const usingMetrics: Record<string, cloudwatch.IMetric> = {};
      let n = 0;
      for (const metricName of names) {
        for (const instance of [1, 2]) {
          usingMetrics[`m${n++}`] = new cloudwatch.Metric({
            namespace: AMAZON_MQ_NAMESPACE,
            metricName,
            dimensionsMap: { Broker: `${props.brokerName}-${instance}` },
            statistic: 'Maximum',
            period: props.timing.period,
          });
        }
      }
      return new cloudwatch.MathExpression({
        expression: `MAX([${Object.keys(usingMetrics).join(',')}])`,
        usingMetrics,
        label,
        period: props.timing.period,
      });
    };
    const ms = maxLag.toMilliseconds();
    this.replicationLag = createAlarm(
      this,
      'ReplicationLag',
      {
        alarmName: `${props.alarmNamePrefix}crdr-replication-lag`,
        description: `CRDR: ${props.brokerName} replicates more than ${maxLag.toMinutes()} min behind (TotalReplicationLag on the primary, ReplicationLag on the replica). A failover now would lose that much; a switchover would wait for it. Check both Regions' broker health and the ${props.counterpartRegion} broker (${CRDR_SOURCES.metrics}).`,
        metric: worst('replication lag (ms)', [CRDR_METRICS.totalReplicationLag, CRDR_METRICS.replicationLag]),
        threshold: ms,
        comparison: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        missingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      },
      props.timing,
      props.actions,
    );
    this.waitTime = createAlarm(
      this,
      'WaitTime',
      {
        alarmName: `${props.alarmNamePrefix}crdr-wait-time`,
        description: `CRDR: ${props.brokerName} has processed no replication event for more than ${maxLag.toMinutes()} min (PrimaryWaitTime / ReplicaWaitTime growing): replication to or from ${props.counterpartRegion} is degraded or paused (network partition, broker restart, long recovery). Do not rely on a switchover until it clears (${CRDR_SOURCES.metrics}).`,
        metric: worst('replication wait time (ms)', [CRDR_METRICS.primaryWaitTime, CRDR_METRICS.replicaWaitTime]),
        threshold: ms,
        comparison: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        missingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      },
      props.timing,
      props.actions,
    );
  }
}
