import { RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { ResolvedConfig } from '../config/resolve';
import { BrokerMetrics } from '../constructs/broker/broker-metrics';
import { AlarmTopic } from '../constructs/monitoring/alarm-topic';
import { brokerAlarmSpecs } from '../constructs/monitoring/broker-alarms';
import { MonitoringDashboard } from '../constructs/monitoring/monitoring-dashboard';

export interface MonitoringStackProps extends StackProps {
  readonly config: ResolvedConfig;
}

/** The environment's alarm topic (with its key) and dashboard; the alarms live in one stack per broker. */
export class MonitoringStack extends Stack {
  public readonly alarmTopic: AlarmTopic;
  public readonly dashboard?: MonitoringDashboard;

  constructor(scope: Construct, id: string, props: MonitoringStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.alarmTopic = new AlarmTopic(this, 'AlarmTopic', {
      topicName: config.monitoring.topicName,
      alarmNamePrefix: `mq-platform-${config.environment}-`,
      // The brokers stack's rule on failed credential rotations.
      eventRuleNamePrefix: `mq-platform-${config.environment}-`,
      subscriptions: config.monitoring.subscriptions,
      removalPolicy: config.protected ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    if (config.monitoring.dashboard) {
      this.dashboard = new MonitoringDashboard(this, 'Dashboard', {
        dashboardName: `mq-platform-${config.environment}`,
        brokers: config.brokers.map((b) => {
          const metrics = new BrokerMetrics(b);
          const specs = brokerAlarmSpecs({ environment: config.environment, name: b.name, metrics, instanceType: b.instanceType, monitoring: b.monitoring });
          return { metrics, alarmNames: specs.filter((s) => s.brokerLevel).map((s) => s.alarmName) };
        }),
      });
    }
  }
}
