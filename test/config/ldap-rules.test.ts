import { formatProblem } from '../../lib/config/rules/problem';
import { LDAP_RULES, LDAP_SOURCES } from '../../lib/config/rules/ldap-rules';
import { validateConfig } from '../../lib/config/validate';
import { amq, ldap, ldapConfig, SECRET_ARN, APP_SECRET_ARN, type Mutable } from './ldap-config';
import { minimalConfig } from '../support/configs';

function findings(edit: (c: Mutable) => void): { problems: string[]; warnings: string[] } {
  const c = ldapConfig();
  edit(c);
  const r = validateConfig(c);
  return { problems: r.problems.map(formatProblem), warnings: r.warnings.map(formatProblem) };
}

describe('valid LDAP configs', () => {
  test('the LDAP broker without users or rotation settings has no problem and no warning', () => {
    expect(findings(() => undefined)).toEqual({ problems: [], warnings: [] });
  });

  test('a referenced password with its key, an application secret, readers of a generated password, a UPN service account', () => {
    expect(
      findings((c) => {
        ldap(c).serviceAccount = { username: 'cn=svc,dc=example,dc=com', passwordSecretArn: SECRET_ARN, passwordKey: 'bindPassword' };
        ldap(c).applicationSecretArn = APP_SECRET_ARN;
      }),
    ).toEqual({ problems: [], warnings: [] });
    expect(
      findings((c) => {
        ldap(c).serviceAccount = { username: 'amazonmq@corp.example.com', readers: ['arn:aws:iam::123456789012:role/directory-admins'] };
      }),
    ).toEqual({ problems: [], warnings: [] });
  });

  test('the plan carries the broker without users', () => {
    const r = validateConfig(ldapConfig());
    expect(r.plan?.brokers[0].users).toEqual([]);
  });
});

/** [rule id, edit, exact line] — every LDAP rule has a case. */
const cases: Array<[string, (c: Mutable) => void, string]> = [
  [
    'ldap-engine',
    (c) => {
      c.brokers[1].authentication = ldap(c);
    },
    'brokers[1].authentication.strategy: "ldap" is ActiveMQ LDAP (LdapServerMetadata), which does not apply to RABBITMQ brokers; allowed: "simple", "iam" or "oauth2" for RabbitMQ, or engine ACTIVEMQ',
  ],
  [
    'ldap-hosts',
    (c) => (ldap(c).hosts = ['ldaps://ldap.example.com:636']),
    'brokers[0].authentication.hosts[0]: "ldaps://ldap.example.com:636" includes a protocol, port or path; allowed: the fully qualified domain name only (Amazon MQ connects to ldaps://<host>:636), for example "ldap.example.com"',
  ],
  [
    'ldap-hosts',
    (c) => (ldap(c).hosts = ['ldap.example.com:389']),
    'brokers[0].authentication.hosts[0]: "ldap.example.com:389" includes a protocol, port or path; allowed: the fully qualified domain name only (Amazon MQ connects to ldaps://<host>:636), for example "ldap.example.com"',
  ],
  [
    'ldap-hosts',
    (c) => (ldap(c).hosts = ['ldap']),
    'brokers[0].authentication.hosts[0]: "ldap" is not a fully qualified domain name; allowed: letters, digits, "-" and ".", at least two labels, for example "ldap.example.com"',
  ],
  [
    'ldap-hosts',
    (c) => (ldap(c).hosts = []),
    "brokers[0].authentication.hosts: [] is empty; allowed: the LDAP server's fully qualified domain name, then optional failover servers",
  ],
  [
    'ldap-hosts',
    (c) => (ldap(c).hosts = ['ldap.example.com', 'LDAP.example.com']),
    'brokers[0].authentication.hosts[1]: "LDAP.example.com" is listed twice; allowed: each server once',
  ],
  [
    'ldap-required',
    (c) => (ldap(c).roleBase = ' '),
    'brokers[0].authentication.roleBase: " " is empty; allowed: a non-blank value (Amazon MQ requires it)',
  ],
  [
    'ldap-required',
    (c) => (ldap(c).authorization.tempSearchBase = ''),
    'brokers[0].authentication.authorization.tempSearchBase: "" is empty; allowed: a non-blank value (Amazon MQ requires it)',
  ],
  [
    'ldap-distinguished-names',
    (c) => (ldap(c).userBase = 'Users'),
    'brokers[0].authentication.userBase: "Users" is not a distinguished name; allowed: attribute=value pairs separated by commas, for example "ou=Users,dc=example,dc=com"',
  ],
  [
    'ldap-users',
    (c) => (amq(c).users = [{ username: 'app' }]),
    'brokers[0].users: ["app"] does not apply to LDAP brokers: clients authenticate with their directory credentials, so no broker user or rotated password is created; allowed: remove the field (name the applications\' directory secret in authentication.applicationSecretArn)',
  ],
  [
    'ldap-rotation',
    (c) => (amq(c).rotation = { acceptRebootDowntime: true }),
    'brokers[0].rotation.acceptRebootDowntime: true does not apply to LDAP brokers: they have no broker users, so the platform rotates nothing and never reboots them; allowed: remove the field',
  ],
  [
    'ldap-secret-arns',
    (c) => (ldap(c).serviceAccount.passwordSecretArn = 'directory/amazonmq'),
    'brokers[0].authentication.serviceAccount.passwordSecretArn: "directory/amazonmq" is not a Secrets Manager secret ARN; allowed: "arn:<partition>:secretsmanager:<region>:<account>:secret:<name>-<6 characters>"',
  ],
  [
    'ldap-secret-arns',
    (c) => (ldap(c).applicationSecretArn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:orders'),
    'brokers[0].authentication.applicationSecretArn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:orders" is not a Secrets Manager secret ARN; allowed: "arn:<partition>:secretsmanager:<region>:<account>:secret:<name>-<6 characters>"',
  ],
  [
    'ldap-application-secret-tag',
    (c) => (ldap(c).applicationSecretArn = `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${'a'.repeat(200)}-d4E5f6`),
    `brokers[0].authentication.applicationSecretArn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:${'a'.repeat(200)}-d4E5f6" is 260 characters, too long for the broker tag that names it to the client; allowed: at most 256`,
  ],
  [
    'ldap-password-key',
    (c) => (ldap(c).serviceAccount.passwordKey = 'bind'),
    'brokers[0].authentication.serviceAccount.passwordKey: "bind" applies only with passwordSecretArn (a generated secret keeps its password under "password"); allowed: remove the field',
  ],
  [
    'ldap-password-key',
    (c) => Object.assign(ldap(c).serviceAccount, { passwordSecretArn: SECRET_ARN, passwordKey: 'a:b' }),
    'brokers[0].authentication.serviceAccount.passwordKey: "a:b" is not a dynamic reference json-key; allowed: a non-empty key without ":"',
  ],
  [
    'ldap-secret-readers',
    (c) => (ldap(c).serviceAccount.readers = ['arn:aws:iam::123456789012:role/*']),
    'brokers[0].authentication.serviceAccount.readers[0]: "arn:aws:iam::123456789012:role/*" is not an exact IAM role ARN; allowed: "arn:aws:iam::<account>:role/<name>", no wildcards',
  ],
  [
    'ldap-secret-readers',
    (c) => Object.assign(ldap(c).serviceAccount, { passwordSecretArn: SECRET_ARN, readers: ['arn:aws:iam::123456789012:role/x'] }),
    'brokers[0].authentication.serviceAccount.readers: ["arn:aws:iam::123456789012:role/x"] applies only to a generated password (the referenced secret\'s own resource policy decides who reads it); allowed: remove the field',
  ],
];

/** Findings that do not stop synth. */
const warningCases: Array<[string, (c: Mutable) => void, string]> = [
  [
    'ldap-hosts',
    (c) => (ldap(c).hosts = ['10.0.0.5']),
    'brokers[0].authentication.hosts[0]: "10.0.0.5" is an IP address; Amazon MQ expects the LDAP server\'s fully qualified domain name, publicly resolvable (its certificate must come from a public CA)',
  ],
  [
    'ldap-distinguished-names',
    (c) => (ldap(c).serviceAccount.username = 'amazonmq'),
    'brokers[0].authentication.serviceAccount.username: "amazonmq" is neither a distinguished name nor a user principal name; Amazon MQ binds with the service account\'s distinguished name, for example "cn=amazonmq,ou=services,dc=example,dc=com"',
  ],
  [
    'ldap-search-placeholders',
    (c) => (ldap(c).userSearchMatching = '(objectClass=person)'),
    'brokers[0].authentication.userSearchMatching: "(objectClass=person)" has no {0} (the client\'s username): every client would match the same directory entry; advised: a filter such as "(uid={0})"',
  ],
  [
    'ldap-search-placeholders',
    (c) => (ldap(c).roleSearchMatching = '(cn=apps)'),
    'brokers[0].authentication.roleSearchMatching: "(cn=apps)" has neither {0} (the user\'s DN) nor {1} (the username): every client would get the same roles; advised: a filter such as "(member={0})"',
  ],
];

describe('LDAP rules', () => {
  test.each(cases)('%s: %#', (_id, edit, expected) => {
    expect(findings(edit).problems).toEqual([expected]);
  });

  test.each(warningCases)('%s (warning): %#', (_id, edit, expected) => {
    const f = findings(edit);
    expect(f).toEqual({ problems: [], warnings: [expected] });
  });

  test('every LDAP rule has a case, each with the id it reports', () => {
    const fired = new Set<string>();
    for (const [id, edit] of [...cases, ...warningCases]) {
      const c = ldapConfig();
      edit(c);
      const r = validateConfig(c);
      const ids = [...r.problems, ...r.warnings].map((p) => p.rule);
      expect(ids).toEqual([id]);
      fired.add(id);
    }
    expect(LDAP_RULES.map((r) => r.id).filter((id) => !fired.has(id))).toEqual([]);
  });

  test('every rule cites an AWS documentation page', () => {
    for (const url of Object.values(LDAP_SOURCES)) expect(url).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
    for (const r of LDAP_RULES) expect(r.source).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
  });

  test('a simple ActiveMQ broker still needs its users; an LDAP single instance needs no reboot opt-in', () => {
    const c: Mutable = structuredClone(minimalConfig());
    delete amq(c).users;
    expect(validateConfig(c).problems.map((p) => p.rule)).toEqual(['users-count']);
    expect(findings((x) => (amq(x).deploymentMode = 'SINGLE_INSTANCE')).problems).toEqual([]);
  });
});
