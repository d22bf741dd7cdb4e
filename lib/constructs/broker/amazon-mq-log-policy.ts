import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

export interface AmazonMqLogPolicyProps {
  /** Unique per account and region, for example `mq-platform-dev-amazonmq-logs`. */
  readonly policyName: string;
}

/**
 * The CloudWatch Logs resource policy that lets Amazon MQ write broker logs to
 * /aws/amazonmq/*; without it an ActiveMQ broker with logs on fails to create.
 * Source: https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/configure-logging-monitoring-activemq.html
 * Brokers that publish logs should depend on it.
 */
export class AmazonMqLogPolicy extends Construct {
  public readonly resource: logs.ResourcePolicy;

  constructor(scope: Construct, id: string, props: AmazonMqLogPolicyProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.resource = new logs.ResourcePolicy(this, 'Resource', {
      resourcePolicyName: props.policyName,
      policyStatements: [
        new iam.PolicyStatement({
          sid: 'AmazonMqWritesBrokerLogs',
          principals: [new iam.ServicePrincipal('mq.amazonaws.com')],
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [
            stack.formatArn({
              service: 'logs',
              resource: 'log-group',
              resourceName: '/aws/amazonmq/*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          ],
          conditions: {
            StringEquals: { 'aws:SourceAccount': stack.account },
            ArnLike: {
              'aws:SourceArn': stack.formatArn({
                service: 'mq',
                resource: 'broker',
                resourceName: '*',
                arnFormat: ArnFormat.COLON_RESOURCE_NAME,
              }),
            },
          },
        }),
      ],
    });
  }
}
