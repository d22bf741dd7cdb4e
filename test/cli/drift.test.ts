import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { driftOf, renderDrift } from '../../lib/cli/drift';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { lambdaInvoker } from '../../lib/cli/drift';
import { main, type CliDeps } from '../../lib/cli/main';
import { createHandler, type MqPlatformFunctionEvent } from '../../lib/rotation/factory';
import { silentLogger } from '../../lib/rotation/log';
import { FakeSecretsManager } from '../rotation/fake-aws';
import { applyDefinitions } from '../../lib/rabbitmq/definitions-apply';
import { DefinitionsClient } from '../../lib/rabbitmq/definitions-client';
import { parseConfig } from '../../lib/config/load-config';
import { minimalConfig } from '../support/configs';
import { FakeDefinitionsApi } from '../rabbitmq/fake-definitions-api';

const URL = 'https://b-1.mq.eu-west-1.on.aws';
const ADMIN = { username: 'admin', password: 'pw', source: 'test' };

function withConfig(definitions: unknown): { cwd: string; raw: any } {
  const raw: any = minimalConfig();
  if (definitions) raw.brokers[1].definitions = definitions;
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'drift-'));
  fs.mkdirSync(path.join(cwd, 'config'));
  fs.writeFileSync(path.join(cwd, 'config', 'test.json'), JSON.stringify(raw));
  return { cwd, raw };
}

async function cli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}, lambdaInvoker?: CliDeps['lambdaInvoker']) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env,
    cwd,
    lambdaInvoker,
  });
  return { code, stdout, stderr };
}

const DEFS = {
  vhosts: [{ name: 'orders' }],
  queues: [{ vhost: 'orders', name: 'orders.created' }],
  policies: [{ vhost: 'orders', name: 'ttl', pattern: '^orders\\.', definition: { 'message-ttl': 60000 } }],
};
/** The pair of the fixture's RabbitMQ user `app` as the users custom resource leaves it (default permissions on "/"). */
function seedUsers(api: FakeDefinitionsApi): void {
  for (const name of ['app', 'app_clone'])
    api.users.set(name, { tags: [], permissions: new Map([['/', { configure: '.*', write: '.*', read: '.*' }]]) });
}
const noInvoke = () => Promise.reject(new Error('no AWS in this test'));

describe('mq-platform drift', () => {
  test('--help documents the exit codes', async () => {
    const r = await cli(['drift', '--help'], os.tmpdir());
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Exit codes: 0 no drift, 1 drift found, 2 error');
  });

  test.each([
    [['drift'], 'mq-platform: error: drift needs --env <name>'],
    [['drift', '--env', 'test', 'a', 'b'], 'mq-platform: error: drift takes at most one broker, got 2'],
    [['drift', '--env', 'nowhere'], 'config/nowhere.json: cannot read the config file'],
    [['drift', '--env', 'test', '--user', 'x'], 'mq-platform: error: option --user does not apply to drift'],
  ])('%j is an error: exit 2', async (args, message) => {
    const { cwd } = withConfig(DEFS);
    const r = await cli(args, cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  test('a config without definitions is an error naming the file (exit 2)', async () => {
    const { cwd } = withConfig(undefined);
    const r = await cli(['drift', '--env', 'test', '--management-url', URL], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${path.join(cwd, 'config', 'test.json')} has no RabbitMQ broker with definitions`);
  });

  test('an unreachable management API is an error (exit 2) with a hint', async () => {
    const { cwd } = withConfig(DEFS);
    const r = await cli(['drift', '--env', 'test', 'rmq', '--management-url', 'http://127.0.0.1:1'], cwd, {
      MQ_PLATFORM_USERNAME: 'admin',
      MQ_PLATFORM_PASSWORD: 'pw',
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('the management API is reachable only from inside the VPC');
  });

  test('compares the live definitions with the config, as the administrator', async () => {
    const { cwd, raw } = withConfig(DEFS);
    const api = new FakeDefinitionsApi();
    seedUsers(api);
    const doc = parseConfig(raw).brokers[1].definitions!;
    await applyDefinitions(new DefinitionsClient({ baseUrl: URL, credentials: ADMIN, fetch: api.fetch }), doc);
    const options = {
      environment: 'test',
      cwd,
      managementUrl: URL,
      credentials: ADMIN,
      fetch: api.fetch,
      invoke: noInvoke,
    };
    expect(renderDrift(await driftOf(options))).toBe('rmq-test: no drift');
    api.policies.delete('orders|ttl');
    expect(renderDrift(await driftOf(options))).toBe(
      ['rmq-test: 1 difference', '  + policy orders/ttl: declared, not on the broker'].join('\n'),
    );
  });

  test("--management-url without the administrator's credentials is an error (exit 2)", async () => {
    const { cwd } = withConfig(DEFS);
    const r = await cli(['drift', '--env', 'test', '--management-url', URL], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--management-url needs the administrator's credentials");
  });

  test('by default it asks the rotation function, which reads the broker as the administrator (exit 1 on drift, 0 without)', async () => {
    const { cwd, raw } = withConfig(DEFS);
    const api = new FakeDefinitionsApi();
    seedUsers(api);
    const sm = new FakeSecretsManager();
    const ADMIN_ARN = 'arn:aws:secretsmanager:eu-west-1:1:secret:mq-platform/test/rmq/admin-AbC';
    sm.add(ADMIN_ARN, 'mq-platform/test/rmq/admin', { username: 'admin', password: 'pw' });
    // The function as deployed: its brokers from the environment, the management API behind fetch.
    const handler = createHandler({
      brokers: [
        {
          engine: 'RABBITMQ',
          brokerName: 'rmq-test',
          brokerId: 'b-1',
          managementUrl: URL,
          administratorSecretArn: ADMIN_ARN,
          credentials: [],
        },
      ],
      secretsManager: sm.client,
      fetch: api.fetch,
      log: silentLogger,
    });
    const calls: string[] = [];
    const invoker: CliDeps['lambdaInvoker'] = () => async (functionName, event) => {
      calls.push(functionName);
      return JSON.parse(JSON.stringify(await handler(event as MqPlatformFunctionEvent)));
    };
    const doc = parseConfig(raw).brokers[1].definitions!;
    await applyDefinitions(new DefinitionsClient({ baseUrl: URL, credentials: ADMIN, fetch: api.fetch }), doc);
    expect(await cli(['drift', '--env', 'test'], cwd, {}, invoker)).toEqual({ code: 0, stdout: 'rmq-test: no drift\n', stderr: '' });
    api.queues.delete('orders|orders.created');
    const r = await cli(['drift', '--env', 'test', 'rmq', '--json'], cwd, {}, invoker);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({
      drift: true,
      brokers: [
        {
          broker: 'rmq-test',
          via: 'mq-platform-test-credential-rotation',
          differences: [{ kind: 'queue', name: 'orders/orders.created', state: 'missing' }],
        },
      ],
    });
    expect(calls).toEqual(['mq-platform-test-credential-rotation', 'mq-platform-test-credential-rotation']);
  });

  test('the Lambda invoker: a function error or a denied invoke is an error (exit 2) saying what to do', async () => {
    const lambda = mockClient(LambdaClient);
    try {
      const { cwd } = withConfig(DEFS);
      lambda.on(InvokeCommand).resolves({
        StatusCode: 200,
        FunctionError: 'Unhandled',
        Payload: new TextEncoder().encode(
          JSON.stringify({ errorMessage: 'drift: rmq-test is not a RabbitMQ broker of this function' }),
        ) as never,
      });
      const r = await cli(['drift', '--env', 'test', '--region', 'eu-west-1'], cwd, {}, lambdaInvoker);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(
        'mq-platform: error: mq-platform-test-credential-rotation: drift: rmq-test is not a RabbitMQ broker of this function (read the log group of mq-platform-test-credential-rotation)\n',
      );
      const input = lambda.commandCalls(InvokeCommand)[0].args[0].input;
      expect(input.FunctionName).toBe('mq-platform-test-credential-rotation');
      expect(JSON.parse(new TextDecoder().decode(input.Payload as Uint8Array))).toMatchObject({
        MqPlatformAction: 'RabbitMqDefinitionsDrift',
        BrokerName: 'rmq-test',
      });
      lambda
        .on(InvokeCommand)
        .rejects(Object.assign(new Error('User is not authorized to perform: lambda:InvokeFunction'), { name: 'AccessDeniedException' }));
      const denied = await cli(['drift', '--env', 'test', '--region', 'eu-west-1'], cwd, {}, lambdaInvoker);
      expect(denied.code).toBe(2);
      expect(denied.stderr).toContain('invoking mq-platform-test-credential-rotation');
    } finally {
      lambda.restore();
    }
  });
});
