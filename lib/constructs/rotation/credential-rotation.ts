import { ArnFormat, Duration, Fn, Lazy, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { BROKERS_ENV, type BrokerTarget } from '../../rotation/types';
import type { MqBroker } from '../broker/mq-broker';
import { allowCloudWatchLogs, customerManagedKey } from '../encryption/customer-managed-key';
import { rotationFunctionBundle } from './bundle';

/** When a broker's secrets rotate, in Secrets Manager's terms (UTC). */
export interface CredentialRotationSchedule {
  /** A Secrets Manager `cron(...)` or `rate(...)` expression, for example `cron(0 3 ? * SUN#1 *)`. */
  readonly scheduleExpression: string;
  /** Length of the rotation window, for example `1h`. */
  readonly duration: string;
}

export interface MqCredentialRotationProps {
  /** Prefix of the function and alarm names, for example `mq-platform-dev`. */
  readonly namePrefix: string;
  readonly vpc: ec2.IVpc;
  /** @default - the VPC's private isolated subnets (where the brokers are) */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * Security groups of the interface endpoints the function calls (Secrets Manager, and Amazon MQ
   * for ActiveMQ brokers): HTTPS egress goes to these only.
   * @default - HTTPS to the VPC's CIDR, for VPCs whose endpoints this app does not create
   */
  readonly apiEndpointSecurityGroups?: readonly ec2.ISecurityGroup[];
  /** The one action of the rotation-failure alarm, on ALARM and OK, for example an SNS action on the alarm topic. @default - none */
  readonly alarmAction?: cloudwatch.IAlarmAction;
  /** @default logs.RetentionDays.ONE_YEAR */
  readonly logRetention?: logs.RetentionDays;
  /** What a stack deletion does to the log group and its key. @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/** Management (RabbitMQ) or login (ActiveMQ, STOMP+SSL) port the function reaches on a broker. */
const PORTS = { RABBITMQ: 443, ACTIVEMQ: 61614 } as const;

/**
 * One credential rotation function for an environment's brokers: in the brokers' private subnets
 * with its own security group, allowed to touch only the secrets and brokers added to it, with a
 * rotation schedule on every user secret of those brokers and an alarm when a rotation fails.
 * The function's code is lib/rotation (see docs/rotation.md).
 */
export class MqCredentialRotation extends Construct {
  public readonly function: lambda.Function;
  public readonly securityGroup: ec2.SecurityGroup;
  public readonly role: iam.Role;
  public readonly logGroup: logs.LogGroup;
  /** ALARM when any rotation step failed; its one action is `alarmAction`. */
  public readonly rotationFailedAlarm: cloudwatch.Alarm;
  private readonly targets: BrokerTarget[] = [];
  /** The function's permissions, one customer-managed policy. */
  public readonly policy: iam.ManagedPolicy;
  private secretCount = 0;

  constructor(scope: Construct, id: string, props: MqCredentialRotationProps) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;

    const key = customerManagedKey(this, 'LogKey', { description: `Encrypts the logs of ${props.namePrefix}-credential-rotation`, removalPolicy, serviceUseOnly: true });
    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      encryptionKey: key,
      removalPolicy,
    });
    allowCloudWatchLogs(key, [this.logGroup]);

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: `${props.namePrefix} credential rotation: HTTPS to AWS API endpoints, broker management and login ports`,
      allowAllOutbound: false,
    });
    for (const sg of props.apiEndpointSecurityGroups ?? []) {
      this.securityGroup.addEgressRule(ec2.Peer.securityGroupId(sg.securityGroupId), ec2.Port.tcp(443), 'AWS API interface endpoint');
    }
    if (!props.apiEndpointSecurityGroups?.length) {
      this.securityGroup.addEgressRule(ec2.Peer.ipv4(props.vpc.vpcCidrBlock), ec2.Port.tcp(443), 'AWS API interface endpoints in the VPC');
    }

    // Own role and own customer-managed policy (no inline policy, no AWS managed policy), with
    // nothing on resources the function does not use.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `${props.namePrefix} credential rotation function`,
    });
    this.policy = new iam.ManagedPolicy(this, 'Policy', { description: `${props.namePrefix} credential rotation function`, roles: [this.role] });
    const eniArn = ec2Arn(this, 'network-interface', '*');
    this.policy.addStatements(
      new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [this.logGroup.logGroupArn, `${this.logGroup.logGroupArn}:*`] }),
      // Lambda manages the function's network interfaces with its role (configuration-vpc.html). New
      // interfaces only in the function's subnets with its security group; Describe* takes no resource.
      new iam.PolicyStatement({ actions: ['ec2:DescribeNetworkInterfaces'], resources: ['*'] }),
      new iam.PolicyStatement({
        actions: ['ec2:CreateNetworkInterface'],
        resources: [
          eniArn,
          ...props.vpc.selectSubnets(props.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }).subnetIds.map((id) => ec2Arn(this, 'subnet', id)),
          ec2Arn(this, 'security-group', this.securityGroup.securityGroupId),
        ],
      }),
      new iam.PolicyStatement({ actions: ['ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses'], resources: [eniArn] }),
    );
    Validations.of(this.policy).acknowledge(
      {
        id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
        reason: 'ec2:DescribeNetworkInterfaces only, which EC2 authorizes on "*" alone (Lambda: "This action only works if it\'s allowed on all resources", configuration-vpc.html)',
      },
      {
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::${eniArnForNag(this)}]`,
        reason: "The function's network interfaces, which Lambda creates at run time with ids nobody knows in advance (configuration-vpc.html: name the interface or all of them); CreateNetworkInterface is also bound to the function's subnets and security group",
      },
      {
        id: 'AwsSolutions::AwsSolutions-IAM5[Resource::<CredentialRotationLogGroup1D3C9732.Arn>:*]',
        reason: "The log streams of the function's own log group, which Lambda names at run time",
      },
    );

    this.function = new lambda.Function(this, 'Function', {
      functionName: `${props.namePrefix}-credential-rotation`,
      description: 'Rotates Amazon MQ broker user secrets (Secrets Manager rotation steps)',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(rotationFunctionBundle()),
      // ActiveMQ's testSecret waits for the broker reboot (up to 12 minutes).
      timeout: Duration.minutes(15),
      memorySize: 256,
      role: this.role.withoutPolicyUpdates(),
      // One concurrent run per secret: rotations of a schedule start together.
      reservedConcurrentExecutions: Lazy.number({ produce: () => Math.max(1, this.secretCount) }),
      vpc: props.vpc,
      vpcSubnets: props.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      securityGroups: [this.securityGroup],
      logGroup: this.logGroup,
      environment: {
        [BROKERS_ENV]: Lazy.string({ produce: () => Stack.of(this).toJsonString(this.targets) }),
      },
    });

    this.function.node.addDependency(this.policy);
    // Secrets Manager calls rotation functions synchronously and retries itself; failures raise the alarm.
    const dlqReason = 'Secrets Manager invokes rotation functions synchronously, so a dead-letter queue (for failed asynchronous invocations) would never receive anything; failed rotations raise the rotation-failed alarm';
    Validations.of(this.function).acknowledge(
      { id: 'HIPAA.Security::HIPAA.Security-LambdaDLQ', reason: dlqReason },
      { id: 'NIST.800.53.R5::NIST.800.53.R5-LambdaDLQ', reason: dlqReason },
      {
        id: 'cdk-validator-cfnguard::lambda_inside_vpc_check',
        reason: "The function runs in the brokers' isolated subnets, referenced from the network stack with Fn::GetStackOutput, which the guard rule cannot follow; a template test asserts its VpcConfig",
      },
    );

    this.rotationFailedAlarm = new cloudwatch.Alarm(this, 'RotationFailedAlarm', {
      alarmName: `${props.namePrefix}-credential-rotation-failed`,
      alarmDescription:
        `A broker credential rotation step failed. Read the log group of ${props.namePrefix}-credential-rotation, fix the cause, ` +
        'then rerun it with `aws secretsmanager rotate-secret --secret-id <secret>` (see docs/rotation.md for what each engine leaves behind).',
      metric: this.metricRotationFailures(),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    if (props.alarmAction) {
      this.rotationFailedAlarm.addAlarmAction(props.alarmAction);
      this.rotationFailedAlarm.addOkAction(props.alarmAction);
    }
  }

  /** Failed rotation steps: the function's `Errors` (sum per 5 minutes). */
  public metricRotationFailures(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.function.metricErrors({ period: Duration.minutes(5), statistic: 'Sum', ...props });
  }

  /**
   * Rotates every user secret of a broker on a schedule: grants the function those secrets, their
   * key and (ActiveMQ) the broker's user and reboot API, and opens the one port it needs on the broker.
   */
  public addBroker(broker: MqBroker, schedule: CredentialRotationSchedule): void {
    const secretArns = broker.credentials.map((c) => c.secret.secretArn);
    this.policy.addStatements(
      new iam.PolicyStatement({
        actions: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue', 'secretsmanager:UpdateSecretVersionStage'],
        resources: secretArns,
      }),
      new iam.PolicyStatement({
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: [broker.encryptionKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${Stack.of(this).region}.amazonaws.com` } },
      }),
    );
    const port = PORTS[broker.engine];
    this.securityGroup.addEgressRule(broker.securityGroup, ec2.Port.tcp(port), `${broker.brokerName} ${broker.engine === 'RABBITMQ' ? 'management API' : 'STOMP+SSL login check'}`);
    broker.securityGroup.addIngressRule(this.securityGroup, ec2.Port.tcp(port), `credential rotation ${broker.engine === 'RABBITMQ' ? 'management API' : 'STOMP+SSL login check'}`);

    if (broker.engine === 'ACTIVEMQ') {
      this.policy.addStatements(
        new iam.PolicyStatement({ actions: ['mq:DescribeBroker', 'mq:DescribeUser', 'mq:UpdateUser', 'mq:RebootBroker'], resources: [broker.brokerArn] }),
      );
    }

    this.targets.push({
      secretNamePrefix: broker.secretNamePrefix,
      engine: broker.engine,
      brokerId: broker.brokerId,
      ...(broker.engine === 'RABBITMQ'
        ? { managementUrl: Fn.select(0, broker.endpoints('CONSOLE')) }
        : { stompEndpoints: Fn.join(',', broker.endpoints('STOMP')) }),
    });

    for (const c of broker.credentials) {
      this.secretCount++;
      // Only Secrets Manager, and only for this secret, may invoke the function (no confused deputy).
      const permission = new lambda.CfnPermission(this, `InvokedFor-${broker.node.id}-${c.username}`, {
        action: 'lambda:InvokeFunction',
        functionName: this.function.functionArn,
        principal: 'secretsmanager.amazonaws.com',
        sourceArn: c.secret.secretArn,
      });
      const rotation = new secretsmanager.CfnRotationSchedule(this, `Schedule-${broker.node.id}-${c.username}`, {
        secretId: c.secret.secretArn,
        rotationLambdaArn: this.function.functionArn,
        rotationRules: { scheduleExpression: schedule.scheduleExpression, duration: schedule.duration },
        // The first rotation waits for the schedule: a deploy never reboots an ActiveMQ broker.
        rotateImmediatelyOnUpdate: false,
      });
      rotation.addResourceDependency(broker.resource);
      rotation.addResourceDependency(permission);
    }
  }
}

/** An EC2 resource ARN of this account and region (network-interface, subnet, security-group). */
function ec2Arn(scope: Construct, resource: string, id: string): string {
  return Stack.of(scope).formatArn({ service: 'ec2', resource, resourceName: id, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
}

/** The network-interface/* ARN as cdk-nag names it in a finding id. */
function eniArnForNag(scope: Construct): string {
  const stack = Stack.of(scope);
  const part = (v: string, pseudo: string) => (Token.isUnresolved(v) ? `<${pseudo}>` : v);
  return `arn:${part(stack.partition, 'AWS::Partition')}:ec2:${part(stack.region, 'AWS::Region')}:${part(stack.account, 'AWS::AccountId')}:network-interface/*`;
}

