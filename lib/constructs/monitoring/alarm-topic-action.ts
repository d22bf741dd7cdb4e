import { Stack } from 'aws-cdk-lib';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';

/**
 * An alarm action that publishes to the environment's alarm topic, addressed by its fixed name so
 * that a stack needs no cross-stack reference to the monitoring stack.
 */
export function alarmTopicAction(scope: Construct, id: string, topicName: string): cloudwatchActions.SnsAction {
  const topicArn = Stack.of(scope).formatArn({ service: 'sns', resource: topicName });
  return new cloudwatchActions.SnsAction(sns.Topic.fromTopicArn(scope, id, topicArn));
}
