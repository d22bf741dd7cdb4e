/**
 * Entry point of the credential rotation function (bundled by lib/constructs/rotation/bundle.ts).
 * Like bin/, this is a program's edge: it alone reads the environment the construct sets.
 */
import { MqClient } from '@aws-sdk/client-mq';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ActiveMqStrategy } from './activemq-strategy';
import { RabbitMqStrategy } from './rabbitmq-strategy';
import { SecretRotator } from './secret-rotator';
import { BROKERS_ENV, type BrokerTarget, type RotationEvent } from './types';

let rotator: SecretRotator | undefined;

export async function handler(event: RotationEvent): Promise<void> {
  rotator ??= new SecretRotator({
    secretsManager: new SecretsManagerClient({}),
    brokers: JSON.parse(process.env[BROKERS_ENV] ?? '[]') as BrokerTarget[],
    strategies: { RABBITMQ: new RabbitMqStrategy(), ACTIVEMQ: new ActiveMqStrategy({ mq: new MqClient({}) }) },
  });
  await rotator.handle(event);
}
