import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { driftOf, renderDrift } from '../../lib/cli/drift';
import type { BrokerDirectory } from '../../lib/client/broker-directory';
import { main } from '../../lib/cli/main';
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

async function cli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env,
    cwd,
  });
  return { code, stdout, stderr };
}

const DEFS = {
  vhosts: [{ name: 'orders' }],
  queues: [{ vhost: 'orders', name: 'orders.created' }],
  policies: [{ vhost: 'orders', name: 'ttl', pattern: '^orders\\.', definition: { 'message-ttl': 60000 } }],
};
const noDirectory = () => {
  throw new Error('no AWS in this test');
};

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
    const doc = parseConfig(raw).brokers[1].definitions!;
    await applyDefinitions(new DefinitionsClient({ baseUrl: URL, credentials: ADMIN, fetch: api.fetch }), doc);
    const options = {
      environment: 'test',
      cwd,
      managementUrl: URL,
      credentials: ADMIN,
      fetch: api.fetch,
      directory: noDirectory as unknown as () => BrokerDirectory,
    };
    expect(renderDrift(await driftOf(options))).toBe('rmq-test: no drift');
    api.policies.delete('orders|ttl');
    expect(renderDrift(await driftOf(options))).toBe(
      ['rmq-test: 1 difference', '  + policy orders/ttl: declared, not on the broker'].join('\n'),
    );
  });
});
