import type { STSClient } from '@aws-sdk/client-sts';
import type { TokenAuthenticationInfo } from './broker-directory';
import { MqPlatformError } from './errors';
import { iamTokenFetcher } from './token-iam';
import { clientCredentialsFetcher } from './token-oauth2';
import { TokenSource } from './token-source';

/**
 * The CLI's token for a token broker: IAM, STS with the caller's AWS credentials for the broker's
 * audience; OAuth 2.0, MQ_PLATFORM_TOKEN as given, or the client-credentials flow with
 * MQ_PLATFORM_TOKEN_ENDPOINT, MQ_PLATFORM_CLIENT_ID and MQ_PLATFORM_CLIENT_SECRET.
 */
export function cliTokenSource(token: TokenAuthenticationInfo, env: NodeJS.ProcessEnv, sts: () => STSClient): TokenSource {
  if (token.kind === 'iam') {
    if (!token.audience)
      throw new MqPlatformError('usage', 'the broker has no mq-platform:token-audience tag', {
        hint: 'is it deployed by mq-platform? Pass MQ_PLATFORM_TOKEN instead',
      });
    if (env.MQ_PLATFORM_TOKEN) return new TokenSource(async () => ({ token: env.MQ_PLATFORM_TOKEN! }));
    return new TokenSource(iamTokenFetcher({ sts: sts(), audience: token.audience }));
  }
  if (env.MQ_PLATFORM_TOKEN) return new TokenSource(async () => ({ token: env.MQ_PLATFORM_TOKEN! }));
  const { MQ_PLATFORM_TOKEN_ENDPOINT: tokenEndpoint, MQ_PLATFORM_CLIENT_ID: clientId, MQ_PLATFORM_CLIENT_SECRET: clientSecret } = env;
  if (!tokenEndpoint || !clientId || !clientSecret)
    throw new MqPlatformError('no-credentials', 'the broker takes OAuth 2.0 tokens and none was given', {
      hint: 'set MQ_PLATFORM_TOKEN, or MQ_PLATFORM_TOKEN_ENDPOINT, MQ_PLATFORM_CLIENT_ID and MQ_PLATFORM_CLIENT_SECRET (client-credentials flow)',
    });
  return new TokenSource(clientCredentialsFetcher({ tokenEndpoint, clientId, clientSecret, resource: token.audience }));
}
