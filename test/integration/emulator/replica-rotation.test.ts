/**
 * The rotation function in a replica Region, against two loopback emulators (one per Region) with a
 * CRDR pair: on the REPLICA it writes nothing to the broker and keeps the password; after Promote the
 * next rotation changes it as on any primary. Real SDK clients through the emulators' endpoints.
 */
import { MqClient, PromoteCommand } from '@aws-sdk/client-mq';
import { CreateSecretCommand, GetSecretValueCommand, RotateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createHandler, type MqPlatformFunctionEvent } from '../../../lib/rotation/factory';
import type { LoginProbe } from '../../../lib/rotation/probe';
import type { BrokerTarget } from '../../../lib/rotation/types';
import { AwsEmulator } from './server';

const EAST = 'us-east-1';
const WEST = 'us-west-2';
const NAME = 'orders-prod-dr';
// Operation names as the emulator records them.
const WRITES = ['UpdateUser', 'CreateUser', 'RebootBroker', 'CreateTags', 'DeleteTags', 'UpdateBroker'].map((o) => `mq.${o}`);
let east: AwsEmulator;
let west: AwsEmulator;

function clients(emu: AwsEmulator): { mq: MqClient; sm: SecretsManagerClient } {
  const env = emu.env();
  const credentials = { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY };
  return {
    mq: new MqClient({ endpoint: env.AWS_ENDPOINT_URL_MQ, region: emu.mq.region, credentials, maxAttempts: 1 }),
    sm: new SecretsManagerClient({ endpoint: env.AWS_ENDPOINT_URL_SECRETS_MANAGER, region: emu.mq.region, credentials, maxAttempts: 1 }),
  };
}

beforeAll(async () => {
  east = new AwsEmulator({ mq: { region: EAST, promoteDelayMs: 200, rebootStartDelayMs: 50 } });
  west = new AwsEmulator({ mq: { region: WEST, promoteDelayMs: 200, rebootStartDelayMs: 50 } });
  await Promise.all([east.start(), west.start()]);
});

afterAll(() => Promise.all([east.stop(), west.stop()]));

test('replica: no broker write, password kept; after Promote the next rotation changes it', async () => {
  const users = [
    { username: 'orders', password: 'orders-initial-password-1', groups: ['app'], consoleAccess: false },
    { username: 'orders_clone', password: 'orders-clone-password-1', groups: ['app'], consoleAccess: false },
  ];
  const broker = (emu: AwsEmulator) =>
    emu.mq.addBroker({
      brokerName: NAME,
      engineType: 'ACTIVEMQ',
      engineVersion: '5.18',
      deploymentMode: 'ACTIVE_STANDBY_MULTI_AZ',
      instances: [1, 2].map((i) => ({ endpoints: [`stomp+ssl://b-${emu.mq.region}-${i}.example:61614`] })),
      users,
      backend: { reboot: async () => undefined },
    });
  const ids = { east: broker(east), west: broker(west) };
  east.mq.pairCrdr(ids.east, west.mq, ids.west);

  const { mq, sm } = clients(west);
  const secret = async (Name: string, value: object) =>
    (await sm.send(new CreateSecretCommand({ Name, SecretString: JSON.stringify(value) }))).ARN!;
  const appArn = await secret('mq-platform/prod-dr/orders/orders', { username: 'orders', password: users[0].password });
  const bu = {
    orders: await secret('mq-platform/prod-dr/orders/broker-users/orders', users[0]),
    orders_clone: await secret('mq-platform/prod-dr/orders/broker-users/orders_clone', users[1]),
  };
  const target: BrokerTarget = {
    engine: 'ACTIVEMQ',
    brokerName: NAME,
    deploymentMode: 'ACTIVE_STANDBY_MULTI_AZ',
    credentials: [{ secretArn: appArn, username: 'orders', partnerUsername: 'orders_clone', brokerUserSecretArns: bu }],
  };
  // Logins against what the emulated broker runs with; a REPLICA (like a reboot) answers no client.
  const probed: string[] = [];
  const probe: LoginProbe = async (_endpoints, creds) => {
    probed.push(creds.username);
    const p = west.mq.peek(ids.west);
    if (p.state !== 'RUNNING') return { outcome: 'unreachable', detail: `broker ${p.state}` };
    return p.users.some((u) => u.username === creds.username && u.password === creds.password)
      ? { outcome: 'ok' }
      : { outcome: 'wrong-credentials', detail: 'User name or password is invalid' };
  };
  const lines: string[] = [];
  const handler = createHandler({
    brokers: [target],
    secretsManager: sm,
    mq,
    probes: { ACTIVEMQ: probe },
    log: (msg) => void lines.push(msg),
    timing: { pollMs: 100, gatherMs: 200, settleMs: 50, rebootStartGraceMs: 5000 },
  });
  const fn = west.secretsManager.functionArn('mq-platform-prod-dr-us-west-2-credential-rotation');
  west.secretsManager.registerFunction(fn, (e) => handler(e as unknown as MqPlatformFunctionEvent));
  const rotate = async () => {
    const outcome = new Promise<{ ok: boolean; error?: string }>((r) => west.secretsManager.once('rotation', r));
    await sm.send(new RotateSecretCommand({ SecretId: appArn, RotationLambdaARN: fn }));
    return outcome;
  };
  const current = async () =>
    JSON.parse((await sm.send(new GetSecretValueCommand({ SecretId: appArn }))).SecretString!) as Record<string, string>;

  const before = await current();
  const callsBefore = west.calls.length;
  await expect(rotate()).resolves.toMatchObject({ ok: true });
  const replicaCalls = west.calls.slice(callsBefore).map((c) => c.operation);
  expect(replicaCalls).toContain('mq.DescribeBroker');
  expect(replicaCalls.filter((o) => WRITES.includes(o))).toEqual([]);
  expect(probed).toEqual([]);
  expect(await current()).toEqual(before);
  expect(west.mq.peek(ids.west).pending).toEqual([]);
  expect(lines).toContain(
    `${NAME} is a CRDR replica: it accepts no client connections; its users' passwords change at the first rotation after it is promoted`,
  );

  await mq.send(new PromoteCommand({ BrokerId: ids.west, Mode: 'SWITCHOVER' }));
  for (let i = 0; i < 50 && west.mq.roleOf(ids.west) !== 'PRIMARY'; i++) await new Promise((r) => setTimeout(r, 100));
  expect(west.mq.roleOf(ids.west)).toBe('PRIMARY');

  await expect(rotate()).resolves.toMatchObject({ ok: true });
  const after = await current();
  expect(after.username).toBe('orders_clone');
  expect(after.password).not.toBe(users[1].password);
  expect(west.mq.peek(ids.west).users.find((u) => u.username === 'orders_clone')?.password).toBe(after.password);
  expect(west.calls.filter((c) => c.operation === 'mq.RebootBroker')).toHaveLength(1);
}, 60000);
