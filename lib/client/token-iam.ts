import { GetWebIdentityTokenCommand, type STSClient } from '@aws-sdk/client-sts';
import { classifyAwsError } from './aws-errors';
import { MqPlatformError } from './errors';
import type { TokenFetcher } from './token-source';

export interface IamTokenOptions {
  /** STS client of the application's credentials, in a region (GetWebIdentityToken is not on the global endpoint). */
  readonly sts: STSClient;
  /** The broker's audience (resource server id), for example "rabbitmq". */
  readonly audience: string;
  /** Token lifetime, 60 to 3600 seconds. @default 900 */
  readonly durationSeconds?: number;
  /** "RS256" or "ES384". @default "RS256" */
  readonly signingAlgorithm?: 'RS256' | 'ES384';
}

/**
 * IAM authentication to Amazon MQ for RabbitMQ: the application's own AWS credentials get a JWT
 * from STS GetWebIdentityToken (IAM outbound identity federation) for the broker's audience;
 * the broker takes it as an OAuth 2.0 token. Source:
 * https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/iam-for-amq-for-rabbitmq.html
 */
export function iamTokenFetcher(options: IamTokenOptions): TokenFetcher {
  return async () => {
    let out;
    try {
      out = await options.sts.send(
        new GetWebIdentityTokenCommand({
          Audience: [options.audience],
          DurationSeconds: options.durationSeconds ?? 900,
          SigningAlgorithm: options.signingAlgorithm ?? 'RS256',
        }),
      );
    } catch (e) {
      const err = classifyAwsError(e, 'getting a web identity token from STS');
      if (/OutboundWebIdentityFederationDisabled/.test((e as Error)?.name ?? '')) {
        throw new MqPlatformError('access-denied', 'IAM outbound identity federation is not enabled in this account', {
          hint: 'an administrator runs `aws iam enable-outbound-web-identity-federation` once per account',
          cause: e,
        });
      }
      if (err.kind === 'access-denied')
        throw new MqPlatformError('access-denied', err.message, {
          hint: `the application's role needs sts:GetWebIdentityToken for audience "${options.audience}" (MqBroker.grantConnect, or authentication.roles in the config)`,
          cause: e,
        });
      throw err;
    }
    if (!out.WebIdentityToken) throw new MqPlatformError('protocol', 'STS returned no web identity token');
    return { token: out.WebIdentityToken, expiresAt: out.Expiration };
  };
}
