import { parseConfig } from '../../lib/config/load-config';
import type { Baseline } from '../../lib/review/baseline';
import { renderReview, reviewEnvironment } from '../../lib/review/render-review';
import { guardFixture, synthAgainst } from '../support/guard-fixture';

/**
 * The change guard and LDAP brokers: a change of LdapServerMetadata (hosts, bases, filters, the
 * service account or its password's secret) is a lock-out in a protected environment, refused at
 * synth unless allowed for that broker and property; moving a broker to LDAP removes its users.
 */
type Mutable = any; // configs are edited freely in these tests
const REASON = 'directory migration agreed with the owners';

const LDAP = {
  strategy: 'ldap',
  hosts: ['ldap.example.com'],
  serviceAccount: { username: 'cn=amazonmq,ou=services,dc=example,dc=com' },
  userBase: 'ou=Users,dc=example,dc=com',
  userSearchMatching: '(uid={0})',
  roleBase: 'ou=Groups,dc=example,dc=com',
  roleSearchMatching: '(member={0})',
  authorization: {
    queueSearchBase: 'ou=Queue,ou=Destination,dc=example,dc=com',
    topicSearchBase: 'ou=Topic,ou=Destination,dc=example,dc=com',
    tempSearchBase: 'ou=Temp,ou=Destination,dc=example,dc=com',
  },
};

/** The guard fixture with its ActiveMQ broker on LDAP. */
const onLdap = (protectedEnv: boolean, edit: (c: Mutable) => void = () => undefined) =>
  guardFixture(protectedEnv, (c) => {
    delete c.brokers[0].users;
    c.brokers[0].authentication = structuredClone(LDAP);
    edit(c);
  });

function refusal(raw: Mutable, base: Baseline): string {
  try {
    synthAgainst(raw, base);
  } catch (e) {
    return (e as Error).message;
  }
  return '';
}

let ldapBase: Baseline;
beforeAll(() => {
  ldapBase = { ref: 'fixture', environment: 'guarded', templates: synthAgainst(onLdap(true), false), snapshotsInWorkingTree: true };
}, 120_000);

describe('change guard on an LDAP broker (protected)', () => {
  test('the same LDAP config synthesizes against its own baseline', () => {
    expect(refusal(onLdap(true), ldapBase)).toBe('');
  }, 60_000);

  test.each([
    ['another host', (c: Mutable) => (c.brokers[0].authentication.hosts = ['ldap2.example.com'])],
    ['another user filter', (c: Mutable) => (c.brokers[0].authentication.userSearchMatching = '(sAMAccountName={0})')],
    [
      'a referenced service-account secret instead of the generated one',
      (c: Mutable) =>
        (c.brokers[0].authentication.serviceAccount.passwordSecretArn =
          'arn:aws:secretsmanager:eu-west-1:123456789012:secret:directory/amazonmq-a1B2c3'),
    ],
  ])(
    '%s: a lock-out, refused naming the broker and LdapServerMetadata',
    (_what, edit) => {
      const message = refusal(onLdap(true, edit), ldapBase);
      expect(message).toMatch(/broker amq-guarded[^\n]*locks clients out: the broker authenticates against another LDAP setup/);
      expect(message).toMatch(/"allowReplacement": \[\{ "broker": "amq", "property": "LdapServerMetadata"/);
    },
    60_000,
  );

  test('allowed for that broker and property, it synthesizes and the review names the lock-out', () => {
    const raw = onLdap(true, (c) => {
      c.brokers[0].authentication.hosts = ['ldap2.example.com'];
      c.allowReplacement = [{ broker: 'amq', property: 'LdapServerMetadata', reason: REASON }];
    });
    const head = synthAgainst(raw, ldapBase);
    const text = renderReview([reviewEnvironment(parseConfig(raw), ldapBase, head)], 'text');
    expect(text).toMatch(/!! LOCK-OUT broker amq-guarded[^\n]*another LDAP setup/);
  }, 60_000);
});

test('moving a protected simple broker to LDAP is refused: the broker is replaced and its broker users go', () => {
  const simpleBase: Baseline = {
    ref: 'fixture',
    environment: 'guarded',
    templates: synthAgainst(guardFixture(true), false),
    snapshotsInWorkingTree: true,
  };
  const message = refusal(onLdap(true), simpleBase);
  // AuthenticationStrategy replaces the broker (CloudFormation), and its users and their secrets go.
  expect(message).toMatch(/broker amq-guarded[^\n]*will be deleted and recreated[^\n]*a broker user is removed/);
  expect(message).toMatch(/"broker": "amq", "property": "AuthenticationStrategy"/);
  expect(message).toMatch(/secret mq-platform\/guarded\/amq\/app[^\n]*will be removed/);
}, 120_000);
