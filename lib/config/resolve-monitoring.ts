import { alarmTopicName } from '../contract/names';
import { defaultDeadLetterQueues, individualDeadLetterPrefixes } from './resolve-dead-letters';
import type { AlarmSettingsConfig, BrokerConfig, MonitoringConfig } from './schema';

/** Alarm settings with every default applied. */
export interface AlarmSettings {
  readonly queueDepth: number;
  readonly unacknowledgedMessages: number;
  readonly cpuPercent: number;
  readonly memoryPercent: number;
  readonly storagePercent: number;
  readonly diskFreeLimitFactor: number;
  readonly connectionsPercent: number;
  readonly periodMinutes: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
}

/** The defaults, as documented in docs/monitoring.md and the schema. */
export const DEFAULT_ALARM_SETTINGS: Omit<AlarmSettings, 'datapointsToAlarm'> = {
  queueDepth: 1000,
  unacknowledgedMessages: 1000,
  cpuPercent: 85,
  memoryPercent: 80,
  storagePercent: 80,
  diskFreeLimitFactor: 2,
  connectionsPercent: 80,
  periodMinutes: 5,
  evaluationPeriods: 3,
};

export { ACTIVEMQ_DEFAULT_DLQ, defaultDeadLetterQueues } from './resolve-dead-letters';

export interface ResolvedQueue {
  readonly name: string;
  /** RabbitMQ only. */
  readonly virtualHost?: string;
  readonly maxDepth: number;
  readonly alarmWithoutConsumers: boolean;
}

export interface ResolvedBrokerMonitoring {
  readonly alarms: AlarmSettings;
  readonly queues: readonly ResolvedQueue[];
  readonly deadLetterQueues: ReadonlyArray<{ readonly name: string; readonly virtualHost?: string }>;
  /**
   * ActiveMQ: prefixes of the individual dead-letter strategies (`DLQ.`); their queues are watched
   * one by one only when named (lib/config/resolve-dead-letters.ts).
   * @default - none
   */
  readonly deadLetterPrefixes?: readonly string[];
}

export interface ResolvedMonitoring {
  /** Name of the environment's alarm topic, `mq-platform-<environment>-alarms`. */
  readonly topicName: string;
  readonly subscriptions: ReadonlyArray<{ readonly protocol: 'email' | 'https'; readonly endpoint: string }>;
  readonly alarmTopicArns: readonly string[];
  readonly dashboard: boolean;
}

export function resolveAlarmSettings(...layers: Array<AlarmSettingsConfig | undefined>): AlarmSettings {
  const merged: Record<string, number | undefined> = {};
  for (const layer of layers) for (const [k, v] of Object.entries(layer ?? {})) if (v !== undefined) merged[k] = v;
  const base = { ...DEFAULT_ALARM_SETTINGS, ...merged } as Omit<AlarmSettings, 'datapointsToAlarm'> & { datapointsToAlarm?: number };
  return { ...base, datapointsToAlarm: base.datapointsToAlarm ?? base.evaluationPeriods };
}

export function resolveBrokerMonitoring(broker: BrokerConfig, monitoring: MonitoringConfig | undefined): ResolvedBrokerMonitoring {
  const alarms = resolveAlarmSettings(monitoring?.alarms, broker.alarms);
  const prefixes = individualDeadLetterPrefixes(broker);
  return {
    alarms,
    queues: (broker.queues ?? []).map((q) => ({
      name: q.name,
      virtualHost: broker.engine === 'RABBITMQ' ? (q.virtualHost ?? '/') : undefined,
      maxDepth: q.maxDepth ?? alarms.queueDepth,
      alarmWithoutConsumers: q.alarmWithoutConsumers ?? true,
    })),
    deadLetterQueues: (broker.deadLetterQueues ?? defaultDeadLetterQueues(broker)).map((q) => ({
      name: q.name,
      virtualHost: broker.engine === 'RABBITMQ' ? (q.virtualHost ?? '/') : undefined,
    })),
    ...(broker.engine === 'ACTIVEMQ' && prefixes.length > 0 ? { deadLetterPrefixes: prefixes } : {}),
  };
}

export function resolveMonitoring(monitoring: MonitoringConfig | undefined, environment: string): ResolvedMonitoring {
  return {
    topicName: alarmTopicName(environment),
    subscriptions: monitoring?.subscriptions ?? [],
    alarmTopicArns: monitoring?.alarmTopicArns ?? [],
    dashboard: monitoring?.dashboard ?? true,
  };
}
