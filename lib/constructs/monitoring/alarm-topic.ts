import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { keyAlias } from '../../contract/names';
import { customerManagedKey } from '../encryption/customer-managed-key';

export interface AlarmTopicSubscription {
  readonly protocol: 'email' | 'https';
  readonly endpoint: string;
}

export interface AlarmTopicProps {
  /** Topic name; alarm stacks build its ARN from it, so it is fixed. */
  readonly topicName: string;
  /** Prefix of the alarm names allowed to publish, for example `mq-platform-prod-`. */
  readonly alarmNamePrefix: string;
  /**
   * Prefix of the names of this account's EventBridge rules (default event bus) allowed to publish,
   * for example `mq-platform-prod-` (the credential-rotation-failed rule).
   * @default - no EventBridge rule may publish
   */
  readonly eventRuleNamePrefix?: string;
  /** @default - no subscriptions */
  readonly subscriptions?: readonly AlarmTopicSubscription[];
  /** @default RemovalPolicy.RETAIN (for the key) */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The environment's alarm topic: encrypted with its own customer-managed key, publishable only
 * over TLS, and only by this account's CloudWatch alarms of the environment.
 */
export class AlarmTopic extends Construct {
  public readonly topic: sns.Topic;
  public readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.key = customerManagedKey(this, 'Key', {
      description: `Encrypts the mq-platform alarm topic ${props.topicName}`,
      alias: keyAlias(props.topicName),
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      // The account administers the key; only the services that publish alarms may use it (below).
      serviceUseOnly: true,
    });
    // CloudWatch must encrypt what it publishes to the topic (SNS server-side encryption with a CMK).
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarms',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    );

    this.topic = new sns.Topic(this, 'Resource', {
      topicName: props.topicName,
      displayName: `mq-platform alarms (${props.topicName})`,
      masterKey: this.key,
      enforceSSL: true, // denies sns:Publish and friends when aws:SecureTransport is false
    });
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowEnvironmentAlarms',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: {
            'aws:SourceArn': stack.formatArn({
              service: 'cloudwatch',
              resource: 'alarm',
              resourceName: `${props.alarmNamePrefix}*`,
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
    if (props.eventRuleNamePrefix !== undefined) this.allowEventRules(props.eventRuleNamePrefix);
    for (const s of props.subscriptions ?? []) {
      this.topic.addSubscription(
        s.protocol === 'email'
          ? new subscriptions.EmailSubscription(s.endpoint)
          : new subscriptions.UrlSubscription(s.endpoint, { protocol: sns.SubscriptionProtocol.HTTPS }),
      );
    }
  }

  /**
   * EventBridge rules publish with the service principal: the topic policy must allow it, and so
   * must the key of an encrypted topic.
   * Source: https://repost.aws/knowledge-center/sns-not-getting-eventbridge-notification
   */
  private allowEventRules(prefix: string): void {
    const stack = Stack.of(this);
    const sourceAccount = { 'aws:SourceAccount': stack.account };
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowEventBridgeRules',
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: sourceAccount },
      }),
    );
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowEnvironmentEventRules',
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: sourceAccount,
          ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'events', resource: 'rule', resourceName: `${prefix}*` }) },
        },
      }),
    );
  }

  /** The topic as an alarm action. */
  public action(): cloudwatchActions.SnsAction {
    return new cloudwatchActions.SnsAction(this.topic);
  }
}
