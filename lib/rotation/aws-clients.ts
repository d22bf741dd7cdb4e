import type { MqClientConfig } from '@aws-sdk/client-mq';
import type { SecretsManagerClientConfig } from '@aws-sdk/client-secrets-manager';

/**
 * Timeouts for every AWS call of the function: an API that does not answer fails the step within
 * seconds with the SDK's error (without `throwOnRequestTimeout` the node handler only logs a warning
 * when `requestTimeout` passes) (the steps are idempotent, so Secrets Manager's retry is safe),
 * instead of hanging until the function's 15-minute timeout.
 */
export const SDK_TIMEOUTS = { connectionTimeout: 5000, requestTimeout: 20000, throwOnRequestTimeout: true } as const;
export const SDK_MAX_ATTEMPTS = 3;

/** Secrets Manager client settings: the endpoint comes from the SDK's defaults (or AWS_ENDPOINT_URL_SECRETS_MANAGER). */
export function secretsManagerClientConfig(): SecretsManagerClientConfig {
  return { maxAttempts: SDK_MAX_ATTEMPTS, requestHandler: { ...SDK_TIMEOUTS } };
}

/**
 * Amazon MQ client settings. PrivateLink for the Amazon MQ API serves only the dual-stack name
 * `mq.<region>.api.aws` ("PrivateLink for Amazon MQ does not support the default domain name ending
 * in amazonaws.com", developer guide, connect-to-amazonmq), which the SDK's endpoint rules resolve
 * with `useDualstackEndpoint`; without it they resolve `mq.<region>.amazonaws.com`, which the
 * brokers' isolated subnets cannot reach. The SDK refuses dual-stack together with a custom endpoint
 * ("Dualstack and custom endpoint are not supported"), so when `AWS_ENDPOINT_URL_MQ` or
 * `AWS_ENDPOINT_URL` is set (tests, the loopback emulator) the SDK's own handling of those variables applies.
 */
export function mqClientConfig(env: Readonly<Record<string, string | undefined>>): MqClientConfig {
  const overridden = Boolean(env.AWS_ENDPOINT_URL_MQ || env.AWS_ENDPOINT_URL);
  return { maxAttempts: SDK_MAX_ATTEMPTS, requestHandler: { ...SDK_TIMEOUTS }, ...(overridden ? {} : { useDualstackEndpoint: true }) };
}
