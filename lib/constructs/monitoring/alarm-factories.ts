import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';

/** Where an alarm's ALARM and OK notifications go; injected, one list for every alarm. */
export interface AlarmActions {
  readonly actions: readonly cloudwatch.IAlarmAction[];
}

/** Evaluation settings shared by the alarms of one broker. */
export interface AlarmTiming {
  readonly period: Duration;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
}

export interface AlarmSpec {
  /** The full alarm name, from alarmName() in lib/contract/names. */
  readonly alarmName: string;
  /** What is wrong and what to do first. */
  readonly description: string;
  readonly metric: cloudwatch.IMetric;
  readonly threshold: number;
  readonly comparison: cloudwatch.ComparisonOperator;
  /** Chosen per alarm and documented in docs/monitoring.md. */
  readonly missingData: cloudwatch.TreatMissingData;
}

/** The one place alarms are made: every alarm gets the same ALARM and OK actions. */
export function createAlarm(scope: Construct, id: string, spec: AlarmSpec, timing: AlarmTiming, actions: AlarmActions): cloudwatch.Alarm {
  const alarm = new cloudwatch.Alarm(scope, id, {
    alarmName: spec.alarmName,
    alarmDescription: spec.description,
    metric: withPeriod(spec.metric, timing.period),
    threshold: spec.threshold,
    comparisonOperator: spec.comparison,
    evaluationPeriods: timing.evaluationPeriods,
    datapointsToAlarm: timing.datapointsToAlarm,
    treatMissingData: spec.missingData,
  });
  alarm.addAlarmAction(...actions.actions);
  alarm.addOkAction(...actions.actions);
  return alarm;
}

/** A Metrics Insights query as an alarm metric (the query must return one time series). */
export function insightsQuery(query: string, label: string): cloudwatch.MathExpression {
  return new cloudwatch.MathExpression({ expression: query, usingMetrics: {}, label });
}

/** `100 * a / b` as one series, for "used against its limit" alarms. */
export function percentOf(used: cloudwatch.IMetric, limit: cloudwatch.IMetric, label: string): cloudwatch.MathExpression {
  return new cloudwatch.MathExpression({ expression: '100 * used / limit', usingMetrics: { used, limit }, label });
}

/** `a / b` as one series. */
export function ratioOf(value: cloudwatch.IMetric, limit: cloudwatch.IMetric, label: string): cloudwatch.MathExpression {
  return new cloudwatch.MathExpression({ expression: 'value / limit', usingMetrics: { value, limit }, label });
}

function withPeriod(metric: cloudwatch.IMetric, period: Duration): cloudwatch.IMetric {
  if (metric instanceof cloudwatch.Metric || metric instanceof cloudwatch.MathExpression) return metric.with({ period });
  return metric;
}
