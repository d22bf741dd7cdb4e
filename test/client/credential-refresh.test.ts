import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { Endpoint, formatEndpoint } from '../../lib/client/endpoint';
import { MqPlatformError } from '../../lib/client/errors';
import type { Credentials, MessagingClientOptions, Session } from '../../lib/client/messaging-client';
import { secretCredentials } from '../../lib/client/secret-credentials';
import { InMemoryClient, InMemorySession } from '../support/in-memory-client';

const A = 'stomp+ssl://a.example:61614';
const OLD: Credentials = { username: 'app', password: 'old-password-0' };
const NEW: Credentials = { username: 'app_clone', password: 'new-password-1' };

/** A broker that accepts exactly one username/password pair, which a test can change (a rotation). */
class RotatingBrokerClient extends InMemoryClient {
  accepted: Credentials = OLD;
  readonly tried: string[] = [];

  protected async openSession(ep: Endpoint): Promise<Session> {
    this.tried.push(this.credentials.username);
    if (this.credentials.username !== this.accepted.username || this.credentials.password !== this.accepted.password) {
      throw new MqPlatformError('auth', `${formatEndpoint(ep)} rejected the credentials`);
    }
    const s = new InMemorySession(formatEndpoint(ep));
    this.sessions.push(s);
    return s;
  }
}

function client(extra: Partial<MessagingClientOptions> = {}): RotatingBrokerClient {
  return new RotatingBrokerClient('ACTIVEMQ', {
    endpoints: [A],
    ...OLD,
    backoff: { maxAttempts: 3, initialDelayMs: 1, maxDelayMs: 2 },
    ...extra,
  });
}

test('without refreshCredentials an authentication failure stays final', async () => {
  const c = client();
  c.accepted = NEW;
  await expect(c.connect()).rejects.toMatchObject({ kind: 'auth' });
  expect(c.tried).toEqual(['app']);
});

test('on an authentication failure it re-reads username and password and connects with them', async () => {
  const refreshCredentials = jest.fn(async () => NEW);
  const c = client({ refreshCredentials });
  c.accepted = NEW;
  const refreshed = jest.fn();
  c.on('credentials-refreshed', refreshed);
  await expect(c.connect()).resolves.toMatchObject({ endpoint: A });
  expect(c.tried).toEqual(['app', 'app_clone']);
  expect(refreshCredentials).toHaveBeenCalledTimes(1);
  expect(refreshed).toHaveBeenCalledWith({ username: 'app_clone', changed: true });
});

test('a reconnect after a rotation re-reads the secret and re-creates consumers', async () => {
  let current = OLD;
  const c = client({ refreshCredentials: async () => current });
  await c.connect();
  await c.consume('q', async (m) => m.ack());
  // The rotation moved AWSCURRENT to the other user and changed the old user's password; the broker restarts.
  current = NEW;
  c.accepted = NEW;
  const reconnected = new Promise((r) => c.once('reconnected', r));
  c.sessions[0].drop();
  await expect(reconnected).resolves.toMatchObject({ endpoint: A });
  expect(c.tried).toEqual(['app', 'app', 'app_clone']);
});

test('unchanged credentials are re-read once per round, then the auth error is final', async () => {
  const refreshCredentials = jest.fn(async () => OLD);
  const c = client({ refreshCredentials });
  c.accepted = NEW;
  await expect(c.connect()).rejects.toMatchObject({ kind: 'auth' });
  expect(refreshCredentials).toHaveBeenCalledTimes(3);
  expect(c.tried).toEqual(['app', 'app', 'app']);
});

test('a failing re-read is reported with the refusal, without the password', async () => {
  const c = client({
    refreshCredentials: async () => {
      throw new Error('secrets manager unreachable');
    },
  });
  c.accepted = NEW;
  const err = await c.connect().catch((e: MqPlatformError) => e);
  expect(err).toMatchObject({
    kind: 'auth',
    message: expect.stringContaining('reading the credentials again failed: secrets manager unreachable'),
  });
  expect(String((err as Error).message)).not.toContain(OLD.password);
});

describe('secretCredentials', () => {
  const sm = mockClient(SecretsManagerClient);
  afterEach(() => sm.reset());

  test('reads AWSCURRENT username and password of the secret each time', async () => {
    sm.on(GetSecretValueCommand, { SecretId: 'mq-platform/dev/orders/app' })
      .resolvesOnce({ SecretString: JSON.stringify(OLD) })
      .resolves({ SecretString: JSON.stringify({ ...NEW, extra: 'ignored' }) });
    const read = secretCredentials(new SecretsManagerClient({ region: 'eu-west-1' }), 'mq-platform/dev/orders/app');
    await expect(read()).resolves.toEqual(OLD);
    await expect(read()).resolves.toEqual(NEW);
  });

  test('a malformed secret is a protocol error naming the secret', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretString: '{"username":"app"}' });
    const read = secretCredentials(new SecretsManagerClient({ region: 'eu-west-1' }), 's1');
    await expect(read()).rejects.toMatchObject({ kind: 'protocol', message: expect.stringContaining('s1') });
  });
});
