import { CfnOutput, Fn, RemovalPolicy, Stack, Tags, Validations, type StackProps } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import type { ResolvedBroker, ResolvedConfig } from '../config/resolve';
import { clientProtocols } from '../config/resolve';
import { AmazonMqLogPolicy } from '../constructs/broker/amazon-mq-log-policy';
import { MqBroker, type MqBrokerClient } from '../constructs/broker/mq-broker';
import { PROTOCOL_ATTRIBUTE_NAMES, PROTOCOL_LABELS } from '../constructs/broker/protocols';
import { alarmTopicAction } from '../constructs/monitoring/alarm-topic-action';
import { MqCredentialRotation } from '../constructs/rotation/credential-rotation';

export interface BrokersStackProps extends StackProps {
  readonly config: ResolvedConfig;
  /** @default - the VPC named in config.network (mode "import"), imported by id without lookup */
  readonly vpc?: ec2.IVpc;
  /**
   * Security groups of the VPC's Secrets Manager and Amazon MQ API interface endpoints, which the
   * rotation function calls. @default - HTTPS to the VPC's CIDR (imported VPCs)
   */
  readonly apiEndpointSecurityGroups?: readonly ec2.ISecurityGroup[];
  /** Action of the credential-rotation alarm. @default - publish to the environment's alarm topic (config.monitoring) */
  readonly alarmAction?: cloudwatch.IAlarmAction;
}

/** The environment's brokers with their keys, secrets and security groups: the stateful stack. */
export class BrokersStack extends Stack {
  public readonly brokers: Readonly<Record<string, MqBroker>> = {};
  /** Rotates every broker user secret of the environment. */
  public readonly credentialRotation: MqCredentialRotation;

  constructor(scope: Construct, id: string, props: BrokersStackProps) {
    super(scope, id, props);
    const { config } = props;
    const vpc = props.vpc ?? importVpc(this, config);
    const removalPolicy = config.protected ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    const logPolicy = config.brokers.some((b) => b.logs.general || b.logs.audit)
      ? new AmazonMqLogPolicy(this, 'AmazonMqLogPolicy', { policyName: `mq-platform-${config.environment}-amazonmq-logs` })
      : undefined;

    this.credentialRotation = new MqCredentialRotation(this, 'CredentialRotation', {
      namePrefix: `mq-platform-${config.environment}`,
      vpc,
      apiEndpointSecurityGroups: props.apiEndpointSecurityGroups,
      alarmAction: props.alarmAction ?? alarmTopicAction(this, 'AlarmTopic', config.monitoring.topicName),
      failedRotationTopic: sns.Topic.fromTopicArn(this, 'AlarmTopicForEvents', this.formatArn({ service: 'sns', resource: config.monitoring.topicName })),
      secretNamePrefix: `mq-platform/${config.environment}/`,
      removalPolicy,
    });

    const brokers: Record<string, MqBroker> = {};
    for (const b of config.brokers) {
      const broker = new MqBroker(this, b.name, {
        brokerName: b.brokerName,
        engine: b.engine,
        engineVersion: b.engineVersion,
        deploymentMode: b.deploymentMode,
        instanceType: b.instanceType,
        storageType: b.storageType,
        vpc,
        users: b.users,
        administrator: b.administrator,
        secretNamePrefix: `mq-platform/${config.environment}/${b.name}/`,
        protocols: b.protocols,
        clients: b.clients.map((c) => toClient(b, c)),
        maintenanceWindow: b.maintenanceWindow,
        generalLogs: b.logs.general,
        auditLogs: b.logs.audit,
        removalPolicy,
      });
      if (logPolicy && (b.logs.general || b.logs.audit)) broker.resource.node.addDependency(logPolicy);
      if (!config.protected && b.deploymentMode === 'SINGLE_INSTANCE') acknowledgeSingleInstance(broker);

      Tags.of(broker).add('mq-platform:environment', config.environment);
      Tags.of(broker).add('mq-platform:broker', b.name);
      for (const [key, value] of Object.entries(b.tags)) Tags.of(broker).add(key, value);
      // What each secret is for, so that tools pick the one clients read (`application`).
      const kinds = [
        ...broker.credentials.map((c) => [c, 'application'] as const),
        ...(broker.administratorCredentials ? [[broker.administratorCredentials, 'administrator'] as const] : []),
        ...Object.values(broker.brokerUserSecrets).map((c) => [c, 'broker-user'] as const),
      ];
      for (const [c, kind] of kinds) {
        Tags.of(c).add('mq-platform:username', c.username);
        Tags.of(c).add('mq-platform:secret-kind', kind);
      }

      if (!b.rotation.window) throw new Error(`${b.name}: no rotation window (the config was not validated)`);
      this.credentialRotation.addBroker(broker, {
        credentials: b.rotation.window,
        administrator: b.administrator?.rotation ? b.rotation.administratorWindow : undefined,
        brokerUsers: b.rotation.brokerUserWindow,
        allowReboot: b.deploymentMode !== 'SINGLE_INSTANCE' || b.rotation.acceptRebootDowntime,
      });

      addOutputs(this, b, broker);
      brokers[b.name] = broker;
    }
    this.brokers = brokers;
  }
}

/**
 * Control Tower's CT.MQ.PR.1/2 want every broker multi-AZ; our MQ.5/MQ.6 enforce that in protected
 * (production) environments, and other environments run single instances on purpose.
 */
function acknowledgeSingleInstance(broker: MqBroker): void {
  const reason = 'Non-production environment (protected: false): a single-instance broker by design; MQ.5/MQ.6 require multi-AZ in protected environments';
  const rule = broker.engine === 'ACTIVEMQ' ? 'mq_active_deployment_mode_check' : 'mq_rabbit_deployment_mode_check';
  Validations.of(broker.resource).acknowledge({ id: `cdk-validator-cfnguard::${rule}`, reason });
}

function toClient(broker: ResolvedBroker, c: ResolvedBroker['clients'][number]): MqBrokerClient {
  return {
    name: c.name,
    peer: c.cidr !== undefined ? ec2.Peer.ipv4(c.cidr) : ec2.Peer.securityGroupId(c.securityGroupId as string),
    protocols: clientProtocols(broker, c),
  };
}

function importVpc(scope: Construct, config: ResolvedConfig): ec2.IVpc {
  const n = config.network;
  if (n.mode !== 'import') throw new Error('BrokersStack needs props.vpc when the config creates the VPC');
  const vpc = ec2.Vpc.fromVpcAttributes(scope, 'Vpc', {
    vpcId: n.vpcId,
    vpcCidrBlock: n.cidr,
    availabilityZones: n.availabilityZones,
    isolatedSubnetIds: n.subnetIds,
  });
  Validations.of(vpc).acknowledge({
    id: 'Annotation::@aws-cdk/aws-ec2:noSubnetRouteTableId',
    reason: 'Brokers only need the subnet ids; nothing here reads the route tables of the imported subnets',
  });
  return vpc;
}

/** Output ids: the broker name in PascalCase, then what it is, e.g. `OrdersOpenWireEndpoints`. */
function addOutputs(stack: Stack, b: ResolvedBroker, broker: MqBroker): void {
  const prefix = b.name
    .split(/[-_]/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');
  const out = (id: string, value: string, description: string) => new CfnOutput(stack, `${prefix}${id}`, { value, description });
  out('BrokerId', broker.brokerId, `Amazon MQ broker id of ${b.brokerName}`);
  out('BrokerArn', broker.brokerArn, `Amazon MQ broker ARN of ${b.brokerName}`);
  for (const protocol of b.protocols.filter((p) => p !== 'CONSOLE')) {
    out(`${PROTOCOL_ATTRIBUTE_NAMES[protocol]}Endpoints`, Fn.join(',', broker.endpoints(protocol)), `${PROTOCOL_LABELS[protocol]} endpoints of ${b.brokerName}, comma-separated`);
  }
  out('ConsoleUrl', Fn.join(',', broker.endpoints('CONSOLE')), `Web console URL(s) of ${b.brokerName}`);
  const first = broker.credentials[0];
  if (first) out('SecretArn', first.secret.secretArn, `Secrets Manager secret of application credential ${first.username} on ${b.brokerName} (names its current user)`);
  const admin = broker.administratorCredentials;
  if (admin) out('AdministratorSecretArn', admin.secret.secretArn, `Secrets Manager secret of administrator ${admin.username} on ${b.brokerName} (platform only)`);
}
