/** The four steps Secrets Manager calls a rotation function with, in order. */
export const ROTATION_STEPS = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const;
export type RotationStep = (typeof ROTATION_STEPS)[number];

/** What Secrets Manager sends for each step. */
export interface RotationEvent {
  readonly SecretId: string;
  readonly ClientRequestToken: string;
  readonly Step: RotationStep;
}

/** The JSON of every broker user's secret (docs/../notes contract): `{"username", "password"}`. */
export interface Credentials {
  readonly username: string;
  readonly password: string;
}

/** One broker the function may rotate secrets of; built by the CDK construct into the function's environment. */
export interface BrokerTarget {
  /** Secrets whose name starts with this belong to the broker, e.g. `mq-platform/dev/orders/`. */
  readonly secretNamePrefix: string;
  readonly engine: 'ACTIVEMQ' | 'RABBITMQ';
  /** Amazon MQ broker id (`b-...`). */
  readonly brokerId: string;
  /** RabbitMQ: base URL of the management HTTP API, e.g. `https://b-....mq.eu-west-1.amazonaws.com`. */
  readonly managementUrl?: string;
  /** ActiveMQ: STOMP+SSL endpoints, comma-separated (one per instance; only the active one answers). */
  readonly stompEndpoints?: string;
}

/** The secret being rotated and the versions involved, handed to an engine strategy. */
export interface RotationContext {
  readonly secretId: string;
  readonly token: string;
  readonly broker: BrokerTarget;
  /** The AWSCURRENT credentials. */
  readonly current: Credentials;
  /** The AWSPENDING credentials of this rotation (created by createSecret). */
  readonly pending: Credentials;
  /** The AWSPREVIOUS credentials, if any: a last resort to authenticate with. */
  readonly previous?: Credentials;
}

/** What differs per engine: putting the pending password on the broker and proving it works there. */
export interface EngineStrategy {
  setSecret(ctx: RotationContext): Promise<void>;
  testSecret(ctx: RotationContext): Promise<void>;
}

/** Name of the function's environment variable holding the JSON list of BrokerTarget. */
export const BROKERS_ENV = 'MQ_PLATFORM_BROKERS';
