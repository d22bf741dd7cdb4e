/**
 * The alarms of a broker as the environment plan lists them: what each is named, watches and
 * says. The plan (lib/config/alarm-plan.ts) writes the list once; the alarm construct turns it into
 * CloudWatch alarms, the dashboard shows its broker-level names, validation counts it.
 */

/** A queue of a broker; `virtualHost` is RabbitMQ only. */
export interface AlarmQueue {
  readonly name: string;
  /** RabbitMQ only. */
  readonly virtualHost?: string;
}

/** What an alarm watches; the alarm construct picks the engine's metric for each. */
export type AlarmWatch =
  | { readonly kind: 'cpu' }
  /** The hottest node of a RabbitMQ cluster, through a Metrics Insights query. */
  | { readonly kind: 'cpu-max-node' }
  | { readonly kind: 'memory' }
  | { readonly kind: 'storage' }
  | { readonly kind: 'connections' }
  /** RabbitMQ: channels, queues or exchanges against the limit the broker enforces. */
  | { readonly kind: 'resource-count'; readonly metric: 'ChannelCount' | 'QueueCount' | 'ExchangeCount' }
  /** Depth of any queue on one `Broker` dimension value (a Metrics Insights query), dead-letter queues excluded. */
  | { readonly kind: 'any-queue-depth'; readonly broker: string; readonly exclude: readonly AlarmQueue[] }
  | { readonly kind: 'ready-messages' }
  | { readonly kind: 'unacknowledged-messages' }
  | { readonly kind: 'queue-depth'; readonly queue: AlarmQueue }
  | { readonly kind: 'queue-consumers'; readonly queue: AlarmQueue }
  | { readonly kind: 'dead-letters'; readonly queue: AlarmQueue }
  /** `Errors` of a Lambda function that consumes a queue of the broker (AWS/Lambda, FunctionName). */
  | { readonly kind: 'function-errors'; readonly functionName: string };

export type AlarmComparison = 'above' | 'below' | 'at-or-above';

export interface PlannedAlarm {
  /** Construct id, unique in the broker's alarms. */
  readonly id: string;
  /** The full alarm name (lib/contract/names alarmName). */
  readonly alarmName: string;
  /** What is wrong and what to do first. */
  readonly description: string;
  readonly watch: AlarmWatch;
  readonly threshold: number;
  readonly comparison: AlarmComparison;
  /** Whether missing data counts as breaching (chosen per alarm, documented in docs/monitoring.md). */
  readonly missingDataBreaches: boolean;
  /** Health, any-queue depth and dead letters: shown in the dashboard's status widget. */
  readonly brokerLevel: boolean;
  /** A Metrics Insights query alarm (CloudWatch limits these per account and region). */
  readonly metricsInsights: boolean;
}
