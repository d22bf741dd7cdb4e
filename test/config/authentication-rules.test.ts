import {
  formatRabbitMqConf,
  isTokenAuthentication,
  resolveAuthentication,
  type ResolvedAuthentication,
} from '../../lib/config/authentication-plan';
import { formatProblem } from '../../lib/config/rules/problem';
import { AUTHENTICATION_RULES } from '../../lib/config/rules/authentication-rules';
import { validateConfig } from '../../lib/config/validate';
import { minimalConfig } from '../support/configs';

type Mutable = any; // test configs are edited freely, then validated
const ISSUER = 'https://a1b2c3d4-0000-1111-2222-333344445555.tokens.sts.global.api.aws';
const ROLE = 'arn:aws:iam::123456789012:role/orders-service';

/** The minimal config with its RabbitMQ broker on IAM authentication (no password user at all). */
function iamConfig(): Mutable {
  const c: Mutable = structuredClone(minimalConfig());
  const b = c.brokers[1];
  delete b.administrator;
  b.users = [];
  b.authentication = {
    strategy: 'iam',
    issuer: ISSUER,
    roles: [{ roleArn: ROLE, permissions: [{ vhost: 'orders', configure: 'orders.*', write: 'orders.*', read: 'orders.*' }] }],
  };
  return c;
}
function oauthConfig(): Mutable {
  const c = iamConfig();
  c.brokers[1].authentication = { strategy: 'oauth2', issuer: 'https://idp.example.com/realms/mq', audience: 'rabbitmq' };
  return c;
}
const rmq = (c: Mutable) => c.brokers[1];
const confOf = (a: ResolvedAuthentication) => (isTokenAuthentication(a) ? a.rabbitMqConf : []);
const auth = (c: Mutable) => c.brokers[1].authentication;

function findings(base: () => Mutable, edit: (c: Mutable) => void): { problems: string[]; warnings: string[] } {
  const c = base();
  edit(c);
  const r = validateConfig(c);
  return { problems: r.problems.map(formatProblem), warnings: r.warnings.map(formatProblem) };
}

describe('valid token configs', () => {
  test.each([
    ['IAM without any password user', iamConfig, () => undefined],
    ["IAM with roles of the environment's own account", iamConfig, (c: Mutable) => (c.account = '123456789012')],
    ['IAM on 3.13', iamConfig, (c: Mutable) => Object.assign(rmq(c), { engineVersion: '3.13', instanceType: 'mq.m5.large' })],
    [
      'IAM with internal users kept (administrator and users)',
      iamConfig,
      (c: Mutable) => {
        auth(c).internalUsers = true;
        rmq(c).administrator = { username: 'admin' };
        rmq(c).users = [{ username: 'app' }];
      },
    ],
    ['OAuth 2.0 with an issuer', oauthConfig, () => undefined],
    [
      'OAuth 2.0 with a JWKS URL, algorithms, aliases and plugin settings',
      oauthConfig,
      (c: Mutable) => {
        Object.assign(auth(c), {
          issuer: undefined,
          jwksUrl: 'https://idp.example.com/keys',
          algorithms: ['RS256', 'ES384'],
          scopeAliases: { 'api://admins': ['rabbitmq.tag:management', 'rabbitmq.read:*/*'] },
          settings: { 'management.oauth_client_id': 'mq-console', 'auth_oauth2.default_key': 'k1' },
          tokenEndpoint: 'https://idp.example.com/oauth2/token',
        });
      },
    ],
  ])('%s', (_name, base, edit) => {
    const r = findings(base, edit as (c: Mutable) => void);
    expect(r.problems).toEqual([]);
    // A valid token broker gets no warning (nothing to rotate is an info at synth: test/stacks/token-broker.test.ts).
    expect(r.warnings).toEqual([]);
  });
});

/** [rule id, base config, edit, exact line, severity] — every rule has a case. */
const cases: Array<[string, () => Mutable, (c: Mutable) => void, string, ('error' | 'warning')?]> = [
  [
    'authentication-engine',
    iamConfig,
    (c) => (c.brokers[0].authentication = { strategy: 'oauth2', issuer: 'https://idp.example.com', audience: 'mq' }),
    'brokers[0].authentication.strategy: "oauth2" is not supported on ActiveMQ brokers (OAuth 2.0 authentication is RabbitMQ only); allowed: "simple", "ldap"',
  ],
  [
    'iam-engine-version',
    iamConfig,
    (c) => (rmq(c).engineVersion = '4.1'),
    // 4.1 is also refused for new brokers (engine-version); the IAM line is the one under test.
    'brokers[1].engineVersion: "4.1" does not support IAM authentication; allowed: RabbitMQ 3.13, 4.2 and later',
  ],
  [
    'iam-issuer',
    iamConfig,
    (c) => (auth(c).issuer = 'https://sts.amazonaws.com'),
    'brokers[1].authentication.issuer: "https://sts.amazonaws.com" is not an IAM outbound identity federation issuer; allowed: https://<id>.tokens.sts.global.api.aws, as `aws iam get-outbound-web-identity-federation-info` prints it',
  ],
  [
    'iam-issuer',
    iamConfig,
    (c) => (auth(c).issuer = 'http://abc.tokens.sts.global.api.aws'),
    'brokers[1].authentication.issuer: "http://abc.tokens.sts.global.api.aws" is not an https:// URL; Amazon MQ requires every OAuth 2.0 URL to start with https://',
  ],
  [
    'iam-roles',
    iamConfig,
    (c) => (auth(c).roles[0].roleArn = 'arn:aws:iam::123456789012:user/alice'),
    'brokers[1].authentication.roles[0].roleArn: "arn:aws:iam::123456789012:user/alice" is not an IAM role ARN; allowed: arn:aws:iam::<12-digit account>:role/<name>',
  ],
  [
    'iam-roles',
    iamConfig,
    (c) => auth(c).roles.push(structuredClone(auth(c).roles[0])),
    `brokers[1].authentication.roles[1].roleArn: "${ROLE}" is listed twice; allowed: one entry per role`,
  ],
  [
    'iam-roles',
    iamConfig,
    (c) => (c.account = '111111111111'),
    `brokers[1].authentication.roles[0].roleArn: "${ROLE}" is in account 123456789012, not the broker's account 111111111111: the platform attaches the connect policy by role name in its own account; allowed: a role of account 111111111111 (grant a role of another account in that account)`,
  ],
  [
    'iam-roles',
    iamConfig,
    (c) => (auth(c).roles[0].permissions = [{ vhost: 'orders' }]),
    'brokers[1].authentication.roles[0].permissions[0]: {"vhost":"orders"} grants nothing; allowed: at least one of configure, write, read',
  ],
  [
    'iam-roles',
    iamConfig,
    (c) => (auth(c).roles[0].permissions[0].read = 'a b'),
    'brokers[1].authentication.roles[0].permissions[0].read: "a b" is not a RabbitMQ scope pattern; allowed: a non-empty pattern without spaces ("*" matches anything)',
  ],
  [
    'iam-roles',
    iamConfig,
    (c) => (auth(c).roles[0].permissions = []),
    'brokers[1].authentication.roles[0].permissions: [] is empty; allowed: at least one virtual host',
  ],
  [
    'iam-roles',
    iamConfig,
    (c) => (auth(c).roles[0].tags = ['administrator']),
    'brokers[1].authentication.roles[0].tags[0]: "administrator" is reserved: an application role never administers the broker; allowed: "management", "monitoring", "policymaker"',
  ],
  [
    'iam-roles',
    iamConfig,
    (c) => (auth(c).roles = []),
    'brokers[1].authentication.roles: [] is empty: no application can connect; name at least one role (or grantConnect a role in code)',
    'warning',
  ],
  [
    'iam-token-lifetime',
    iamConfig,
    (c) => (auth(c).tokenLifetimeSeconds = 7200),
    'brokers[1].authentication.tokenLifetimeSeconds: 7200 is out of range; allowed: 60 to 3600 (GetWebIdentityToken DurationSeconds)',
  ],
  [
    'oauth2-https-urls',
    oauthConfig,
    (c) => (auth(c).issuer = 'http://idp.example.com'),
    'brokers[1].authentication.issuer: "http://idp.example.com" is not an https:// URL; Amazon MQ requires every OAuth 2.0 URL to start with https://',
  ],
  [
    'oauth2-https-urls',
    oauthConfig,
    (c) => (auth(c).settings = { 'management.oauth_provider_url': 'http://idp.example.com' }),
    'brokers[1].authentication.settings.management.oauth_provider_url: "http://idp.example.com" is not an https:// URL; Amazon MQ requires every OAuth 2.0 URL to start with https://',
  ],
  [
    'oauth2-https-urls',
    oauthConfig,
    (c) => (auth(c).tokenEndpoint = 'http://idp.example.com/token'),
    'brokers[1].authentication.tokenEndpoint: "http://idp.example.com/token" is not an https:// URL; Amazon MQ requires every OAuth 2.0 URL to start with https://',
  ],
  [
    'oauth2-signing-keys-source',
    oauthConfig,
    (c) => delete auth(c).issuer,
    'brokers[1].authentication.issuer: (missing) is required when jwksUrl is not given: RabbitMQ needs the issuer (discovery) or the JWKS URL to find the signing keys (Amazon MQ refuses auth_oauth2.signing_keys); allowed: an https:// issuer URL',
  ],
  ...[
    ['auth_oauth2.https.cacertfile', 'auth_oauth2.https.cacertfile'],
    ['auth_oauth2.oauth_providers.keycloak.https.cacertfile', 'auth_oauth2.oauth_providers.{id/index}.https.cacertfile'],
    ['management.oauth_client_secret', 'management.oauth_client_secret'],
    ['management.oauth_resource_servers.1.oauth_client_secret', 'management.oauth_resource_servers.{id/index}.oauth_client_secret'],
    ['auth_oauth2.signing_keys.k1', 'auth_oauth2.signing_keys.{id/index}'],
  ].map(
    ([key, doc]) =>
      [
        'oauth2-refused-keys',
        oauthConfig,
        (c: Mutable) => (auth(c).settings = { [key]: 'x' }),
        `brokers[1].authentication.settings.${key}: "x" is a key Amazon MQ does not accept (${doc}): no private CA, client secret or static signing key on the broker; allowed: remove it (keys come from the issuer's JWKS)`,
      ] as [string, () => Mutable, (c: Mutable) => void, string],
  ),
  [
    'oauth2-refused-keys',
    oauthConfig,
    (c) => (auth(c).settings = { 'listeners.tcp.default': '5672' }),
    'brokers[1].authentication.settings.listeners.tcp.default: "5672" is not a key of the OAuth 2.0 plugin; allowed: auth_oauth2.* and management.oauth_* keys',
  ],
  [
    'oauth2-refused-keys',
    oauthConfig,
    (c) => (auth(c).settings = { 'auth_oauth2.resource_server_id': 'other' }),
    'brokers[1].authentication.settings.auth_oauth2.resource_server_id: "other" is set by the field audience; allowed: use authentication.audience',
  ],
  [
    'oauth2-signing-algorithms',
    oauthConfig,
    (c) => (auth(c).algorithms = ['RS256', 'none']),
    'brokers[1].authentication.algorithms[1]: "none" is not a signing algorithm Amazon MQ supports; allowed: Ed25519, Ed25519ph, Ed448, Ed448ph, EdDSA, ES256K, ES256, ES384, ES512, HS256, HS384, HS512, PS256, PS384, PS512, RS256, RS384, RS512',
  ],
  [
    'oauth2-scope-aliases',
    oauthConfig,
    (c) => (auth(c).scopeAliases = { admins: [] }),
    'brokers[1].authentication.scopeAliases.admins: [] maps to no scope; allowed: at least one RabbitMQ scope',
  ],
  [
    'token-definitions',
    iamConfig,
    (c) => (rmq(c).definitions = { vhosts: [{ name: 'orders' }] }),
    'brokers[1].definitions: "(set)" cannot be applied: the platform applies definitions as the broker administrator, and a broker on token authentication without internal users has none; allowed: remove them, or set authentication.internalUsers to true with an administrator',
  ],
  [
    'token-password-users',
    iamConfig,
    (c) => (rmq(c).administrator = { username: 'admin' }),
    'brokers[1].administrator: {"username":"admin"} cannot log in: a broker with IAM authentication and no internal users has no password user; allowed: remove it, or set authentication.internalUsers to true',
  ],
  [
    'token-password-users',
    oauthConfig,
    (c) => (rmq(c).users = [{ username: 'app' }]),
    'brokers[1].users: ["app"] cannot log in: a broker with OAuth 2.0 authentication and no internal users takes tokens only; allowed: none (grant roles instead), or set authentication.internalUsers to true',
  ],
];

describe('invalid token configs', () => {
  // Every row has its severity, so that jest never takes the last argument for a done callback.
  const rows = cases.map(([rule, base, edit, expected, severity]) => [rule, base, edit, expected, severity ?? 'error'] as const);
  test.each(rows)('%s (case %#)', (rule, base, edit, expected, severity) => {
    const r = findings(base, edit);
    const lines = severity === 'warning' ? r.warnings : r.problems;
    // Another rule may fire on the same edit (a refused engine version); the rule's own line is exact.
    expect(lines).toContain(expected);
    const c = base();
    edit(c);
    const found = validateConfig(c);
    expect([...found.problems, ...found.warnings].filter((p) => formatProblem(p) === expected).map((p) => p.rule)).toEqual([rule]);
  });

  test('every rule of the table has a case', () => {
    const covered = new Set(cases.map(([rule]) => rule));
    expect(AUTHENTICATION_RULES.map((r) => r.id).filter((id) => !covered.has(id))).toEqual([]);
  });

  test('a RabbitMQ broker on simple authentication still needs its administrator', () => {
    const r = findings(
      () => structuredClone(minimalConfig()),
      (c) => delete rmq(c).administrator,
    );
    expect(r.problems).toEqual([
      'brokers[1].administrator: (missing) is required for RabbitMQ brokers: the one user Amazon MQ creates with the broker, reserved for the platform (for a deployed broker, its existing user); allowed: { "username": "..." }',
    ]);
  });
});

describe('rabbitmq.conf entries', () => {
  test('IAM: OAuth 2.0 backend on the account issuer, one scope alias per role keyed by its ARN (sub)', () => {
    const a = resolveAuthentication(iamConfig().brokers[1].authentication);
    expect(a.amazonMqStrategy).toBe('CONFIG_MANAGED');
    expect(formatRabbitMqConf(confOf(a))).toBe(
      [
        'auth_backends.1 = oauth2',
        'auth_oauth2.resource_server_id = rabbitmq',
        `auth_oauth2.issuer = ${ISSUER}`,
        'auth_oauth2.preferred_username_claims.1 = sub',
        'auth_oauth2.additional_scopes_key = sub',
        `auth_oauth2.scope_aliases.1.alias = ${ROLE}`,
        'auth_oauth2.scope_aliases.1.scope = rabbitmq.configure:orders/orders.* rabbitmq.write:orders/orders.* rabbitmq.read:orders/orders.*',
        '',
      ].join('\n'),
    );
  });

  test('OAuth 2.0 with internal users: both backends, typed keys first, plugin settings sorted', () => {
    const c = oauthConfig();
    Object.assign(auth(c), {
      internalUsers: true,
      jwksUrl: 'https://idp.example.com/keys',
      scopePrefix: 'mq:',
      algorithms: ['RS256'],
      preferredUsernameClaims: ['client_id'],
      scopeAliases: { admins: ['mq:tag:management'] },
      settings: { 'management.oauth_enabled': 'true', 'auth_oauth2.default_key': 'k1' },
    });
    const a = resolveAuthentication(auth(c));
    expect(formatRabbitMqConf(confOf(a)).split('\n')).toEqual([
      'auth_backends.1 = oauth2',
      'auth_backends.2 = internal',
      'auth_oauth2.resource_server_id = rabbitmq',
      'auth_oauth2.issuer = https://idp.example.com/realms/mq',
      'auth_oauth2.jwks_url = https://idp.example.com/keys',
      'auth_oauth2.scope_prefix = mq:',
      'auth_oauth2.preferred_username_claims.1 = client_id',
      'auth_oauth2.algorithms.1 = RS256',
      'auth_oauth2.scope_aliases.1.alias = admins',
      'auth_oauth2.scope_aliases.1.scope = mq:tag:management',
      'auth_oauth2.default_key = k1',
      'management.oauth_enabled = true',
      '',
    ]);
  });

  test('simple and absent authentication stay SIMPLE with no entries', () => {
    expect(resolveAuthentication(undefined)).toEqual({ strategy: 'simple', amazonMqStrategy: 'SIMPLE' });
    expect(resolveAuthentication({ strategy: 'simple' })).toEqual({ strategy: 'simple', amazonMqStrategy: 'SIMPLE' });
  });
});
