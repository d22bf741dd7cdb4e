import {
  DefaultStackSynthesizer,
  Duration,
  Fn,
  ReferenceStrength,
  Stack,
  Tags,
  Validations,
  type Stage,
  type StackProps,
} from 'aws-cdk-lib';
import type * as amazonmq from 'aws-cdk-lib/aws-amazonmq';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { CRDR_DEPLOYMENT_MODE } from '../amazonmq/crdr';
import type { ResolvedBroker, ResolvedClient, ResolvedConfig } from '../config/resolve';
import { DEFAULT_FLOW_LOG_RETENTION_DAYS, DEFAULT_SUBNET_CIDR_MASK } from '../config/resolve';
import * as names from '../contract/names';
import { TAG_KEYS } from '../contract/tags';
import { BrokerCredentials } from '../constructs/broker/broker-credentials';
import type { MqBroker } from '../constructs/broker/mq-broker';
import { allowSecretsManager, customerManagedKey } from '../constructs/encryption/customer-managed-key';
import { alarmTopicAction } from '../constructs/monitoring/alarm-topic-action';
import { CrdrAlarms } from '../constructs/monitoring/crdr-alarms';
import { restrictSecretReads } from '../constructs/secrets/restrict-secret-reads';
import type { BrokerAlarmsStack } from './broker-alarms-stack';
import type { BrokersStack } from './brokers-stack';

/**
 * Cross-Region data replication (CRDR) of an environment's ActiveMQ brokers (brokers[].replica):
 * per replica Region, an environment of its own built by the same stacks (network, brokers with
 * their keys and secrets, monitoring, alarms), whose brokers are CRDR replicas of the primaries.
 *
 * Deploy order (stack dependencies): replication key (replica Region) → primary Brokers (its
 * replication-user secret is replicated into the replica Region under that key) → replica
 * Network → replica Brokers (DataReplicationPrimaryBrokerArn reads the primary's ARN with
 * Fn::GetStackOutput, a weak cross-Region reference: no export, no custom resource; the template
 * names the stack and output only, so synth stays offline and deterministic).
 */

/** The stacks of one replica Region. */
export interface ReplicaRegionStacks {
  readonly region: string;
  /** The key of the data replication users' secret replicas in this Region. */
  readonly replicationKey: Stack;
  /** The replica environment's stacks (the same classes as the primary's). */
  readonly stacks: ReplicaEnvironmentStacks;
}

/** What addEnvironment returns, without importing it (it calls us). */
export interface ReplicaEnvironmentStacks {
  readonly network?: Stack;
  readonly brokers: BrokersStack;
  readonly monitoring: Stack;
  readonly alarms: readonly BrokerAlarmsStack[];
}

/** The primary environment's stacks that the replicas attach to. */
export interface PrimaryStacks {
  readonly brokers: BrokersStack;
  readonly alarms: readonly BrokerAlarmsStack[];
}

/** The Regions that hold replicas, in config order. */
export function replicaRegions(config: Pick<ResolvedConfig, 'brokers'>): string[] {
  return [...new Set(config.brokers.flatMap((b) => (b.replica ? [b.replica.region] : [])))];
}

/** The stack part of a replica Region's stacks: `MqPlatform-<environment>-<region>-<part>`. */
export function replicaStackName(environment: string, region: string, part: string): string {
  return names.stackName(environment, `${region}-${part}`);
}

/** Name of the data replication user's secret: `mq-platform/<environment>/<broker>/crdr/<username>`. */
export function replicationSecretName(broker: Pick<ResolvedBroker, 'secretNamePrefix'>, username: string): string {
  return `${broker.secretNamePrefix}crdr/${username}`;
}

/** Alias of the key that encrypts an environment's replication-user secret replicas in a Region. */
export function replicationKeyAlias(environment: string): string {
  return names.keyAlias(`${environment}-crdr-replication`);
}

/**
 * The replica environment of one Region as a plan: the same environment name (same broker names,
 * secret names, alarm names, tags: the brokers swap roles at promotion), its own stack names and
 * dashboard, the replica's network and clients, and the primary's engine version, instance type
 * and mode ("same engine version and instance type on both sides" by construction).
 */
export function replicaPlan(config: ResolvedConfig, region: string): ResolvedConfig {
  const env = config.environment;
  const replicated = config.brokers.filter((b) => b.replica?.region === region);
  const first = replicated[0].replica!;
  return {
    ...config,
    region,
    names: {
      ...config.names,
      networkStack: replicaStackName(env, region, 'Network'),
      brokersStack: replicaStackName(env, region, 'Brokers'),
      monitoringStack: replicaStackName(env, region, 'Monitoring'),
      // Dashboards are global to the account; everything else is regional.
      dashboard: `${config.names.dashboard}-${region}`,
    },
    network: {
      mode: 'create',
      cidr: first.network.cidr,
      availabilityZones: first.availabilityZones,
      subnetCidrMask: first.network.subnetCidrMask ?? DEFAULT_SUBNET_CIDR_MASK,
      flowLogRetentionDays: first.network.flowLogRetentionDays ?? DEFAULT_FLOW_LOG_RETENTION_DAYS,
    },
    brokers: replicated.map((b) => ({
      ...b,
      alarmStackName: replicaStackName(env, region, names.alarmStackPart(b.name)),
      clients: b.replica!.clients.map(toResolvedClient),
      deploymentMode: CRDR_DEPLOYMENT_MODE,
      // Event source mappings name functions of the primary's Region, and a replica accepts no
      // clients: the replica Region gets its consumers after a promotion, from its own config.
      consumers: [],
      replica: undefined,
    })),
    // Shown once, by the primary environment.
    warnings: [],
  };
}

function toResolvedClient(
  c: ResolvedBroker['clients'][number] | NonNullable<ResolvedBroker['replica']>['clients'][number],
): ResolvedClient {
  const peer = c.cidr !== undefined ? { cidr: c.cidr } : { securityGroupId: c.securityGroupId as string };
  return { ...c, peer };
}

export interface AddReplicasOptions {
  /** Builds an environment's stacks (addEnvironment), for the replica plan. */
  readonly addEnvironment: (plan: ResolvedConfig) => ReplicaEnvironmentStacks;
  readonly stackProps: StackProps;
}

/** Adds every replica Region of the config and wires each replica broker to its primary. */
export function addReplicas(
  app: Stage,
  config: ResolvedConfig,
  primary: PrimaryStacks,
  options: AddReplicasOptions,
): ReplicaRegionStacks[] {
  return replicaRegions(config).map((region) => {
    const env = config.environment;
    const replicationKey = new Stack(app, replicaStackName(env, region, 'ReplicationKey'), {
      ...options.stackProps,
      stackName: replicaStackName(env, region, 'ReplicationKey'),
      env: { account: config.account, region },
      description: `mq-platform ${env}: key of the CRDR data replication users' secrets replicated into ${region}`,
    });
    const key = customerManagedKey(replicationKey, 'Key', {
      description: `Encrypts the replicas of mq-platform ${env}'s CRDR data replication user secrets in ${region}`,
      alias: replicationKeyAlias(env),
      removalPolicy: config.removalPolicy,
      serviceUseOnly: true,
    });
    allowSecretsManager(key, `${names.environmentSecretNamePrefix(env)}*/crdr/*`);
    Tags.of(replicationKey).add(TAG_KEYS.environment, env);
    for (const [k, v] of Object.entries(config.tags)) Tags.of(replicationKey).add(k, v);
    primary.brokers.addStackDependency(replicationKey, 'the replication-user secrets are replicated under its key');

    const plan = replicaPlan(config, region);
    const stacks = options.addEnvironment(plan);
    for (const b of plan.brokers) {
      const primaryBroker = primary.brokers.brokers[b.name];
      const replicaBroker = stacks.brokers.brokers[b.name];
      const username = b.replica ?? config.brokers.find((x) => x.name === b.name)!.replica!;
      wireReplica(primaryBroker, replicaBroker, {
        username: username.replicationUsername,
        secretName: replicationSecretName(b, username.replicationUsername),
        region,
        primaryRegion: config.region,
        keyAlias: replicationKeyAlias(env),
        removalPolicy: config.removalPolicy,
      });
      // Roles swap at promotion: each side alarms on the pair's metrics.
      const primaryAlarms = primary.alarms.find((s) => s.stackName === config.brokers.find((x) => x.name === b.name)!.alarmStackName);
      const replicaAlarms = stacks.alarms.find((s) => s.stackName === b.alarmStackName);
      const timing = {
        period: Duration.minutes(b.monitoring.alarms.periodMinutes),
        evaluationPeriods: b.monitoring.alarms.evaluationPeriods,
        datapointsToAlarm: b.monitoring.alarms.datapointsToAlarm,
      };
      for (const [stack, counterpart] of [
        [primaryAlarms, region],
        [replicaAlarms, config.region],
      ] as const) {
        if (!stack) continue;
        new CrdrAlarms(stack, 'CrdrAlarms', {
          brokerName: b.brokerName,
          alarmNamePrefix: `${names.alarmName(env, b.name, '')}`,
          counterpartRegion: counterpart,
          timing,
          actions: { actions: [alarmTopicAction(stack, 'CrdrAlarmTopic', config.monitoring.topicName)] },
        });
      }
    }
    return { region, replicationKey, stacks };
  });
}

interface WireProps {
  readonly username: string;
  readonly secretName: string;
  readonly region: string;
  readonly primaryRegion: string;
  readonly keyAlias: string;
  readonly removalPolicy: ResolvedConfig['removalPolicy'];
}

/**
 * The data replication user on both brokers ("a Username and Password for the user that will
 * access both the primary and replica broker"): one secret generated in the primary Region and
 * replicated, under the same name, into the replica Region; each broker resolves its own Region's
 * copy. The replica broker becomes a CRDR replica of the primary.
 */
function wireReplica(primary: MqBroker, replica: MqBroker, props: WireProps): void {
  const credentials = new BrokerCredentials(primary, `Crdr-${props.username}`, {
    username: props.username,
    secretName: props.secretName,
    encryptionKey: primary.encryptionKey,
    removalPolicy: props.removalPolicy,
  });
  const cfnSecret = credentials.secret.node.defaultChild as secretsmanager.CfnSecret;
  cfnSecret.replicaRegions = [{ region: props.region, kmsKeyId: props.keyAlias }];
  const noRotation =
    'The CRDR data replication user holds one password on two brokers in two Regions: the Amazon MQ docs describe no way to change it on both at once, and rotating one side breaks replication; it is changed by hand in a maintenance window (README "Many accounts and Regions")';
  for (const id of [
    'AwsSolutions::AwsSolutions-SMG4',
    'HIPAA.Security::HIPAA.Security-SecretsManagerRotationEnabled',
    'NIST.800.53.R5::NIST.800.53.R5-SecretsManagerRotationEnabled',
  ]) {
    Validations.of(cfnSecret).acknowledge({ id, reason: noRotation });
  }
  const readers = restrictSecretReads(credentials.secret, { readByCloudFormation: true, encryptionKey: primary.encryptionKey });
  // The replica's template resolves the replica secret with the replica Region's CloudFormation role.
  readers.addReader(cloudFormationExecutionRoleIn(Stack.of(replica)));

  const user: amazonmq.CfnBroker.UserProperty = {
    username: props.username,
    password: credentials.passwordReference,
    consoleAccess: false,
    replicationUser: true,
  };
  primary.resource.users = [...(primary.resource.users as amazonmq.CfnBroker.UserProperty[]), user];
  replica.resource.users = [
    ...(replica.resource.users as amazonmq.CfnBroker.UserProperty[]),
    { ...user, password: `{{resolve:secretsmanager:${props.secretName}:SecretString:password}}` },
  ];
  replica.resource.dataReplicationMode = 'CRDR';
  // Settable only at creation (UpdateBroker has no such field): the review guards its changes.
  replica.resource.dataReplicationPrimaryBrokerArn = Stack.consumeReference(primary.brokerArn, ReferenceStrength.WEAK);
  replica.node.addDependency(credentials);
}

/** The CDK bootstrap's CloudFormation execution role in a stack's Region (same account), for a policy of another Region's stack. */
function cloudFormationExecutionRoleIn(stack: Stack): string {
  const synth = stack.synthesizer;
  const arn = synth instanceof DefaultStackSynthesizer ? synth.cloudFormationExecutionRole : undefined;
  if (!arn) throw new Error(`${stack.stackName}: no CloudFormation execution role (use the default stack synthesizer)`);
  const inRegion = arn.split('${AWS::Region}').join(stack.region);
  return inRegion.includes('${') ? Fn.sub(inRegion) : inRegion;
}

/** Exported for tests: the construct path of the data replication user's secret. */
export function replicationCredentialsId(username: string): string {
  return `Crdr-${username}`;
}

export type { Construct };
