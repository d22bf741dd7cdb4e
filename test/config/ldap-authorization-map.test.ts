import { BLOCKED_MAP_ATTRIBUTES, cachedLdapAuthorizationMap, ldapConfigurationContribution } from '../../lib/config/ldap-authorization-map';
import { validateConfig } from '../../lib/config/validate';
import { minimalConfig } from '../support/configs';
import { ldapConfig } from './ldap-config';

describe('cachedLDAPAuthorizationMap', () => {
  const bases = {
    queueSearchBase: 'ou=Queue,ou=Destination,ou=corp,dc=corp,dc=example,dc=com',
    topicSearchBase: 'ou=Topic,ou=Destination,ou=corp,dc=corp,dc=example,dc=com',
    tempSearchBase: 'ou=Temp,ou=Destination,ou=corp,dc=corp,dc=example,dc=com',
  };

  test("is the docs' working example for the same settings", () => {
    expect(cachedLdapAuthorizationMap({ ...bases, refreshIntervalMs: 300000 })).toEqual({
      name: 'cachedLDAPAuthorizationMap',
      attributes: { ...bases, refreshInterval: 300000, legacyGroupMapping: false },
    });
  });

  test('has the three required search bases and never the attributes Amazon MQ blocks', () => {
    const e = cachedLdapAuthorizationMap({ ...bases, legacyGroupMapping: true });
    expect(Object.keys(e.attributes ?? {})).toEqual(['queueSearchBase', 'topicSearchBase', 'tempSearchBase', 'legacyGroupMapping']);
    for (const blocked of BLOCKED_MAP_ATTRIBUTES) expect(e.attributes).not.toHaveProperty(blocked);
    expect(e.children).toBeUndefined();
  });

  test('the contribution of an LDAP ActiveMQ broker, none for other brokers', () => {
    const config = validateConfig(ldapConfig()).config!;
    expect(ldapConfigurationContribution(config.brokers[0])).toEqual({
      field: 'authentication',
      activeMqAuthorizationMap: {
        name: 'cachedLDAPAuthorizationMap',
        attributes: {
          queueSearchBase: 'ou=Queue,ou=Destination,dc=example,dc=com',
          topicSearchBase: 'ou=Topic,ou=Destination,dc=example,dc=com',
          tempSearchBase: 'ou=Temp,ou=Destination,dc=example,dc=com',
          legacyGroupMapping: false,
        },
      },
    });
    const plain = validateConfig(minimalConfig()).config!;
    expect(plain.brokers.map(ldapConfigurationContribution)).toEqual([undefined, undefined]);
  });

  test("the plan's broker configuration carries it as the authorization map (AWS::AmazonMQ::Configuration)", () => {
    const plan = validateConfig(ldapConfig()).plan!;
    expect(plan.brokers[0].configuration?.activeMq?.authorizationMap).toEqual(
      ldapConfigurationContribution(validateConfig(ldapConfig()).config!.brokers[0])!.activeMqAuthorizationMap,
    );
    expect(plan.brokers[0].configuration?.contributions.map((c) => c.field)).toEqual(['authentication']);
  });
});
