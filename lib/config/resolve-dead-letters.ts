import type { BrokerConfig } from './schema';
import type { DestinationPolicyConfig } from './schema-configuration';
import { DEFAULT_DEAD_LETTER_QUEUE_PREFIX } from './resolve-configuration';

/** ActiveMQ's default dead-letter queue (shared by every destination unless a policy says otherwise). */
export const ACTIVEMQ_DEFAULT_DLQ = 'ActiveMQ.DLQ';

/** Whether an ActiveMQ destination wildcard ("orders.>", "*.created", ">") matches a queue name. */
export function matchesActiveMqWildcard(pattern: string, name: string): boolean {
  const p = pattern.split('.');
  const n = name.split('.');
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '>') return true;
    if (i >= n.length || (p[i] !== '*' && p[i] !== n[i])) return false;
  }
  return p.length === n.length;
}

/** Literal segments first: we assume ActiveMQ applies the most specific matching policy entry (not verified against its PolicyMap). */
const specificity = (pattern: string) => pattern.split('.').filter((s) => s !== '*' && s !== '>').length;

/**
 * The dead-letter queue ActiveMQ uses for one queue, from the broker's destination policies:
 * `<queuePrefix><queue>` for an individual strategy, the shared queue, or none when discarding.
 */
export function activeMqDeadLetterQueueOf(queue: string, policies: readonly DestinationPolicyConfig[]): string | undefined {
  const match = policies
    .filter((p) => p.queue !== undefined && p.deadLetter && matchesActiveMqWildcard(p.queue, queue))
    .sort((a, b) => specificity(b.queue!) - specificity(a.queue!))[0];
  const d = match?.deadLetter;
  if (!d) return ACTIVEMQ_DEFAULT_DLQ;
  switch (d.strategy) {
    case 'individual':
      return `${d.queuePrefix ?? DEFAULT_DEAD_LETTER_QUEUE_PREFIX}${queue}`;
    case 'shared':
      return d.deadLetterQueue ?? ACTIVEMQ_DEFAULT_DLQ;
    case 'discard':
      return undefined;
  }
}

/**
 * The dead-letter queues a broker's alarms watch when the config names none. ActiveMQ: the shared
 * `ActiveMQ.DLQ` (topics and unmatched queues still use it) plus the queue each named queue and
 * Lambda consumer dead-letters to under `configuration.activemq.destinationPolicies`.
 * CloudWatch Metrics Insights filters dimension values only with "=" and "!=", so an individual
 * strategy's `DLQ.*` queues cannot be matched by prefix: queues the config does not name are
 * watched only by the any-queue depth alarm (docs/monitoring.md).
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-metrics-insights-querylanguage.html
 */
export function defaultDeadLetterQueues(broker: BrokerConfig): Array<{ name: string; virtualHost?: string }> {
  if (broker.engine !== 'ACTIVEMQ') return [];
  const policies = broker.configuration?.activemq?.destinationPolicies ?? [];
  const named = [...(broker.queues ?? []).map((q) => q.name), ...(broker.consumers ?? []).map((c) => c.queue)];
  const prefixes = individualDeadLetterPrefixes(broker);
  const names = new Set<string>([ACTIVEMQ_DEFAULT_DLQ]);
  for (const q of named) {
    // A named dead-letter queue is watched as one, not given a DLQ.DLQ.<queue> of its own.
    if (q === ACTIVEMQ_DEFAULT_DLQ || prefixes.some((prefix) => q.startsWith(prefix))) {
      names.add(q);
      continue;
    }
    const dlq = activeMqDeadLetterQueueOf(q, policies);
    if (dlq !== undefined) names.add(dlq);
  }
  return [...names].map((name) => ({ name }));
}

/** The individual strategies' queue prefixes, for alarm descriptions. */
export function individualDeadLetterPrefixes(broker: BrokerConfig): string[] {
  const policies = broker.configuration?.activemq?.destinationPolicies ?? [];
  const prefixes = policies
    .filter((p) => p.queue !== undefined && p.deadLetter?.strategy === 'individual')
    .map((p) => p.deadLetter!.queuePrefix ?? DEFAULT_DEAD_LETTER_QUEUE_PREFIX);
  return [...new Set(prefixes)];
}
