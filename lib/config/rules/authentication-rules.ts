import {
  AUTHENTICATION_SOURCES as S,
  IAM_AUTHENTICATION_VERSIONS_TEXT,
  IAM_ISSUER_PATTERN,
  IAM_ROLE_ARN_PATTERN,
  OAUTH2_REFUSED_KEYS,
  OAUTH2_SIGNING_ALGORITHMS,
  OAUTH2_URL_SCHEME,
  STS_TOKEN_DURATION_SECONDS,
  iamAuthenticationSupported,
} from '../../amazonmq/authentication';
import type { AuthenticationConfig, ScopePermissionConfig } from '../schema-authentication';
import type { BrokerConfig } from '../schema';
import { tokenOnly } from '../authentication-plan';
import { at, list } from './problem';
import { brokerRule, type BrokerRule, type BrokerRuleContext, type Report } from './rule';

/**
 * Rules of RabbitMQ IAM and OAuth 2.0 authentication (the "iam" and "oauth2" strategies), each
 * from its page in lib/amazonmq/authentication.ts. LDAP's rules are in ./ldap-rules.ts.
 */

const p = (ctx: BrokerRuleContext, ...rest: Array<string | number>) => at('brokers', ctx.index, 'authentication', ...rest);
type TokenAuth = Extract<AuthenticationConfig, { strategy: 'iam' | 'oauth2' }>;
const token = (b: BrokerConfig): TokenAuth | undefined =>
  b.authentication?.strategy === 'iam' || b.authentication?.strategy === 'oauth2' ? b.authentication : undefined;

/** Keys the typed fields write; `settings` may not set them again. */
const TYPED_KEYS: Readonly<Record<string, string>> = {
  'auth_oauth2.resource_server_id': 'audience',
  'auth_oauth2.issuer': 'issuer',
  'auth_oauth2.jwks_url': 'jwksUrl',
  'auth_oauth2.scope_prefix': 'scopePrefix',
  'auth_oauth2.additional_scopes_key': 'additionalScopesKey',
};
const TYPED_PREFIXES: ReadonlyArray<readonly [string, string]> = [
  ['auth_oauth2.preferred_username_claims.', 'preferredUsernameClaims'],
  ['auth_oauth2.algorithms.', 'algorithms'],
  ['auth_oauth2.scope_aliases.', 'scopeAliases'],
  ['auth_backends.', 'internalUsers'],
];

function checkHttps(report: Report, path: string, value: string | undefined): void {
  if (value !== undefined && !value.startsWith(OAUTH2_URL_SCHEME))
    report(path, value, `is not an https:// URL; Amazon MQ requires every OAuth 2.0 URL to start with ${OAUTH2_URL_SCHEME}`);
}

/** A scope is one word: RabbitMQ splits the scope claim and scope aliases on spaces. */
function checkPermissions(report: Report, path: string, permissions: readonly ScopePermissionConfig[]): void {
  permissions.forEach((perm, i) => {
    for (const field of ['vhost', 'configure', 'write', 'read'] as const) {
      const v = perm[field];
      if (v !== undefined && (v === '' || /\s/.test(v)))
        report(
          at(path, i, field),
          v,
          'is not a RabbitMQ scope pattern; allowed: a non-empty pattern without spaces ("*" matches anything)',
        );
    }
    if (perm.configure === undefined && perm.write === undefined && perm.read === undefined)
      report(at(path, i), perm, 'grants nothing; allowed: at least one of configure, write, read');
  });
}

export const AUTHENTICATION_RULES: readonly BrokerRule[] = [
  // IAM and OAuth 2.0 are RabbitMQ features; ActiveMQ takes simple or LDAP.
  brokerRule('authentication-engine', S.rabbitMqAuthentication, (b, ctx, report) => {
    const a = token(b);
    if (a && b.engine === 'ACTIVEMQ')
      report(
        p(ctx, 'strategy'),
        a.strategy,
        `is not supported on ActiveMQ brokers (${a.strategy === 'iam' ? 'IAM' : 'OAuth 2.0'} authentication is RabbitMQ only); allowed: "simple", "ldap"`,
      );
  }),

  brokerRule('iam-engine-version', S.iam, (b, ctx, report) => {
    if (b.authentication?.strategy !== 'iam' || b.engine !== 'RABBITMQ') return;
    if (!iamAuthenticationSupported(b.engineVersion))
      report(
        at('brokers', ctx.index, 'engineVersion'),
        b.engineVersion,
        `does not support IAM authentication; allowed: RabbitMQ ${IAM_AUTHENTICATION_VERSIONS_TEXT}`,
      );
  }),

  // The account's outbound identity federation issuer; nothing else signs STS web identity tokens.
  brokerRule('iam-issuer', S.iamTutorial, (b, ctx, report) => {
    const a = b.authentication;
    if (a?.strategy !== 'iam') return;
    if (!a.issuer.startsWith(OAUTH2_URL_SCHEME)) checkHttps(report, p(ctx, 'issuer'), a.issuer);
    else if (!IAM_ISSUER_PATTERN.test(a.issuer))
      report(
        p(ctx, 'issuer'),
        a.issuer,
        'is not an IAM outbound identity federation issuer; allowed: https://<id>.tokens.sts.global.api.aws, as `aws iam get-outbound-web-identity-federation-info` prints it',
      );
  }),

  brokerRule('iam-roles', S.iamArns, (b, ctx, report) => {
    const a = b.authentication;
    if (a?.strategy !== 'iam') return;
    const seen = new Set<string>();
    a.roles.forEach((r, i) => {
      if (!IAM_ROLE_ARN_PATTERN.test(r.roleArn))
        report(p(ctx, 'roles', i, 'roleArn'), r.roleArn, 'is not an IAM role ARN; allowed: arn:aws:iam::<12-digit account>:role/<name>');
      else if (seen.has(r.roleArn)) report(p(ctx, 'roles', i, 'roleArn'), r.roleArn, 'is listed twice; allowed: one entry per role');
      // The connect policy is attached by role NAME (AttachRolePolicy takes "the name (friendly name,
      // not ARN)": https://docs.aws.amazon.com/IAM/latest/APIReference/API_AttachRolePolicy.html), so
      // another account's role would attach to a same-named role of this one.
      else if (ctx.config.account !== undefined && r.roleArn.split(':')[4] !== ctx.config.account)
        report(
          p(ctx, 'roles', i, 'roleArn'),
          r.roleArn,
          `is in account ${r.roleArn.split(':')[4]}, not the broker's account ${ctx.config.account}: the platform attaches the connect policy by role name in its own account; allowed: a role of account ${ctx.config.account} (grant a role of another account in that account)`,
        );
      seen.add(r.roleArn);
      if (r.permissions.length === 0)
        report(p(ctx, 'roles', i, 'permissions'), r.permissions, 'is empty; allowed: at least one virtual host');
      checkPermissions(report, p(ctx, 'roles', i, 'permissions'), r.permissions);
      (r.tags ?? []).forEach((t, j) => {
        if (t === 'administrator')
          report(
            p(ctx, 'roles', i, 'tags', j),
            t,
            'is reserved: an application role never administers the broker; allowed: "management", "monitoring", "policymaker"',
          );
      });
    });
    if (a.roles.length === 0)
      report(
        p(ctx, 'roles'),
        a.roles,
        'is empty: no application can connect; name at least one role (or grantConnect a role in code)',
        'warning',
      );
  }),

  brokerRule('iam-token-lifetime', S.getWebIdentityToken, (b, ctx, report) => {
    const a = b.authentication;
    if (a?.strategy !== 'iam' || a.tokenLifetimeSeconds === undefined) return;
    const { min, max } = STS_TOKEN_DURATION_SECONDS;
    if (a.tokenLifetimeSeconds < min || a.tokenLifetimeSeconds > max)
      report(
        p(ctx, 'tokenLifetimeSeconds'),
        a.tokenLifetimeSeconds,
        `is out of range; allowed: ${min} to ${max} (GetWebIdentityToken DurationSeconds)`,
      );
  }),

  brokerRule('oauth2-https-urls', S.oauth2, (b, ctx, report) => {
    const a = b.authentication;
    if (a?.strategy !== 'oauth2') return;
    checkHttps(report, p(ctx, 'issuer'), a.issuer);
    checkHttps(report, p(ctx, 'jwksUrl'), a.jwksUrl);
    checkHttps(report, p(ctx, 'tokenEndpoint'), a.tokenEndpoint);
    for (const [key, value] of Object.entries(a.settings ?? {}))
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) checkHttps(report, p(ctx, 'settings', key), value);
  }),

  // Signing keys in the config are refused (signing_keys), so RabbitMQ must find them itself.
  brokerRule('oauth2-signing-keys-source', S.rabbitMqOAuth2, (b, ctx, report) => {
    const a = b.authentication;
    if (a?.strategy === 'oauth2' && a.issuer === undefined && a.jwksUrl === undefined)
      report(
        p(ctx, 'issuer'),
        undefined,
        'is required when jwksUrl is not given: RabbitMQ needs the issuer (discovery) or the JWKS URL to find the signing keys (Amazon MQ refuses auth_oauth2.signing_keys); allowed: an https:// issuer URL',
      );
  }),

  brokerRule('oauth2-refused-keys', S.oauth2, (b, ctx, report) => {
    const a = b.authentication;
    if (a?.strategy !== 'oauth2') return;
    for (const key of Object.keys(a.settings ?? {})) {
      const refused = OAUTH2_REFUSED_KEYS.find((k) => k.pattern.test(key));
      if (refused) {
        report(
          p(ctx, 'settings', key),
          a.settings![key],
          `is a key Amazon MQ does not accept (${refused.key}): no private CA, client secret or static signing key on the broker; allowed: remove it (keys come from the issuer's JWKS)`,
        );
        continue;
      }
      if (!/^(auth_oauth2\.|management\.oauth_)/.test(key)) {
        report(
          p(ctx, 'settings', key),
          a.settings![key],
          'is not a key of the OAuth 2.0 plugin; allowed: auth_oauth2.* and management.oauth_* keys',
        );
        continue;
      }
      const field = TYPED_KEYS[key] ?? TYPED_PREFIXES.find(([prefix]) => key.startsWith(prefix))?.[1];
      if (field) report(p(ctx, 'settings', key), a.settings![key], `is set by the field ${field}; allowed: use authentication.${field}`);
    }
  }),

  brokerRule('oauth2-signing-algorithms', S.oauth2, (b, ctx, report) => {
    const a = b.authentication;
    if (a?.strategy !== 'oauth2') return;
    (a.algorithms ?? []).forEach((alg, i) => {
      if (!(OAUTH2_SIGNING_ALGORITHMS as readonly string[]).includes(alg))
        report(p(ctx, 'algorithms', i), alg, `is not a signing algorithm Amazon MQ supports; allowed: ${list(OAUTH2_SIGNING_ALGORITHMS)}`);
    });
  }),

  brokerRule('oauth2-scope-aliases', S.rabbitMqOAuth2, (b, ctx, report) => {
    const a = b.authentication;
    if (a?.strategy !== 'oauth2') return;
    for (const [alias, scopes] of Object.entries(a.scopeAliases ?? {})) {
      if (scopes.length === 0) report(p(ctx, 'scopeAliases', alias), scopes, 'maps to no scope; allowed: at least one RabbitMQ scope');
      scopes.forEach((s, i) => {
        if (s === '' || /\s/.test(s)) report(p(ctx, 'scopeAliases', alias, i), s, 'is not one scope; allowed: a scope without spaces');
      });
    }
  }),

  // Token brokers have no password users unless internal users stay on (CFN Users: "When OAuth 2.0
  // is enabled, the broker accepts one or no users").
  brokerRule('token-password-users', S.cfnBroker, (b, ctx, report) => {
    const a = token(b);
    if (!a || b.engine !== 'RABBITMQ') return;
    const name = a.strategy === 'iam' ? 'IAM' : 'OAuth 2.0';
    if (tokenOnly(a)) {
      if (b.administrator !== undefined)
        report(
          at('brokers', ctx.index, 'administrator'),
          b.administrator,
          `cannot log in: a broker with ${name} authentication and no internal users has no password user; allowed: remove it, or set authentication.internalUsers to true`,
        );
      if ((b.users ?? []).length > 0)
        report(
          at('brokers', ctx.index, 'users'),
          (b.users ?? []).map((u) => u.username),
          `cannot log in: a broker with ${name} authentication and no internal users takes tokens only; allowed: none (grant roles instead), or set authentication.internalUsers to true`,
        );
    }
  }),

  // The platform applies definitions through the management API as the administrator (a password user).
  brokerRule('token-definitions', S.rabbitMqAuthentication, (b, ctx, report) => {
    const a = token(b);
    if (!a || b.engine !== 'RABBITMQ' || !tokenOnly(a) || b.definitions === undefined) return;
    report(
      at('brokers', ctx.index, 'definitions'),
      '(set)',
      'cannot be applied: the platform applies definitions as the broker administrator, and a broker on token authentication without internal users has none; allowed: remove them, or set authentication.internalUsers to true with an administrator',
    );
  }),
];
