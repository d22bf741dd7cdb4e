import { DEFAULT_MAINTENANCE_WINDOW, DEFAULT_PROTOCOLS, DEFAULT_STORAGE_TYPE } from '../amazonmq/catalog';
import * as names from '../contract/names';
import { resolveBrokerMonitoring, resolveMonitoring, type ResolvedBrokerMonitoring, type ResolvedMonitoring } from './resolve-monitoring';
import { rotationWindow, type RotationWindow } from './rotation-schedule';
import type { AllowReplacementConfig, BrokerConfig, ClientConfig, DeploymentMode, Engine, MonitoringConfig, MqPlatformConfig, NetworkConfig, Protocol, RotationFrequency, StorageType, UserConfig } from './schema';

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
  readonly users: readonly UserConfig[];
  readonly rotation: {
    /** Undefined only for a maintenance window that the rotation-window rule rejects. */
    readonly window?: RotationWindow;
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
  return names.brokerName(broker.name, environment);
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
    users: broker.users,
    rotation: {
      window: rotationWindow(maintenanceWindow, frequency),
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
