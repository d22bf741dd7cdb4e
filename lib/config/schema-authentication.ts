import { z } from 'zod';
import { LdapAuthenticationSchema } from './schema-authentication-ldap';

/**
 * How a broker authenticates its clients: `authentication: { strategy, ... }`, one variant per
 * strategy. simple = broker users with passwords (Secrets Manager, rotated); iam and oauth2 =
 * RabbitMQ's OAuth 2.0 backend (Amazon MQ's CONFIG_MANAGED strategy), no broker password; ldap =
 * ActiveMQ LDAP (L's ./schema-authentication-ldap.ts). Cross-field rules live in
 * ./rules/authentication-rules.ts (and ./rules/ldap-rules.ts).
 */

export const AUTHENTICATION_STRATEGIES = ['simple', 'iam', 'oauth2', 'ldap'] as const;
export type AuthenticationStrategy = (typeof AUTHENTICATION_STRATEGIES)[number];

export const ScopePermissionSchema = z
  .strictObject({
    vhost: z
      .string()
      .describe('Virtual host, or a wildcard pattern of virtual hosts ("*" matches every one), for example "/" or "orders".'),
    configure: z
      .string()
      .optional()
      .describe('Wildcard pattern of the queues and exchanges it may declare and delete, for example "orders.*". Default: none.'),
    write: z.string().optional().describe('Wildcard pattern of the exchanges and queues it may publish to. Default: none.'),
    read: z.string().optional().describe('Wildcard pattern of the queues and exchanges it may consume from and bind. Default: none.'),
  })
  .describe(
    'RabbitMQ OAuth 2.0 scopes on one virtual host ("<resource server>.<permission>:<vhost>/<resource>"): wildcard patterns, not regular expressions.',
  );

export const IamPrincipalSchema = z
  .strictObject({
    roleArn: z
      .string()
      .describe('ARN of the IAM role the application runs as, for example "arn:aws:iam::123456789012:role/orders-service".'),
    permissions: z.array(ScopePermissionSchema).describe('What the role may do on the broker, one entry per virtual host.'),
    tags: z
      .array(z.string())
      .optional()
      .describe('RabbitMQ user tags of the role, for example ["management"]; never "administrator". Default: none.'),
  })
  .describe('An IAM role allowed to connect, and its RabbitMQ permissions (a scope alias keyed by the role ARN).');

const httpsUrl = (what: string) => z.string().describe(`${what}; https:// only (Amazon MQ refuses other URLs).`);

export const IamAuthenticationSchema = z
  .strictObject({
    strategy: z.literal('iam').describe('RabbitMQ 3.13, 4.2 and later: applications authenticate with their IAM role (STS JWT).'),
    issuer: httpsUrl(
      'The account\'s IAM outbound identity federation issuer, as `aws iam enable-outbound-web-identity-federation` prints it, for example "https://a1b2c3d4-0000-1111-2222-333344445555.tokens.sts.global.api.aws"',
    ),
    audience: z
      .string()
      .optional()
      .describe(
        'Audience of the tokens (GetWebIdentityToken Audience), which is also the broker\'s OAuth 2.0 resource server id and scope prefix. Default: "rabbitmq".',
      ),
    roles: z.array(IamPrincipalSchema).describe('The IAM roles allowed to connect, with their permissions.'),
    tokenLifetimeSeconds: z
      .number()
      .int()
      .optional()
      .describe('Lifetime the clients ask STS for (GetWebIdentityToken DurationSeconds, 60 to 3600). Default: 900.'),
    internalUsers: z
      .boolean()
      .optional()
      .describe(
        "Also accept RabbitMQ's internal users (auth_backends.2 = internal): the administrator and password users keep working, for a migration. Default: false (no broker password at all).",
      ),
  })
  .describe('IAM authentication (Amazon MQ for RabbitMQ, "iam-for-amq-for-rabbitmq").');

export const OAuth2AuthenticationSchema = z
  .strictObject({
    strategy: z.literal('oauth2').describe('RabbitMQ: applications present JWT access tokens of an external OAuth 2.0 identity provider.'),
    issuer: z
      .string()
      .optional()
      .describe(
        'Issuer URL of the identity provider (auth_oauth2.issuer); its /.well-known/openid-configuration names the signing keys. Default: none (then jwksUrl is required); https:// only.',
      ),
    jwksUrl: z
      .string()
      .optional()
      .describe('URL of the signing keys (auth_oauth2.jwks_url). Default: discovered from the issuer; https:// only.'),
    audience: z
      .string()
      .describe(
        'Resource server id of the broker (auth_oauth2.resource_server_id): tokens must carry it in "aud", and their scopes start with it (or scopePrefix).',
      ),
    scopePrefix: z.string().optional().describe('Prefix of the RabbitMQ scopes (auth_oauth2.scope_prefix). Default: "<audience>.".'),
    additionalScopesKey: z
      .string()
      .optional()
      .describe('Claim that holds further scopes (auth_oauth2.additional_scopes_key), for example "roles". Default: none.'),
    preferredUsernameClaims: z
      .array(z.string())
      .optional()
      .describe("Claims naming the user in logs and the console (auth_oauth2.preferred_username_claims). Default: RabbitMQ's (sub)."),
    algorithms: z
      .array(z.string())
      .optional()
      .describe("Signing algorithms accepted (auth_oauth2.algorithms), among those Amazon MQ supports. Default: RabbitMQ's."),
    scopeAliases: z
      .record(z.string(), z.array(z.string()))
      .optional()
      .describe(
        'Scope aliases (auth_oauth2.scope_aliases): a role or group name of the identity provider mapped to RabbitMQ scopes. Default: none.',
      ),
    tokenEndpoint: z
      .string()
      .optional()
      .describe(
        'Token endpoint of the client-credentials flow, for the client library and CLI only (not a broker setting). Default: none (clients bring their tokens); https:// only.',
      ),
    settings: z
      .record(z.string(), z.string())
      .optional()
      .describe(
        'Further keys of the RabbitMQ OAuth 2.0 plugin (auth_oauth2.* and management.oauth_*), as rabbitmq.conf lines; the keys Amazon MQ refuses are rejected. Default: none.',
      ),
    internalUsers: z
      .boolean()
      .optional()
      .describe(
        'Also accept RabbitMQ\'s internal users (auth_backends.2 = internal), as Amazon MQ\'s "OAuth 2.0 and simple authentication" setup. Default: false.',
      ),
  })
  .describe('OAuth 2.0 authentication (Amazon MQ for RabbitMQ, "oauth-for-amq-for-rabbitmq").');

export const SimpleAuthenticationSchema = z
  .strictObject({
    strategy: z.literal('simple').describe('Broker users with passwords in Secrets Manager, rotated by the platform (the default).'),
  })
  .describe('Simple authentication: broker users and passwords.');

export const AuthenticationSchema = z
  .discriminatedUnion('strategy', [
    SimpleAuthenticationSchema,
    IamAuthenticationSchema,
    OAuth2AuthenticationSchema,
    LdapAuthenticationSchema,
  ])
  .describe(
    'How the broker authenticates clients: "simple" (passwords, the default), "iam" or "oauth2" (RabbitMQ tokens, no broker password), "ldap" (ActiveMQ directory).',
  );

export type AuthenticationConfig = z.output<typeof AuthenticationSchema>;
export type IamAuthenticationConfig = z.output<typeof IamAuthenticationSchema>;
export type OAuth2AuthenticationConfig = z.output<typeof OAuth2AuthenticationSchema>;
export type IamPrincipalConfig = z.output<typeof IamPrincipalSchema>;
export type ScopePermissionConfig = z.output<typeof ScopePermissionSchema>;
