import { z } from 'zod';

/**
 * ActiveMQ LDAP authentication and authorization (`authentication: { strategy: 'ldap', ... }`).
 * The login fields become the broker's LdapServerMetadata; `authorization` becomes the
 * cachedLDAPAuthorizationMap of the broker configuration. Source:
 * https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/security-authentication-authorization.html
 * Cross-field rules (engine, host names, placeholders, ARNs) live in ./rules/ldap-rules.ts.
 */

export const LdapServiceAccountSchema = z
  .strictObject({
    username: z
      .string()
      .describe(
        'Distinguished name of the service account that binds to the directory, for example "cn=amazonmq,ou=services,dc=corp,dc=example,dc=com".',
      ),
    passwordSecretArn: z
      .string()
      .optional()
      .describe(
        "ARN of an existing Secrets Manager secret holding the service account's password (JSON key `passwordKey`); the template only references it. Default: the platform generates the password in a new secret `mq-platform/<environment>/<broker>/ldap-service-account`, which the directory's administrators then set on the service account.",
      ),
    passwordKey: z.string().optional().describe('JSON key of the password in the secret named by passwordSecretArn. Default: "password".'),
    readers: z
      .array(z.string())
      .optional()
      .describe(
        "IAM role ARNs that may read a generated service-account secret (for example the directory team's role that sets the password in LDAP). Default: none (only CloudFormation, which resolves it).",
      ),
  })
  .describe('The LDAP account Amazon MQ binds with; its password lives only in Secrets Manager.');

export const LdapAuthorizationSchema = z
  .strictObject({
    queueSearchBase: z
      .string()
      .describe('DN under which queue permissions live, for example "ou=Queue,ou=Destination,ou=corp,dc=corp,dc=example,dc=com".'),
    topicSearchBase: z.string().describe('DN under which topic permissions live, for example "ou=Topic,ou=Destination,...".'),
    tempSearchBase: z.string().describe('DN under which temporary-destination permissions live, for example "ou=Temp,ou=Destination,...".'),
    refreshIntervalMs: z
      .number()
      .int()
      .optional()
      .describe("How often the broker re-reads the permissions, in milliseconds. Default: ActiveMQ's own (the docs example uses 300000)."),
    legacyGroupMapping: z
      .boolean()
      .optional()
      .describe('ActiveMQ legacyGroupMapping: group members named by CN instead of DN. Default: false (as in the docs example).'),
  })
  .describe(
    "Where the directory keeps destination permissions (read, write and admin groups per destination): the broker configuration's cachedLDAPAuthorizationMap.",
  );

export const LdapAuthenticationSchema = z
  .strictObject({
    strategy: z.literal('ldap').describe('ActiveMQ only: users and permissions come from an LDAP directory.'),
    hosts: z
      .array(z.string())
      .describe(
        'Fully qualified domain names of the LDAP server, then optional failover servers; no protocol or port (Amazon MQ connects to ldaps://<host>:636). They must resolve publicly.',
      ),
    serviceAccount: LdapServiceAccountSchema,
    userBase: z.string().describe('DN of the subtree searched for users, for example "ou=Users,ou=corp,dc=corp,dc=example,dc=com".'),
    userSearchMatching: z
      .string()
      .describe('LDAP filter that finds a user in userBase; {0} is the client\'s username, for example "(uid={0})".'),
    userSearchSubtree: z.boolean().optional().describe('Search the whole subtree under userBase. Default: false.'),
    userRoleName: z
      .string()
      .optional()
      .describe(
        'Attribute of the user entry naming its groups, for example "memberOf". Default: none (roles come from roleSearchMatching).',
      ),
    roleBase: z
      .string()
      .describe('DN of the subtree searched for roles (groups), for example "ou=Groups,ou=corp,dc=corp,dc=example,dc=com".'),
    roleSearchMatching: z
      .string()
      .describe(
        'LDAP filter that finds the roles of a user in roleBase; {0} is the user\'s DN, {1} the username, for example "(member={0})".',
      ),
    roleSearchSubtree: z.boolean().optional().describe('Search the whole subtree under roleBase. Default: false.'),
    roleName: z.string().optional().describe('Attribute of a role entry holding the role\'s name, for example "cn". Default: none.'),
    authorization: LdapAuthorizationSchema,
    applicationSecretArn: z
      .string()
      .optional()
      .describe(
        'ARN of an existing Secrets Manager secret {"username", "password"} of the directory user applications connect as; the client and CLI read it. Default: none (clients bring their own LDAP credentials).',
      ),
  })
  .describe('ActiveMQ LDAP authentication and authorization (Amazon MQ "LDAP" strategy).');

export type LdapAuthenticationConfig = z.output<typeof LdapAuthenticationSchema>;
export type LdapAuthorizationConfig = z.output<typeof LdapAuthorizationSchema>;
