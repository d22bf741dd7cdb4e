import type { HttpRequest } from '../../lib/rotation/http-request';
import { RabbitMqStrategy } from '../../lib/rotation/rabbitmq-strategy';
import type { Credentials, RotationContext } from '../../lib/rotation/types';

/** A management API with one user, as far as rotation uses it (the real one is in test/integration). */
function fakeBroker(password: string) {
  const state = { password, tags: ['administrator'] as string[], puts: 0, failWhoamiFor: undefined as string | undefined };
  const request: HttpRequest = async (method, url, auth, body) => {
    if (auth.username !== 'app' || auth.password !== state.password) return { status: 401, body: '{"error":"not_authorised"}' };
    const path = new URL(url).pathname;
    if (method === 'GET' && path === '/api/whoami') {
      if (state.failWhoamiFor === auth.password) return { status: 503, body: '' };
      return { status: 200, body: JSON.stringify({ name: 'app', tags: state.tags }) };
    }
    if (method === 'GET' && path === '/api/users/app') return { status: 200, body: JSON.stringify({ name: 'app', tags: state.tags }) };
    if (method === 'PUT' && path === '/api/users/app') {
      const b = body as { password: string; tags: string };
      state.password = b.password;
      state.tags = b.tags.split(',').filter(Boolean);
      state.puts++;
      return { status: 204, body: '' };
    }
    return { status: 404, body: '' };
  };
  return { state, request };
}

const creds = (password: string): Credentials => ({ username: 'app', password });
function ctx(current: string, pending: string, previous?: string): RotationContext {
  return {
    secretId: 's',
    token: 't',
    broker: { secretNamePrefix: 'p/', engine: 'RABBITMQ', brokerId: 'b-1', managementUrl: 'https://b-1.example/' },
    current: creds(current),
    pending: creds(pending),
    previous: previous ? creds(previous) : undefined,
  };
}

describe('RabbitMqStrategy (management API faked in memory)', () => {
  test('setSecret changes the password with the current one and keeps the tags', async () => {
    const broker = fakeBroker('cur');
    await new RabbitMqStrategy({ request: broker.request, log: () => undefined }).setSecret(ctx('cur', 'new'));
    expect(broker.state).toMatchObject({ password: 'new', tags: ['administrator'], puts: 1 });
  });

  test('setSecret retried after it succeeded does nothing', async () => {
    const broker = fakeBroker('new');
    await new RabbitMqStrategy({ request: broker.request, log: () => undefined }).setSecret(ctx('cur', 'new'));
    expect(broker.state.puts).toBe(0);
  });

  test('setSecret authenticates with AWSPREVIOUS when the broker still has it', async () => {
    const broker = fakeBroker('prev');
    await new RabbitMqStrategy({ request: broker.request, log: () => undefined }).setSecret(ctx('cur', 'new', 'prev'));
    expect(broker.state.password).toBe('new');
  });

  test('setSecret fails clearly when no known password logs in', async () => {
    const broker = fakeBroker('changed-by-hand');
    await expect(new RabbitMqStrategy({ request: broker.request, log: () => undefined }).setSecret(ctx('cur', 'new', 'prev'))).rejects.toThrow(
      'none of the AWSCURRENT, AWSPENDING or AWSPREVIOUS passwords of app logs in to broker b-1',
    );
  });

  test('testSecret passes when the pending password logs in', async () => {
    const broker = fakeBroker('new');
    await expect(new RabbitMqStrategy({ request: broker.request, log: () => undefined }).testSecret(ctx('cur', 'new'))).resolves.toBeUndefined();
  });

  test('a failed testSecret puts the AWSCURRENT password back, then fails', async () => {
    const broker = fakeBroker('new');
    broker.state.failWhoamiFor = 'new';
    await expect(new RabbitMqStrategy({ request: broker.request, log: () => undefined }).testSecret(ctx('cur', 'new'))).rejects.toThrow(
      'GET /api/whoami with the pending password answered 503',
    );
    expect(broker.state.password).toBe('cur');
  });

  test('after a failed testSecret the retried setSecret and testSecret complete', async () => {
    const broker = fakeBroker('cur');
    const strategy = new RabbitMqStrategy({ request: broker.request, log: () => undefined });
    await strategy.setSecret(ctx('cur', 'new'));
    broker.state.failWhoamiFor = 'new';
    await expect(strategy.testSecret(ctx('cur', 'new'))).rejects.toThrow();
    broker.state.failWhoamiFor = undefined;
    await strategy.setSecret(ctx('cur', 'new'));
    await strategy.testSecret(ctx('cur', 'new'));
    expect(broker.state.password).toBe('new');
  });
});
