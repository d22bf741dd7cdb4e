import { TOKEN_AUTHENTICATION_STRATEGY } from '../amazonmq/authentication';
import type { BrokerConfig } from './schema';
import type { LdapAuthenticationConfig } from './schema-authentication-ldap';
import type {
  AuthenticationConfig,
  IamAuthenticationConfig,
  OAuth2AuthenticationConfig,
  ScopePermissionConfig,
} from './schema-authentication';

/**
 * A broker's authentication resolved once: Amazon MQ's AuthenticationStrategy and, for token
 * strategies (IAM, OAuth 2.0), the rabbitmq.conf entries of RabbitMQ's OAuth 2.0 backend. Pure:
 * the broker configuration (issue 11) and the tests read the same entries.
 */

export const DEFAULT_IAM_AUDIENCE = 'rabbitmq';
/** What the client library asks STS for when the config names no lifetime: 15 minutes. */
export const DEFAULT_IAM_TOKEN_LIFETIME_SECONDS = 900;

/** One rabbitmq.conf line, `key = value`, in the order written (the shape of K's RabbitMqConfEntry). */
export interface RabbitMqConfEntry {
  readonly key: string;
  readonly value: string;
}
const entry = (key: string, value: string): RabbitMqConfEntry => ({ key, value });

export interface ResolvedIamRole {
  readonly roleArn: string;
  /** RabbitMQ scopes of the role, prefixed, in a stable order. */
  readonly scopes: readonly string[];
}

export interface ResolvedTokenAuthentication {
  readonly strategy: 'iam' | 'oauth2';
  readonly amazonMqStrategy: typeof TOKEN_AUTHENTICATION_STRATEGY;
  /** Resource server id: tokens carry it in `aud`. */
  readonly audience: string;
  readonly scopePrefix: string;
  readonly issuer?: string;
  readonly jwksUrl?: string;
  /** RabbitMQ's internal users also log in (administrator and password users). */
  readonly internalUsers: boolean;
  /** IAM: the roles allowed and their scopes (empty for OAuth 2.0). */
  readonly roles: readonly ResolvedIamRole[];
  /** IAM: the token lifetime clients ask STS for. */
  readonly tokenLifetimeSeconds?: number;
  /** OAuth 2.0: the client-credentials token endpoint (client library only). */
  readonly tokenEndpoint?: string;
  /** The rabbitmq.conf entries that switch the broker to the OAuth 2.0 backend, in order. */
  readonly rabbitMqConf: readonly RabbitMqConfEntry[];
}

export type ResolvedAuthentication =
  | { readonly strategy: 'simple'; readonly amazonMqStrategy: 'SIMPLE' }
  | { readonly strategy: 'ldap'; readonly amazonMqStrategy: 'LDAP'; readonly ldap: LdapAuthenticationConfig }
  | ResolvedTokenAuthentication;

export function isTokenAuthentication(a: ResolvedAuthentication | undefined): a is ResolvedTokenAuthentication {
  return a?.strategy === 'iam' || a?.strategy === 'oauth2';
}

/** True when the broker has no password users at all: a token strategy without internal users. */
export function tokenOnly(auth: AuthenticationConfig | undefined): boolean {
  return (auth?.strategy === 'iam' || auth?.strategy === 'oauth2') && auth.internalUsers !== true;
}

export function resolveAuthentication(auth: AuthenticationConfig | undefined): ResolvedAuthentication {
  switch (auth?.strategy) {
    case undefined:
    case 'simple':
      return { strategy: 'simple', amazonMqStrategy: 'SIMPLE' };
    case 'ldap':
      return { strategy: 'ldap', amazonMqStrategy: 'LDAP', ldap: auth };
    case 'iam':
      return resolveIam(auth);
    case 'oauth2':
      return resolveOAuth2(auth);
  }
}

/** RabbitMQ scopes of permissions on virtual hosts: `<prefix><permission>:<vhost>/<resource>` (RabbitMQ OAuth 2.0 docs). */
export function permissionScopes(prefix: string, permissions: readonly ScopePermissionConfig[], tags: readonly string[] = []): string[] {
  const scopes: string[] = [];
  for (const p of permissions) {
    for (const kind of ['configure', 'write', 'read'] as const) {
      const resource = p[kind];
      // The vhost part ends at the first "/": the default vhost "/" is written %2F (RabbitMQ OAuth 2.0 docs).
      if (resource !== undefined) scopes.push(`${prefix}${kind}:${p.vhost.replace(/\//g, '%2F')}/${resource}`);
    }
  }
  for (const t of tags) scopes.push(`${prefix}tag:${t}`);
  return scopes;
}

function backends(internalUsers: boolean): RabbitMqConfEntry[] {
  return internalUsers ? [entry('auth_backends.1', 'oauth2'), entry('auth_backends.2', 'internal')] : [entry('auth_backends.1', 'oauth2')];
}

/** `auth_oauth2.scope_aliases.<n>.alias/.scope`: the indexed form, which takes aliases with ":" and "/" (ARNs). */
function scopeAliases(aliases: ReadonlyArray<readonly [string, readonly string[]]>): RabbitMqConfEntry[] {
  return aliases.flatMap(([alias, scopes], i) => [
    entry(`auth_oauth2.scope_aliases.${i + 1}.alias`, alias),
    entry(`auth_oauth2.scope_aliases.${i + 1}.scope`, scopes.join(' ')),
  ]);
}

function resolveIam(auth: IamAuthenticationConfig): ResolvedTokenAuthentication {
  const audience = auth.audience ?? DEFAULT_IAM_AUDIENCE;
  const scopePrefix = `${audience}.`;
  const internalUsers = auth.internalUsers ?? false;
  const roles = (auth.roles ?? []).map((r) => ({ roleArn: r.roleArn, scopes: permissionScopes(scopePrefix, r.permissions ?? [], r.tags) }));
  // STS nests its own claims under "https://sts.amazonaws.com/", so no scope claim names RabbitMQ
  // permissions: the role ARN in `sub` is taken as a scope and a scope alias per role maps it to
  // the role's permissions (iam-for-amq-for-rabbitmq, "Limitations").
  return {
    strategy: 'iam',
    amazonMqStrategy: TOKEN_AUTHENTICATION_STRATEGY,
    audience,
    scopePrefix,
    issuer: auth.issuer,
    internalUsers,
    roles,
    tokenLifetimeSeconds: auth.tokenLifetimeSeconds ?? DEFAULT_IAM_TOKEN_LIFETIME_SECONDS,
    rabbitMqConf: [
      ...backends(internalUsers),
      entry('auth_oauth2.resource_server_id', audience),
      entry('auth_oauth2.issuer', auth.issuer),
      entry('auth_oauth2.preferred_username_claims.1', 'sub'),
      entry('auth_oauth2.additional_scopes_key', 'sub'),
      ...scopeAliases(roles.map((r) => [r.roleArn, r.scopes] as const)),
    ],
  };
}

function resolveOAuth2(auth: OAuth2AuthenticationConfig): ResolvedTokenAuthentication {
  const internalUsers = auth.internalUsers ?? false;
  const scopePrefix = auth.scopePrefix ?? `${auth.audience}.`;
  const conf: RabbitMqConfEntry[] = [...backends(internalUsers), entry('auth_oauth2.resource_server_id', auth.audience)];
  if (auth.issuer !== undefined) conf.push(entry('auth_oauth2.issuer', auth.issuer));
  if (auth.jwksUrl !== undefined) conf.push(entry('auth_oauth2.jwks_url', auth.jwksUrl));
  if (auth.scopePrefix !== undefined) conf.push(entry('auth_oauth2.scope_prefix', auth.scopePrefix));
  if (auth.additionalScopesKey !== undefined) conf.push(entry('auth_oauth2.additional_scopes_key', auth.additionalScopesKey));
  (auth.preferredUsernameClaims ?? []).forEach((c, i) => conf.push(entry(`auth_oauth2.preferred_username_claims.${i + 1}`, c)));
  (auth.algorithms ?? []).forEach((a, i) => conf.push(entry(`auth_oauth2.algorithms.${i + 1}`, a)));
  conf.push(...scopeAliases(Object.entries(auth.scopeAliases ?? {})));
  for (const key of Object.keys(auth.settings ?? {}).sort()) conf.push(entry(key, auth.settings![key]));
  return {
    strategy: 'oauth2',
    amazonMqStrategy: TOKEN_AUTHENTICATION_STRATEGY,
    audience: auth.audience,
    scopePrefix,
    issuer: auth.issuer,
    jwksUrl: auth.jwksUrl,
    internalUsers,
    roles: [],
    tokenEndpoint: auth.tokenEndpoint,
    rabbitMqConf: conf,
  };
}

/** The entries as rabbitmq.conf text, one `key = value` per line. */
export function formatRabbitMqConf(entries: readonly RabbitMqConfEntry[]): string {
  return entries.map((e) => `${e.key} = ${e.value}`).join('\n') + (entries.length ? '\n' : '');
}

/**
 * The broker configuration's part for token authentication (issue 11's ConfigurationContribution
 * contract): the rabbitmq.conf entries of IAM/OAuth 2.0, under the field "authentication".
 * Undefined for simple and LDAP brokers.
 */
export function authenticationContribution(
  broker: Pick<BrokerConfig, 'authentication'>,
): { readonly field: 'authentication'; readonly rabbitMqConf: readonly RabbitMqConfEntry[] } | undefined {
  const a = resolveAuthentication(broker.authentication);
  return isTokenAuthentication(a) ? { field: 'authentication', rabbitMqConf: a.rabbitMqConf } : undefined;
}
