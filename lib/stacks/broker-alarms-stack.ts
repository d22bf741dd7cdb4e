import { Stack, type StackProps } from 'aws-cdk-lib';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import type { ResolvedBroker } from '../config/resolve';
import type { ResolvedMonitoring } from '../config/resolve-monitoring';
import { BrokerMetrics } from '../amazonmq/metrics';
import { alarmTopicAction } from '../constructs/monitoring/alarm-topic-action';
import { BrokerAlarms } from '../constructs/monitoring/broker-alarms';

export interface BrokerAlarmsStackProps extends StackProps {
  /** The broker whose alarms this stack holds (its alarm list comes from the plan). */
  readonly broker: ResolvedBroker;
  /** Where the alarms notify. */
  readonly monitoring: Pick<ResolvedMonitoring, 'topicName' | 'alarmTopicArns'>;
}

/**
 * The alarms of one broker. One stack per broker keeps each under CloudFormation's 500 resources
 * (the rule alarms-per-broker guarantees it) and a queue added to one broker never moves another
 * broker's alarms. Metrics are addressed by name and the topic by its fixed name, so this stack
 * takes no cross-stack references and deploys on its own.
 */
export class BrokerAlarmsStack extends Stack {
  public readonly alarms: BrokerAlarms;

  constructor(scope: Construct, id: string, props: BrokerAlarmsStackProps) {
    // Hundreds of alarms: unindented JSON keeps the template well under CloudFormation's 1 MB.
    super(scope, id, { suppressTemplateIndentation: true, ...props });
    const { monitoring, broker } = props;
    const extraTopics = monitoring.alarmTopicArns.map(
      (arn, i) => new cloudwatchActions.SnsAction(sns.Topic.fromTopicArn(this, `ExtraTopic${i}`, arn)),
    );
    this.alarms = new BrokerAlarms(this, 'Alarms', {
      metrics: new BrokerMetrics(broker),
      alarms: broker.alarms,
      timing: broker.monitoring.alarms,
      actions: { actions: [alarmTopicAction(this, 'AlarmTopic', monitoring.topicName), ...extraTopics] },
    });
  }
}
