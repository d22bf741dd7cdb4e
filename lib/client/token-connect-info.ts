import { STS_SIGNING_ALGORITHMS, STS_TOKEN_DURATION_SECONDS } from '../amazonmq/authentication';
import type { BrokerInfo, TokenAuthenticationInfo } from './broker-directory';
import { endpointsByProtocol } from './connect-info';
import { parseEndpoint } from './endpoint';
import { MqPlatformError } from './errors';

/** Placeholder of the token in printed settings: tokens are short-lived and never printed. */
export const TOKEN_PLACEHOLDER = '<token>';

/** connect-info of a broker with token authentication (IAM, OAuth 2.0): no password, how to get the token. */
export interface TokenConnectInfo {
  readonly broker: string;
  readonly engine: string;
  readonly mode: string;
  readonly authentication: TokenAuthenticationInfo & { readonly howToGetToken: string };
  /** amqplib URL with the token's place: RabbitMQ ignores the username and reads the token as the password. */
  readonly amqplib?: { readonly url: string };
  readonly consoleUrls: string[];
}

export function buildTokenConnectInfo(broker: BrokerInfo): TokenConnectInfo {
  const token = broker.token;
  if (!token) throw new MqPlatformError('usage', `broker ${broker.name} does not use token authentication`);
  const audience = token.audience ?? '<audience>';
  const howToGetToken =
    token.kind === 'iam'
      ? `STS GetWebIdentityToken with the application's AWS credentials: Audience ["${audience}"], SigningAlgorithm ${STS_SIGNING_ALGORITHMS.join(' or ')}, DurationSeconds ${STS_TOKEN_DURATION_SECONDS.min}-${STS_TOKEN_DURATION_SECONDS.max} (mq-platform client: tokenSource = new TokenSource(iamTokenFetcher({ sts, audience: "${audience}" })))`
      : `an access token of your OAuth 2.0 identity provider with audience "${audience}" and RabbitMQ scopes, e.g. the client-credentials flow (mq-platform client: tokenSource = new TokenSource(clientCredentialsFetcher({ tokenEndpoint, clientId, clientSecret })))`;
  const amqps = endpointsByProtocol(broker).amqps?.[0];
  const e = amqps ? parseEndpoint(amqps) : undefined;
  return {
    broker: broker.name,
    engine: broker.engine,
    mode: broker.mode,
    authentication: { ...token, howToGetToken },
    ...(e ? { amqplib: { url: `amqps://${token.kind === 'iam' ? 'iam' : 'oauth2'}:${TOKEN_PLACEHOLDER}@${e.host}:${e.port}` } } : {}),
    consoleUrls: broker.instances.map((i) => i.consoleUrl).filter((u): u is string => !!u),
  };
}

/** connect-info's lines for a token broker. */
export function tokenLines(info: TokenConnectInfo): string[] {
  const a = info.authentication;
  return [
    `${info.broker} (${info.engine}, ${info.mode})`,
    `authentication:         ${a.kind === 'iam' ? 'IAM' : 'OAuth 2.0'} (no broker password: the password is a token, the username is ignored; refresh it before it expires)`,
    `  audience:             ${a.audience ?? '(not tagged)'}`,
    `  token:                ${a.howToGetToken}`,
    ...(info.amqplib ? [`amqplib URL:            ${info.amqplib.url}`] : []),
    ...info.consoleUrls.map((u) => `console:                ${u}`),
  ];
}
