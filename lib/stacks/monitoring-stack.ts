import { Stack, type RemovalPolicy, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { ResolvedBroker, ResolvedConfig } from '../config/resolve';
import type { ResolvedMonitoring } from '../config/resolve-monitoring';
import { BrokerMetrics } from '../amazonmq/metrics';
import { AlarmTopic } from '../constructs/monitoring/alarm-topic';
import { MonitoringDashboard } from '../constructs/monitoring/monitoring-dashboard';

export interface MonitoringStackProps extends StackProps {
  readonly names: Pick<ResolvedConfig['names'], 'alarmNamePrefix' | 'dashboard'>;
  readonly monitoring: ResolvedMonitoring;
  /** The brokers on the dashboard, with their alarm lists. */
  readonly brokers: readonly ResolvedBroker[];
  /** Of the alarm topic's key. */
  readonly removalPolicy: RemovalPolicy;
}

/** The environment's alarm topic (with its key) and dashboard; the alarms live in one stack per broker. */
export class MonitoringStack extends Stack {
  public readonly alarmTopic: AlarmTopic;
  public readonly dashboard?: MonitoringDashboard;

  constructor(scope: Construct, id: string, props: MonitoringStackProps) {
    super(scope, id, props);
    const { monitoring, names } = props;
    this.alarmTopic = new AlarmTopic(this, 'AlarmTopic', {
      topicName: monitoring.topicName,
      alarmNamePrefix: names.alarmNamePrefix,
      // The brokers stack's rule on failed credential rotations.
      eventRuleNamePrefix: names.alarmNamePrefix,
      subscriptions: monitoring.subscriptions,
      removalPolicy: props.removalPolicy,
    });
    if (monitoring.dashboard) {
      this.dashboard = new MonitoringDashboard(this, 'Dashboard', {
        dashboardName: names.dashboard,
        brokers: props.brokers.map((b) => ({
          metrics: new BrokerMetrics(b),
          alarmNames: b.alarms.filter((a) => a.brokerLevel).map((a) => a.alarmName),
        })),
      });
    }
  }
}
