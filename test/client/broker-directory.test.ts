import { DescribeBrokerCommand, ListBrokersCommand, MqClient } from '@aws-sdk/client-mq';
import { GetSecretValueCommand, ListSecretsCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { BrokerDirectory, parseSecretJson } from '../../lib/client/broker-directory';
import { MqPlatformError } from '../../lib/client/errors';
import { ACTIVE_ID, FAKE_PASSWORD, OTHER_ID, RABBIT_ID, awsError, events, impostor, orders, summary } from '../support/aws-fixtures';

const mq = mockClient(MqClient);
const sm = mockClient(SecretsManagerClient);

beforeEach(() => {
  mq.reset();
  sm.reset();
  // Two pages, to prove pagination is followed.
  mq.on(ListBrokersCommand, { MaxResults: 100, NextToken: undefined }).resolves({
    BrokerSummaries: [summary(orders), summary(impostor)],
    NextToken: 'p2',
  });
  mq.on(ListBrokersCommand, { MaxResults: 100, NextToken: 'p2' }).resolves({ BrokerSummaries: [summary(events)] });
  mq.on(DescribeBrokerCommand, { BrokerId: ACTIVE_ID }).resolves(orders);
  mq.on(DescribeBrokerCommand, { BrokerId: RABBIT_ID }).resolves(events);
  mq.on(DescribeBrokerCommand, { BrokerId: OTHER_ID }).resolves(impostor);
});

const dir = () => new BrokerDirectory({ region: 'eu-west-1' });

async function caught(p: Promise<unknown>): Promise<MqPlatformError> {
  try {
    await p;
  } catch (e) {
    return e as MqPlatformError;
  }
  throw new Error('expected a rejection');
}

describe('list', () => {
  test('lists all brokers across pages', async () => {
    const brokers = await dir().list();
    expect(brokers.map((b) => b.name)).toEqual(['events-dev', 'legacy-dev', 'orders-dev']);
    expect(mq.commandCalls(ListBrokersCommand)).toHaveLength(2);
    expect(mq.commandCalls(DescribeBrokerCommand)).toHaveLength(0);
  });

  test('filters by the environment tag, not only the name', async () => {
    const brokers = await dir().list('dev');
    expect(brokers).toEqual([
      { id: RABBIT_ID, name: 'events-dev', engine: 'RABBITMQ', mode: 'CLUSTER_MULTI_AZ', state: 'RUNNING', environment: 'dev' },
      { id: ACTIVE_ID, name: 'orders-dev', engine: 'ACTIVEMQ', mode: 'ACTIVE_STANDBY_MULTI_AZ', state: 'RUNNING', environment: 'dev' },
    ]);
  });

  test('maps AccessDenied to access-denied with the permissions to ask for', async () => {
    mq.on(ListBrokersCommand).rejects(awsError('ForbiddenException'));
    const err = await caught(dir().list());
    expect(err).toMatchObject({ kind: 'access-denied' });
    expect(err.hint).toMatch(/mq:ListBrokers/);
  });

  test('maps missing credentials to no-credentials', async () => {
    mq.on(ListBrokersCommand).rejects(awsError('CredentialsProviderError', 'Could not load credentials from any providers'));
    expect(await caught(dir().list())).toMatchObject({ kind: 'no-credentials' });
  });

  test('maps a missing region to a usage error', async () => {
    mq.on(ListBrokersCommand).rejects(new Error('Region is missing'));
    expect(await caught(dir().list())).toMatchObject({ kind: 'usage' });
  });

  test('maps an unreachable AWS endpoint (wrong region name) to network', async () => {
    mq.on(ListBrokersCommand).rejects(Object.assign(new Error('getaddrinfo ENOTFOUND mq.eu-wst-1.amazonaws.com'), { code: 'ENOTFOUND' }));
    expect(await caught(dir().list())).toMatchObject({ kind: 'network' });
  });

  test('maps an SDK timeout to timeout', async () => {
    mq.on(ListBrokersCommand).rejects(awsError('TimeoutError'));
    expect(await caught(dir().list())).toMatchObject({ kind: 'timeout' });
  });
});

describe('describe', () => {
  test('by id calls DescribeBroker only', async () => {
    const b = await dir().describe(ACTIVE_ID);
    expect(b).toMatchObject({ name: 'orders-dev', environment: 'dev', logicalName: 'orders', users: ['app', 'admin'] });
    expect(b.instances).toHaveLength(2);
    expect(mq.commandCalls(ListBrokersCommand)).toHaveLength(0);
  });

  test('by physical name and by config name plus environment', async () => {
    expect((await dir().describe('events-dev')).id).toBe(RABBIT_ID);
    expect((await dir().describe('events', 'dev')).id).toBe(RABBIT_ID);
    expect((await dir().describe('events-dev', 'dev')).id).toBe(RABBIT_ID);
  });

  test('unknown name is not-found with a hint to list', async () => {
    const err = await caught(dir().describe('nope', 'dev'));
    expect(err).toMatchObject({ kind: 'not-found', message: 'broker "nope-dev" not found in eu-west-1' });
    expect(err.hint).toMatch(/mq-platform list --env dev/);
  });

  test('unknown id is not-found', async () => {
    mq.on(DescribeBrokerCommand, { BrokerId: 'b-00000000-0000-0000-0000-000000000000' }).rejects(awsError('NotFoundException'));
    expect(await caught(dir().describe('b-00000000-0000-0000-0000-000000000000'))).toMatchObject({ kind: 'not-found' });
  });
});

describe('credentials', () => {
  const secret = (username: string) => JSON.stringify({ username, password: FAKE_PASSWORD });

  test('uses the only secret of a broker', async () => {
    sm.on(ListSecretsCommand).resolves({ SecretList: [{ Name: 'mq-platform/dev/events/app' }, { Name: 'mq-platform/dev/events-old/x' }] });
    sm.on(GetSecretValueCommand, { SecretId: 'mq-platform/dev/events/app' }).resolves({ SecretString: secret('app') });
    const b = await dir().describe(RABBIT_ID);
    expect(await dir().credentials(b)).toEqual({ username: 'app', password: FAKE_PASSWORD, source: 'mq-platform/dev/events/app' });
    expect(sm.commandCalls(ListSecretsCommand)[0].args[0].input).toEqual({
      Filters: [{ Key: 'name', Values: ['mq-platform/dev/events/'] }],
      NextToken: undefined,
    });
  });

  test('asks for --user when a broker has several users', async () => {
    sm.on(ListSecretsCommand).resolves({ SecretList: [{ Name: 'mq-platform/dev/orders/app' }, { Name: 'mq-platform/dev/orders/admin' }] });
    const err = await caught(dir().credentials(await dir().describe(ACTIVE_ID)));
    expect(err).toMatchObject({ kind: 'usage', message: 'broker orders-dev has several users (admin, app)', hint: 'pass --user <name>' });
  });

  test('reads the named user directly', async () => {
    sm.on(GetSecretValueCommand, { SecretId: 'mq-platform/dev/orders/admin' }).resolves({ SecretString: secret('admin') });
    expect((await dir().credentials(await dir().describe(ACTIVE_ID), 'admin')).username).toBe('admin');
    expect(sm.commandCalls(ListSecretsCommand)).toHaveLength(0);
  });

  test('missing secret is not-found and names the broker users', async () => {
    sm.on(GetSecretValueCommand).rejects(awsError('ResourceNotFoundException'));
    const err = await caught(dir().credentials(await dir().describe(ACTIVE_ID), 'ghost'));
    expect(err).toMatchObject({ kind: 'not-found', message: 'secret mq-platform/dev/orders/ghost not found in eu-west-1' });
    expect(err.hint).toMatch(/app, admin/);
  });

  test('denied secret read (incl. KMS) is access-denied', async () => {
    sm.on(GetSecretValueCommand).rejects(awsError('AccessDeniedException'));
    expect(await caught(dir().credentials(await dir().describe(ACTIVE_ID), 'app'))).toMatchObject({ kind: 'access-denied' });
    sm.on(GetSecretValueCommand).rejects(awsError('DecryptionFailure'));
    expect(await caught(dir().credentials(await dir().describe(ACTIVE_ID), 'app'))).toMatchObject({ kind: 'access-denied' });
  });

  test('no secrets at all is not-found', async () => {
    sm.on(ListSecretsCommand).resolves({ SecretList: [] });
    expect(await caught(dir().credentials(await dir().describe(RABBIT_ID)))).toMatchObject({ kind: 'not-found' });
  });

  test('untagged broker is not-found with the local alternatives', async () => {
    const err = await caught(dir().credentials(await dir().describe(OTHER_ID)));
    expect(err.kind).toBe('not-found');
    expect(err.hint).toMatch(/--secret-json-file/);
  });

  test('malformed secret content is never echoed', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretString: `{"user":"app","pass":"${FAKE_PASSWORD}"}` });
    const err = await caught(dir().credentials(await dir().describe(ACTIVE_ID), 'app'));
    expect(err.kind).toBe('protocol');
    expect(`${err.message} ${err.hint}`).not.toContain(FAKE_PASSWORD);
  });
});

test('parseSecretJson rejects non-JSON without echoing it', () => {
  expect(() => parseSecretJson(`password=${FAKE_PASSWORD}`, 'f')).toThrow(expect.objectContaining({ message: 'f is not JSON' }));
});
