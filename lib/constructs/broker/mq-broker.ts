import { ArnFormat, Fn, Lazy, RemovalPolicy, Resource, Stack, Validations, type IResource } from 'aws-cdk-lib';
import * as amazonmq from 'aws-cdk-lib/aws-amazonmq';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import {
  DEFAULT_MAINTENANCE_WINDOW,
  DEFAULT_PROTOCOLS,
  DEFAULT_STORAGE_TYPE,
  INSTANCE_TYPES_UNKNOWN_TO_CFN_VALIDATOR,
  SUBNETS_BY_MODE,
} from '../../amazonmq/catalog';
import type { DeploymentMode, Engine, Protocol, StorageType } from '../../amazonmq/engines';
import { keyAlias, PLATFORM } from '../../contract/names';
import { allowAmazonMq, allowSecretsManager, customerManagedKey } from '../encryption/customer-managed-key';
import { restrictSecretReads, type SecretReaders } from '../secrets/restrict-secret-reads';
import { BrokerConfiguration, brokerConfigurationName } from './broker-configuration';
import { BrokerCredentials } from './broker-credentials';
import { ldapServerResources, type MqBrokerLdap } from './ldap-server';
import {
  grantAliasEntries,
  grantScopes,
  webIdentityTokenStatement,
  type ConnectGrant,
  type GrantConnectOptions,
  type MqBrokerTokenAuthentication,
} from './token-authentication';
import type { RabbitMqConfEntry } from '../../config/authentication-plan';
import { DEFAULT_IAM_TOKEN_LIFETIME_SECONDS, formatRabbitMqConf } from '../../config/authentication-plan';
import { TOKEN_AUTHENTICATION_STRATEGY } from '../../amazonmq/authentication';
import { BrokerMetrics, type QueueRef } from '../../amazonmq/metrics';
import { PROTOCOL_LABELS, protocolPort } from '../../amazonmq/protocols';
import { MqConsumer, type MqConsumerOptions } from '../consumers/mq-consumer';

/** A client allowed to reach the broker. */
export interface MqBrokerClient {
  /** Who the client is; goes into the security group rule description. */
  readonly name: string;
  /** Where it connects from: `ec2.Peer.ipv4(...)` or `ec2.Peer.securityGroupId(...)`. */
  readonly peer: ec2.IPeer;
  /** @default - every protocol of the broker */
  readonly protocols?: readonly Protocol[];
}

export interface MqBrokerUser {
  readonly username: string;
  /**
   * The second broker user of this credential's alternating pair, for example `app_clone`. Its
   * secret names whichever of the two is current; rotation changes only the other one.
   * @default - a single user (no pair)
   */
  readonly partnerUsername?: string;
  /** ActiveMQ only. @default false */
  readonly consoleAccess?: boolean;
  /** ActiveMQ only. @default - no groups */
  readonly groups?: readonly string[];
  /** RabbitMQ only: user tags, set through the management API. @default - none */
  readonly tags?: readonly string[];
  /** RabbitMQ only: permissions per virtual host, set through the management API. @default - none */
  readonly permissions?: ReadonlyArray<{
    readonly vhost: string;
    readonly configure: string;
    readonly write: string;
    readonly read: string;
  }>;
  /** IAM role ARNs (for example an application's role) that may read this user's secret. @default - none */
  readonly readers?: readonly string[];
}

export interface MqBrokerMaintenanceWindow {
  readonly dayOfWeek: string;
  /** 24-hour "HH:MM". */
  readonly timeOfDay: string;
  /** @default "UTC" */
  readonly timeZone?: string;
}

export interface MqBrokerProps {
  /** Amazon MQ broker name (1 to 50 of [A-Za-z0-9_-]). */
  readonly brokerName: string;
  readonly engine: Engine;
  /** major.minor, for example "5.19" or "4.2". */
  readonly engineVersion: string;
  readonly deploymentMode: DeploymentMode;
  readonly instanceType: string;
  /** @default - EFS for ActiveMQ, EBS for RabbitMQ */
  readonly storageType?: StorageType;
  readonly vpc: ec2.IVpc;
  /** @default - the VPC's private isolated subnets, one per AZ, as many as the mode needs */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * Application credentials. ActiveMQ: every broker user of every pair is in the broker resource,
   * its password a dynamic reference to its own broker-user secret. RabbitMQ: none is in the broker
   * resource (Amazon MQ creates only the administrator); they are created through the management API.
   */
  readonly users: readonly MqBrokerUser[];
  /** RabbitMQ: the one user created with the broker, reserved for the platform. Required for RabbitMQ, refused for ActiveMQ. */
  readonly administrator?: { readonly username: string };
  /** Name prefix of the users' secrets; the username is appended. @default `mq-platform/<brokerName>/` */
  readonly secretNamePrefix?: string;
  /** Protocols to open to the clients. @default - ActiveMQ OpenWire, STOMP, AMQP; RabbitMQ AMQP */
  readonly protocols?: readonly Protocol[];
  /** @default - no ingress at all */
  readonly clients?: readonly MqBrokerClient[];
  /**
   * IAM role ARNs of the platform that read every user's secret, for example the credential
   * rotation function's role. Nobody else reads them (see `restrictSecretReads`).
   * @default - none (only CloudFormation, which resolves the passwords, and each user's `readers`)
   */
  readonly credentialReaders?: readonly string[];
  /**
   * Key for the broker's storage and its secrets.
   * @default - a new customer-managed key that the account administers and may use only through
   * Amazon MQ and, for this broker's secrets, Secrets Manager
   */
  readonly encryptionKey?: kms.IKey;
  /** @default { dayOfWeek: 'SUNDAY', timeOfDay: '03:00', timeZone: 'UTC' } */
  readonly maintenanceWindow?: MqBrokerMaintenanceWindow;
  /** @default true */
  readonly generalLogs?: boolean;
  /** ActiveMQ only. @default true for ActiveMQ */
  readonly auditLogs?: boolean;
  /** What a stack deletion does to the broker, its key and its secrets. @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * ActiveMQ only: authenticate and authorize clients against an LDAP directory (strategy LDAP);
   * the broker then has no users (`users` must be empty).
   * @default - simple authentication with the broker users of `users`
   */
  readonly ldap?: MqBrokerLdap;
  /**
   * RabbitMQ only: authenticate clients with OAuth 2.0 tokens, from their IAM role (STS) or an
   * external identity provider (strategy CONFIG_MANAGED). Without internal users the broker has no
   * user at all (`users` empty, no administrator), so nothing to rotate.
   * @default - simple authentication
   */
  readonly tokenAuthentication?: MqBrokerTokenAuthentication;
  /**
   * The broker's configuration text (rabbitmq.conf, or the ActiveMQ `<broker>` XML document): a
   * BrokerConfiguration associated with the broker by its latest revision.
   * @default - none: Amazon MQ's default configuration
   */
  readonly configuration?: { readonly data: string };
}

/** An Amazon MQ broker, defined here or elsewhere (`MqBroker.fromBrokerAttributes`). */
export interface IMqBroker extends IResource, ec2.IConnectable {
  /** Amazon MQ broker name. */
  readonly brokerName: string;
  /** Broker id, for example `b-1234a5b6-78cd-901e-2fgh-3i45j6k178l9`. @attribute */
  readonly brokerId: string;
  /** @attribute */
  readonly brokerArn: string;
  readonly engine: Engine;
  readonly engineVersion: string;
  readonly deploymentMode: DeploymentMode;
  /** CloudWatch metrics of this broker on the dimensions Amazon MQ publishes. */
  readonly metrics: BrokerMetrics;

  /** A metric of this broker in `AWS/AmazonMQ` (first instance for ActiveMQ). */
  metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** Grants Amazon MQ API actions (`mq:...`) on this broker. */
  grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant;
  /** Lets a principal describe the broker (endpoints, state) through the Amazon MQ API. */
  grantDescribe(grantee: iam.IGrantable): iam.Grant;
  /** Lets a principal reboot the broker (credential changes on ActiveMQ take effect at reboot). */
  grantReboot(grantee: iam.IGrantable): iam.Grant;
}

/** A broker defined elsewhere: what metrics and grants need. */
export interface MqBrokerAttributes {
  readonly brokerId: string;
  readonly brokerName: string;
  readonly engine: Engine;
  /** major.minor, for example "5.19" or "4.2" (decides which queue metrics exist). */
  readonly engineVersion: string;
  readonly deploymentMode: DeploymentMode;
  /** @default - built from the broker name and id in the scope's account and region */
  readonly brokerArn?: string;
  /** The broker's security groups, for `connections`. @default - none */
  readonly securityGroups?: readonly ec2.ISecurityGroup[];
}

/** What every broker offers, defined here or imported: metrics on Amazon MQ's dimensions and grants. */
abstract class MqBrokerBase extends Resource implements IMqBroker {
  public abstract readonly brokerName: string;
  public abstract readonly brokerId: string;
  public abstract readonly brokerArn: string;
  public abstract readonly engine: Engine;
  public abstract readonly engineVersion: string;
  public abstract readonly deploymentMode: DeploymentMode;
  public abstract readonly metrics: BrokerMetrics;
  public abstract readonly connections: ec2.Connections;

  /**
   * The value of the `Broker` dimension Amazon MQ publishes: an ActiveMQ instance is `<name>-1`
   * (and `<name>-2` for the standby); a RabbitMQ broker, cluster included, is its name.
   * Source: https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/activemq-logging-monitoring.html
   */
  public brokerDimensions(): string[] {
    return this.metrics.brokerDimensions();
  }

  /** A metric of this broker in `AWS/AmazonMQ` (first instance for ActiveMQ; pass dimensionsMap to pick another). */
  public metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metrics.metric(metricName, { Broker: this.brokerDimensions()[0] }, props);
  }

  // Typed helpers named after the official metric names; see BrokerMetrics for units and dimensions.
  // ActiveMQ helpers cover every instance that can be active (MAX of -1 and -2 for active/standby).

  /** Percent CPU: `CpuUtilization` (ActiveMQ) or `SystemCpuUtilization` (RabbitMQ). */
  public metricCpuUtilization(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metrics.metricCpuUtilization(props);
  }
  /** ActiveMQ `HeapUsage` (Percent). */
  public metricHeapUsage(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metrics.metricHeapUsage(props);
  }
  /** ActiveMQ `StorePercentUsage` (Percent). */
  public metricStorePercentUsage(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metrics.metricStorePercentUsage(props);
  }
  /** ActiveMQ `CurrentConnectionsCount` (Count). */
  public metricCurrentConnectionsCount(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metrics.metricCurrentConnectionsCount(props);
  }
  /** ActiveMQ `QueueSize` of a queue (Count). */
  public metricQueueSize(queue: string, props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metrics.metricQueueSize(queue, props);
  }
  /** ActiveMQ `EnqueueCount` of a queue (Count per minute). */
  public metricEnqueueCount(queue: string, props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metrics.metricEnqueueCount(queue, props);
  }
  /** `ConsumerCount` of a queue, or of a RabbitMQ broker when no queue is given. */
  public metricConsumerCount(queue?: QueueRef, props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metrics.metricConsumerCount(queue, props);
  }
  /** RabbitMQ `SystemCpuUtilization` (Percent). */
  public metricSystemCpuUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metrics.metricSystemCpuUtilization(props);
  }
  /** RabbitMQ `RabbitMQMemUsed` (Bytes). */
  public metricRabbitMQMemUsed(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metrics.metricRabbitMQMemUsed(props);
  }
  /** RabbitMQ `RabbitMQMemLimit` (Bytes). */
  public metricRabbitMQMemLimit(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metrics.metricRabbitMQMemLimit(props);
  }
  /** RabbitMQ `RabbitMQDiskFree` (Bytes). */
  public metricRabbitMQDiskFree(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metrics.metricRabbitMQDiskFree(props);
  }
  /** RabbitMQ `RabbitMQDiskFreeLimit` (Bytes). */
  public metricRabbitMQDiskFreeLimit(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metrics.metricRabbitMQDiskFreeLimit(props);
  }
  /** RabbitMQ `ConnectionCount` (Count). */
  public metricConnectionCount(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metrics.metricConnectionCount(props);
  }
  /** RabbitMQ `MessageCount` of a queue (3.x) or of the broker. */
  public metricMessageCount(queue?: QueueRef, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metrics.metricMessageCount(queue, props);
  }
  /** RabbitMQ `MessageReadyCount` of a queue (3.x) or of the broker. */
  public metricMessageReadyCount(queue?: QueueRef, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metrics.metricMessageReadyCount(queue, props);
  }
  /** RabbitMQ `MessageUnacknowledgedCount` of a queue (3.x) or of the broker. */
  public metricMessageUnacknowledgedCount(queue?: QueueRef, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metrics.metricMessageUnacknowledgedCount(queue, props);
  }
  /** RabbitMQ `PublishRate` (messages per second). */
  public metricPublishRate(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metrics.metricPublishRate(props);
  }

  /** Grants Amazon MQ API actions (`mq:...`) on this broker. */
  public grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions, resourceArns: [this.brokerArn] });
  }

  /** Lets a principal describe the broker (endpoints, state) through the Amazon MQ API. */
  public grantDescribe(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, 'mq:DescribeBroker');
  }

  /** Lets a principal reboot the broker (credential changes on ActiveMQ take effect at reboot). */
  public grantReboot(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, 'mq:RebootBroker');
  }
}

/**
 * An Amazon MQ broker (ActiveMQ or RabbitMQ, any mode) with its security group, customer-managed
 * key and generated user credentials. Private, TLS-only, and reachable only by the named clients.
 */
export class MqBroker extends MqBrokerBase {
  /** A broker defined elsewhere, for its metrics, grants and connections. */
  public static fromBrokerAttributes(scope: Construct, id: string, attrs: MqBrokerAttributes): IMqBroker {
    class Import extends MqBrokerBase {
      public readonly brokerName = attrs.brokerName;
      public readonly brokerId = attrs.brokerId;
      public readonly brokerArn =
        attrs.brokerArn ??
        Stack.of(scope).formatArn({
          service: 'mq',
          resource: 'broker',
          resourceName: `${attrs.brokerName}:${attrs.brokerId}`,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        });
      public readonly engine = attrs.engine;
      public readonly engineVersion = attrs.engineVersion;
      public readonly deploymentMode = attrs.deploymentMode;
      public readonly metrics = new BrokerMetrics(attrs);
      public readonly connections = new ec2.Connections({ securityGroups: [...(attrs.securityGroups ?? [])] });
    }
    return new Import(scope, id);
  }

  public readonly brokerName: string;
  public readonly engine: Engine;
  public readonly engineVersion: string;
  public readonly deploymentMode: DeploymentMode;
  public readonly resource: amazonmq.CfnBroker;
  public readonly connections: ec2.Connections;
  public readonly securityGroup: ec2.SecurityGroup;
  /** The VPC of the broker's subnets. */
  public readonly vpc: ec2.IVpc;
  public readonly encryptionKey: kms.IKey;
  /** The secret clients read, one per application credential, in the order of `users`. */
  public readonly credentials: readonly BrokerCredentials[];
  /** The application credentials as given (pairs, tags, permissions). */
  public readonly users: readonly MqBrokerUser[];
  /** RabbitMQ: the administrator's secret (platform only). */
  public readonly administratorCredentials?: BrokerCredentials;
  /**
   * ActiveMQ: each broker user's own secret, by broker username: the password last set on the
   * broker for that user, which the broker resource's Users reference.
   */
  public readonly brokerUserSecrets: Readonly<Record<string, BrokerCredentials>>;
  /** What every user secret name of this broker starts with; the username follows. */
  public readonly secretNamePrefix: string;
  /** RabbitMQ token authentication (IAM, OAuth 2.0), as given. */
  public readonly tokenAuthentication?: MqBrokerTokenAuthentication;
  /** Roles granted by `grantConnect`, with their scopes. */
  private readonly connectGrants: ConnectGrant[] = [];
  /** LDAP brokers: the secret of the service account's password (generated here, or referenced). */
  public readonly ldapServiceAccountSecret?: secretsmanager.ISecret;
  /** LDAP brokers with a generated service-account password: its secret (platform and directory administrators only). */
  public readonly ldapServiceAccountCredentials?: BrokerCredentials;
  public readonly protocols: readonly Protocol[];
  /** Broker id, for example `b-1234a5b6-78cd-901e-2fgh-3i45j6k178l9`. */
  public readonly brokerId: string;
  public readonly brokerArn: string;
  /** CloudWatch metrics of this broker on the dimensions Amazon MQ publishes. */
  public readonly metrics: BrokerMetrics;
  /** The broker's configuration, when `configuration` was given. */
  public readonly configuration?: BrokerConfiguration;
  /** Who may read each user's secret, in the order of `credentials`. */
  private readonly secretReaders: readonly SecretReaders[];

  constructor(scope: Construct, id: string, props: MqBrokerProps) {
    super(scope, id, { physicalName: props.brokerName });
    this.brokerName = props.brokerName;
    this.engine = props.engine;
    this.engineVersion = props.engineVersion;
    this.deploymentMode = props.deploymentMode;
    this.metrics = new BrokerMetrics(props);
    this.protocols = props.protocols ?? DEFAULT_PROTOCOLS[props.engine];
    this.vpc = props.vpc;
    const isActiveMq = props.engine === 'ACTIVEMQ';
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;

    const secretNamePrefix = (this.secretNamePrefix = props.secretNamePrefix ?? `${PLATFORM}/${props.brokerName}/`);
    if (props.encryptionKey) {
      this.encryptionKey = props.encryptionKey;
    } else {
      const key = customerManagedKey(this, 'Key', {
        description: `Encrypts Amazon MQ broker ${props.brokerName} and its credentials`,
        alias: keyAlias(props.brokerName),
        removalPolicy,
        serviceUseOnly: true,
      });
      allowAmazonMq(key);
      allowSecretsManager(key, `${secretNamePrefix}*`);
      this.encryptionKey = key;
    }

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: `Amazon MQ broker ${props.brokerName}: TLS ports from named clients only`,
      allowAllOutbound: false, // brokers answer; they open no connections of their own
    });
    for (const client of props.clients ?? []) {
      for (const protocol of client.protocols ?? this.protocols) {
        this.securityGroup.addIngressRule(client.peer, protocolPort(props.engine, protocol), `${client.name} ${PROTOCOL_LABELS[protocol]}`);
      }
    }
    this.connections = new ec2.Connections({
      securityGroups: [this.securityGroup],
      defaultPort: protocolPort(props.engine, this.protocols[0] ?? 'AMQP'),
    });

    const secret = (id: string, username: string, secretName: string) =>
      new BrokerCredentials(this, id, { username, secretName, encryptionKey: this.encryptionKey, removalPolicy });
    const token = (this.tokenAuthentication = props.tokenAuthentication);
    if (token && isActiveMq) throw new Error(`${props.brokerName}: token (IAM, OAuth 2.0) authentication is for RabbitMQ brokers`);
    const tokenOnly = token !== undefined && !token.internalUsers;
    if (tokenOnly && (props.administrator !== undefined || props.users.length > 0)) {
      throw new Error(`${props.brokerName}: a broker on token authentication without internal users takes no administrator and no users`);
    }
    if (!tokenOnly && isActiveMq === (props.administrator !== undefined)) {
      throw new Error(
        `${props.brokerName}: ${isActiveMq ? 'an ActiveMQ broker takes no administrator' : 'a RabbitMQ broker needs its administrator'}`,
      );
    }
    if (props.ldap && (!isActiveMq || props.users.length > 0)) {
      throw new Error(`${props.brokerName}: LDAP authentication is for ActiveMQ brokers without broker users`);
    }
    this.users = props.users;
    // Construct ids and names of these secrets are a contract: a change regenerates the password.
    this.credentials = props.users.map((user) =>
      secret(`Credentials-${user.username}`, user.username, `${secretNamePrefix}${user.username}`),
    );
    if (props.administrator) {
      const admin = props.administrator.username;
      this.administratorCredentials = secret(`Credentials-${admin}`, admin, `${secretNamePrefix}${admin}`);
    }
    const brokerUserSecrets: Record<string, BrokerCredentials> = {};
    if (isActiveMq) {
      for (const user of props.users) {
        if (!user.partnerUsername) continue; // a single user: the broker takes the client secret's password
        for (const name of [user.username, user.partnerUsername]) {
          brokerUserSecrets[name] = secret(`BrokerUser-${name}`, name, `${secretNamePrefix}broker-users/${name}`);
        }
      }
    }
    this.brokerUserSecrets = brokerUserSecrets;

    // CloudFormation resolves passwords (Users below); the platform's roles and each user's readers read
    // the client secrets; the administrator's and the broker-user secrets are the platform's only.
    const restrict = (c: BrokerCredentials, readers: readonly string[] = []) =>
      restrictSecretReads(c.secret, {
        readers: [...(props.credentialReaders ?? []), ...readers],
        readByCloudFormation: true,
        encryptionKey: this.encryptionKey,
      });
    this.secretReaders = this.credentials.map((c, i) => restrict(c, props.users[i].readers));
    if (this.administratorCredentials) restrict(this.administratorCredentials);
    for (const c of Object.values(brokerUserSecrets)) restrict(c);

    const ldap =
      props.ldap && ldapServerResources(this, props.ldap, { secretNamePrefix, encryptionKey: this.encryptionKey, removalPolicy });
    this.ldapServiceAccountSecret = ldap?.serviceAccountSecret;
    this.ldapServiceAccountCredentials = ldap?.serviceAccountCredentials;

    const subnets = props.vpc.selectSubnets(props.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED, onePerAz: true });
    const maxSubnets = SUBNETS_BY_MODE[props.deploymentMode].max;

    this.resource = new amazonmq.CfnBroker(this, 'Resource', {
      brokerName: props.brokerName,
      engineType: props.engine,
      engineVersion: props.engineVersion,
      deploymentMode: props.deploymentMode,
      hostInstanceType: props.instanceType,
      storageType: props.storageType ?? DEFAULT_STORAGE_TYPE[props.engine],
      publiclyAccessible: false,
      autoMinorVersionUpgrade: true, // required for ActiveMQ 5.18+ and RabbitMQ 3.13+
      authenticationStrategy: ldap ? 'LDAP' : token ? TOKEN_AUTHENTICATION_STRATEGY : 'SIMPLE',
      ldapServerMetadata: ldap?.metadata,
      subnetIds: subnets.subnetIds.slice(0, maxSubnets),
      securityGroups: [this.securityGroup.securityGroupId],
      encryptionOptions: { useAwsOwnedKey: false, kmsKeyId: this.encryptionKey.keyArn },
      maintenanceWindowStartTime: {
        dayOfWeek: props.maintenanceWindow?.dayOfWeek ?? DEFAULT_MAINTENANCE_WINDOW.dayOfWeek,
        timeOfDay: props.maintenanceWindow?.timeOfDay ?? DEFAULT_MAINTENANCE_WINDOW.timeOfDay,
        timeZone: props.maintenanceWindow?.timeZone ?? DEFAULT_MAINTENANCE_WINDOW.timeZone,
      },
      // RabbitMQ rejects the Audit key altogether, even when false.
      logs: isActiveMq ? { general: props.generalLogs ?? true, audit: props.auditLogs ?? true } : { general: props.generalLogs ?? true },
      // LDAP: no broker users (Users is optional in CreateBroker); clients log in with directory credentials.
      // Token authentication without internal users: no user at all ("accepts one or no users").
      users:
        ldap || tokenOnly
          ? undefined
          : isActiveMq
            ? this.activeMqUsers()
            : [{ username: this.administratorCredentials!.username, password: this.administratorCredentials!.passwordReference }],
    });
    this.resource.applyRemovalPolicy(removalPolicy);
    // A token broker needs its OAuth 2.0 entries in a configuration, also when built without one.
    const configurationData = props.configuration?.data ?? (token ? formatRabbitMqConf(token.rabbitMqConf ?? []) : undefined);
    if (configurationData !== undefined) {
      // Associated by revision: a data change is a new revision the broker applies at its next reboot.
      this.configuration = new BrokerConfiguration(this, 'Configuration', {
        configurationName: brokerConfigurationName(props.brokerName, props.engineVersion, this.resource.authenticationStrategy),
        engine: props.engine,
        engineVersion: props.engineVersion,
        data: configurationData,
        authenticationStrategy: this.resource.authenticationStrategy,
      });
      this.resource.configuration = { id: this.configuration.configurationId, revision: this.configuration.revision };
      if (token?.kind === 'iam') {
        // grantConnect() calls come after construction: their scope aliases join the data at synth.
        const planned = (token.rabbitMqConf ?? []).filter((e) => /^auth_oauth2\.scope_aliases\.\d+\.alias$/.test(e.key)).length;
        this.configuration.resource.data = Lazy.string({
          produce: () => Fn.base64(configurationData + formatRabbitMqConf(grantAliasEntries(this.connectGrants, planned))),
        });
      }
    }
    if (INSTANCE_TYPES_UNKNOWN_TO_CFN_VALIDATOR.includes(props.instanceType)) {
      Validations.of(this.resource).acknowledge({
        id: 'CloudFormation-Validate::E3670',
        reason: `${props.instanceType} is a current Amazon MQ for RabbitMQ instance type (rmq-broker-instance-types.html); the validator's instance data lacks it`,
      });
    }
    this.brokerId = this.resource.ref;
    this.brokerArn = this.resource.attrArn;
  }

  /**
   * ActiveMQ broker users: both users of every pair, each with the password of its own broker-user
   * secret (AWSCURRENT), which rotation writes before it changes the user. Whatever CloudFormation
   * resolves is what the broker has or the change rotation has just made pending: a deploy never
   * sets a password back, and never touches the user the client secret names.
   */
  private activeMqUsers(): amazonmq.CfnBroker.UserProperty[] {
    return this.users.flatMap((user, i) => {
      const names = user.partnerUsername ? [user.username, user.partnerUsername] : [user.username];
      return names.map((username) => ({
        username,
        password: (this.brokerUserSecrets[username] ?? this.credentials[i]).passwordReference,
        consoleAccess: user.consoleAccess ?? false,
        groups: user.groups ? [...user.groups] : undefined,
      }));
    });
  }

  /** Endpoints of a protocol (`ssl://...:61617`, `amqps://...:5671`, console URLs, ...), one per instance. */
  public endpoints(protocol: Protocol): string[] {
    const r = this.resource;
    switch (protocol) {
      case 'OPENWIRE':
        return r.attrOpenWireEndpoints;
      case 'STOMP':
        return r.attrStompEndpoints;
      case 'AMQP':
        return r.attrAmqpEndpoints;
      case 'MQTT':
        return r.attrMqttEndpoints;
      case 'WSS':
        return r.attrWssEndpoints;
      case 'CONSOLE':
        return r.attrConsoleUrLs;
    }
  }

  /**
   * Lets a role read every user's credentials (secret value and key decrypt): names it in the
   * secrets' resource policies, which deny reading to any principal not named.
   */
  public grantReadCredentials(grantee: iam.IGrantable): iam.Grant {
    const roleArn = (grantee.grantPrincipal as Partial<iam.IRole>).roleArn;
    if (!roleArn) throw new Error(`${this.node.path}: grantReadCredentials needs an IAM role; the secrets name their readers by role ARN`);
    for (const readers of this.secretReaders) readers.addReader(roleArn);
    const secrets = iam.Grant.addToPrincipal({
      grantee,
      actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
      resourceArns: this.credentials.map((c) => c.secret.secretArn),
    });
    return secrets.combine(this.encryptionKey.grantDecrypt(grantee));
  }

  /**
   * IAM authentication: lets a role connect with its STS token. Adds to the role the statement to
   * get tokens for this broker's audience only (and to describe the broker, for its endpoints), and
   * to the broker a scope alias that maps the role's ARN to RabbitMQ permissions on `vhost`.
   */
  public grantConnect(grantee: iam.IGrantable, options: GrantConnectOptions): iam.Grant {
    const token = this.tokenAuthentication;
    if (token?.kind !== 'iam') throw new Error(`${this.node.path}: grantConnect needs a broker with IAM authentication`);
    const roleArn = (grantee.grantPrincipal as Partial<iam.IRole>).roleArn;
    if (!roleArn) throw new Error(`${this.node.path}: grantConnect needs an IAM role; the broker maps role ARNs to permissions`);
    this.connectGrants.push({ roleArn, scopes: grantScopes(token.audience, options) });
    return this.grantWebIdentityToken(grantee);
  }

  /**
   * IAM authentication: lets a principal get STS tokens for this broker's audience (and describe
   * the broker). Its permissions on the broker come from a scope alias (`grantConnect`, or the config).
   */
  public grantWebIdentityToken(grantee: iam.IGrantable): iam.Grant {
    const [tokens, describe] = this.webIdentityTokenStatements();
    return iam.Grant.addToPrincipal({
      grantee,
      actions: tokens.actions,
      resourceArns: tokens.resources,
      conditions: tokens.conditions,
    }).combine(iam.Grant.addToPrincipal({ grantee, actions: describe.actions, resourceArns: describe.resources }));
  }

  /**
   * IAM authentication: the statements of `grantWebIdentityToken`, for a managed policy of roles
   * defined elsewhere: tokens for this broker's audience only, and describing the broker.
   */
  public webIdentityTokenStatements(): [iam.PolicyStatement, iam.PolicyStatement] {
    const token = this.tokenAuthentication;
    if (token?.kind !== 'iam') throw new Error(`${this.node.path}: web identity tokens need a broker with IAM authentication`);
    const lifetime = token.tokenLifetimeSeconds ?? DEFAULT_IAM_TOKEN_LIFETIME_SECONDS;
    return [
      webIdentityTokenStatement(token.audience, lifetime),
      new iam.PolicyStatement({ sid: 'DescribeBroker', actions: ['mq:DescribeBroker'], resources: [this.brokerArn] }),
    ];
  }

  /**
   * Token authentication: the broker's rabbitmq.conf entries, those of the plan then one scope
   * alias per `grantConnect`. Read at synth (after every grant), by the broker configuration.
   */
  public authenticationConf(): RabbitMqConfEntry[] {
    const base = this.tokenAuthentication?.rabbitMqConf ?? [];
    const aliases = base.filter((e) => /^auth_oauth2\.scope_aliases\.\d+\.alias$/.test(e.key)).length;
    return [...base, ...grantAliasEntries(this.connectGrants, aliases)];
  }

  /**
   * Names a role (exact ARN) as a reader of one application credential's secret, the one its
   * rotation keeps naming the valid user of the pair, and returns the credential. The role's own
   * policy must still allow reading it (see MqConsumer). The administrator's and the broker-user
   * secrets are the platform's: they are never handed out.
   */
  public addCredentialReader(username: string, roleArn: string): BrokerCredentials {
    const i = this.credentials.findIndex((c) => c.username === username);
    if (i < 0) {
      const known = this.credentials.map((c) => c.username).join(', ') || 'none';
      throw new Error(`${this.node.path}: "${username}" is not an application credential of this broker (${known})`);
    }
    this.secretReaders[i].addReader(roleArn);
    return this.credentials[i];
  }

  /**
   * A Lambda function consuming one queue of this broker: the event source mapping, its role's
   * statements, the secret's reader and the security group rules (see MqConsumer).
   */
  public addConsumer(fn: lambda.IFunction, options: MqConsumerOptions): MqConsumer {
    const id = options.id ?? `Consumer-${fn.node.id}-${options.virtualHost ? `${options.virtualHost}|` : ''}${options.queue}`;
    return new MqConsumer(this, id.replace(/\//g, '|'), { ...options, broker: this, function: fn });
  }

  /**
   * Lets a principal read and change ActiveMQ users through the Amazon MQ API and apply the
   * changes (describe the broker and its users, update a user, reboot).
   */
  public grantManageUsers(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, 'mq:DescribeBroker', 'mq:DescribeUser', 'mq:UpdateUser', 'mq:RebootBroker');
  }

  /**
   * Lets a principal run Secrets Manager's rotation steps on some of this broker's secrets (read
   * them, put a new version, move its stages) and use the broker's key for them only: nothing else.
   * Source: https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotating-secrets-required-permissions-function.html
   */
  public grantRotateSecrets(grantee: iam.IGrantable, secrets: readonly secretsmanager.ISecret[]): iam.Grant {
    const grant = iam.Grant.addToPrincipal({
      grantee,
      actions: [
        'secretsmanager:DescribeSecret',
        'secretsmanager:GetSecretValue',
        'secretsmanager:PutSecretValue',
        'secretsmanager:UpdateSecretVersionStage',
      ],
      resourceArns: secrets.map((s) => s.secretArn),
    });
    return grant.combine(this.grantKeyForSecrets(grantee, secrets, 'kms:Decrypt', 'kms:GenerateDataKey'));
  }

  /** Lets a principal read some of this broker's secrets (value and key decrypt), for example the RabbitMQ administrator's. */
  public grantReadSecrets(grantee: iam.IGrantable, secrets: readonly secretsmanager.ISecret[]): iam.Grant {
    const grant = iam.Grant.addToPrincipal({
      grantee,
      actions: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
      resourceArns: secrets.map((s) => s.secretArn),
    });
    return grant.combine(this.grantKeyForSecrets(grantee, secrets, 'kms:Decrypt'));
  }

  /** The broker's key, through Secrets Manager and only for these secrets (its encryption context names the secret). */
  private grantKeyForSecrets(grantee: iam.IGrantable, secrets: readonly secretsmanager.ISecret[], ...actions: string[]): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions,
      resourceArns: [this.encryptionKey.keyArn],
      conditions: {
        StringEquals: {
          'kms:ViaService': `secretsmanager.${Stack.of(this).region}.amazonaws.com`,
          'kms:EncryptionContext:SecretARN': secrets.map((s) => s.secretArn),
        },
      },
    });
  }
}
