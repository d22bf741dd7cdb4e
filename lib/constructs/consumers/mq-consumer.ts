import { ArnFormat, Stack, Token, Validations, type Duration } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import {
  LAMBDA_BATCH_SIZE,
  LAMBDA_BATCHING_WINDOW_SECONDS,
  LAMBDA_CONSUMER_PROTOCOL,
  LAMBDA_CONSUMER_ROLE_ACTIONS as ACTIONS,
  LAMBDA_QUEUE_NAME_MAX,
} from '../../amazonmq/lambda-consumers';
import { PROTOCOL_LABELS, protocolPort } from '../../amazonmq/protocols';
import type { BrokerCredentials } from '../broker/broker-credentials';
import type { MqBroker } from '../broker/mq-broker';

/** How a function consumes one queue of a broker; `MqBroker.addConsumer` takes these. */
export interface MqConsumerOptions {
  /** The queue to consume (ActiveMQ: a queue, or a virtual topic's consumer queue). */
  readonly queue: string;
  /** RabbitMQ only: the queue's virtual host. @default "/" */
  readonly virtualHost?: string;
  /**
   * Username of the application credential the mapping logs in with: Lambda reads its secret,
   * which the rotation keeps naming the valid user of the alternating pair.
   * @default - the broker's first application credential
   */
  readonly user?: string;
  /** Most messages per invocation, 1 to 10000. @default - Lambda's default, 100 */
  readonly batchSize?: number;
  /** How long Lambda gathers messages before it invokes the function, 0 to 300 seconds. @default - Lambda's default for Amazon MQ, 500 ms */
  readonly maxBatchingWindow?: Duration;
  /** Whether Lambda polls the queue. @default true */
  readonly enabled?: boolean;
  /**
   * Security groups of the VPC's Lambda, STS and Secrets Manager interface endpoints, which
   * Lambda's pollers call from the broker's subnets with the broker's security group.
   * @default - HTTPS to the broker VPC's CIDR
   */
  readonly endpointSecurityGroups?: readonly ec2.ISecurityGroup[];
  /** Construct id of the consumer under the broker. @default - "Consumer-" with the function's id and the queue */
  readonly id?: string;
}

export interface MqConsumerProps extends MqConsumerOptions {
  readonly broker: MqBroker;
  /** The function; its execution role (`role`) must be known, as an imported function's must be given. */
  readonly function: lambda.IFunction;
}

/**
 * A Lambda function consuming one queue of an Amazon MQ broker: the event source mapping with the
 * broker ARN, the queue (and RabbitMQ virtual host) and the secret of an application credential;
 * a customer-managed policy on the function's role with exactly what an Amazon MQ event source
 * needs (with-mq.html), scoped to this broker, its subnets, security group, secret and key; the
 * role named as a reader of that secret; and the broker security group's rules for Lambda's
 * pollers, which run in the broker's subnets with the broker's security group
 * (process-mq-messages-with-lambda.html).
 */
export class MqConsumer extends Construct {
  /** The event source mapping. */
  public readonly mapping: lambda.CfnEventSourceMapping;
  /** The statements on the function's role. */
  public readonly policy: iam.ManagedPolicy;
  /** The credential the mapping logs in with. */
  public readonly credentials: BrokerCredentials;
  public readonly function: lambda.IFunction;
  public readonly queue: string;
  /** RabbitMQ only. */
  public readonly virtualHost?: string;

  constructor(scope: Construct, id: string, props: MqConsumerProps) {
    super(scope, id);
    const { broker } = props;
    const fn = (this.function = props.function);
    const isRabbitMq = broker.engine === 'RABBITMQ';
    const fail = (message: string): never => {
      throw new Error(`${this.node.path}: ${message}`);
    };
    if (props.queue.length === 0 || props.queue.length > LAMBDA_QUEUE_NAME_MAX) {
      fail(`queue "${props.queue}" must be 1 to ${LAMBDA_QUEUE_NAME_MAX} characters`);
    }
    if (!isRabbitMq && props.virtualHost !== undefined) fail('virtualHost applies to RabbitMQ brokers only');
    const batchSize = props.batchSize;
    if (
      batchSize !== undefined &&
      (!Number.isInteger(batchSize) || batchSize < LAMBDA_BATCH_SIZE.min || batchSize > LAMBDA_BATCH_SIZE.max)
    ) {
      fail(`batchSize ${batchSize} must be an integer from ${LAMBDA_BATCH_SIZE.min} to ${LAMBDA_BATCH_SIZE.max}`);
    }
    const window = props.maxBatchingWindow?.toSeconds();
    if (window !== undefined && (window < LAMBDA_BATCHING_WINDOW_SECONDS.min || window > LAMBDA_BATCHING_WINDOW_SECONDS.max)) {
      fail(`maxBatchingWindow ${window} s must be ${LAMBDA_BATCHING_WINDOW_SECONDS.min} to ${LAMBDA_BATCHING_WINDOW_SECONDS.max} seconds`);
    }
    const role =
      fn.role ?? fail('the function has no known execution role; import it with its role (lambda.Function.fromFunctionAttributes)');
    const roleArn = role.roleArn;

    this.queue = props.queue;
    this.virtualHost = isRabbitMq ? (props.virtualHost ?? '/') : undefined;
    const username = props.user ?? broker.credentials[0]?.username ?? fail('the broker has no application credential to log in with');
    // Throws for the administrator or an unknown user: only application credentials are handed out.
    this.credentials = broker.addCredentialReader(username, roleArn);
    const secretArn = this.credentials.secret.secretArn;

    const stack = Stack.of(this);
    const ec2Arn = (resource: string, name: string) =>
      stack.formatArn({ service: 'ec2', resource, resourceName: name, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
    const eniArn = ec2Arn('network-interface', '*');
    // with-mq.html also lists logs:CreateLogGroup/CreateLogStream/PutLogEvents: the function's own
    // logging, which every execution role already has (AWSLambdaBasicExecutionRole); not repeated.
    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      description: `Lambda consumer of ${broker.brokerName} queue ${this.virtualHost && this.virtualHost !== '/' ? `${this.virtualHost}/` : ''}${props.queue}`,
      roles: [role],
      statements: [
        new iam.PolicyStatement({ sid: 'DescribeTheBroker', actions: [...ACTIONS.broker], resources: [broker.brokerArn] }),
        new iam.PolicyStatement({ sid: 'ReadTheCredential', actions: [...ACTIONS.secret], resources: [secretArn] }),
        new iam.PolicyStatement({
          sid: 'DecryptTheCredential',
          actions: [...ACTIONS.key],
          resources: [broker.encryptionKey.keyArn],
          conditions: {
            StringEquals: {
              'kms:ViaService': `secretsmanager.${stack.region}.amazonaws.com`,
              'kms:EncryptionContext:SecretARN': secretArn,
            },
          },
        }),
        // The pollers' network interfaces: created only in the broker's subnets with its security group.
        new iam.PolicyStatement({ sid: 'DescribeTheNetwork', actions: [...ACTIONS.describeNetwork], resources: ['*'] }),
        new iam.PolicyStatement({
          sid: 'CreateInterfacesInTheBrokerSubnets',
          actions: [...ACTIONS.createNetworkInterface],
          resources: [
            eniArn,
            ...(broker.resource.subnetIds ?? []).map((s) => ec2Arn('subnet', s)),
            ec2Arn('security-group', broker.securityGroup.securityGroupId),
          ],
        }),
        new iam.PolicyStatement({ sid: 'DeleteInterfaces', actions: [...ACTIONS.deleteNetworkInterface], resources: [eniArn] }),
      ],
    });
    Validations.of(this.policy).acknowledge(
      {
        id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
        reason:
          'Only ec2:DescribeNetworkInterfaces, DescribeSecurityGroups, DescribeSubnets and DescribeVpcs, which EC2 authorizes on "*" alone; Lambda needs them for an Amazon MQ event source (with-mq.html, execution role permissions)',
      },
      {
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::${nagArn(stack, 'network-interface/*')}]`,
        reason:
          "The pollers' network interfaces, which Lambda creates at run time with ids nobody knows in advance; CreateNetworkInterface is also bound to the broker's subnets and security group",
      },
    );

    // Lambda's pollers use the broker's subnets and security group: the group admits itself on the
    // consuming protocol's port, and reaches itself there and the endpoints on HTTPS.
    const sg = broker.securityGroup;
    const protocol = LAMBDA_CONSUMER_PROTOCOL[broker.engine];
    const port = protocolPort(broker.engine, protocol);
    sg.addIngressRule(sg, port, `Lambda event source mappings ${PROTOCOL_LABELS[protocol]} (pollers in this group)`);
    sg.addEgressRule(sg, port, `Lambda event source mappings ${PROTOCOL_LABELS[protocol]} to the broker`);
    const endpoints = props.endpointSecurityGroups ?? [];
    for (const e of endpoints) {
      sg.addEgressRule(
        ec2.Peer.securityGroupId(e.securityGroupId),
        ec2.Port.tcp(443),
        'Lambda event source mappings to Lambda, STS, Secrets Manager endpoints',
      );
    }
    if (endpoints.length === 0) {
      sg.addEgressRule(
        ec2.Peer.ipv4(broker.vpc.vpcCidrBlock),
        ec2.Port.tcp(443),
        'Lambda event source mappings to AWS API endpoints in the VPC',
      );
    }

    this.mapping = new lambda.CfnEventSourceMapping(this, 'Resource', {
      functionName: fn.functionArn,
      eventSourceArn: broker.brokerArn,
      queues: [props.queue],
      batchSize,
      maximumBatchingWindowInSeconds: window,
      enabled: props.enabled ?? true,
      sourceAccessConfigurations: [
        { type: 'BASIC_AUTH', uri: secretArn },
        ...(this.virtualHost !== undefined ? [{ type: 'VIRTUAL_HOST', uri: this.virtualHost }] : []),
      ],
    });
    // Lambda checks the role, the secret and the network when it creates the mapping.
    this.mapping.node.addDependency(this.policy, this.credentials, sg);
  }

  /** The mapping's id (UUID). */
  public get eventSourceMappingId(): string {
    return this.mapping.ref;
  }

  /** `Errors` of the function (Sum): each is a batch Lambda will retry until it succeeds or its messages expire. */
  public metricErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.function.metricErrors(props);
  }
}

/** An EC2 ARN as cdk-nag prints it, tokens as `<AWS::...>`. */
function nagArn(stack: Stack, resource: string): string {
  const part = (v: string, pseudo: string) => (Token.isUnresolved(v) ? `<${pseudo}>` : v);
  return `arn:${part(stack.partition, 'AWS::Partition')}:ec2:${part(stack.region, 'AWS::Region')}:${part(stack.account, 'AWS::AccountId')}:${resource}`;
}
