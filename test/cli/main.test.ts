import { DescribeBrokerCommand, ListBrokersCommand, MqClient } from '@aws-sdk/client-mq';
import { GetSecretValueCommand, ListSecretsCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MessagingClientOptions } from '../../lib/client/messaging-client';
import { Engine } from '../../lib/client/messaging-client';
import { BrokerDirectory } from '../../lib/client/broker-directory';
import { CliDeps, main } from '../../lib/cli/main';
import { ACTIVE_ID, FAKE_PASSWORD, RABBIT_ID, awsError, events, impostor, orders, summary } from '../support/aws-fixtures';
import { InMemoryClient } from '../support/in-memory-client';

const mq = mockClient(MqClient);
const sm = mockClient(SecretsManagerClient);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  clients: InMemoryClient[];
}

async function run(
  args: string[],
  opts: {
    tty?: boolean;
    env?: NodeJS.ProcessEnv;
    cwd?: string;
    setup?: (c: InMemoryClient) => void;
    directory?: CliDeps['directory'];
  } = {},
): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const clients: InMemoryClient[] = [];
  const deps: CliDeps = {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s), isTTY: opts.tty ?? false },
    env: opts.env ?? {},
    cwd: opts.cwd ?? os.tmpdir(),
    directory: opts.directory,
    messagingClient: (engine: Engine, o: MessagingClientOptions) => {
      const c = new InMemoryClient(engine, o);
      opts.setup?.(c);
      clients.push(c);
      return c;
    },
  };
  const code = await main(args, deps);
  return { code, stdout, stderr, clients };
}

beforeEach(() => {
  mq.reset();
  sm.reset();
  mq.on(ListBrokersCommand).resolves({ BrokerSummaries: [summary(orders), summary(events), summary(impostor)] });
  mq.on(DescribeBrokerCommand, { BrokerId: ACTIVE_ID }).resolves(orders);
  mq.on(DescribeBrokerCommand, { BrokerId: RABBIT_ID }).resolves(events);
  mq.on(DescribeBrokerCommand, { BrokerId: impostor.BrokerId }).resolves(impostor);
  sm.on(ListSecretsCommand).resolves({ SecretList: [{ Name: 'mq-platform/dev/events/app' }] });
  sm.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ username: 'app', password: FAKE_PASSWORD }) });
});

describe('help and usage', () => {
  test('--help lists the commands and exit codes', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    for (const c of ['list', 'endpoints <broker>', 'connect-info <broker>', 'check <broker>', 'Exit codes']) expect(r.stdout).toContain(c);
  });

  test.each(['list', 'endpoints', 'connect-info', 'check'])('%s --help', async (cmd) => {
    const r = await run([cmd, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Usage: mq-platform ${cmd}`);
    expect(mq.calls()).toHaveLength(0);
  });

  test.each([
    [[], 'no command given'],
    [['frobnicate'], 'unknown command "frobnicate"'],
    [['endpoints'], 'endpoints needs a <broker>'],
    [['list', '--show-secret'], 'option --show-secret does not apply to list'],
    [['check', 'x', '--nope'], "Unknown option '--nope'"],
    [['check', 'x', '--endpoint', 'ssl://h:61617', '--secret-json-file', '/dev/null'], 'check needs amqps://'],
    [['check', 'x', '--timeout', 'soon'], '--timeout must be a positive number'],
  ])('%j is a one-line usage error with exit 2', async (args, msg) => {
    const r = await run(args as string[]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(msg);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('list', () => {
  test('table of the environment, filtered by tag', async () => {
    const r = await run(['list', '--env', 'dev', '--region', 'eu-west-1']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+ENGINE\s+MODE\s+STATE\s+ID$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/)[0])).toEqual(['events-dev', 'orders-dev']);
  });

  test('passes --region and --profile to the SDK clients, once per run', async () => {
    const seen: unknown[] = [];
    const r = await run(['check', 'events', '--env', 'dev', '--region', 'eu-west-1', '--profile', 'ops'], {
      directory: (props) => {
        seen.push(props);
        return new BrokerDirectory(props);
      },
    });
    expect(r.code).toBe(0);
    expect(seen).toEqual([{ region: 'eu-west-1', profile: 'ops' }]);
  });

  test('--json', async () => {
    const r = await run(['list', '--json', '--region', 'eu-west-1']);
    expect(JSON.parse(r.stdout).map((b: { name: string }) => b.name)).toEqual(['events-dev', 'legacy-dev', 'orders-dev']);
  });

  test('empty result says so on stderr, exit 0', async () => {
    const r = await run(['list', '--env', 'qa', '--region', 'eu-west-1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('no brokers found in eu-west-1, environment qa\n');
  });

  test('region comes from config/<stage>.json for --env when AWS_REGION is unset', async () => {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'mqp-cli-'));
    fs.mkdirSync(path.join(cwd, 'config'));
    fs.writeFileSync(path.join(cwd, 'config', 'qa.json'), JSON.stringify({ environment: 'qa', region: 'eu-central-1' }));
    const fromConfig = await run(['list', '--env', 'qa'], { cwd });
    const fromEnv = await run(['list', '--env', 'qa'], { cwd, env: { AWS_REGION: 'us-east-1' } });
    fs.rmSync(cwd, { recursive: true });
    expect(fromConfig.stderr).toBe('no brokers found in eu-central-1, environment qa\n');
    expect(fromEnv.stderr).toBe('no brokers found in us-east-1, environment qa\n');
  });
});

describe('errors map to exit codes with one line and no stack unless --debug', () => {
  test.each([
    ['ForbiddenException', 4, /access denied while listing brokers in eu-west-1 \(ForbiddenException\)/],
    ['CredentialsProviderError', 4, /no AWS credentials/],
    ['ExpiredTokenException', 4, /expired/],
    ['TimeoutError', 5, /AWS did not answer/],
    ['InternalFailure', 1, /AWS error while listing brokers/],
  ])('%s -> %i', async (name, code, msg) => {
    mq.on(ListBrokersCommand).rejects(awsError(name));
    const r = await run(['list', '--region', 'eu-west-1']);
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(msg);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  test('broker not found -> 3', async () => {
    const r = await run(['endpoints', 'nope', '--env', 'dev', '--region', 'eu-west-1']);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(
      'mq-platform: error: broker "nope-dev" not found in eu-west-1 (run `mq-platform list --env dev` to see the brokers; check --env and --region)\n',
    );
  });

  test('--debug adds the stack', async () => {
    mq.on(ListBrokersCommand).rejects(awsError('ForbiddenException'));
    const r = await run(['list', '--region', 'eu-west-1', '--debug']);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/\n\s+at /);
  });

  test('--json also puts a machine-readable error on stdout', async () => {
    const r = await run(['endpoints', 'nope', '--json', '--region', 'eu-west-1']);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, error: { kind: 'not-found' } });
  });
});

describe('endpoints', () => {
  test('every protocol of every instance and the console URLs', async () => {
    const r = await run(['endpoints', 'orders', '--env', 'dev', '--region', 'eu-west-1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('orders-dev (ACTIVEMQ 5.18, ACTIVE_STANDBY_MULTI_AZ, RUNNING)');
    expect(r.stdout.match(/stomp\+ssl:\/\//g)).toHaveLength(2);
    expect(r.stdout).toContain(`console https://${ACTIVE_ID}-2.mq.eu-west-1.amazonaws.com:8162`);
  });

  test('--json groups by protocol', async () => {
    const r = await run(['endpoints', ACTIVE_ID, '--json', '--region', 'eu-west-1']);
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j.endpoints).sort()).toEqual(['amqp+ssl', 'mqtt+ssl', 'ssl', 'stomp+ssl', 'wss']);
    expect(j.consoleUrls).toHaveLength(2);
  });
});

describe('connect-info', () => {
  test('RabbitMQ: amqps URL with the password masked', async () => {
    const r = await run(['connect-info', 'events', '--env', 'dev', '--region', 'eu-west-1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`amqps://app:********@${RABBIT_ID}.mq.eu-west-1.amazonaws.com:5671`);
    expect(r.stdout + r.stderr).not.toContain(FAKE_PASSWORD);
  });

  test('--show-secret prints it', async () => {
    const r = await run(['connect-info', 'events-dev', '--show-secret', '--json', '--region', 'eu-west-1']);
    expect(JSON.parse(r.stdout).password).toBe(FAKE_PASSWORD);
  });

  test('ActiveMQ: STOMP endpoints and JMS failover URL for the chosen user', async () => {
    const r = await run(['connect-info', 'orders-dev', '--user', 'app', '--region', 'eu-west-1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      `failover:(ssl://${ACTIVE_ID}-1.mq.eu-west-1.amazonaws.com:61617,ssl://${ACTIVE_ID}-2.mq.eu-west-1.amazonaws.com:61617)`,
    );
    expect(r.stdout).toContain('(try in order)');
    expect(r.stdout).not.toContain(FAKE_PASSWORD);
    expect(sm.commandCalls(GetSecretValueCommand)[0].args[0].input).toEqual({ SecretId: 'mq-platform/dev/orders/app' });
  });
});

describe('check', () => {
  test('uses the broker endpoints and secret from AWS and reports the instance that answered', async () => {
    const r = await run(['check', 'orders-dev', '--user', 'app', '--region', 'eu-west-1'], {
      setup: (c) => c.down.add(`stomp+ssl://${ACTIVE_ID}-1.mq.eu-west-1.amazonaws.com:61614`),
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^OK orders-dev: round trip [\d.]+ ms via stomp\+ssl:\/\/.*-2\.mq.*:61614 \(instance 2 of 2 answered\) \[InMemory\/1\.0\]\n$/,
    );
    expect(r.clients[0].engine).toBe('ACTIVEMQ');
  });

  test('--endpoint with --secret-json-file makes no AWS call', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mqp-cli-'));
    const file = path.join(dir, 'secret.json');
    fs.writeFileSync(file, JSON.stringify({ username: 'local', password: FAKE_PASSWORD }), { mode: 0o600 });
    const r = await run(['check', 'local', '--endpoint', 'amqps://127.0.0.1:5671', '--secret-json-file', file, '--json']);
    fs.rmSync(dir, { recursive: true });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      ok: true,
      broker: 'local',
      engine: 'RABBITMQ',
      endpoint: 'amqps://127.0.0.1:5671',
      instanceIndex: 0,
    });
    expect(mq.calls()).toHaveLength(0);
    expect(sm.calls()).toHaveLength(0);
    expect(r.stdout + r.stderr).not.toContain(FAKE_PASSWORD);
  });

  test('credentials from MQ_PLATFORM_USERNAME/PASSWORD', async () => {
    const r = await run(['check', 'x', '--endpoint', 'stomp+ssl://127.0.0.1:61614', '--endpoint', 'stomp+ssl://127.0.0.1:61615'], {
      env: { MQ_PLATFORM_USERNAME: 'u', MQ_PLATFORM_PASSWORD: FAKE_PASSWORD },
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('(instance 1 of 2 answered)');
    expect(sm.calls()).toHaveLength(0);
  });

  test('broker auth failure -> 4, unreachable -> 5', async () => {
    const env = { MQ_PLATFORM_USERNAME: 'u', MQ_PLATFORM_PASSWORD: FAKE_PASSWORD };
    const auth = await run(['check', 'x', '--endpoint', 'amqps://127.0.0.1:5671'], {
      env,
      setup: (c) => c.authFail.add('amqps://127.0.0.1:5671'),
    });
    expect(auth.code).toBe(4);
    expect(auth.stderr).not.toContain(FAKE_PASSWORD);
    const down = await run(['check', 'x', '--endpoint', 'amqps://127.0.0.1:5671'], {
      env,
      setup: (c) => c.down.add('amqps://127.0.0.1:5671'),
    });
    expect(down.code).toBe(5);
  });

  test('missing --ca-file is a usage error', async () => {
    const r = await run(['check', 'x', '--endpoint', 'amqps://127.0.0.1:5671', '--ca-file', '/nonexistent/ca.pem']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cannot read --ca-file /nonexistent/ca.pem: ENOENT');
  });
});

describe('progress indicator', () => {
  test('drawn on stderr only when it is a TTY', async () => {
    const tty = await run(['list', '--region', 'eu-west-1'], { tty: true });
    expect(tty.stderr).toContain('listing brokers');
    const pipe = await run(['list', '--region', 'eu-west-1'], { tty: false });
    expect(pipe.stderr).toBe('');
  });
});
