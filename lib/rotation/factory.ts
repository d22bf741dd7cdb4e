import { MqClient } from '@aws-sdk/client-mq';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { ActiveMqStrategy, type ActiveMqTiming } from './activemq-strategy';
import { mqClientConfig, secretsManagerClientConfig } from './aws-clients';
import { isCustomResourceEvent, onCustomResourceEvent, type CustomResourceResponse } from './custom-resource';
import { jsonLogger, type Logger } from './log';
import { activeMqProbe, rabbitMqProbe, type LoginProbe } from './probe';
import { RabbitMqStrategy } from './rabbitmq-strategy';
import { SecretRotator } from './secret-rotator';
import type { BrokerTarget, RotationEvent } from './types';

/**
 * Everything the rotation function is built from. The Lambda entry (handler.ts) passes only `brokers`;
 * tests and the soak test point the clients at an emulator and shorten the timing.
 */
export interface RotatorOptions {
  readonly brokers: readonly BrokerTarget[];
  /** @default new SecretsManagerClient(secretsManagerClientConfig()) */
  readonly secretsManager?: SecretsManagerClient;
  /** @default new MqClient(mqClientConfig(process.env)): the dual-stack endpoint PrivateLink serves, or AWS_ENDPOINT_URL_MQ */
  readonly mq?: MqClient;
  /** TLS trust for the STOMP+SSL and AMQPS login checks (a private test CA). @default node's bundled CAs */
  readonly tls?: { readonly ca?: string | Buffer };
  /** For the management API (inject one with a dispatcher to trust a private CA). @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** ActiveMQ waits and the reboot lease. @default see ActiveMqTiming */
  readonly timing?: ActiveMqTiming;
  /** @default activeMqProbe / rabbitMqProbe with `tls.ca` */
  readonly probes?: { readonly ACTIVEMQ?: LoginProbe; readonly RABBITMQ?: LoginProbe };
  /** @default one JSON line per event on stdout */
  readonly log?: Logger;
  /** @default generatePassword */
  readonly newPassword?: () => string;
  /** @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** @default Date.now */
  readonly now?: () => number;
}

/** The rotation steps for the given brokers (ActiveMQ and RabbitMQ). */
export function createRotator(o: RotatorOptions): SecretRotator {
  const secretsManager = o.secretsManager ?? new SecretsManagerClient(secretsManagerClientConfig());
  const log = o.log ?? jsonLogger();
  const probeOptions = { ca: o.tls?.ca };
  return new SecretRotator({
    secretsManager,
    brokers: o.brokers,
    log,
    newPassword: o.newPassword,
    strategies: {
      ACTIVEMQ: new ActiveMqStrategy({
        mq: o.mq ?? new MqClient(mqClientConfig(process.env)),
        secretsManager,
        probe: o.probes?.ACTIVEMQ ?? activeMqProbe(probeOptions),
        timing: o.timing,
        log,
        newPassword: o.newPassword,
        sleep: o.sleep,
        now: o.now,
      }),
      RABBITMQ: new RabbitMqStrategy({ secretsManager, probe: o.probes?.RABBITMQ ?? rabbitMqProbe(probeOptions), fetch: o.fetch, log }),
    },
  });
}

export type MqPlatformFunctionEvent = RotationEvent | CloudFormationCustomResourceEvent;

/**
 * The function's handler: rotation steps (`Step`) and the users custom resource (`RequestType`, via
 * the provider framework, which takes the returned `{ PhysicalResourceId, Data }`).
 */
export function createHandler(o: RotatorOptions): (event: MqPlatformFunctionEvent) => Promise<CustomResourceResponse | void> {
  const secretsManager = o.secretsManager ?? new SecretsManagerClient(secretsManagerClientConfig());
  const log = o.log ?? jsonLogger();
  const rotator = createRotator({ ...o, secretsManager, log });
  return async (event) => {
    if (isCustomResourceEvent(event)) return onCustomResourceEvent(event, { secretsManager, fetch: o.fetch, log });
    return rotator.handle(event);
  };
}
