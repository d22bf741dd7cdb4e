import { publishesQueueMetrics } from '../../amazonmq/metrics';
import {
  MAX_ALARM_TEMPLATE_BYTES,
  MAX_ALARMS_PER_BROKER,
  MAX_EXTRA_ALARM_TOPICS,
  MAX_METRICS_INSIGHTS_ALARMS,
  planBrokerAlarms,
} from '../alarm-plan';
import { resolveAlarmSettings } from '../resolve-monitoring';
import type { AlarmSettingsConfig, BrokerConfig } from '../schema';
import { at, list } from './problem';
import { brokerRule, environmentRule, type BrokerRule, type BrokerRuleContext, type EnvironmentRule, type Report } from './rule';

const DOCS = 'https://docs.aws.amazon.com/amazon-mq/latest/developer-guide';
const SOURCES = {
  alarmLimits: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-limits.html',
  putMetricAlarm: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html',
  dimension: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_Dimension.html',
  snsSubscribe: 'https://docs.aws.amazon.com/sns/latest/api/API_Subscribe.html',
  rabbitMqMetrics: `${DOCS}/rabbitmq-logging-monitoring.html`,
  rabbitMq4: `${DOCS}/rabbitmq-4.html`,
  cfnLimits: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html',
} as const;

const p = (ctx: BrokerRuleContext, ...rest: Array<string | number>) => at('brokers', ctx.index, ...rest);

/** Alarm periods offered (PutMetricAlarm takes any multiple of 60 seconds; these are the useful ones). */
export const ALARM_PERIOD_MINUTES = [1, 5, 10, 15, 30, 60];
/** Metrics Insights alarms evaluate only the latest 3 hours of data (SOURCES.alarmLimits). */
const MAX_INSIGHTS_WINDOW_MINUTES = 180;

/** Checks the fields set in one alarm settings object; combinations are checked on the merged result. */
function checkAlarmSettings(
  path: string,
  own: AlarmSettingsConfig | undefined,
  merged: ReturnType<typeof resolveAlarmSettings>,
  report: Report,
): void {
  if (!own) return;
  for (const key of ['cpuPercent', 'memoryPercent', 'storagePercent', 'connectionsPercent'] as const) {
    const v = own[key];
    if (v !== undefined && !(v > 0 && v <= 100)) report(at(path, key), v, 'is not a percentage; allowed: more than 0, at most 100');
  }
  for (const key of ['queueDepth', 'unacknowledgedMessages'] as const) {
    const v = own[key];
    if (v !== undefined && v < 0) report(at(path, key), v, 'is negative; allowed: 0 (alarm on any message) or more');
  }
  if (own.diskFreeLimitFactor !== undefined && !(own.diskFreeLimitFactor >= 1 && own.diskFreeLimitFactor <= 100)) {
    report(
      at(path, 'diskFreeLimitFactor'),
      own.diskFreeLimitFactor,
      'would not warn before RabbitMQ blocks publishers; allowed: 1 to 100 (times the free-disk limit)',
    );
  }
  if (own.periodMinutes !== undefined && !ALARM_PERIOD_MINUTES.includes(own.periodMinutes)) {
    report(at(path, 'periodMinutes'), own.periodMinutes, `is not an alarm period; allowed: ${list(ALARM_PERIOD_MINUTES)}`);
  }
  if (own.evaluationPeriods !== undefined && own.evaluationPeriods < 1)
    report(at(path, 'evaluationPeriods'), own.evaluationPeriods, 'is less than 1; allowed: 1 or more');
  const setsTiming = own.periodMinutes !== undefined || own.evaluationPeriods !== undefined;
  if (setsTiming && merged.evaluationPeriods >= 1 && merged.periodMinutes * merged.evaluationPeriods > MAX_INSIGHTS_WINDOW_MINUTES) {
    report(
      at(path, 'evaluationPeriods'),
      merged.evaluationPeriods,
      `times periodMinutes (${merged.periodMinutes}) spans ${merged.periodMinutes * merged.evaluationPeriods} minutes; allowed: at most ${MAX_INSIGHTS_WINDOW_MINUTES} (Metrics Insights alarms evaluate only the latest 3 hours)`,
    );
  }
  // With evaluationPeriods below 1 (reported above) there is no range to check against.
  if (
    (own.datapointsToAlarm !== undefined || setsTiming) &&
    merged.evaluationPeriods >= 1 &&
    (merged.datapointsToAlarm < 1 || merged.datapointsToAlarm > merged.evaluationPeriods)
  ) {
    report(
      at(path, 'datapointsToAlarm'),
      merged.datapointsToAlarm,
      `is not between 1 and evaluationPeriods; allowed: 1 to ${merged.evaluationPeriods}`,
    );
  }
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const SNS_TOPIC_ARN = /^arn:aws(-[a-z]+)*:sns:[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d{1,2}:\d{12}:[A-Za-z0-9_-]{1,256}$/;

export const MONITORING_ENVIRONMENT_RULES: readonly EnvironmentRule[] = [
  environmentRule('alarm-settings', SOURCES.putMetricAlarm, (c, report) => {
    checkAlarmSettings('monitoring.alarms', c.monitoring?.alarms, resolveAlarmSettings(c.monitoring?.alarms), report);
  }),

  environmentRule('alarm-subscriptions', SOURCES.snsSubscribe, (c, report) => {
    const seen = new Set<string>();
    (c.monitoring?.subscriptions ?? []).forEach((s, i) => {
      const path = at('monitoring.subscriptions', i, 'endpoint');
      if (s.protocol === 'email' && !EMAIL.test(s.endpoint))
        report(path, s.endpoint, 'is not an email address; allowed: "name@example.com"');
      if (s.protocol === 'https' && !/^https:\/\/[^\s/]+(\/\S*)?$/.test(s.endpoint))
        report(path, s.endpoint, 'is not an https URL; allowed: "https://host/path" (plain http is not accepted)');
      const key = `${s.protocol}:${s.endpoint}`;
      if (seen.has(key)) report(path, s.endpoint, 'is a duplicate; allowed: each endpoint once');
      seen.add(key);
    });
  }),

  environmentRule('alarm-topic-arns', SOURCES.putMetricAlarm, (c, report) => {
    const arns = c.monitoring?.alarmTopicArns ?? [];
    if (arns.length > MAX_EXTRA_ALARM_TOPICS) {
      report(
        'monitoring.alarmTopicArns',
        arns,
        `has ${arns.length} topics; allowed: at most ${MAX_EXTRA_ALARM_TOPICS} (an alarm takes 5 actions per state, one is the environment's alarm topic)`,
      );
    }
    arns.forEach((arn, i) => {
      if (!SNS_TOPIC_ARN.test(arn))
        report(at('monitoring.alarmTopicArns', i), arn, 'is not an SNS topic ARN; allowed: "arn:aws:sns:<region>:<account>:<topic>"');
      else if (arns.indexOf(arn) !== i) report(at('monitoring.alarmTopicArns', i), arn, 'is a duplicate; allowed: each topic once');
    });
  }),

  environmentRule('metrics-insights-alarms', SOURCES.alarmLimits, (c, report, ctx) => {
    // Brokers that did not parse are reported elsewhere and counted here as none.
    const count = ctx.brokers.reduce((n, b) => (b ? n + planBrokerAlarms(b).metricsInsights : n), 0);
    if (count > MAX_METRICS_INSIGHTS_ALARMS) {
      report(
        'brokers',
        `${count} Metrics Insights alarms`,
        `is more than CloudWatch allows; allowed: at most ${MAX_METRICS_INSIGHTS_ALARMS} per account and region (fewer brokers, or ask AWS for a higher quota first)`,
      );
    }
  }),
];

/** Names CloudWatch can carry as a dimension value, and RabbitMQ publishes at all. */
function checkQueueRefs(b: BrokerConfig, ctx: BrokerRuleContext, field: 'queues' | 'deadLetterQueues', report: Report): void {
  const seen = new Set<string>();
  (b[field] ?? []).forEach((q, i) => {
    const path = p(ctx, field, i);
    if (q.name.length < 1 || q.name.length > 255)
      report(at(path, 'name'), q.name, 'is not a queue name CloudWatch can carry; allowed: 1 to 255 characters');
    if (b.engine === 'ACTIVEMQ' && q.virtualHost !== undefined)
      report(at(path, 'virtualHost'), q.virtualHost, 'does not apply to ActiveMQ queues; allowed: remove the field');
    if (b.engine === 'RABBITMQ') {
      for (const [key, value] of [
        ['name', q.name],
        ['virtualHost', q.virtualHost],
      ] as const) {
        if (value !== undefined && !/^[\x21-\x7e]+$/.test(value)) {
          report(
            at(path, key),
            value,
            'has a space, tab or non-ASCII character, and Amazon MQ publishes no metrics for such names; allowed: printable ASCII without spaces',
          );
        }
      }
    }
    const key = `${q.virtualHost ?? '/'}\u0000${q.name}`;
    if (seen.has(key)) report(at(path, 'name'), q.name, `is a duplicate; allowed: each queue once in ${field}`);
    seen.add(key);
  });
}

export const MONITORING_BROKER_RULES: readonly BrokerRule[] = [
  brokerRule('broker-alarm-settings', SOURCES.putMetricAlarm, (b, ctx, report) => {
    checkAlarmSettings(p(ctx, 'alarms'), b.alarms, ctx.resolved.monitoring.alarms, report);
  }),

  brokerRule('queue-names', SOURCES.rabbitMqMetrics, (b, ctx, report) => {
    checkQueueRefs(b, ctx, 'queues', report);
    checkQueueRefs(b, ctx, 'deadLetterQueues', report);
    (b.queues ?? []).forEach((q, i) => {
      if (q.maxDepth !== undefined && q.maxDepth < 0)
        report(p(ctx, 'queues', i, 'maxDepth'), q.maxDepth, 'is negative; allowed: 0 (alarm on any message) or more');
    });
  }),

  brokerRule('rabbitmq-4-queue-metrics', SOURCES.rabbitMq4, (b, ctx, report) => {
    if (publishesQueueMetrics(b.engine, b.engineVersion)) return;
    for (const field of ['queues', 'deadLetterQueues'] as const) {
      const queues = b[field] ?? [];
      if (queues.length > 0) {
        report(
          p(ctx, field),
          queues.map((q) => q.name),
          `cannot be alarmed on: Amazon MQ publishes no per-queue metrics for RabbitMQ ${b.engineVersion} brokers; allowed: remove it (the broker-level ready and unacknowledged message alarms cover depth) or run RabbitMQ 3.13`,
        );
      }
    }
  }),

  brokerRule('alarms-per-broker', SOURCES.cfnLimits, (b, ctx, report) => {
    const plan = planBrokerAlarms(ctx.resolved);
    if (plan.total > MAX_ALARMS_PER_BROKER) {
      report(
        p(ctx, 'queues'),
        `${(b.queues ?? []).length} queues`,
        `need ${plan.total} alarms for this broker; allowed: at most ${MAX_ALARMS_PER_BROKER} (a broker's alarms share one CloudFormation stack of at most 500 resources; set alarmWithoutConsumers: false on some queues, or name fewer)`,
      );
    } else if (plan.estimatedBytes > MAX_ALARM_TEMPLATE_BYTES) {
      report(
        p(ctx, 'queues'),
        `${(b.queues ?? []).length} queues`,
        `need about ${Math.ceil(plan.estimatedBytes / 1000)} KB of alarm template for this broker; allowed: at most ${MAX_ALARM_TEMPLATE_BYTES / 1000} KB (CloudFormation takes templates up to 1 MB; shorten queue names, set alarmWithoutConsumers: false on some queues, or name fewer)`,
      );
    }
  }),
];
