import { Template } from 'aws-cdk-lib/assertions';

export interface AlarmView {
  readonly name: string;
  readonly properties: Record<string, any>;
  /** Sorted dimension names of every metric the alarm reads (Metrics Insights: its SCHEMA keys). */
  readonly dimensionSets: string[][];
  /** Every Broker dimension value or WHERE Broker = '...' the alarm reads. */
  readonly brokers: string[];
  readonly queries: string[];
}

/** The alarms of a template with what they read, for assertions on dimensions and queries. */
export function alarmsOf(template: Template): AlarmView[] {
  return Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((r) => {
    const p = r.Properties;
    const dimensionSets: string[][] = [];
    const brokers: string[] = [];
    const queries: string[] = [];
    const take = (dims: Array<{ Name: string; Value: string }>) => {
      dimensionSets.push(dims.map((d) => d.Name).sort());
      for (const d of dims) if (d.Name === 'Broker') brokers.push(d.Value);
    };
    if (p.Dimensions) take(p.Dimensions);
    for (const q of p.Metrics ?? []) {
      if (q.MetricStat) take(q.MetricStat.Metric.Dimensions ?? []);
      if (typeof q.Expression === 'string' && /^SELECT/.test(q.Expression)) {
        queries.push(q.Expression);
        const schema = /SCHEMA\("AWS\/AmazonMQ", ([^)]*)\)/.exec(q.Expression);
        dimensionSets.push(
          schema
            ? schema[1]
                .split(',')
                .map((s) => s.trim())
                .sort()
            : ['(no SCHEMA)'],
        );
        for (const m of q.Expression.matchAll(/Broker = '([^']*)'/g)) brokers.push(m[1]);
      }
    }
    return { name: p.AlarmName, properties: p, dimensionSets, brokers, queries };
  });
}
