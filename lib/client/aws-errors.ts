import { MqPlatformError } from './errors';

const ACCESS = new Set([
  'AccessDeniedException',
  'AccessDenied',
  'ForbiddenException',
  'UnauthorizedException',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'InvalidClientTokenId',
  'DecryptionFailure',
]);
const EXPIRED = new Set(['ExpiredTokenException', 'ExpiredToken', 'RequestExpired']);
const NOT_FOUND = new Set(['NotFoundException', 'ResourceNotFoundException']);

/** Turns an AWS SDK error into a MqPlatformError with an operator hint; `what` names the call, e.g. `listing brokers`. */
export function classifyAwsError(err: unknown, what: string, region?: string): MqPlatformError {
  if (err instanceof MqPlatformError) return err;
  const e = err as { name?: string; message?: string; code?: string; $metadata?: unknown };
  const name = e?.name ?? '';
  const msg = e?.message ?? String(err);
  const inRegion = region ? ` in ${region}` : '';
  if (name === 'CredentialsProviderError' || /Could not load credentials|credential.*not.*found/i.test(msg)) {
    return new MqPlatformError('no-credentials', `no AWS credentials for ${what}`, {
      hint: 'set AWS_PROFILE or pass --profile; with SSO run `aws sso login` first',
      cause: err,
    });
  }
  if (/Region is missing/i.test(msg)) {
    return new MqPlatformError('usage', `no AWS region for ${what}`, {
      hint: 'pass --region, set AWS_REGION, or pass --env with a config/<stage>.json',
      cause: err,
    });
  }
  if (EXPIRED.has(name)) {
    return new MqPlatformError('no-credentials', `AWS credentials expired while ${what}`, {
      hint: 'refresh them (e.g. `aws sso login`) and retry',
      cause: err,
    });
  }
  if (ACCESS.has(name)) {
    return new MqPlatformError('access-denied', `access denied while ${what}${inRegion} (${name})`, {
      hint: 'use a role allowed mq:ListBrokers, mq:DescribeBroker, secretsmanager:ListSecrets and secretsmanager:GetSecretValue',
      cause: err,
    });
  }
  if (NOT_FOUND.has(name)) {
    return new MqPlatformError('not-found', `not found while ${what}${inRegion}`, {
      hint: 'check the name, --env and --region',
      cause: err,
    });
  }
  if (name === 'TimeoutError' || e?.code === 'ETIMEDOUT') {
    return new MqPlatformError('timeout', `AWS did not answer while ${what}${inRegion}`, {
      hint: 'check network access to the AWS API (proxy, VPC endpoints) and retry',
      cause: err,
    });
  }
  if (['ENOTFOUND', 'ECONNREFUSED', 'ECONNRESET', 'EAI_AGAIN'].includes(e?.code ?? '')) {
    return new MqPlatformError('network', `cannot reach AWS while ${what}${inRegion} (${e.code})`, {
      hint: 'check the region name and network access to the AWS API',
      cause: err,
    });
  }
  return new MqPlatformError('protocol', `AWS error while ${what}${inRegion}: ${name ? `${name}: ` : ''}${msg}`, { cause: err });
}
