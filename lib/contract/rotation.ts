/**
 * The rotation function's contract with the stacks that deploy it: the environment it reads (one
 * BrokerTarget per broker), the names of an alternating pair's users and the tag of its reboot lease.
 * The construct writes these, the function (lib/rotation) reads them.
 */

/** Name of the function's environment variable holding the JSON list of BrokerTarget. */
export const BROKERS_ENV = 'MQ_PLATFORM_BROKERS';

/**
 * Suffix of the second user of an alternating pair (`app` / `app_clone`), as in Secrets Manager's own
 * alternating-users rotation; `_` is allowed in ActiveMQ and RabbitMQ usernames alike.
 */
export const PARTNER_SUFFIX = '_clone';

/** The partner (B user) of an application username. */
export function partnerUsername(username: string): string {
  return `${username}${PARTNER_SUFFIX}`;
}

/** Tag on an ActiveMQ broker that holds the rotation reboot lease (section 5 of the rotation contract). */
export const REBOOT_LEASE_TAG = 'mq-platform:rotation-reboot';

/** One secret the function rotates. */
export interface CredentialTarget {
  /** ARN of the secret clients (or, for the RabbitMQ administrator, the platform) read. */
  readonly secretArn: string;
  /** The A user of a pair, or the single user (RabbitMQ administrator). */
  readonly username: string;
  /** The B user of an alternating pair; absent for a single-user secret. */
  readonly partnerUsername?: string;
  /** ActiveMQ: ARN of each broker user's own secret, by broker username (what the broker resource's Users reference). */
  readonly brokerUserSecretArns?: Readonly<Record<string, string>>;
}

/** One broker the function rotates secrets of; built by the CDK construct into the function's environment. */
export interface BrokerTarget {
  readonly engine: 'ACTIVEMQ' | 'RABBITMQ';
  /**
   * Amazon MQ broker name: how the function finds an ActiveMQ broker (ListBrokers) when the environment
   * carries no id, because the broker depends on the function (seed custom resource).
   */
  readonly brokerName?: string;
  /** Amazon MQ broker id (`b-...`). @default - looked up by brokerName (ActiveMQ) */
  readonly brokerId?: string;
  /** Broker ARN: where the ActiveMQ reboot lease tag lives. @default - looked up by brokerName */
  readonly brokerArn?: string;
  readonly deploymentMode?: 'SINGLE_INSTANCE' | 'ACTIVE_STANDBY_MULTI_AZ' | 'CLUSTER_MULTI_AZ';
  /** ActiveMQ: whether rotation may reboot the broker (false: single instance without acceptRebootDowntime). */
  readonly allowReboot?: boolean;
  /** ActiveMQ: STOMP+SSL endpoints, one per instance (only the active one answers); a list or one comma-separated string. @default - from DescribeBroker */
  readonly stompEndpoints?: string | readonly string[];
  /** RabbitMQ: base URL of the management HTTP API. */
  readonly managementUrl?: string;
  /** RabbitMQ: AMQPS endpoints, for the application users' login probe; a list or one comma-separated string (Fn::Join). */
  readonly amqpEndpoints?: string | readonly string[];
  /** RabbitMQ: ARN of the administrator's secret (rotation and the users custom resource act as this user). */
  readonly administratorSecretArn?: string;
  readonly credentials: readonly CredentialTarget[];
}
