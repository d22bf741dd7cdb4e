import { DEFAULT_MAINTENANCE_WINDOW, DEFAULT_PROTOCOLS, DEFAULT_STORAGE_TYPE } from './amazon-mq-catalog';
import { resolveBrokerMonitoring, resolveMonitoring, type ResolvedBrokerMonitoring, type ResolvedMonitoring } from './resolve-monitoring';
import { offWindowRotation, rotationWindow, shiftWindow, type RotationWindow } from './rotation-schedule';
import type { AllowReplacementConfig, BrokerConfig, ClientConfig, DeploymentMode, Engine, MonitoringConfig, MqPlatformConfig, NetworkConfig, Protocol, RotationFrequency, StorageType } from './schema';
import { partnerUsername } from '../rotation/types';

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
  readonly permissions: ReadonlyArray<{ readonly vhost: string; readonly configure: string; readonly write: string; readonly read: string }>;
}

/** A broker with every default applied: what the constructs build from. */
export interface ResolvedBroker {
  readonly name: string;
  /** The Amazon MQ broker name, `<name>-<environment>`. */
  readonly brokerName: string;
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
}

export interface ResolvedConfig {
  readonly environment: string;
  readonly region: string;
  readonly account?: string;
  readonly protected: boolean;
  /** Destructive changes a protected environment allows (see lib/review/replacement-guard.ts). */
  readonly allowReplacement: readonly AllowReplacementConfig[];
  readonly tags: Readonly<Record<string, string>>;
  /** Tag keys every broker must carry (MQ.4); empty: at least one tag. */
  readonly requiredTagKeys: readonly string[];
  readonly network: NetworkConfig;
  readonly rotation: { readonly frequency: RotationFrequency };
  readonly brokers: readonly ResolvedBroker[];
  readonly monitoring: ResolvedMonitoring;
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
  return `${broker.name}-${environment}`;
}

export function resolveBroker(
  broker: BrokerConfig,
  environment: string,
  options: { frequency?: RotationFrequency; monitoring?: MonitoringConfig } = {},
): ResolvedBroker {
  const frequency = options.frequency ?? DEFAULT_ROTATION_FREQUENCY;
  const isActiveMq = broker.engine === 'ACTIVEMQ';
  const maintenanceWindow = {
    dayOfWeek: broker.maintenanceWindow?.dayOfWeek ?? DEFAULT_MAINTENANCE_WINDOW.dayOfWeek,
    timeOfDay: broker.maintenanceWindow?.timeOfDay ?? DEFAULT_MAINTENANCE_WINDOW.timeOfDay,
    timeZone: broker.maintenanceWindow?.timeZone ?? DEFAULT_MAINTENANCE_WINDOW.timeZone,
  };
  const window = isActiveMq ? rotationWindow(maintenanceWindow, frequency) : offWindowRotation(maintenanceWindow, frequency);
  return {
    name: broker.name,
    brokerName: brokerName(broker, environment),
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
      permissions: isActiveMq ? [] : (u.permissions ?? DEFAULT_PERMISSIONS).map((p) => ({ vhost: p.vhost, configure: p.configure ?? '.*', write: p.write ?? '.*', read: p.read ?? '.*' })),
    })),
    administrator: !isActiveMq && broker.administrator ? { username: broker.administrator.username, rotation: broker.administrator.rotation ?? true } : undefined,
    rotation: {
      window,
      administratorWindow: window && !isActiveMq ? shiftWindow(window, 1) : undefined,
      brokerUserWindow: window && isActiveMq ? shiftWindow(window, 12) : undefined,
      acceptRebootDowntime: broker.rotation?.acceptRebootDowntime ?? false,
    },
    tags: broker.tags ?? {},
    monitoring: resolveBrokerMonitoring(broker, options.monitoring),
  };
}

export function resolveConfig(config: MqPlatformConfig): ResolvedConfig {
  const frequency = config.rotation?.frequency ?? DEFAULT_ROTATION_FREQUENCY;
  return {
    environment: config.environment,
    region: config.region,
    account: config.account,
    protected: config.protected ?? false,
    allowReplacement: config.allowReplacement ?? [],
    tags: config.tags ?? {},
    requiredTagKeys: config.compliance?.requiredTagKeys ?? [],
    network: config.network,
    rotation: { frequency },
    brokers: config.brokers.map((b) => resolveBroker(b, config.environment, { frequency, monitoring: config.monitoring })),
    monitoring: resolveMonitoring(config.monitoring, config.environment),
  };
}

/** Protocols a client may use: its own list, or every protocol of the broker. */
export function clientProtocols(broker: ResolvedBroker, client: ClientConfig): readonly Protocol[] {
  return client.protocols ?? broker.protocols;
}
