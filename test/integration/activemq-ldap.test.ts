import * as fs from 'node:fs';
import * as path from 'node:path';
import { MessagingClientOptions, MqPlatformError, StompMessagingClient } from '../../lib/client';
import { environmentTemplates } from '../../lib/app/synth';
import { validateConfig } from '../../lib/config/validate';
import { minimalConfig } from '../support/configs';
import { ActiveMqBroker, TestCa, makeCa, secret, tempDir } from './harness/brokers';
import { runCli, writeSecretFile } from './harness/cli';
import { nextMessage } from './harness/helpers';
import {
  SlapdServer,
  javaTrustStore,
  jaasLoginConfig,
  jaasPluginXml,
  missingSlapd,
  treeDns,
  withLdapConnection,
  type LdapServerMetadata,
} from './harness/ldap';

/**
 * ActiveMQ LDAP authentication and authorization against a real directory: Debian's slapd over
 * ldaps on 127.0.0.1, and Debian's ActiveMQ 5.17 (Amazon MQ runs 5.18/5.19) with the JAAS
 * LDAPLoginModule and the cachedLDAPAuthorizationMap, both from what synth produces for an LDAP
 * broker: the broker's LdapServerMetadata and its AWS::AmazonMQ::Configuration document.
 * Amazon MQ's part is stood in for: it connects to ldaps://<host>:636 (here the loopback port) and
 * substitutes the map's connection from LdapServerMetadata; CloudFormation resolves the service
 * account's password (here the test's own random value, as Secrets Manager would generate it).
 */
const SUFFIX = 'dc=example,dc=com';
const SERVICE_DN = `cn=amazonmq,ou=Services,${SUFFIX}`;
const dns = treeDns(SUFFIX);
const QUEUE = 'orders.created';

let dir: string;
let ca: TestCa;
let slapd: SlapdServer;
let broker: ActiveMqBroker;
let metadata: LdapServerMetadata;
const clients: StompMessagingClient[] = [];
const users = {
  alice: { uid: 'alice', password: secret(), roles: ['orders-writers', 'orders-readers'] },
  bob: { uid: 'bob', password: secret(), roles: ['orders-readers'] },
  carol: { uid: 'carol', password: secret(), roles: [] as string[] },
};

function client(username: string, password: string, overrides: Partial<MessagingClientOptions> = {}): StompMessagingClient {
  const c = new StompMessagingClient({
    endpoints: [`stomp+ssl://127.0.0.1:${broker.port}`],
    username,
    password,
    ca: fs.readFileSync(ca.caFile),
    backoff: { maxAttempts: 1, initialDelayMs: 100 },
    connectTimeoutMs: 10000,
    ...overrides,
  });
  clients.push(c);
  return c;
}

/** The example LDAP broker of the config, synthesized: its LdapServerMetadata and its authorization map. */
function synthesizedLdapBroker() {
  const raw: any = structuredClone(minimalConfig());
  raw.brokers = [raw.brokers[0]];
  delete raw.brokers[0].users;
  delete raw.brokers[0].rotation;
  raw.brokers[0].authentication = {
    strategy: 'ldap',
    hosts: ['ldap.example.com'],
    serviceAccount: { username: SERVICE_DN },
    userBase: dns.users,
    userSearchMatching: '(uid={0})',
    roleBase: dns.groups,
    roleSearchMatching: '(member={0})',
    roleName: 'cn',
    authorization: { queueSearchBase: dns.queues, topicSearchBase: dns.topics, tempSearchBase: dns.temp, refreshIntervalMs: 300000 },
  };
  const result = validateConfig(raw);
  expect(result.problems).toEqual([]);
  const templates = environmentTemplates(result.plan!, { baseline: false });
  const resources = Object.values(templates).flatMap((t) => Object.values(t.Resources ?? {})) as Array<{ Type: string; Properties: any }>;
  const cfnBroker = resources.find((r) => r.Type === 'AWS::AmazonMQ::Broker')!;
  const configuration = resources.find((r) => r.Type === 'AWS::AmazonMQ::Configuration')!;
  expect(configuration.Properties.AuthenticationStrategy).toBe('LDAP');
  return { properties: cfnBroker.Properties, configurationXml: configuration.Properties.Data['Fn::Base64'] as string };
}

beforeAll(async () => {
  const missing = missingSlapd();
  if (missing) throw new Error(missing);
  dir = tempDir('activemq-ldap');
  ca = await makeCa(path.join(dir, 'ca'));
  const { properties, configurationXml } = synthesizedLdapBroker();
  expect(properties.AuthenticationStrategy).toBe('LDAP');
  expect(properties.Users).toBeUndefined();
  expect(JSON.stringify(properties.LdapServerMetadata.ServiceAccountPassword)).toContain('{{resolve:secretsmanager:');
  metadata = properties.LdapServerMetadata;

  const servicePassword = secret();
  slapd = new SlapdServer(path.join(dir, 'slapd'), ca, {
    suffix: SUFFIX,
    serviceAccountDn: metadata.ServiceAccountUsername,
    serviceAccountPassword: servicePassword,
    users: Object.values(users),
    grants: [
      {
        kind: 'Queue',
        pattern: 'orders.$',
        read: ['orders-readers'],
        write: ['orders-writers'],
        admin: ['orders-writers', 'orders-readers'],
      },
      {
        kind: 'Topic',
        pattern: 'ActiveMQ.Advisory.$',
        read: ['orders-readers', 'orders-writers'],
        write: ['orders-readers', 'orders-writers'],
        admin: ['orders-readers', 'orders-writers'],
      },
    ],
    tempRoles: ['orders-readers', 'orders-writers'],
  });
  await slapd.start();

  const amqDir = path.join(dir, 'amq');
  fs.mkdirSync(path.join(amqDir, 'conf'), { recursive: true });
  const loginConfig = path.join(amqDir, 'conf', 'login.config');
  fs.writeFileSync(loginConfig, jaasLoginConfig('LdapConfiguration', metadata, slapd.url, servicePassword), { mode: 0o600 });
  const trust = await javaTrustStore(ca, path.join(dir, 'trust.p12'));
  broker = new ActiveMqBroker(amqDir, ca, 'amq-ldap', secret(), {
    plugins: jaasPluginXml('LdapConfiguration'),
    amazonMqConfiguration: withLdapConnection(configurationXml, {
      url: slapd.url,
      username: metadata.ServiceAccountUsername,
      password: servicePassword,
    }),
    jvmArgs: [
      `-Djava.security.auth.login.config=${loginConfig}`,
      `-Djavax.net.ssl.trustStore=${trust.file}`,
      `-Djavax.net.ssl.trustStorePassword=${trust.password}`,
      '-Djavax.net.ssl.trustStoreType=PKCS12',
    ],
  });
  await broker.start();
}, 180_000);

afterEach(async () => {
  for (const c of clients.splice(0)) await c.close().catch(() => undefined);
});

afterAll(async () => {
  await broker?.stop();
  await slapd?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function refusal(p: Promise<unknown>): Promise<MqPlatformError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(MqPlatformError);
  return e as MqPlatformError;
}

test('a user in the writers role is accepted and writes; a reader reads it', async () => {
  const writer = client('alice', users.alice.password);
  await writer.connect();
  const reader = client('bob', users.bob.password);
  await reader.connect();
  const body = `ldap-${Date.now()}`;
  const received = nextMessage(reader, QUEUE);
  await writer.publish(QUEUE, body);
  const { message, cancel } = await received;
  expect(message.body.toString('utf8')).toBe(body);
  await message.ack();
  await cancel();
});

test('a wrong password is refused by the directory, with an auth error that does not leak it', async () => {
  const wrong = secret();
  const err = await refusal(client('alice', wrong).connect());
  expect(err.kind).toBe('auth');
  expect(err.message).not.toContain(wrong);
});

test('a user the directory does not know is refused', async () => {
  expect((await refusal(client('mallory', secret()).connect())).kind).toBe('auth');
});

test.each([
  ['carol (no role)', 'carol'],
  ['bob (readers only)', 'bob'],
] as const)('%s logs in but cannot write', async (_who, uid) => {
  const c = client(uid, users[uid].password);
  await c.connect();
  const err = await refusal(c.publish(QUEUE, 'not allowed'));
  expect(err.message).toMatch(/not authorized to write|User .* is not authorized/i);
});

test('CLI check with the LDAP user from a secret file (the shape of authentication.applicationSecretArn)', async () => {
  const ok = await runCli([
    'check',
    'local-ldap',
    '--endpoint',
    `stomp+ssl://127.0.0.1:${broker.port}`,
    '--ca-file',
    ca.caFile,
    '--secret-json-file',
    writeSecretFile(dir, 'alice', users.alice.password),
  ]);
  expect(ok.stderr).toBe('');
  expect(ok.code).toBe(0);
  const wrong = await runCli(['check', 'local-ldap', '--endpoint', `stomp+ssl://127.0.0.1:${broker.port}`, '--ca-file', ca.caFile], {
    MQ_PLATFORM_USERNAME: 'alice',
    MQ_PLATFORM_PASSWORD: secret(),
  });
  expect(wrong.code).toBe(4);
});
