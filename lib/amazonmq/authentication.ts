/**
 * What Amazon MQ, STS and RabbitMQ's OAuth 2.0 plugin accept for token authentication (IAM and
 * OAuth 2.0 on RabbitMQ), each fact with its page. Read 2026-11-30 (AUTHENTICATION_FACT_DATE).
 */

const DOCS = 'https://docs.aws.amazon.com/amazon-mq/latest/developer-guide';

export const AUTHENTICATION_FACT_DATE = '2026-11-30';

export const AUTHENTICATION_SOURCES = {
  rabbitMqAuthentication: `${DOCS}/rabbitmq-authentication.html`,
  iam: `${DOCS}/iam-for-amq-for-rabbitmq.html`,
  iamTutorial: `${DOCS}/rabbitmq-iam-tutorial.html`,
  oauth2: `${DOCS}/oauth-for-amq-for-rabbitmq.html`,
  oauth2Tutorial: `${DOCS}/oauth-tutorial.html`,
  cfnBroker: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-amazonmq-broker.html',
  getWebIdentityToken: 'https://docs.aws.amazon.com/STS/latest/APIReference/API_GetWebIdentityToken.html',
  outboundFederation: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_outbound_getting_started.html',
  iamArns: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html',
  rabbitMqOAuth2: 'https://www.rabbitmq.com/docs/oauth2',
  rabbitMqScopeAliasesConf: 'https://github.com/rabbitmq/rabbitmq-server/issues/12210',
} as const;

/** Amazon MQ's AuthenticationStrategy for a broker that authenticates with tokens (IAM, OAuth 2.0). */
export const TOKEN_AUTHENTICATION_STRATEGY = 'CONFIG_MANAGED';

/**
 * IAM authentication: "supported on RabbitMQ versions 3.13, 4.2 and above", not on ActiveMQ
 * (AUTHENTICATION_SOURCES.iam). 4.0 and 4.1 are not among them.
 */
export function iamAuthenticationSupported(engineVersion: string): boolean {
  const m = /^(\d+)\.(\d+)$/.exec(engineVersion);
  if (!m) return false;
  const [major, minor] = [Number(m[1]), Number(m[2])];
  return (major === 3 && minor === 13) || (major === 4 && minor >= 2) || major > 4;
}
export const IAM_AUTHENTICATION_VERSIONS_TEXT = '3.13, 4.2 and later';

/**
 * Keys of the RabbitMQ OAuth 2.0 plugin that Amazon MQ does not accept (AUTHENTICATION_SOURCES.oauth2,
 * "Supported OAuth 2.0 configurations"); `{id/index}` is any provider id or index.
 */
export const OAUTH2_REFUSED_KEYS: readonly { readonly key: string; readonly pattern: RegExp }[] = [
  { key: 'auth_oauth2.https.cacertfile', pattern: /^auth_oauth2\.https\.cacertfile$/ },
  { key: 'auth_oauth2.oauth_providers.{id/index}.https.cacertfile', pattern: /^auth_oauth2\.oauth_providers\.[^.]+\.https\.cacertfile$/ },
  { key: 'management.oauth_client_secret', pattern: /^management\.oauth_client_secret$/ },
  {
    key: 'management.oauth_resource_servers.{id/index}.oauth_client_secret',
    pattern: /^management\.oauth_resource_servers\.[^.]+\.oauth_client_secret$/,
  },
  { key: 'auth_oauth2.signing_keys.{id/index}', pattern: /^auth_oauth2\.signing_keys\.[^.]+$/ },
];

/** Signing algorithms Amazon MQ accepts for OAuth 2.0 tokens (AUTHENTICATION_SOURCES.oauth2, "Additional validations"). */
export const OAUTH2_SIGNING_ALGORITHMS = [
  'Ed25519',
  'Ed25519ph',
  'Ed448',
  'Ed448ph',
  'EdDSA',
  'ES256K',
  'ES256',
  'ES384',
  'ES512',
  'HS256',
  'HS384',
  'HS512',
  'PS256',
  'PS384',
  'PS512',
  'RS256',
  'RS384',
  'RS512',
] as const;

/** Every URL of the OAuth 2.0 setup must start with https:// (AUTHENTICATION_SOURCES.oauth2, "Additional validations"). */
export const OAUTH2_URL_SCHEME = 'https://';

/**
 * The issuer IAM outbound identity federation gives an account: `https://<id>.tokens.sts.global.api.aws`
 * (AUTHENTICATION_SOURCES.iamTutorial, step "Enable outbound JWT tokens").
 */
export const IAM_ISSUER_PATTERN = /^https:\/\/[A-Za-z0-9-]+\.tokens\.sts\.global\.api\.aws$/;

/** GetWebIdentityToken: SigningAlgorithm RS256 or ES384; DurationSeconds 60 to 3600, 300 when not given (AUTHENTICATION_SOURCES.getWebIdentityToken). */
export const STS_SIGNING_ALGORITHMS = ['RS256', 'ES384'] as const;
export const STS_TOKEN_DURATION_SECONDS = { min: 60, max: 3600, default: 300 } as const;

/** The STS actions an application needs for its token; tags need the second (AUTHENTICATION_SOURCES.iamTutorial, outbound federation). */
export const STS_TOKEN_ACTIONS = ['sts:GetWebIdentityToken'] as const;
/** Condition keys of GetWebIdentityToken (IAM user guide, outbound identity federation). */
export const STS_CONDITION_KEYS = {
  audience: 'sts:IdentityTokenAudience',
  duration: 'sts:DurationSeconds',
  signingAlgorithm: 'sts:SigningAlgorithm',
} as const;

/** IAM action needed to enable OAuth 2.0 (and IAM) authentication on an existing broker (AUTHENTICATION_SOURCES.oauth2). */
export const UPDATE_ACCESS_CONFIGURATION_ACTION = 'mq:UpdateBrokerAccessConfiguration';

/** Amazon MQ's own monitoring user, internal authentication on loopback only, also on token brokers (AUTHENTICATION_SOURCES.oauth2). */
export const MONITORING_SYSTEM_USER = 'monitoring-AWS-OWNED-DO-NOT-DELETE';

/** IAM role ARN (AUTHENTICATION_SOURCES.iamArns). */
export const IAM_ROLE_ARN_PATTERN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
