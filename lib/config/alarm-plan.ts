import { publishesQueueMetrics } from '../amazonmq/metrics';
import type { ResolvedBrokerMonitoring } from './resolve-monitoring';
import type { DeploymentMode, Engine } from './schema';

/**
 * How many alarms a broker gets, and how many of them are Metrics Insights query alarms. The
 * alarm construct builds exactly this (a test holds them together); the validation rules use it
 * to refuse configs that would break CloudFormation's or CloudWatch's limits at deploy time.
 */
export interface AlarmPlan {
  readonly total: number;
  readonly metricsInsights: number;
  /** Upper estimate of the broker's alarm template (unindented JSON), in bytes. */
  readonly estimatedBytes: number;
}

export interface AlarmPlanInput {
  readonly engine: Engine;
  readonly engineVersion: string;
  readonly deploymentMode: DeploymentMode;
  readonly monitoring: Pick<ResolvedBrokerMonitoring, 'queues' | 'deadLetterQueues'>;
}

/** Health alarms every broker gets: CPU, memory, storage, connections. */
export const HEALTH_ALARMS = 4;

export function planBrokerAlarms(b: AlarmPlanInput): AlarmPlan {
  const queueMetrics = publishesQueueMetrics(b.engine, b.engineVersion);
  const instances = b.engine === 'ACTIVEMQ' && b.deploymentMode === 'ACTIVE_STANDBY_MULTI_AZ' ? 2 : 1;
  // Any-queue depth: one Metrics Insights alarm per instance; RabbitMQ 4.x: broker-level ready + unacked.
  const depth = queueMetrics ? instances : 2;
  const depthInsights = queueMetrics ? instances : 0;
  // A RabbitMQ cluster's CPU is watched per node through a Metrics Insights query.
  const cpuInsights = b.engine === 'RABBITMQ' && b.deploymentMode === 'CLUSTER_MULTI_AZ' ? 1 : 0;
  const named = b.monitoring.queues.reduce((n, q) => n + 1 + (q.alarmWithoutConsumers ? 1 : 0), 0);
  // Measured on synthesized stacks (test/scripts/scale.test.ts checks it holds): a queue alarm takes
  // about 1.1 KB (1.4 KB when it reads both active/standby instances) plus 6 bytes per character of
  // its queue and vhost names, which appear in its name, description, id and dimensions.
  const perAlarm = (q: { name: string; virtualHost?: string }) => (instances === 2 ? 1400 : 1100) + 6 * (q.name.length + (q.virtualHost?.length ?? 0));
  const queueBytes = b.monitoring.queues.reduce((n, q) => n + perAlarm(q) * (1 + (q.alarmWithoutConsumers ? 1 : 0)), 0);
  return {
    total: HEALTH_ALARMS + depth + named + b.monitoring.deadLetterQueues.length,
    metricsInsights: depthInsights + cpuInsights,
    estimatedBytes: BASE_STACK_BYTES + queueBytes + b.monitoring.deadLetterQueues.reduce((n, q) => n + perAlarm(q), 0),
  };
}

/** The health and any-queue alarms with the stack's metadata (measured: under 10 KB). */
const BASE_STACK_BYTES = 12_000;

/** CloudFormation takes templates up to 1 MB (cloudformation-limits.html); the margin covers the estimate's error. */
export const MAX_ALARM_TEMPLATE_BYTES = 900_000;

/**
 * Alarms of one broker live in one stack of their own; CloudFormation allows 500 resources per
 * stack (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html).
 * The margin leaves room for the stack's own metadata resources.
 */
export const MAX_ALARMS_PER_BROKER = 450;

/**
 * Metrics Insights query alarms per account and region: 200 by default
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-limits.html).
 */
export const MAX_METRICS_INSIGHTS_ALARMS = 200;

/**
 * Alarm and OK actions per alarm: at most 5 each (PutMetricAlarm AlarmActions / OKActions,
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html);
 * the environment's own topic takes one.
 */
export const MAX_EXTRA_ALARM_TOPICS = 4;
