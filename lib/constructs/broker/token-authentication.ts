import * as iam from 'aws-cdk-lib/aws-iam';
import { STS_CONDITION_KEYS, STS_SIGNING_ALGORITHMS, STS_TOKEN_ACTIONS, STS_TOKEN_DURATION_SECONDS } from '../../amazonmq/authentication';
import { permissionScopes, type RabbitMqConfEntry } from '../../config/authentication-plan';

/**
 * Token authentication of a RabbitMQ broker (Amazon MQ strategy CONFIG_MANAGED): what the broker
 * construct needs, and the IAM statements an application role needs to get its token.
 */
export interface MqBrokerTokenAuthentication {
  /** "iam": STS web identity tokens of the application's IAM role; "oauth2": an external identity provider. */
  readonly kind: 'iam' | 'oauth2';
  /** The broker's resource server id: tokens carry it in `aud`. */
  readonly audience: string;
  /**
   * RabbitMQ's internal users log in too (the administrator, password users).
   * @default false - no broker user at all
   */
  readonly internalUsers?: boolean;
  /**
   * IAM: the longest token lifetime a granted role may ask STS for, in seconds (60 to 3600).
   * @default 900
   */
  readonly tokenLifetimeSeconds?: number;
  /**
   * rabbitmq.conf entries of the OAuth 2.0 backend as the plan resolved them (backends, issuer,
   * scope aliases of the roles named in config); `grantConnect` adds one scope alias per role.
   * @default - none
   */
  readonly rabbitMqConf?: readonly RabbitMqConfEntry[];
}

/** What `grantConnect` lets a role do on a virtual host: wildcard patterns of queues and exchanges. */
export interface GrantConnectOptions {
  /** Virtual host, or a wildcard pattern of virtual hosts. */
  readonly vhost: string;
  /** Patterns per permission, for example `{ read: 'orders.*', write: 'orders.*' }`; an absent permission is not granted. */
  readonly permissions: { readonly configure?: string; readonly write?: string; readonly read?: string };
  /** RabbitMQ user tags, for example `['management']`. @default - none */
  readonly tags?: readonly string[];
}

/** One role's scopes, as a scope alias keyed by its ARN (the `sub` of its STS tokens). */
export interface ConnectGrant {
  readonly roleArn: string;
  readonly scopes: readonly string[];
}

/**
 * The statement a role needs to get tokens for this broker and nothing else: GetWebIdentityToken
 * for exactly the broker's audience, no longer than the lifetime, signed with an algorithm the
 * broker accepts. GetWebIdentityToken has no resource type, hence `*` with conditions.
 * Sources: AUTHENTICATION_SOURCES.getWebIdentityToken, .outboundFederation, .iamTutorial.
 */
export function webIdentityTokenStatement(audience: string, maxLifetimeSeconds: number): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'GetBrokerWebIdentityToken',
    actions: [...STS_TOKEN_ACTIONS],
    resources: ['*'],
    conditions: {
      'ForAllValues:StringEquals': { [STS_CONDITION_KEYS.audience]: [audience] },
      Null: { [STS_CONDITION_KEYS.audience]: 'false' },
      NumericLessThanEquals: { [STS_CONDITION_KEYS.duration]: Math.min(maxLifetimeSeconds, STS_TOKEN_DURATION_SECONDS.max) },
      StringEquals: { [STS_CONDITION_KEYS.signingAlgorithm]: [...STS_SIGNING_ALGORITHMS] },
    },
  });
}

/** The scope alias entries of code grants, numbered after the `count` aliases the plan already has. */
export function grantAliasEntries(grants: readonly ConnectGrant[], count: number): RabbitMqConfEntry[] {
  return grants.flatMap((g, i) => [
    { key: `auth_oauth2.scope_aliases.${count + i + 1}.alias`, value: g.roleArn },
    { key: `auth_oauth2.scope_aliases.${count + i + 1}.scope`, value: g.scopes.join(' ') },
  ]);
}

/** Scopes of one grantConnect call. */
export function grantScopes(audience: string, options: GrantConnectOptions): string[] {
  return permissionScopes(`${audience}.`, [{ vhost: options.vhost, ...options.permissions }], options.tags);
}
