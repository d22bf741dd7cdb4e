/**
 * Token authentication against the real local RabbitMQ (Debian 3.10) with its OAuth 2.0 backend
 * plugin: a signing key and a JWKS made by this test, served over HTTPS on loopback, and tokens
 * issued by this test, through the project's client (TokenSource, client-credentials flow, IAM path).
 * The STS call of the IAM path is mocked with aws-sdk-client-mock (AWS cannot be reached here): the
 * mock hands back a JWT shaped like an STS web identity token (sub = role ARN, claims nested under
 * "https://sts.amazonaws.com/"), signed by this test's key; the broker does the rest for real.
 */
import { GetWebIdentityTokenCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as path from 'node:path';
import { isTokenAuthentication, permissionScopes, resolveAuthentication } from '../../lib/config/authentication-plan';
import {
  AmqpMessagingClient,
  MqPlatformError,
  TokenSource,
  clientCredentialsFetcher,
  iamTokenFetcher,
  roundTrip,
  type FetchLike,
  type MessagingClientOptions,
} from '../../lib/client';
import { RabbitBroker, TestCa, freePort, makeCa, tempDir } from './harness/brokers';
import { runCli } from './harness/cli';
import { once } from './harness/helpers';

const AUDIENCE = 'rabbitmq';
const ROLE = 'arn:aws:iam::123456789012:role/orders-service';
const OTHER_ROLE = 'arn:aws:iam::123456789012:role/somebody-else';
const CLIENT_ID = 'orders-service';
const CLIENT_SECRET = crypto.randomBytes(12).toString('hex');
// The scopes as the plan writes them (default vhost "/" as %2F); publishing through the default
// exchange needs write on amq.default, as with internal users.
const FULL = permissionScopes(`${AUDIENCE}.`, [
  { vhost: '/', configure: 'it.*', write: 'it.*', read: 'it.*' },
  { vhost: '/', write: 'amq.default' },
]);

let dir: string;
let ca: TestCa;
/** OAuth 2.0: the platform's generated entries. */
let broker: RabbitBroker;
/** IAM: the same backend, with the role ARN (sub) mapped by a scope alias. */
let iamBroker: RabbitBroker;
let idp: https.Server;
let idpPort: number;
const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const KID = 'mq-platform-test-key';
/** What the token endpoint puts in the next token it issues. */
let nextClaims: () => Record<string, unknown> = () => claims({});
let issued = 0;
const clients: AmqpMessagingClient[] = [];

function claims(over: Record<string, unknown>, lifetimeS = 300): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return { iss: `https://127.0.0.1:${idpPort}`, sub: CLIENT_ID, aud: [AUDIENCE], iat: now, exp: now + lifetimeS, scope: FULL, ...over };
}

/** An RS256 JWT signed with the test's key. */
function sign(payload: Record<string, unknown>): string {
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const input = `${b64({ alg: 'RS256', typ: 'JWT', kid: KID })}.${b64(payload)}`;
  return `${input}.${crypto.sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
}

const erlangBinaries = (list: readonly string[]) => list.map((x) => `<<"${x}">>`).join(', ');

/** fetch over node:https that trusts the test CA (the identity provider's certificate). */
const caFetch: FetchLike = (url, init) =>
  new Promise((resolve, reject) => {
    const req = https.request(url, { method: init.method, headers: init.headers, ca: fs.readFileSync(ca.caFile) }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString('utf8')));
      res.on('end', () =>
        resolve({ ok: (res.statusCode ?? 500) < 300, status: res.statusCode ?? 500, json: async () => JSON.parse(body) as unknown }),
      );
    });
    req.on('error', reject);
    req.end(init.body);
  });

function client(overrides: Partial<MessagingClientOptions> = {}, target: RabbitBroker = broker): AmqpMessagingClient {
  const c = new AmqpMessagingClient({
    endpoints: [`amqps://127.0.0.1:${target.port}`],
    username: CLIENT_ID, // RabbitMQ's OAuth 2.0 backend ignores it: the token names the user
    password: '',
    ca: fs.readFileSync(ca.caFile),
    backoff: { maxAttempts: 2, initialDelayMs: 100 },
    connectTimeoutMs: 5000,
    ...overrides,
  });
  clients.push(c);
  return c;
}

/** A client whose every token is `token`: for tokens the broker must refuse. */
const fixed = (token: string) => new TokenSource(async () => ({ token }));

async function refusal(c: AmqpMessagingClient): Promise<MqPlatformError> {
  const err = await c.connect().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(MqPlatformError);
  return err as MqPlatformError;
}

beforeAll(async () => {
  dir = tempDir('rabbitmq-oauth2');
  ca = await makeCa(path.join(dir, 'ca'));
  // The identity provider: JWKS and a client-credentials token endpoint, HTTPS on loopback.
  idpPort = await freePort();
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid: KID, alg: 'RS256', use: 'sig' };
  idp = https.createServer({ key: fs.readFileSync(ca.keyFile), cert: fs.readFileSync(ca.certFile) }, (req, res) => {
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'GET' && req.url === '/jwks') return json(200, { keys: [jwk] });
    if (req.method === 'POST' && req.url === '/token') {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString('utf8')));
      req.on('end', () => {
        const basic = Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64');
        if (req.headers.authorization !== `Basic ${basic}`) return json(401, { error: 'invalid_client' });
        if (new URLSearchParams(body).get('grant_type') !== 'client_credentials') return json(400, { error: 'unsupported_grant_type' });
        issued++;
        const c = nextClaims();
        json(200, { access_token: sign(c), token_type: 'Bearer', expires_in: (c.exp as number) - Math.floor(Date.now() / 1000) });
      });
      return;
    }
    json(404, { error: 'not_found' });
  });
  await new Promise<void>((resolve) => idp.listen(idpPort, '127.0.0.1', resolve));

  // The broker's OAuth 2.0 entries as the platform generates them (oauth2 with a JWKS URL), in
  // 3.10's dialect: the backend by module name (the "oauth2" alias came with 3.13), and the test
  // CA for the JWKS download (Amazon MQ refuses that key: there the identity provider has a public CA).
  // "localhost": Erlang checks the host name of the certificate (its SAN has DNS:localhost).
  const auth = resolveAuthentication({ strategy: 'oauth2', audience: AUDIENCE, jwksUrl: `https://localhost:${idpPort}/jwks` });
  if (!isTokenAuthentication(auth)) throw new Error('expected token authentication');
  const conf = auth.rabbitMqConf.map(
    (e) => `${e.key} = ${e.key.startsWith('auth_backends.') && e.value === 'oauth2' ? 'rabbit_auth_backend_oauth2' : e.value}`,
  );
  const tls = [`auth_oauth2.https.cacertfile = ${ca.caFile}`, 'auth_oauth2.https.peer_verification = verify_peer'];
  broker = new RabbitBroker(path.join(dir, 'rabbit'), ca, { plugins: ['rabbitmq_auth_backend_oauth2'], extraConf: [...conf, ...tls] });
  // IAM: the role ARN in `sub` is a scope, and a scope alias maps it to permissions (the plan's
  // auth_oauth2.additional_scopes_key = sub and scope_aliases; 3.10 takes them in advanced.config).
  iamBroker = new RabbitBroker(path.join(dir, 'rabbit-iam'), ca, {
    plugins: ['rabbitmq_auth_backend_oauth2'],
    extraConf: [...conf, ...tls],
    advancedConfig: `[{rabbitmq_auth_backend_oauth2, [{extra_scopes_source, <<"sub">>}, {scope_aliases, #{<<"${ROLE}">> => [${erlangBinaries(FULL)}]}}]}].`,
  });
  await Promise.all([broker.start(), iamBroker.start()]);
});

afterEach(async () => {
  for (const c of clients.splice(0)) await c.close().catch(() => undefined);
  nextClaims = () => claims({});
});

afterAll(async () => {
  await Promise.all([broker?.shutdown(), iamBroker?.shutdown()]);
  await new Promise((resolve) => idp?.close(resolve));
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const credentialsFlow = () =>
  new TokenSource(
    clientCredentialsFetcher({
      tokenEndpoint: `https://127.0.0.1:${idpPort}/token`,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      fetch: caFetch,
    }),
  );

describe('OAuth 2.0: tokens issued by the test, checked by the real broker', () => {
  test('a valid token (client-credentials flow) is accepted: round trip with confirms and ack', async () => {
    const c = client({ tokenSource: credentialsFlow() });
    await c.connect();
    const r = await roundTrip(c, { queue: `it.oauth.${Date.now()}` });
    expect(r.engine).toBe('RABBITMQ');
  });

  test('an expired token is refused (auth), even after one retry with a new token', async () => {
    nextClaims = () => claims({ iat: Math.floor(Date.now() / 1000) - 600, exp: Math.floor(Date.now() / 1000) - 60 });
    const err = await refusal(client({ tokenSource: credentialsFlow() }));
    expect(err.kind).toBe('auth');
  });

  test('a token for another audience is refused', async () => {
    const err = await refusal(client({ tokenSource: fixed(sign(claims({ aud: ['another-broker'] }))) }));
    expect(err.kind).toBe('auth');
  });

  test('a token without a scope on the virtual host is refused', async () => {
    const err = await refusal(client({ tokenSource: fixed(sign(claims({ scope: [`${AUDIENCE}.read:other-vhost/*`] }))) }));
    expect(err.kind).toBe('auth');
  });

  test('a token signed by another key is refused', async () => {
    const { privateKey: other } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const input = `${b64({ alg: 'RS256', typ: 'JWT', kid: KID })}.${b64(claims({}))}`;
    const forged = `${input}.${crypto.sign('sha256', Buffer.from(input), other).toString('base64url')}`;
    const err = await refusal(client({ tokenSource: fixed(forged) }));
    expect(err.kind).toBe('auth');
  });

  test('a wrong client secret never reaches the broker: the token endpoint refuses it', async () => {
    const source = new TokenSource(
      clientCredentialsFetcher({
        tokenEndpoint: `https://127.0.0.1:${idpPort}/token`,
        clientId: CLIENT_ID,
        clientSecret: 'wrong',
        fetch: caFetch,
      }),
    );
    const err = await refusal(client({ tokenSource: source }));
    expect(err.kind).toBe('auth');
    expect(err.message).toContain('invalid_client');
  });

  test('before the token expires, a fresh one goes to the live connection (update-secret); after a restart it reconnects with a fresh token', async () => {
    // 8-second tokens, refreshed 3 s before expiry (a fifth of the lifetime caps the margin at 1.6 s).
    nextClaims = () => claims({}, 8);
    const before = issued;
    const c = client({ tokenSource: credentialsFlow(), backoff: { maxAttempts: 10, initialDelayMs: 500 } });
    await c.connect();
    const refreshed = await once<{ updatedInPlace: boolean }>(c, 'token-refreshed', 20000);
    expect(refreshed.updatedInPlace).toBe(true);
    // The first token has expired by now; the connection works on the second.
    await new Promise((r) => setTimeout(r, 2500));
    await roundTrip(c, { queue: `it.oauth.refresh.${Date.now()}` });
    expect(issued - before).toBeGreaterThanOrEqual(2);

    const reconnected = once(c, 'reconnected', 90000);
    await broker.restart();
    await reconnected;
    await roundTrip(c, { queue: `it.oauth.reconnect.${Date.now()}` });
  });
});

describe('CLI check with a token (MQ_PLATFORM_TOKEN) through the endpoint override', () => {
  const check = [
    `${AUDIENCE}.configure:*/mq-platform.check.*`,
    `${AUDIENCE}.write:*/mq-platform.check.*`,
    `${AUDIENCE}.write:*/amq.default`,
    `${AUDIENCE}.read:*/mq-platform.check.*`,
  ];
  const cli = (token: string) =>
    runCli(['check', 'local-oauth', '--endpoint', `amqps://127.0.0.1:${broker.port}`, '--ca-file', ca.caFile], {
      MQ_PLATFORM_TOKEN: token,
    });

  test('a valid token: round trip, exit 0, the token never printed', async () => {
    const token = sign(claims({ scope: check }));
    const r = await cli(token);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^OK local-oauth: round trip [\d.]+ ms via amqps:\/\/127\.0\.0\.1:\d+ \[RabbitMQ\/3\./);
    expect(r.stdout).not.toContain(token);
  });

  test('an expired token: exit 4', async () => {
    const token = sign(claims({ scope: check, iat: Math.floor(Date.now() / 1000) - 600, exp: Math.floor(Date.now() / 1000) - 60 }));
    const r = await cli(token);
    expect(r.code).toBe(4);
    expect(r.stderr + r.stdout).not.toContain(token);
  });
});

describe('IAM path: the project IAM token fetcher with STS mocked (aws-sdk-client-mock), checked by the real broker', () => {
  const sts = mockClient(STSClient);
  afterEach(() => sts.reset());

  /** A token shaped like STS GetWebIdentityToken's: sub = caller role ARN, claims nested, no scope claim. */
  const stsToken = (sub: string, exp = Math.floor(Date.now() / 1000) + 300) =>
    sign({
      iss: `https://127.0.0.1:${idpPort}`,
      sub,
      aud: AUDIENCE,
      iat: Math.floor(Date.now() / 1000),
      exp,
      'https://sts.amazonaws.com/': { aws_account: '123456789012', source_region: 'eu-west-1' },
    });

  test('the granted role (scope alias keyed by its ARN) is accepted; the request names the broker audience', async () => {
    sts.on(GetWebIdentityTokenCommand).resolves({ WebIdentityToken: stsToken(ROLE), Expiration: new Date(Date.now() + 300000) });
    const source = new TokenSource(iamTokenFetcher({ sts: new STSClient({ region: 'eu-west-1' }), audience: AUDIENCE }));
    const c = client({ tokenSource: source }, iamBroker);
    await c.connect();
    await roundTrip(c, { queue: `it.iam.${Date.now()}` });
    expect(sts.commandCalls(GetWebIdentityTokenCommand)[0].args[0].input).toEqual({
      Audience: [AUDIENCE],
      DurationSeconds: 900,
      SigningAlgorithm: 'RS256',
    });
  });

  test('a role without a scope alias is refused', async () => {
    sts.on(GetWebIdentityTokenCommand).resolves({ WebIdentityToken: stsToken(OTHER_ROLE) });
    const source = new TokenSource(iamTokenFetcher({ sts: new STSClient({ region: 'eu-west-1' }), audience: AUDIENCE }));
    const err = await refusal(client({ tokenSource: source }, iamBroker));
    expect(err.kind).toBe('auth');
  });
});
