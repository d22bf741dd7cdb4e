import { LDAP_CONSOLE_GROUP } from '../amazonmq/ldap';
import type { LdapInfo } from './broker-directory';

/** connect-info's lines for an LDAP broker: where clients' credentials are checked and how roles are found. */
export function ldapLines(l: LdapInfo): string[] {
  const scope = (subtree?: boolean) => (subtree ? 'subtree' : 'one level');
  return [
    `authentication:         LDAP (user and password are directory credentials; console access needs group ${LDAP_CONSOLE_GROUP})`,
    `  directory:            ${l.urls.join(', ')}${l.urls.length > 1 ? ' (then failover)' : ''}`,
    `  service account:      ${l.serviceAccountUsername ?? '(not reported)'}`,
    `  users:                ${l.userSearchMatching ?? '?'} under ${l.userBase ?? '?'} (${scope(l.userSearchSubtree)})${l.userRoleName ? `; roles from attribute ${l.userRoleName}` : ''}`,
    `  roles:                ${l.roleSearchMatching ?? '?'} under ${l.roleBase ?? '?'} (${scope(l.roleSearchSubtree)})${l.roleName ? `; role name attribute ${l.roleName}` : ''}`,
  ];
}
