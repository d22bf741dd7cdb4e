import { DescribeBrokerCommand, ListBrokersCommand, MqClient } from '@aws-sdk/client-mq';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetWebIdentityTokenCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import * as os from 'node:os';
import { CliDeps, main } from '../../lib/cli/main';
import type { Engine, MessagingClientOptions } from '../../lib/client/messaging-client';
import { RABBIT_ID, events, summary } from '../support/aws-fixtures';
import { InMemoryClient } from '../support/in-memory-client';

// AWS is mocked with aws-sdk-client-mock (STS included): no call leaves the process.
const mq = mockClient(MqClient);
const sm = mockClient(SecretsManagerClient);
const sts = mockClient(STSClient);

const iamEvents = {
  ...events,
  AuthenticationStrategy: 'CONFIG_MANAGED' as const,
  Tags: { ...events.Tags, 'mq-platform:authentication': 'iam', 'mq-platform:token-audience': 'rabbitmq' },
};
const oauthEvents = { ...iamEvents, Tags: { ...events.Tags, 'mq-platform:authentication': 'oauth2', 'mq-platform:token-audience': 'mq' } };

async function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  const clients: Array<{ client: InMemoryClient; options: MessagingClientOptions }> = [];
  const deps: CliDeps = {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s), isTTY: false },
    env,
    cwd: os.tmpdir(),
    messagingClient: (engine: Engine, options: MessagingClientOptions) => {
      const client = new InMemoryClient(engine, options);
      clients.push({ client, options });
      return client;
    },
  };
  const code = await main(args, deps);
  return { code, stdout, stderr, clients };
}

function brokerIs(d: typeof iamEvents) {
  mq.on(ListBrokersCommand).resolves({ BrokerSummaries: [summary(d)] });
  mq.on(DescribeBrokerCommand, { BrokerId: RABBIT_ID }).resolves(d);
}

beforeEach(() => {
  mq.reset();
  sm.reset();
  sts.reset();
});

describe('connect-info on token brokers', () => {
  test('IAM: no secret is read; says to get an STS token for the tagged audience', async () => {
    brokerIs(iamEvents);
    const r = await run(['connect-info', 'events-dev', '--region', 'eu-west-1']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').slice(0, 4)).toEqual([
      'events-dev (RABBITMQ, CLUSTER_MULTI_AZ)',
      'authentication:         IAM (no broker password: the password is a token, the username is ignored; refresh it before it expires)',
      '  audience:             rabbitmq',
      '  token:                STS GetWebIdentityToken with the application\'s AWS credentials: Audience ["rabbitmq"], SigningAlgorithm RS256 or ES384, DurationSeconds 60-3600 (mq-platform client: tokenSource = new TokenSource(iamTokenFetcher({ sts, audience: "rabbitmq" })))',
    ]);
    expect(r.stdout).toContain(`amqplib URL:            amqps://iam:<token>@${RABBIT_ID}.mq.eu-west-1.amazonaws.com:5671`);
    expect(sm.calls()).toHaveLength(0);
  });

  test('OAuth 2.0 --json', async () => {
    brokerIs(oauthEvents);
    const r = await run(['connect-info', 'events-dev', '--region', 'eu-west-1', '--json']);
    expect(JSON.parse(r.stdout)).toMatchObject({ authentication: { kind: 'oauth2', audience: 'mq' } });
  });
});

describe('check on token brokers', () => {
  test('IAM: the password is an STS web identity token for the broker audience, got with the caller credentials', async () => {
    brokerIs(iamEvents);
    sts.on(GetWebIdentityTokenCommand).resolves({ WebIdentityToken: 'sts-jwt', Expiration: new Date(Date.now() + 900_000) });
    const r = await run(['check', 'events-dev', '--region', 'eu-west-1']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(sts.commandCalls(GetWebIdentityTokenCommand)[0].args[0].input).toEqual({
      Audience: ['rabbitmq'],
      DurationSeconds: 900,
      SigningAlgorithm: 'RS256',
    });
    expect((await r.clients[0].options.tokenSource!.get()).token).toBe('sts-jwt');
    expect(sm.calls()).toHaveLength(0);
  });

  test('OAuth 2.0 without a token or client credentials: exit with a hint naming the variables', async () => {
    brokerIs(oauthEvents);
    const r = await run(['check', 'events-dev', '--region', 'eu-west-1']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('the broker takes OAuth 2.0 tokens and none was given');
    expect(r.stderr).toContain('MQ_PLATFORM_TOKEN_ENDPOINT, MQ_PLATFORM_CLIENT_ID and MQ_PLATFORM_CLIENT_SECRET');
  });

  test('OAuth 2.0 with MQ_PLATFORM_TOKEN', async () => {
    brokerIs(oauthEvents);
    const r = await run(['check', 'events-dev', '--region', 'eu-west-1'], { MQ_PLATFORM_TOKEN: 'given-token' });
    expect(r.code).toBe(0);
    expect((await r.clients[0].options.tokenSource!.get()).token).toBe('given-token');
    expect(r.stdout + r.stderr).not.toContain('given-token');
  });
});
