import { minimalConfig } from '../support/configs';

export type Mutable = any; // test configs are edited freely, then validated
export const amq = (c: Mutable) => c.brokers[0];
export const ldap = (c: Mutable) => amq(c).authentication;

export const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:directory/amazonmq-a1B2c3';
export const APP_SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:directory/orders-app-d4E5f6';

/** The minimal config with its ActiveMQ broker on LDAP (no broker users, nothing to rotate). */
export function ldapConfig(): Mutable {
  const c: Mutable = structuredClone(minimalConfig());
  delete amq(c).users;
  delete amq(c).rotation;
  amq(c).authentication = {
    strategy: 'ldap',
    hosts: ['ldap.example.com', 'ldap-failover.example.com'],
    serviceAccount: { username: 'cn=amazonmq,ou=services,dc=example,dc=com' },
    userBase: 'ou=Users,dc=example,dc=com',
    userSearchMatching: '(uid={0})',
    userSearchSubtree: true,
    roleBase: 'ou=Groups,dc=example,dc=com',
    roleSearchMatching: '(member={0})',
    roleName: 'cn',
    authorization: {
      queueSearchBase: 'ou=Queue,ou=Destination,dc=example,dc=com',
      topicSearchBase: 'ou=Topic,ou=Destination,dc=example,dc=com',
      tempSearchBase: 'ou=Temp,ou=Destination,dc=example,dc=com',
    },
  };
  return c;
}
