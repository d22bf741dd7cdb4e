import { CfnOutput, Fn, Stack, Tags, Validations, type RemovalPolicy, type StackProps } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import type { ResolvedBroker, ResolvedClient, ResolvedConfig } from '../config/resolve';
import { clientProtocols } from '../config/resolve';
import { renderBrokerConfiguration } from '../config/resolve-configuration';
import type { NetworkConfig } from '../config/schema';
import * as names from '../contract/names';
import { environmentSecretNamePrefix } from '../contract/names';
import { TAG_KEYS } from '../contract/tags';
import { AmazonMqLogPolicy } from '../constructs/broker/amazon-mq-log-policy';
import { MqBroker, type MqBrokerClient } from '../constructs/broker/mq-broker';
import { PROTOCOL_ATTRIBUTE_NAMES, PROTOCOL_LABELS } from '../amazonmq/protocols';
import { alarmTopicAction } from '../constructs/monitoring/alarm-topic-action';
import { MqCredentialRotation } from '../constructs/rotation/credential-rotation';
import { completeLdapBroker, ldapBrokerProps } from './ldap-broker';
import { completeTokenBroker, tokenBrokerProps } from './token-broker';
import { addPlannedConsumers } from './broker-consumers';

export interface BrokersStackProps extends StackProps {
  readonly environment: string;
  /** A production environment: single-instance brokers are not acknowledged for the multi-AZ rules. */
  readonly protected: boolean;
  readonly names: Pick<ResolvedConfig['names'], 'resourcePrefix' | 'logPolicy'>;
  /** Of the brokers, their keys and secrets, the rotation function's logs. */
  readonly removalPolicy: RemovalPolicy;
  readonly brokers: readonly ResolvedBroker[];
  /** Where the VPC comes from when `vpc` is not given. */
  readonly network: NetworkConfig;
  /** The environment's alarm topic, for the credential-rotation alarm. */
  readonly alarmTopicName: string;
  /** @default - the VPC named in `network` (mode "import"), imported by id without lookup */
  readonly vpc?: ec2.IVpc;
  /**
   * Security groups of the VPC's Secrets Manager and Amazon MQ API interface endpoints, which the
   * rotation function calls. @default - HTTPS to the VPC's CIDR (imported VPCs)
   */
  readonly apiEndpointSecurityGroups?: readonly ec2.ISecurityGroup[];
  /** Action of the credential-rotation alarm. @default - publish to the environment's alarm topic (`alarmTopicName`) */
  readonly alarmAction?: cloudwatch.IAlarmAction;
}

/** The environment's brokers with their keys, secrets and security groups: the stateful stack. */
export class BrokersStack extends Stack {
  public readonly brokers: Readonly<Record<string, MqBroker>> = {};
  /** Rotates every broker user secret of the environment. */
  public readonly credentialRotation: MqCredentialRotation;

  constructor(scope: Construct, id: string, props: BrokersStackProps) {
    super(scope, id, props);
    const { removalPolicy } = props;
    const vpc = props.vpc ?? importVpc(this, props.network);

    const logPolicy = props.brokers.some((b) => b.logs.general || b.logs.audit)
      ? new AmazonMqLogPolicy(this, 'AmazonMqLogPolicy', { policyName: props.names.logPolicy })
      : undefined;

    this.credentialRotation = new MqCredentialRotation(this, 'CredentialRotation', {
      namePrefix: props.names.resourcePrefix,
      vpc,
      apiEndpointSecurityGroups: props.apiEndpointSecurityGroups,
      alarmAction: props.alarmAction ?? alarmTopicAction(this, 'AlarmTopic', props.alarmTopicName),
      failedRotationTopic: sns.Topic.fromTopicArn(
        this,
        'AlarmTopicForEvents',
        this.formatArn({ service: 'sns', resource: props.alarmTopicName }),
      ),
      secretNamePrefix: environmentSecretNamePrefix(props.environment),
      removalPolicy,
    });

    const brokers: Record<string, MqBroker> = {};
    for (const b of props.brokers) {
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
        // Rotation reads every secret; users[].readers name the applications that read theirs.
        credentialReaders: [this.credentialRotation.role.roleArn],
        secretNamePrefix: b.secretNamePrefix,
        protocols: b.protocols,
        clients: b.clients.map((c) => toClient(b, c)),
        maintenanceWindow: b.maintenanceWindow,
        generalLogs: b.logs.general,
        auditLogs: b.logs.audit,
        removalPolicy,
        ldap: ldapBrokerProps(this, b),
        tokenAuthentication: tokenBrokerProps(b),
        ...(b.configuration ? { configuration: { data: renderBrokerConfiguration(b.configuration) } } : {}),
      });
      if (logPolicy && (b.logs.general || b.logs.audit)) broker.resource.node.addDependency(logPolicy);
      if (!props.protected && b.deploymentMode === 'SINGLE_INSTANCE') acknowledgeSingleInstance(broker);

      Tags.of(broker).add(TAG_KEYS.environment, props.environment);
      Tags.of(broker).add(TAG_KEYS.broker, b.name);
      for (const [key, value] of Object.entries(b.tags)) Tags.of(broker).add(key, value);
      // What each secret is for, so that tools pick the one clients read (`application`).
      const kinds = [
        ...broker.credentials.map((c) => [c, 'application'] as const),
        ...(broker.administratorCredentials ? [[broker.administratorCredentials, 'administrator'] as const] : []),
        ...Object.values(broker.brokerUserSecrets).map((c) => [c, 'broker-user'] as const),
      ];
      for (const [c, kind] of kinds) {
        Tags.of(c).add(TAG_KEYS.username, c.username);
        Tags.of(c).add(TAG_KEYS.secretKind, kind);
      }

      // LDAP brokers have no broker users: nothing to rotate (synth says so).
      // Token brokers without internal users have no password either (an info on the broker says so).
      if (!completeLdapBroker(this, b, broker) && !completeTokenBroker(this, b, broker))
        this.credentialRotation.addBroker(
          broker,
          {
            credentials: b.rotation.window,
            administrator: b.administrator?.rotation ? b.rotation.administratorWindow : undefined,
            brokerUsers: b.rotation.brokerUserWindow,
            allowReboot: b.deploymentMode !== 'SINGLE_INSTANCE' || b.rotation.acceptRebootDowntime,
          },
          { definitions: b.definitions },
        );

      addPlannedConsumers(broker, b.consumers, props.apiEndpointSecurityGroups, this.credentialRotation);
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
  const reason =
    'Non-production environment (protected: false): a single-instance broker by design; MQ.5/MQ.6 require multi-AZ in protected environments';
  const rule = broker.engine === 'ACTIVEMQ' ? 'mq_active_deployment_mode_check' : 'mq_rabbit_deployment_mode_check';
  Validations.of(broker.resource).acknowledge({ id: `cdk-validator-cfnguard::${rule}`, reason });
}

function toClient(broker: ResolvedBroker, c: ResolvedClient): MqBrokerClient {
  return {
    name: c.name,
    peer: 'cidr' in c.peer ? ec2.Peer.ipv4(c.peer.cidr) : ec2.Peer.securityGroupId(c.peer.securityGroupId),
    protocols: clientProtocols(broker, c),
  };
}

function importVpc(scope: Construct, n: NetworkConfig): ec2.IVpc {
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
  const prefix = names.outputIdPrefix(b.name);
  const out = (id: string, value: string, description: string) => new CfnOutput(stack, `${prefix}${id}`, { value, description });
  out('BrokerId', broker.brokerId, `Amazon MQ broker id of ${b.brokerName}`);
  out('BrokerArn', broker.brokerArn, `Amazon MQ broker ARN of ${b.brokerName}`);
  for (const protocol of b.protocols.filter((p) => p !== 'CONSOLE')) {
    out(
      `${PROTOCOL_ATTRIBUTE_NAMES[protocol]}Endpoints`,
      Fn.join(',', broker.endpoints(protocol)),
      `${PROTOCOL_LABELS[protocol]} endpoints of ${b.brokerName}, comma-separated`,
    );
  }
  out('ConsoleUrl', Fn.join(',', broker.endpoints('CONSOLE')), `Web console URL(s) of ${b.brokerName}`);
  const first = broker.credentials[0];
  if (first)
    out(
      'SecretArn',
      first.secret.secretArn,
      `Secrets Manager secret of application credential ${first.username} on ${b.brokerName} (names its current user)`,
    );
  const admin = broker.administratorCredentials;
  if (admin)
    out(
      'AdministratorSecretArn',
      admin.secret.secretArn,
      `Secrets Manager secret of administrator ${admin.username} on ${b.brokerName} (platform only)`,
    );
}
