import type { XmlElement } from '../amazonmq/activemq-xml';
import type { ConfigurationContribution } from './resolve-configuration';
import type { LdapAuthorizationConfig } from './schema-authentication-ldap';
import type { BrokerConfig } from './schema';
import { ldapAuthentication } from './rules/ldap-rules';

/**
 * The cachedLDAPAuthorizationMap that Amazon MQ uses for authorization on an LDAP broker: the one
 * element inside the broker configuration's <authorizationPlugin><map>. Amazon MQ fills in the
 * connection itself from the broker's LdapServerMetadata and refuses connectionURL,
 * connectionUsername and connectionPassword here, so they never appear. Source:
 * https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/security-authentication-authorization.html
 */

export { BLOCKED_MAP_ATTRIBUTES } from '../amazonmq/ldap';

/** The element, attributes in the docs' order: the three required search bases, then the options set. */
export function cachedLdapAuthorizationMap(a: LdapAuthorizationConfig): XmlElement {
  return {
    name: 'cachedLDAPAuthorizationMap',
    attributes: {
      queueSearchBase: a.queueSearchBase,
      topicSearchBase: a.topicSearchBase,
      tempSearchBase: a.tempSearchBase,
      ...(a.refreshIntervalMs !== undefined ? { refreshInterval: a.refreshIntervalMs } : {}),
      // ActiveMQ's own default is true (group members named by CN); the docs' example, and the
      // objectClass lookup of members that lets users and groups both be members, is false.
      legacyGroupMapping: a.legacyGroupMapping ?? false,
    },
  };
}

/**
 * What an LDAP broker adds to its broker configuration (the configuration model's contribution):
 * the authorization map; undefined for other brokers.
 */
export function ldapConfigurationContribution(broker: BrokerConfig): ConfigurationContribution | undefined {
  const ldap = ldapAuthentication(broker);
  if (!ldap || broker.engine !== 'ACTIVEMQ') return undefined;
  return { field: 'authentication', activeMqAuthorizationMap: cachedLdapAuthorizationMap(ldap.authorization) };
}
