import { MqClient } from '@aws-sdk/client-mq';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { ActiveMqStrategy, type ActiveMqTiming } from './activemq-strategy';
import { mqClientConfig, secretsManagerClientConfig } from './aws-clients';
import { definitionsDrift, isDefinitionsDriftEvent, type DefinitionsDriftEvent, type DefinitionsDriftResult } from './definitions-resource';
import { isCustomResourceEvent, onCustomResourceEvent, type CustomResourceResponse } from './custom-resource';
import { errorMessage, jsonLogger, type Logger } from './log';
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
  /** @default new MqClient(mqClientConfig(env)): the dual-stack endpoint PrivateLink serves, or AWS_ENDPOINT_URL_MQ */
  readonly mq?: MqClient;
  /** The program's environment, for the endpoint overrides (`AWS_ENDPOINT_URL_MQ`); only the entry point passes process.env. @default {} */
  readonly env?: Readonly<Record<string, string | undefined>>;
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
        mq: o.mq ?? new MqClient(mqClientConfig(o.env ?? {})),
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

export type MqPlatformFunctionEvent = RotationEvent | CloudFormationCustomResourceEvent | DefinitionsDriftEvent;

/**
 * The function's handler: rotation steps (`Step`) and the users custom resource (`RequestType`, via
 * the provider framework, which takes the returned `{ PhysicalResourceId, Data }`).
 */
export function createHandler(
  o: RotatorOptions,
): (event: MqPlatformFunctionEvent) => Promise<CustomResourceResponse | DefinitionsDriftResult | void> {
  const secretsManager = o.secretsManager ?? new SecretsManagerClient(secretsManagerClientConfig());
  const log = o.log ?? jsonLogger();
  const rotator = createRotator({ ...o, secretsManager, log });
  const fetchFn = o.fetch ?? globalThis.fetch;
  return async (event) => {
    // `mq-platform drift` (read only): the function reaches the broker and its administrator's secret.
    if (isDefinitionsDriftEvent(event)) return definitionsDrift(event, o.brokers, { secretsManager, fetch: o.fetch, log }, log);
    if (!isCustomResourceEvent(event)) return rotator.handle(event);
    if (!event.ResponseURL) return onCustomResourceEvent(event, { secretsManager, fetch: o.fetch, log });
    // Invoked by CloudFormation itself (ServiceToken = this function): answer on the presigned URL.
    let response: CustomResourceResponse;
    let failure: string | undefined;
    try {
      response = await onCustomResourceEvent(event, { secretsManager, fetch: o.fetch, log });
    } catch (e) {
      failure = errorMessage(e);
      response = { PhysicalResourceId: 'PhysicalResourceId' in event ? event.PhysicalResourceId : `failed-${event.RequestId}` };
      log('custom resource failed', { logicalId: event.LogicalResourceId, error: failure });
    }
    await sendCustomResourceResponse(fetchFn, event, response, failure);
    return response;
  };
}

/** The response document CloudFormation waits for (custom resources, response objects). */
export async function sendCustomResourceResponse(
  fetchFn: typeof fetch,
  event: CloudFormationCustomResourceEvent,
  response: CustomResourceResponse,
  failure?: string,
): Promise<void> {
  const body = JSON.stringify({
    Status: failure === undefined ? 'SUCCESS' : 'FAILED',
    Reason: failure === undefined ? 'OK' : failure.slice(0, 3000),
    PhysicalResourceId: response.PhysicalResourceId,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    Data: response.Data ?? {},
  });
  // The presigned URL was signed without a content type: send an empty one.
  const res = await fetchFn(event.ResponseURL, {
    method: 'PUT',
    headers: { 'content-type': '' },
    body,
    signal: AbortSignal.timeout(20000),
  });
  if (!res.ok) throw new Error(`CloudFormation response PUT answered ${res.status}`);
}
