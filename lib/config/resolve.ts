import { DEFAULT_PROTOCOLS } from './amazon-mq-catalog';
import { resolveBrokerMonitoring, resolveMonitoring, type ResolvedBrokerMonitoring, type ResolvedMonitoring } from './resolve-monitoring';
import type { AllowReplacementConfig, BrokerConfig, ClientConfig, DeploymentMode, Engine, MonitoringConfig, MqPlatformConfig, NetworkConfig, Protocol, StorageType, UserConfig } from './schema';

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
  readonly network: NetworkConfig;
  readonly brokers: readonly ResolvedBroker[];
  readonly monitoring: ResolvedMonitoring;
}

export const DEFAULT_MAINTENANCE_WINDOW = { dayOfWeek: 'SUNDAY', timeOfDay: '03:00', timeZone: 'UTC' } as const;
export const DEFAULT_SUBNET_CIDR_MASK = 24;
export const DEFAULT_FLOW_LOG_RETENTION_DAYS = 365;

/** ActiveMQ defaults to EFS, which every ActiveMQ instance type and mode supports; RabbitMQ has only EBS. */
export function defaultStorageType(engine: Engine): StorageType {
  return engine === 'ACTIVEMQ' ? 'EFS' : 'EBS';
}

export function brokerName(broker: Pick<BrokerConfig, 'name'>, environment: string): string {
  return `${broker.name}-${environment}`;
}

export function resolveBroker(broker: BrokerConfig, environment: string, monitoring?: MonitoringConfig): ResolvedBroker {
  const isActiveMq = broker.engine === 'ACTIVEMQ';
  return {
    name: broker.name,
    brokerName: brokerName(broker, environment),
    engine: broker.engine,
    engineVersion: broker.engineVersion,
    deploymentMode: broker.deploymentMode,
    instanceType: broker.instanceType,
    storageType: broker.storageType ?? defaultStorageType(broker.engine),
    maintenanceWindow: {
      dayOfWeek: broker.maintenanceWindow?.dayOfWeek ?? DEFAULT_MAINTENANCE_WINDOW.dayOfWeek,
      timeOfDay: broker.maintenanceWindow?.timeOfDay ?? DEFAULT_MAINTENANCE_WINDOW.timeOfDay,
      timeZone: broker.maintenanceWindow?.timeZone ?? DEFAULT_MAINTENANCE_WINDOW.timeZone,
    },
    logs: {
      general: broker.logs?.general ?? true,
      audit: isActiveMq ? (broker.logs?.audit ?? true) : false,
    },
    protocols: broker.protocols ?? DEFAULT_PROTOCOLS[broker.engine],
    clients: broker.clients ?? [],
    users: broker.users,
    tags: broker.tags ?? {},
    monitoring: resolveBrokerMonitoring(broker, monitoring),
  };
}

export function resolveConfig(config: MqPlatformConfig): ResolvedConfig {
  return {
    environment: config.environment,
    region: config.region,
    account: config.account,
    protected: config.protected ?? false,
    allowReplacement: config.allowReplacement ?? [],
    tags: config.tags ?? {},
    network: config.network,
    brokers: config.brokers.map((b) => resolveBroker(b, config.environment, config.monitoring)),
    monitoring: resolveMonitoring(config.monitoring, config.environment),
  };
}

/** Protocols a client may use: its own list, or every protocol of the broker. */
export function clientProtocols(broker: ResolvedBroker, client: ClientConfig): readonly Protocol[] {
  return client.protocols ?? broker.protocols;
}
