import { RemovalPolicy } from 'aws-cdk-lib';
import { DEFAULT_MAINTENANCE_WINDOW, DEFAULT_PROTOCOLS, DEFAULT_STORAGE_TYPE } from '../amazonmq/catalog';
import type { PlannedAlarm } from '../contract/alarms';
import * as names from '../contract/names';
import { planBrokerAlarmList } from './alarm-plan';
import {
  effectiveRabbitMqLimits,
  resolveBrokerConfiguration,
  type BrokerConfigurationModel,
  type EffectiveLimits,
} from './resolve-configuration';
import { resolveBrokerMonitoring, resolveMonitoring, type ResolvedBrokerMonitoring, type ResolvedMonitoring } from './resolve-monitoring';
import { offWindowRotation, rotationWindow, shiftWindow, type RotationWindow } from './rotation-schedule';
import type {
  AcknowledgeConfig,
  AllowReplacementConfig,
  UnlockConfig,
  BrokerConfig,
  ClientConfig,
  DeploymentMode,
  Engine,
  MonitoringConfig,
  MqPlatformConfig,
  NetworkConfig,
  Protocol,
  RotationFrequency,
  StorageType,
} from './schema';
import { partnerUsername } from '../contract/rotation';
import { authenticationContribution, resolveAuthentication, type ResolvedAuthentication } from './authentication-plan';
import { ldapConfigurationContribution } from './ldap-authorization-map';
import { resolveConsumers, type ResolvedConsumer } from './resolve-consumers';
import { normalizeDefinitions, type RabbitMqDefinitions } from '../rabbitmq/definitions';
import { DEFAULT_REPLICATION_USERNAME, type ReplicaConfig } from './schema-replica';

/** What a RabbitMQ application user may do on a virtual host when its config names nothing. */
export const DEFAULT_PERMISSIONS = [{ vhost: '/', configure: '.*', write: '.*', read: '.*' }] as const;

/** An application credential with defaults applied: an alternating pair of broker users. */
export interface ResolvedUser {
  readonly username: string;
  /** `<username>_clone`. */
  readonly partnerUsername: string;
  /** ActiveMQ only. */
  readonly consoleAccess?: boolean;
  /** ActiveMQ only. */
  readonly groups?: readonly string[];
  /** RabbitMQ only (empty for ActiveMQ). */
  readonly tags: readonly string[];
  /** RabbitMQ only (empty for ActiveMQ). */
  readonly permissions: ReadonlyArray<{
    readonly vhost: string;
    readonly configure: string;
    readonly write: string;
    readonly read: string;
  }>;
  /** IAM role ARNs that may read this credential's secret. */
  readonly readers?: readonly string[];
}

/** A broker of the environment plan, every default applied: what the stacks build from. */
export interface ResolvedBroker extends BrokerDraft {
  readonly clients: readonly ResolvedClient[];
  readonly rotation: {
    readonly window: RotationWindow;
    /** RabbitMQ: the administrator's secret, one hour after `window`. */
    readonly administratorWindow?: RotationWindow;
    /** ActiveMQ: the broker-user secrets' re-stamp, 12 hours after `window` (see docs/rotation.md). */
    readonly brokerUserWindow?: RotationWindow;
    readonly acceptRebootDowntime: boolean;
  };
}

/** Where a client connects from: exactly one of its CIDR or its security group. */
export type ClientPeer = { readonly cidr: string } | { readonly securityGroupId: string };

/** A client of the plan, with its peer. */
export interface ResolvedClient extends ClientConfig {
  readonly peer: ClientPeer;
}

/**
 * A broker resolved before validation, which the rule tables look at: as the plan's broker, but
 * without a rotation window when its maintenance window leaves none (the rotation-window rule
 * reports it).
 */
export interface BrokerDraft {
  readonly name: string;
  /** The Amazon MQ broker name, `<name>-<environment>`. */
  readonly brokerName: string;
  /** What every user secret name of the broker starts with, `mq-platform/<environment>/<name>/`. */
  readonly secretNamePrefix: string;
  /** Name of the broker's alarm stack. */
  readonly alarmStackName: string;
  readonly engine: Engine;
  readonly engineVersion: string;
  readonly deploymentMode: DeploymentMode;
  readonly instanceType: string;
  readonly storageType: StorageType;
  readonly maintenanceWindow: { readonly dayOfWeek: string; readonly timeOfDay: string; readonly timeZone: string };
  readonly logs: { readonly general: boolean; readonly audit: boolean };
  readonly protocols: readonly Protocol[];
  readonly clients: readonly ClientConfig[];
  /** Application credentials, each an alternating pair. */
  readonly users: readonly ResolvedUser[];
  /** RabbitMQ: the one administrator created with the broker, reserved for the platform. */
  readonly administrator?: { readonly username: string; readonly rotation: boolean };
  /** How clients authenticate: Amazon MQ's strategy and, for IAM/OAuth 2.0, the rabbitmq.conf entries. */
  readonly authentication: ResolvedAuthentication;
  readonly rotation: {
    /**
     * ActiveMQ: the first whole UTC hour of the maintenance window (its reboot falls there);
     * RabbitMQ: an hour 12 hours after the window starts (no reboot, and out of the window's node
     * restarts). Undefined only for a maintenance window that the rotation-window rule rejects.
     */
    readonly window?: RotationWindow;
    /** RabbitMQ: the administrator's secret, one hour after `window`. */
    readonly administratorWindow?: RotationWindow;
    /** ActiveMQ: the broker-user secrets' re-stamp, 12 hours after `window` (see docs/rotation.md). */
    readonly brokerUserWindow?: RotationWindow;
    readonly acceptRebootDowntime: boolean;
  };
  readonly tags: Readonly<Record<string, string>>;
  /** Alarm settings, named queues and dead-letter queues. */
  readonly monitoring: ResolvedBrokerMonitoring;
  /**
   * The broker's Amazon MQ configuration (rabbitmq.conf entries or the ActiveMQ XML parts), its own
   * plus what features contribute (see resolveBrokerConfiguration). @default - none: no Configuration resource
   */
  readonly configuration?: BrokerConfigurationModel;
  /**
   * RabbitMQ: the resource limits the broker enforces (configured, else Amazon MQ's default for its
   * version, size and mode), which alarms and definition counts are checked against. @default - none (ActiveMQ)
   */
  readonly limits?: EffectiveLimits;
  /** Every alarm of the broker: the alarm stack builds them, the dashboard shows them. */
  readonly alarms: readonly PlannedAlarm[];
  /** Lambda functions consuming this broker's queues (event source mappings). */
  readonly consumers: readonly ResolvedConsumer[];
  /** RabbitMQ: the definitions the platform applies, defaults applied; undefined without `definitions`. */
  readonly definitions?: RabbitMqDefinitions;
  /** ActiveMQ: its cross-Region data replication replica (lib/stacks/replica-stacks.ts). @default - none */
  readonly replica?: ResolvedReplica;
}

/** A broker's CRDR replica with defaults applied. */
export interface ResolvedReplica extends Omit<ReplicaConfig, 'clients' | 'replicationUsername'> {
  /** Clients of the replica broker once promoted: its own list, else the primary's. */
  readonly clients: readonly ClientConfig[];
  readonly replicationUsername: string;
}

/** Names of the environment's stacks and shared resources (lib/contract/names). */
export interface EnvironmentNames {
  readonly networkStack: string;
  readonly brokersStack: string;
  readonly monitoringStack: string;
  /** Prefix of the environment's resource names, `mq-platform-<environment>`. */
  readonly resourcePrefix: string;
  readonly logPolicy: string;
  readonly alarmNamePrefix: string;
  readonly dashboard: string;
}

/** The environment plan: the validated config resolved once, which every stack reads its slice of. */
export interface ResolvedConfig {
  readonly environment: string;
  readonly names: EnvironmentNames;
  /** Of stateful resources (brokers, keys, secrets, logs): retained in protected environments. */
  readonly removalPolicy: RemovalPolicy;
  readonly region: string;
  readonly account?: string;
  readonly protected: boolean;
  /** Destructive changes a protected environment allows (see lib/review/replacement-guard.ts). */
  readonly allowReplacement: readonly AllowReplacementConfig[];
  /** Protection changes the config unlocks (see lib/review/protection-guard.ts). */
  readonly unlock: readonly UnlockConfig[];
  readonly tags: Readonly<Record<string, string>>;
  /** Tag keys every broker must carry (MQ.4); empty: at least one tag. */
  readonly requiredTagKeys: readonly string[];
  /** Compliance findings the config accepts, each for one config field, with a reason. @default - none */
  readonly acknowledge?: readonly AcknowledgeConfig[];
  readonly network: NetworkConfig;
  readonly rotation: { readonly frequency: RotationFrequency };
  readonly brokers: readonly ResolvedBroker[];
  readonly monitoring: ResolvedMonitoring;
  /** Validation warnings, one line each (path, value, what is advised); synth shows them. @default - none */
  readonly warnings?: readonly string[];
}

export const DEFAULT_SUBNET_CIDR_MASK = 24;
export const DEFAULT_FLOW_LOG_RETENTION_DAYS = 365;
/** The first maintenance window of every month: about every 30 days. */
export const DEFAULT_ROTATION_FREQUENCY: RotationFrequency = 'MONTHLY';

/** ActiveMQ defaults to EFS, which every ActiveMQ instance type and mode supports; RabbitMQ has only EBS. */
export function defaultStorageType(engine: Engine): StorageType {
  return DEFAULT_STORAGE_TYPE[engine];
}

export function brokerName(broker: Pick<BrokerConfig, 'name'>, environment: string): string {
  return names.brokerName(broker.name, environment);
}

export function resolveBroker(
  broker: BrokerConfig,
  environment: string,
  options: { frequency?: RotationFrequency; monitoring?: MonitoringConfig } = {},
): BrokerDraft {
  const frequency = options.frequency ?? DEFAULT_ROTATION_FREQUENCY;
  const isActiveMq = broker.engine === 'ACTIVEMQ';
  const maintenanceWindow = {
    dayOfWeek: broker.maintenanceWindow?.dayOfWeek ?? DEFAULT_MAINTENANCE_WINDOW.dayOfWeek,
    timeOfDay: broker.maintenanceWindow?.timeOfDay ?? DEFAULT_MAINTENANCE_WINDOW.timeOfDay,
    timeZone: broker.maintenanceWindow?.timeZone ?? DEFAULT_MAINTENANCE_WINDOW.timeZone,
  };
  const monitoring = resolveBrokerMonitoring(broker, options.monitoring);
  // Features that add rabbitmq.conf entries or ActiveMQ elements append their ConfigurationContribution to this list.
  const configuration = resolveBrokerConfiguration(broker, [authenticationContribution(broker), ldapConfigurationContribution(broker)]);
  const limits = effectiveRabbitMqLimits(broker);
  const window = isActiveMq ? rotationWindow(maintenanceWindow, frequency) : offWindowRotation(maintenanceWindow, frequency);
  const resolved = {
    name: broker.name,
    brokerName: brokerName(broker, environment),
    secretNamePrefix: names.secretNamePrefix(environment, broker.name),
    alarmStackName: names.stackName(environment, names.alarmStackPart(broker.name)),
    engine: broker.engine,
    engineVersion: broker.engineVersion,
    deploymentMode: broker.deploymentMode,
    instanceType: broker.instanceType,
    storageType: broker.storageType ?? defaultStorageType(broker.engine),
    maintenanceWindow,
    logs: {
      general: broker.logs?.general ?? true,
      audit: isActiveMq ? (broker.logs?.audit ?? true) : false,
    },
    protocols: broker.protocols ?? DEFAULT_PROTOCOLS[broker.engine],
    clients: broker.clients ?? [],
    users: broker.users.map((u) => ({
      username: u.username,
      partnerUsername: partnerUsername(u.username),
      ...(isActiveMq ? { consoleAccess: u.consoleAccess ?? false, groups: u.groups } : {}),
      tags: isActiveMq ? [] : (u.tags ?? []),
      permissions: isActiveMq
        ? []
        : (u.permissions ?? DEFAULT_PERMISSIONS).map((p) => ({
            vhost: p.vhost,
            configure: p.configure ?? '.*',
            write: p.write ?? '.*',
            read: p.read ?? '.*',
          })),
      ...(u.readers ? { readers: u.readers } : {}),
    })),
    administrator:
      !isActiveMq && broker.administrator
        ? { username: broker.administrator.username, rotation: broker.administrator.rotation ?? true }
        : undefined,
    authentication: resolveAuthentication(broker.authentication),
    rotation: {
      window,
      administratorWindow: window && !isActiveMq ? shiftWindow(window, 1) : undefined,
      brokerUserWindow: window && isActiveMq ? shiftWindow(window, 12) : undefined,
      acceptRebootDowntime: broker.rotation?.acceptRebootDowntime ?? false,
    },
    tags: broker.tags ?? {},
    monitoring,
    consumers: resolveConsumers(broker.engine, broker.consumers),
    ...(!isActiveMq && broker.definitions ? { definitions: normalizeDefinitions(broker.definitions, broker) } : {}),
    ...(configuration ? { configuration } : {}),
    ...(limits ? { limits } : {}),
    ...(broker.replica
      ? {
          replica: {
            ...broker.replica,
            clients: broker.replica.clients ?? broker.clients ?? [],
            replicationUsername: broker.replica.replicationUsername ?? DEFAULT_REPLICATION_USERNAME,
          },
        }
      : {}),
  };
  return { ...resolved, alarms: planBrokerAlarmList(environment, resolved) };
}

/**
 * A draft broker as the plan needs it, once the rules passed: with its rotation window (rule
 * rotation-window) and every client's peer (rule clients); undefined if one is missing.
 */
export function completeBroker(b: BrokerDraft): ResolvedBroker | undefined {
  const window = b.rotation.window;
  const clients: ResolvedClient[] = [];
  for (const c of b.clients) {
    const peer: ClientPeer | undefined =
      c.cidr !== undefined ? { cidr: c.cidr } : c.securityGroupId !== undefined ? { securityGroupId: c.securityGroupId } : undefined;
    if (!peer) return undefined;
    clients.push({ ...c, peer });
  }
  return window ? { ...b, clients, rotation: { ...b.rotation, window } } : undefined;
}

/** The plan of a validated config from its resolved brokers (see validateConfig). */
export function resolveConfig(
  config: MqPlatformConfig,
  brokers: readonly ResolvedBroker[],
  warnings: readonly string[] = [],
): ResolvedConfig {
  const frequency = config.rotation?.frequency ?? DEFAULT_ROTATION_FREQUENCY;
  const env = config.environment;
  return {
    environment: config.environment,
    names: {
      networkStack: names.stackName(env, 'Network'),
      brokersStack: names.stackName(env, 'Brokers'),
      monitoringStack: names.stackName(env, 'Monitoring'),
      resourcePrefix: names.resourcePrefix(env),
      logPolicy: names.logPolicyName(env),
      alarmNamePrefix: names.alarmNamePrefix(env),
      dashboard: names.dashboardName(env),
    },
    removalPolicy: config.protected ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    region: config.region,
    account: config.account,
    protected: config.protected ?? false,
    allowReplacement: config.allowReplacement ?? [],
    unlock: config.unlock ?? [],
    tags: config.tags ?? {},
    requiredTagKeys: config.compliance?.requiredTagKeys ?? [],
    acknowledge: config.compliance?.acknowledge ?? [],
    network: config.network,
    rotation: { frequency },
    brokers,
    monitoring: resolveMonitoring(config.monitoring, config.environment),
    warnings,
  };
}

/** Protocols a client may use: its own list, or every protocol of the broker. */
export function clientProtocols(broker: Pick<BrokerDraft, 'protocols'>, client: ClientConfig): readonly Protocol[] {
  return client.protocols ?? broker.protocols;
}
