import { ArnFormat, CustomResource, Duration, Fn, Lazy, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventsTargets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { BROKERS_ENV } from '../../contract/rotation';
import type { RabbitMqDefinitions } from '../../rabbitmq/definitions';
import type { MqBroker } from '../broker/mq-broker';
import { allowCloudWatchLogs, customerManagedKey } from '../encryption/customer-managed-key';
import { createAlarm } from '../monitoring/alarm-factories';
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
   * Security groups of the interface endpoints the function calls (Secrets Manager, S3 for its
   * custom-resource responses, and Amazon MQ for ActiveMQ brokers): HTTPS egress goes to these only.
   * @default - HTTPS to the VPC's CIDR, for VPCs whose endpoints this app does not create
   */
  readonly apiEndpointSecurityGroups?: readonly ec2.ISecurityGroup[];
  /** The one action of the function's alarms, on ALARM and OK, for example an SNS action on the alarm topic. @default - none */
  readonly alarmAction?: cloudwatch.IAlarmAction;
  /**
   * Where Secrets Manager's RotationFailed events of the secrets named `secretNamePrefix...` go
   * (an EventBridge rule on the default bus). The topic must let this account's EventBridge rules
   * named `<namePrefix>-...` publish (see AlarmTopic's eventRuleNamePrefix).
   * @default - no event rule
   */
  readonly failedRotationTopic?: sns.ITopic;
  /** What the names of the secrets the event rule watches start with, for example `mq-platform/dev/`. @default - every secret of the account and region */
  readonly secretNamePrefix?: string;
  /** @default logs.RetentionDays.ONE_YEAR */
  readonly logRetention?: logs.RetentionDays;
  /** What a stack deletion does to the log group and its key. @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Reserved concurrency: Secrets Manager warns that fewer than 10 can throttle a rotation function
 * (https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotate-secrets_lambda-functions.html),
 * so at least 10, and one per rotated secret above that (a schedule starts its secrets together).
 */
export const MIN_RESERVED_CONCURRENCY = 10;

/** Ports the function reaches on a broker: RabbitMQ management API and AMQPS login check, ActiveMQ STOMP+SSL login check. */
const PORTS = { RABBITMQ: 443, ACTIVEMQ: 61614, AMQPS: 5671 } as const;

/**
 * One credential rotation function for an environment's brokers: in the brokers' private subnets
 * with its own security group, allowed to touch only the secrets and brokers added to it, with a
 * rotation schedule on every secret of those brokers, alarms on its errors and throttles, and an
 * EventBridge rule on Secrets Manager's failed rotations. It also serves the brokers' custom
 * resources (ServiceToken = the function: no provider framework, no second function).
 * The function's code is lib/rotation (see docs/rotation.md).
 */
export class MqCredentialRotation extends Construct {
  public readonly function: lambda.Function;
  public readonly securityGroup: ec2.SecurityGroup;
  public readonly role: iam.Role;
  public readonly logGroup: logs.LogGroup;
  /** ALARM when any rotation step (or custom resource) failed; its one action is `alarmAction`. */
  public readonly rotationFailedAlarm: cloudwatch.Alarm;
  /** ALARM when Lambda refused to run the function (reserved concurrency exhausted). */
  public readonly throttlesAlarm: cloudwatch.Alarm;
  /** Secrets Manager's RotationFailed events to `failedRotationTopic`; undefined without a topic. */
  public readonly failedRotationRule?: events.Rule;
  private readonly targets: BrokerTargetJson[] = [];
  private readonly namePrefix: string;
  /** The function's permissions, one customer-managed policy. */
  public readonly policy: iam.ManagedPolicy;
  private secretCount = 0;

  constructor(scope: Construct, id: string, props: MqCredentialRotationProps) {
    super(scope, id);
    this.namePrefix = props.namePrefix;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;

    const key = customerManagedKey(this, 'LogKey', {
      description: `Encrypts the logs of ${props.namePrefix}-credential-rotation`,
      removalPolicy,
      serviceUseOnly: true,
    });
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
    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      description: `${props.namePrefix} credential rotation function`,
      roles: [this.role],
    });
    const eniArn = ec2Arn(this, 'network-interface', '*');
    this.policy.addStatements(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn, `${this.logGroup.logGroupArn}:*`],
      }),
      // Lambda manages the function's network interfaces with its role (configuration-vpc.html). New
      // interfaces only in the function's subnets with its security group; Describe* takes no resource.
      new iam.PolicyStatement({ actions: ['ec2:DescribeNetworkInterfaces'], resources: ['*'] }),
      new iam.PolicyStatement({
        actions: ['ec2:CreateNetworkInterface'],
        resources: [
          eniArn,
          ...props.vpc
            .selectSubnets(props.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED })
            .subnetIds.map((id) => ec2Arn(this, 'subnet', id)),
          ec2Arn(this, 'security-group', this.securityGroup.securityGroupId),
        ],
      }),
      new iam.PolicyStatement({
        actions: ['ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses'],
        resources: [eniArn],
      }),
    );
    Validations.of(this.policy).acknowledge(
      {
        id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
        reason:
          'Only actions that take no resource ARN: ec2:DescribeNetworkInterfaces, which EC2 authorizes on "*" alone (Lambda: "This action only works if it\'s allowed on all resources", configuration-vpc.html), and mq:ListBrokers (no resource type in the Service Authorization Reference), with which the function finds its ActiveMQ brokers by name',
      },
      {
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::${eniArnForNag(this)}]`,
        reason:
          "The function's network interfaces, which Lambda creates at run time with ids nobody knows in advance (configuration-vpc.html: name the interface or all of them); CreateNetworkInterface is also bound to the function's subnets and security group",
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
      reservedConcurrentExecutions: Lazy.number({ produce: () => Math.max(MIN_RESERVED_CONCURRENCY, this.secretCount) }),
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
    const dlqReason =
      'Secrets Manager invokes rotation functions synchronously, so a dead-letter queue (for failed asynchronous invocations) would never receive anything; failed rotations raise the rotation-failed alarm';
    Validations.of(this.function).acknowledge(
      { id: 'HIPAA.Security::HIPAA.Security-LambdaDLQ', reason: dlqReason },
      { id: 'NIST.800.53.R5::NIST.800.53.R5-LambdaDLQ', reason: dlqReason },
      {
        id: 'cdk-validator-cfnguard::lambda_inside_vpc_check',
        reason:
          "The function runs in the brokers' isolated subnets, referenced from the network stack with Fn::GetStackOutput, which the guard rule cannot follow; a template test asserts its VpcConfig",
      },
    );

    const actions = { actions: props.alarmAction ? [props.alarmAction] : [] };
    const fiveMinutes = { period: Duration.minutes(5), evaluationPeriods: 1, datapointsToAlarm: 1 };
    const logGroupHint = `the log group of ${props.namePrefix}-credential-rotation`;
    this.rotationFailedAlarm = createAlarm(
      this,
      'RotationFailedAlarm',
      {
        alarmName: `${props.namePrefix}-credential-rotation-failed`,
        description:
          `A broker credential rotation step failed. Read ${logGroupHint}, fix the cause, ` +
          'then rerun it with `aws secretsmanager rotate-secret --secret-id <secret>` (see docs/rotation.md for what each engine leaves behind).',
        metric: this.metricRotationFailures(),
        threshold: 1,
        comparison: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        missingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      },
      fiveMinutes,
      actions,
    );
    this.throttlesAlarm = createAlarm(
      this,
      'ThrottlesAlarm',
      {
        alarmName: `${props.namePrefix}-credential-rotation-throttled`,
        description:
          `Lambda refused to run ${props.namePrefix}-credential-rotation (its reserved concurrency was exhausted), so a rotation step did not run; ` +
          'Secrets Manager retries it. If it repeats, raise the reserved concurrency (one per rotated secret) or spread the schedules, then check ' +
          '`aws secretsmanager describe-secret` of the secrets for an unfinished rotation (see docs/rotation.md).',
        metric: this.metricThrottles(),
        threshold: 1,
        comparison: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        missingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      },
      fiveMinutes,
      actions,
    );

    if (props.failedRotationTopic) {
      // Secrets Manager records RotationFailed in CloudTrail, which EventBridge receives without a trail.
      // Source: https://docs.aws.amazon.com/secretsmanager/latest/userguide/retrieve-ct-entries.html
      const stack = Stack.of(this);
      const secretArnPrefix = stack.formatArn({
        service: 'secretsmanager',
        resource: 'secret',
        resourceName: props.secretNamePrefix ?? '',
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      });
      this.failedRotationRule = new events.Rule(this, 'RotationFailedRule', {
        ruleName: `${props.namePrefix}-credential-rotation-failed`,
        description: `Secrets Manager could not rotate a secret named ${props.secretNamePrefix ?? ''}*: see the log group of ${props.namePrefix}-credential-rotation and docs/rotation.md`,
        eventPattern: {
          source: ['aws.secretsmanager'],
          detailType: ['AWS Service Event via CloudTrail'],
          detail: {
            eventSource: ['secretsmanager.amazonaws.com'],
            eventName: ['RotationFailed'],
            additionalEventData: { SecretId: [{ prefix: secretArnPrefix }] },
          },
        },
      });
      const secret = events.EventField.fromPath('$.detail.additionalEventData.SecretId');
      const time = events.EventField.fromPath('$.time');
      this.failedRotationRule.addTarget(
        new eventsTargets.SnsTopic(props.failedRotationTopic, {
          message: events.RuleTargetInput.fromText(
            `Secrets Manager could not rotate ${secret} (${time}). AWSCURRENT still logs in. Read the log group of ${props.namePrefix}-credential-rotation, ` +
              `fix the cause, then rerun: aws secretsmanager rotate-secret --secret-id ${secret} (see docs/rotation.md).`,
          ),
        }),
      );
    }
  }

  /** Failed rotation steps: the function's `Errors` (sum per 5 minutes). */
  public metricRotationFailures(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.function.metricErrors({ period: Duration.minutes(5), statistic: 'Sum', ...props });
  }

  /** Invocations Lambda refused (reserved concurrency exhausted): the function's `Throttles` (sum per 5 minutes). */
  public metricThrottles(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.function.metricThrottles({ period: Duration.minutes(5), statistic: 'Sum', ...props });
  }

  /**
   * Rotates every secret of a broker on its schedules and creates what the pairs need on the broker:
   * grants the function (through the broker's grant methods) exactly those secrets and the broker
   * key for them, ActiveMQ's user and reboot API, and opens the ports it needs on the broker.
   * - ActiveMQ: a seed per pair copies the client secret's password into the A user's broker-user
   *   secret before the broker resource reads it (a migrated broker keeps the password it has).
   * - RabbitMQ: a custom resource per pair creates both users and their permissions through the
   *   management API, as the administrator.
   */
  public addBroker(broker: MqBroker, schedules: CredentialRotationSchedules, extras: CredentialRotationBrokerExtras = {}): void {
    const isActiveMq = broker.engine === 'ACTIVEMQ';
    const grantee = new ManagedPolicyGrantee(this.role, this.policy);
    const pairSecrets = broker.credentials.map((c) => c.secret);
    const brokerUserSecrets = Object.values(broker.brokerUserSecrets).map((c) => c.secret);
    broker.grantRotateSecrets(grantee, [...pairSecrets, ...brokerUserSecrets]);
    const admin = broker.administratorCredentials;
    if (admin) {
      if (schedules.administrator) broker.grantRotateSecrets(grantee, [admin.secret]);
      else broker.grantReadSecrets(grantee, [admin.secret]);
    }

    // Login checks and the management API; RabbitMQ's AMQPS login check too.
    const ports: Array<[number, string]> = isActiveMq
      ? [[PORTS.ACTIVEMQ, 'STOMP+SSL login check']]
      : [
          [PORTS.RABBITMQ, 'management API'],
          [PORTS.AMQPS, 'AMQPS login check'],
        ];
    for (const [port, what] of ports) {
      this.securityGroup.addEgressRule(broker.securityGroup, ec2.Port.tcp(port), `${broker.brokerName} ${what}`);
      broker.securityGroup.addIngressRule(this.securityGroup, ec2.Port.tcp(port), `credential rotation ${what}`);
    }

    const credentials: CredentialTargetJson[] = broker.credentials.map((c, i) => {
      const user = broker.users[i];
      const names = user.partnerUsername ? [user.username, user.partnerUsername] : [user.username];
      return {
        secretArn: c.secret.secretArn,
        username: user.username,
        partnerUsername: user.partnerUsername,
        brokerUserSecretArns:
          isActiveMq && user.partnerUsername
            ? Object.fromEntries(names.map((n) => [n, broker.brokerUserSecrets[n].secret.secretArn]))
            : undefined,
      };
    });
    if (admin && schedules.administrator) credentials.push({ secretArn: admin.secret.secretArn, username: admin.username });

    let mqPolicy: iam.ManagedPolicy | undefined;
    if (isActiveMq) {
      // The function must not refer to an ActiveMQ broker: the broker waits for the seeds, which run
      // on the function. It finds the broker by name at run time; the broker-scoped statements live
      // in a second policy that the function does not depend on.
      this.policy.addStatements(new iam.PolicyStatement({ actions: ['mq:ListBrokers'], resources: ['*'] }));
      mqPolicy = new iam.ManagedPolicy(this, `BrokerPolicy-${broker.node.id}`, {
        description: `${this.namePrefix} credential rotation of ActiveMQ broker ${broker.brokerName}`,
        roles: [this.role],
      });
      const mqGrantee = new ManagedPolicyGrantee(this.role, mqPolicy);
      broker.grantManageUsers(mqGrantee);
      broker.grant(mqGrantee, 'mq:CreateTags', 'mq:ListTags'); // the reboot lease
      this.targets.push({
        engine: 'ACTIVEMQ',
        brokerName: broker.brokerName,
        deploymentMode: broker.deploymentMode,
        allowReboot: schedules.allowReboot ?? true,
        credentials,
      });
    } else {
      this.targets.push({
        engine: 'RABBITMQ',
        brokerName: broker.brokerName,
        deploymentMode: broker.deploymentMode,
        brokerId: broker.brokerId,
        brokerArn: broker.brokerArn,
        managementUrl: Fn.select(0, broker.endpoints('CONSOLE')),
        // A comma-joined string: a list attribute inside the JSON would need CDK's stringify Lambda.
        amqpEndpoints: Fn.join(',', broker.endpoints('AMQP')),
        administratorSecretArn: admin?.secret.secretArn,
        credentials,
      });
    }

    const schedule = (id: string, secret: secretsmanager.ISecret, window: CredentialRotationSchedule) => {
      this.secretCount++;
      // Only Secrets Manager, and only for this secret, may invoke the function (no confused deputy).
      const permission = new lambda.CfnPermission(this, `InvokedFor-${broker.node.id}-${id}`, {
        action: 'lambda:InvokeFunction',
        functionName: this.function.functionArn,
        principal: 'secretsmanager.amazonaws.com',
        sourceArn: secret.secretArn,
      });
      const rotation = new secretsmanager.CfnRotationSchedule(this, `Schedule-${broker.node.id}-${id}`, {
        secretId: secret.secretArn,
        rotationLambdaArn: this.function.functionArn,
        rotationRules: { scheduleExpression: window.scheduleExpression, duration: window.duration },
        // The first rotation waits for the schedule: a deploy never reboots an ActiveMQ broker.
        rotateImmediatelyOnUpdate: false,
      });
      rotation.addResourceDependency(broker.resource);
      rotation.addResourceDependency(permission);
      if (mqPolicy) rotation.node.addDependency(mqPolicy);
      return rotation;
    };
    // What must exist before a schedule: creating (or updating) a schedule without rotating makes
    // Secrets Manager run the function's testSecret step at once, on an AWSPENDING copy
    // (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_RotateSecret.html,
    // RotateImmediately), so the users it logs in with must be there.
    const prerequisites = new Map<string, Construct>();
    // RabbitMQ definitions (vhosts, queues, policies, ...) before the users whose permissions name their vhosts.
    let definitions: CustomResource | undefined;
    if (!isActiveMq && extras.definitions) {
      if (!admin) throw new Error(`${broker.brokerName}: RabbitMQ definitions need the broker's administrator`);
      definitions = new CustomResource(this, `RabbitMqDefinitions-${broker.node.id}`, {
        serviceToken: this.function.functionArn,
        resourceType: 'Custom::MqPlatformRabbitMqDefinitions',
        properties: {
          Kind: 'RabbitMqDefinitions',
          BrokerId: broker.brokerId,
          ManagementUrl: Fn.select(0, broker.endpoints('CONSOLE')),
          AdministratorSecretArn: admin.secret.secretArn,
          // One JSON string: CloudFormation would turn numbers and booleans of nested properties into strings.
          Definitions: JSON.stringify(extras.definitions),
        },
      });
      definitions.node.addDependency(this.securityGroup, broker.securityGroup);
    }
    broker.users.forEach((user, i) => {
      if (!user.partnerUsername) return;
      const app = broker.credentials[i];
      if (isActiveMq) {
        const seed = new CustomResource(this, `Seed-${broker.node.id}-${user.username}`, {
          serviceToken: this.function.functionArn,
          resourceType: 'Custom::MqPlatformSeedBrokerUserSecret',
          properties: {
            Kind: 'SeedBrokerUserSecret',
            SourceSecretArn: app.secret.secretArn,
            TargetSecretArn: broker.brokerUserSecrets[user.username].secret.secretArn,
            Username: user.username,
          },
        });
        broker.resource.node.addDependency(seed);
        prerequisites.set(`broker-users-${user.username}`, seed);
      } else {
        const users = new CustomResource(this, `RabbitMqUser-${broker.node.id}-${user.username}`, {
          serviceToken: this.function.functionArn,
          resourceType: 'Custom::MqPlatformRabbitMqUser',
          properties: {
            Kind: 'RabbitMqUser',
            BrokerId: broker.brokerId,
            ManagementUrl: Fn.select(0, broker.endpoints('CONSOLE')),
            AdministratorSecretArn: admin!.secret.secretArn,
            SecretArn: app.secret.secretArn,
            Username: user.username,
            PartnerUsername: user.partnerUsername,
            Tags: [...(user.tags ?? [])],
            Permissions: (user.permissions ?? []).map((p) => ({ Vhost: p.vhost, Configure: p.configure, Write: p.write, Read: p.read })),
          },
        });
        // The management API is reachable only once both security groups let the function in.
        users.node.addDependency(this.securityGroup, broker.securityGroup);
        if (definitions) users.node.addDependency(definitions);
        prerequisites.set(user.username, users);
      }
    });

    // Construct ids of the existing schedules are kept (`<broker>-<username>`).
    const scheduleWith = (id: string, secret: secretsmanager.ISecret, window: CredentialRotationSchedule) => {
      const rotation = schedule(id, secret, window);
      const before = prerequisites.get(id);
      if (before) rotation.node.addDependency(before);
    };
    broker.credentials.forEach((c) => scheduleWith(c.username, c.secret, schedules.credentials));
    if (admin && schedules.administrator) scheduleWith(admin.username, admin.secret, schedules.administrator);
    for (const [name, c] of Object.entries(broker.brokerUserSecrets)) {
      if (!schedules.brokerUsers) throw new Error(`${broker.brokerName}: broker-user secrets need schedules.brokerUsers`);
      scheduleWith(`broker-users-${name}`, c.secret, schedules.brokerUsers);
    }
  }
}

/** When a broker's secrets rotate. */
export interface CredentialRotationSchedules {
  /** The application credentials (alternating pairs). */
  readonly credentials: CredentialRotationSchedule;
  /** RabbitMQ: the administrator's secret (single user). @default - not rotated (migration only) */
  readonly administrator?: CredentialRotationSchedule;
  /** ActiveMQ: the broker-user secrets' own schedule (a re-stamp: their value changes when their pair rotates). Required with broker-user secrets. */
  readonly brokerUsers?: CredentialRotationSchedule;
  /** ActiveMQ: whether rotation may reboot the broker (false: a single instance without the opt-in). @default true */
  readonly allowReboot?: boolean;
}

/** What else the function creates on a broker. */
export interface CredentialRotationBrokerExtras {
  /** RabbitMQ: definitions applied through the management API as the administrator, before the users. @default - none (no definitions custom resource) */
  readonly definitions?: RabbitMqDefinitions;
}

/** What the construct writes into the function's environment (lib/rotation/types.ts BrokerTarget). */
interface CredentialTargetJson {
  readonly secretArn: string;
  readonly username: string;
  readonly partnerUsername?: string;
  readonly brokerUserSecretArns?: Record<string, string>;
}

interface BrokerTargetJson {
  readonly engine: 'ACTIVEMQ' | 'RABBITMQ';
  readonly brokerName: string;
  readonly deploymentMode: string;
  readonly allowReboot?: boolean;
  readonly brokerId?: string;
  readonly brokerArn?: string;
  readonly managementUrl?: string;
  /** Comma-separated. */
  readonly amqpEndpoints?: string;
  readonly administratorSecretArn?: string;
  readonly credentials: readonly CredentialTargetJson[];
}

/**
 * Grants land in one customer-managed policy of the role (no inline policy), so the broker's
 * grant methods can be used for the function.
 */
class ManagedPolicyGrantee extends iam.PrincipalBase {
  public readonly assumeRoleAction: string;
  public readonly principalAccount: string | undefined;

  constructor(
    private readonly role: iam.IRole,
    private readonly policy: iam.ManagedPolicy,
  ) {
    super();
    this.assumeRoleAction = role.assumeRoleAction;
    this.principalAccount = role.principalAccount;
  }

  public get policyFragment(): iam.PrincipalPolicyFragment {
    return this.role.policyFragment;
  }

  public addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    this.policy.addStatements(statement);
    return { statementAdded: true, policyDependable: this.policy };
  }

  public dedupeString(): string | undefined {
    return undefined;
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
