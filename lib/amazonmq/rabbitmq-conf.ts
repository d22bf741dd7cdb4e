/**
 * The rabbitmq.conf format Amazon MQ takes as the data of a RabbitMQ configuration revision: one
 * `key = value` line per entry, in order (sysctl-like "new style" format).
 * Source: https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/rabbitmq-broker-configuration-parameters.html
 */

/** One rabbitmq.conf line. Features add entries to the plan's broker configuration (see ConfigurationContribution). */
export interface RabbitMqConfEntry {
  /** The rabbitmq.conf key, for example `consumer_timeout` or `auth_oauth2.resource_server_id`. */
  readonly key: string;
  /** Written as is (booleans as true/false, numbers in decimal). */
  readonly value: string | number | boolean;
}

/** The rabbitmq.conf text of `entries`, in their order, newline-terminated. */
export function renderRabbitMqConf(entries: readonly RabbitMqConfEntry[]): string {
  return entries.map((e) => `${e.key} = ${String(e.value)}\n`).join('');
}
