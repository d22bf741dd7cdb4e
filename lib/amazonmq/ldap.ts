/**
 * Amazon MQ for ActiveMQ with LDAP, as "Integrating ActiveMQ brokers with LDAP" states it
 * (https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/security-authentication-authorization.html).
 */

/** Amazon MQ prepends `ldaps://` to each host and appends port 636; hosts carry neither. */
export function ldapUrl(host: string): string {
  return `ldaps://${host}:636`;
}

/** Users of this group get the ActiveMQ web console. */
export const LDAP_CONSOLE_GROUP = 'amazonmq-console-admins';

/** Attributes Amazon MQ blocks in cachedLDAPAuthorizationMap: it substitutes them from LdapServerMetadata. */
export const BLOCKED_MAP_ATTRIBUTES = ['connectionURL', 'connectionUsername', 'connectionPassword'] as const;

/** The search bases the cachedLDAPAuthorizationMap must have. */
export const REQUIRED_MAP_ATTRIBUTES = ['queueSearchBase', 'topicSearchBase', 'tempSearchBase'] as const;
