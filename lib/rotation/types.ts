import type { SecretsManagerRotationEvent, SecretsManagerRotationEventStep } from 'aws-lambda';

/** The four steps Secrets Manager calls a rotation function with, in order. */
export const ROTATION_STEPS: readonly SecretsManagerRotationEventStep[] = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'];
export type RotationStep = SecretsManagerRotationEventStep;
/** What Secrets Manager sends for each step (`@types/aws-lambda`). */
export type RotationEvent = SecretsManagerRotationEvent;

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

/** The JSON of every broker user secret: `{"username", "password", ...}`; other keys are kept as they are. */
export interface Credentials {
  readonly username: string;
  readonly password: string;
}

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

/** Endpoints as a list, from a list or a comma-separated string (what Fn::Join gives the environment). */
export function endpointList(endpoints: string | readonly string[] | undefined): string[] {
  if (endpoints === undefined) return [];
  return (typeof endpoints === 'string' ? endpoints.split(',') : [...endpoints]).map((e) => e.trim()).filter(Boolean);
}

/** The secret being rotated and the versions involved, handed to an engine strategy. */
export interface RotationContext {
  readonly secretArn: string;
  readonly secretName: string;
  readonly token: string;
  readonly broker: BrokerTarget;
  readonly credential: CredentialTarget;
  /** Version id that holds AWSCURRENT. */
  readonly currentVersionId?: string;
  /** The AWSCURRENT credentials. */
  readonly current: Credentials;
  /** The AWSPENDING credentials of this rotation (created by createSecret). */
  readonly pending: Credentials;
}

/** What createSecret needs to choose the pending password. */
export interface PrepareContext {
  readonly broker: BrokerTarget;
  readonly credential: CredentialTarget;
  readonly pendingUsername: string;
  readonly currentVersionId?: string;
}

/** What differs per engine: putting the pending password on the broker and proving it works there. */
export interface EngineStrategy {
  /** A password already prepared for the pending user (ActiveMQ batch); undefined: createSecret generates one. */
  preparedPassword?(ctx: PrepareContext): Promise<string | undefined>;
  setSecret(ctx: RotationContext): Promise<void>;
  testSecret(ctx: RotationContext): Promise<void>;
  /**
   * Secrets Manager's configuration test (a schedule created or changed without rotating runs testSecret
   * on an AWSPENDING version it makes and removes): proves the AWSCURRENT credentials log in, changing nothing.
   */
  checkCurrent(ctx: RotationContext): Promise<void>;
}
