import { GetWebIdentityTokenCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import {
  MqPlatformError,
  TokenSource,
  clientCredentialsFetcher,
  iamTokenFetcher,
  jwtExpiry,
  jwtSubject,
  type FetchLike,
} from '../../lib/client';

const jwt = (claims: Record<string, unknown>) =>
  `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;

describe('TokenSource', () => {
  test('caches the token until its refresh time, then fetches a new one; concurrent callers share one fetch', async () => {
    let now = 1_000_000;
    let n = 0;
    const source = new TokenSource(async () => ({ token: `t${++n}`, expiresAt: new Date(now + 600_000) }), { now: () => now });
    const [a, b] = await Promise.all([source.get(), source.get()]);
    expect([a.token, b.token, n]).toEqual(['t1', 't1', 1]);
    // A 10-minute token is refreshed 60 s before it expires.
    expect(source.msUntilRefresh()).toBe(540_000);
    now += 539_000;
    expect((await source.get()).token).toBe('t1');
    now += 1_000;
    expect((await source.get()).token).toBe('t2');
  });

  test('short tokens are refreshed a fifth of their lifetime early; the expiry comes from the JWT when not given', async () => {
    const now = 2_000_000_000_000;
    const source = new TokenSource(async () => ({ token: jwt({ exp: now / 1000 + 10 }) }), { now: () => now });
    await source.get();
    expect(source.msUntilRefresh()).toBe(8_000);
  });

  test('a token without expiry is never refreshed on a timer', async () => {
    const source = new TokenSource(async () => ({ token: 'opaque' }));
    await source.get();
    expect(source.msUntilRefresh()).toBe(Infinity);
  });

  test('an empty token is an auth error', async () => {
    await expect(new TokenSource(async () => ({ token: '' })).get()).rejects.toMatchObject({ kind: 'auth' });
  });

  test('jwt helpers read exp and sub, and nothing from a non-JWT', () => {
    expect(jwtExpiry(jwt({ exp: 1700000900 }))).toEqual(new Date(1700000900_000));
    expect(jwtSubject(jwt({ sub: 'arn:aws:iam::123456789012:role/app' }))).toBe('arn:aws:iam::123456789012:role/app');
    expect(jwtExpiry('not-a-jwt')).toBeUndefined();
  });
});

// STS is mocked with aws-sdk-client-mock: no AWS call in npm test.
describe('iamTokenFetcher (STS GetWebIdentityToken, mocked)', () => {
  const sts = mockClient(STSClient);
  afterEach(() => sts.reset());

  test('asks for the broker audience with the lifetime and algorithm, returns token and expiry', async () => {
    const expiration = new Date('2026-11-30T09:00:00Z');
    sts.on(GetWebIdentityTokenCommand).resolves({ WebIdentityToken: 'jwt-from-sts', Expiration: expiration });
    const fetch = iamTokenFetcher({
      sts: new STSClient({ region: 'eu-west-1' }),
      audience: 'rabbitmq',
      durationSeconds: 600,
      signingAlgorithm: 'ES384',
    });
    expect(await fetch()).toEqual({ token: 'jwt-from-sts', expiresAt: expiration });
    expect(sts.commandCalls(GetWebIdentityTokenCommand)[0].args[0].input).toEqual({
      Audience: ['rabbitmq'],
      DurationSeconds: 600,
      SigningAlgorithm: 'ES384',
    });
  });

  test('access denied names the grant the role lacks', async () => {
    sts.on(GetWebIdentityTokenCommand).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDenied' }));
    const fetch = iamTokenFetcher({ sts: new STSClient({ region: 'eu-west-1' }), audience: 'rabbitmq' });
    const err = (await fetch().catch((e: unknown) => e)) as MqPlatformError;
    expect(err.kind).toBe('access-denied');
    expect(err.hint).toBe(
      'the application\'s role needs sts:GetWebIdentityToken for audience "rabbitmq" (MqBroker.grantConnect, or authentication.roles in the config)',
    );
  });

  test('federation not enabled in the account says how to enable it', async () => {
    sts
      .on(GetWebIdentityTokenCommand)
      .rejects(Object.assign(new Error('disabled'), { name: 'OutboundWebIdentityFederationDisabledException' }));
    const fetch = iamTokenFetcher({ sts: new STSClient({ region: 'eu-west-1' }), audience: 'rabbitmq' });
    await expect(fetch()).rejects.toMatchObject({
      kind: 'access-denied',
      hint: 'an administrator runs `aws iam enable-outbound-web-identity-federation` once per account',
    });
  });
});

describe('clientCredentialsFetcher', () => {
  const endpoint = 'https://idp.example.com/oauth2/token';
  const fake =
    (status: number, body: unknown, seen: Array<Parameters<FetchLike>> = []): FetchLike =>
    async (url, init) => {
      seen.push([url, init]);
      return { ok: status < 300, status, json: async () => body };
    };

  test('posts the client-credentials grant with HTTP Basic client authentication', async () => {
    const seen: Array<Parameters<FetchLike>> = [];
    const before = Date.now();
    const token = await clientCredentialsFetcher({
      tokenEndpoint: endpoint,
      clientId: 'orders',
      clientSecret: 's3cr3t',
      scope: 'rabbitmq.read:*/*',
      fetch: fake(200, { access_token: 'at', expires_in: 300 }, seen),
    })();
    expect(token.token).toBe('at');
    expect(token.expiresAt!.getTime()).toBeGreaterThanOrEqual(before + 300_000);
    const [url, init] = seen[0];
    expect(url).toBe(endpoint);
    expect(init.method).toBe('POST');
    expect(init.headers.authorization).toBe(`Basic ${Buffer.from('orders:s3cr3t').toString('base64')}`);
    expect(init.body).toBe('grant_type=client_credentials&scope=rabbitmq.read%3A*%2F*');
  });

  test('a refused client is an auth error that never shows the secret', async () => {
    const err = (await clientCredentialsFetcher({
      tokenEndpoint: endpoint,
      clientId: 'orders',
      clientSecret: 's3cr3t',
      fetch: fake(401, { error: 'invalid_client' }),
    })().catch((e: unknown) => e)) as MqPlatformError;
    expect(err.kind).toBe('auth');
    expect(err.message).toBe('the token endpoint refused the client (invalid_client)');
    expect(JSON.stringify(err) + err.message + err.hint).not.toContain('s3cr3t');
  });

  test('refuses a token endpoint that is not https://', async () => {
    await expect(
      clientCredentialsFetcher({ tokenEndpoint: 'http://idp.example.com/token', clientId: 'a', clientSecret: 'b', fetch: fake(200, {}) })(),
    ).rejects.toMatchObject({ kind: 'usage' });
  });
});
