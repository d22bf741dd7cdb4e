import { DescribeBrokerCommand, ListBrokersCommand, MqClient, type DescribeBrokerResponse } from '@aws-sdk/client-mq';
import { GetSecretValueCommand, ListSecretsCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import * as os from 'node:os';
import { BrokerDirectory } from '../../lib/client/broker-directory';
import { buildConnectInfo } from '../../lib/client/connect-info';
import { main, type CliDeps } from '../../lib/cli/main';
import { ACTIVE_ID, FAKE_PASSWORD, orders, summary } from '../support/aws-fixtures';

/** An LDAP broker as DescribeBroker reports it (aws-sdk-client-mock; no AWS call). */
const APP_SECRET = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:directory/orders-app-AbC123';
const ldapOrders: DescribeBrokerResponse = {
  ...orders,
  Users: [],
  AuthenticationStrategy: 'LDAP',
  LdapServerMetadata: {
    Hosts: ['ldap.example.com', 'ldap2.example.com'],
    ServiceAccountUsername: 'cn=amazonmq,ou=services,dc=example,dc=com',
    UserBase: 'ou=Users,dc=example,dc=com',
    UserSearchMatching: '(uid={0})',
    UserSearchSubtree: true,
    RoleBase: 'ou=Groups,dc=example,dc=com',
    RoleSearchMatching: '(member={0})',
    RoleName: 'cn',
  },
  Tags: { ...orders.Tags, 'mq-platform:application-secret': APP_SECRET },
};

const mq = mockClient(MqClient);
const sm = mockClient(SecretsManagerClient);

beforeEach(() => {
  mq.reset();
  sm.reset();
  mq.on(ListBrokersCommand).resolves({ BrokerSummaries: [summary(ldapOrders)] });
  mq.on(DescribeBrokerCommand, { BrokerId: ACTIVE_ID }).resolves(ldapOrders);
  sm.on(GetSecretValueCommand, { SecretId: APP_SECRET }).resolves({
    SecretString: JSON.stringify({ username: 'orders-app', password: FAKE_PASSWORD }),
  });
});

const dir = () => new BrokerDirectory({ region: 'eu-west-1' });

test('describe reports the strategy, the directory (ldaps://<host>:636) and the application secret', async () => {
  const b = await dir().describe(ACTIVE_ID);
  expect(b.authenticationStrategy).toBe('LDAP');
  expect(b.applicationSecret).toBe(APP_SECRET);
  expect(b.ldap).toEqual({
    urls: ['ldaps://ldap.example.com:636', 'ldaps://ldap2.example.com:636'],
    serviceAccountUsername: 'cn=amazonmq,ou=services,dc=example,dc=com',
    userBase: 'ou=Users,dc=example,dc=com',
    userSearchMatching: '(uid={0})',
    userSearchSubtree: true,
    roleBase: 'ou=Groups,dc=example,dc=com',
    roleSearchMatching: '(member={0})',
    roleName: 'cn',
  });
});

test('credentials come from the referenced application secret, never from a listing of the broker prefix', async () => {
  const b = await dir().describe(ACTIVE_ID);
  expect(await dir().credentials(b)).toEqual({ username: 'orders-app', password: FAKE_PASSWORD, source: APP_SECRET });
  expect(sm.commandCalls(ListSecretsCommand)).toHaveLength(0);
});

test('an LDAP broker without an application secret asks for directory credentials (the service account is never handed out)', async () => {
  mq.on(DescribeBrokerCommand, { BrokerId: ACTIVE_ID }).resolves({ ...ldapOrders, Tags: orders.Tags });
  sm.on(ListSecretsCommand).resolves({ SecretList: [{ Name: 'mq-platform/dev/orders/ldap-service-account' }] });
  const b = await dir().describe(ACTIVE_ID);
  await expect(dir().credentials(b)).rejects.toMatchObject({
    kind: 'usage',
    message: 'broker orders-dev authenticates against LDAP and names no application secret',
  });
  expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(0);
});

test('buildConnectInfo carries the LDAP settings; simple brokers have none', async () => {
  const b = await dir().describe(ACTIVE_ID);
  const info = buildConnectInfo(b, { username: 'orders-app', password: FAKE_PASSWORD, source: APP_SECRET });
  expect(info.ldap?.urls).toEqual(['ldaps://ldap.example.com:636', 'ldaps://ldap2.example.com:636']);
  expect(info.stomp?.connectHeaders).toEqual({ login: 'orders-app', passcode: '********' });
  expect(buildConnectInfo({ ...b, ldap: undefined }, { username: 'a', password: 'b', source: 's' }).ldap).toBeUndefined();
});

test('mq-platform connect-info prints the directory settings and the user from the application secret', async () => {
  let stdout = '';
  let stderr = '';
  const deps: CliDeps = {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s), isTTY: false },
    env: {},
    cwd: os.tmpdir(),
  };
  const code = await main(['connect-info', 'orders-dev', '--region', 'eu-west-1'], deps);
  expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  expect(stdout).toContain(`user orders-app from ${APP_SECRET}; password masked`);
  expect(stdout).toContain(
    'authentication:         LDAP (user and password are directory credentials; console access needs group amazonmq-console-admins)',
  );
  expect(stdout).toContain('  directory:            ldaps://ldap.example.com:636, ldaps://ldap2.example.com:636 (then failover)');
  expect(stdout).toContain('  service account:      cn=amazonmq,ou=services,dc=example,dc=com');
  expect(stdout).toContain('  users:                (uid={0}) under ou=Users,dc=example,dc=com (subtree)');
  expect(stdout).toContain('  roles:                (member={0}) under ou=Groups,dc=example,dc=com (one level); role name attribute cn');
  expect(stdout).not.toContain(FAKE_PASSWORD);
});
