/**
 * The emulator behaves as the docs say (see amazon-mq.ts and secrets-manager.ts for the pages),
 * seen through the real SDK v3 clients and their endpoint settings. No broker needed.
 */
import {
  CreateUserCommand,
  DescribeBrokerCommand,
  DescribeUserCommand,
  ListBrokersCommand,
  ListUsersCommand,
  MqClient,
  RebootBrokerCommand,
  UpdateUserCommand,
} from '@aws-sdk/client-mq';
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  RotateSecretCommand,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import type { EmulatedUser } from './amazon-mq';
import type { RotationInvocation } from './secrets-manager';
import { AwsEmulator } from './server';

let emu: AwsEmulator;
let mq: MqClient;
let sm: SecretsManagerClient;
const restarts: string[][] = [];
const PASSWORD = 'first-password-1';

beforeAll(async () => {
  emu = new AwsEmulator({ mq: { rebootStartDelayMs: 200 } });
  await emu.start();
  const env = emu.env();
  const credentials = { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY };
  mq = new MqClient({ endpoint: env.AWS_ENDPOINT_URL_MQ, region: env.AWS_REGION, credentials, maxAttempts: 1 });
  sm = new SecretsManagerClient({ endpoint: env.AWS_ENDPOINT_URL_SECRETS_MANAGER, region: env.AWS_REGION, credentials, maxAttempts: 1 });
});

afterAll(() => emu.stop());

function activeMq(): string {
  return emu.mq.addBroker({
    brokerName: `orders-${restarts.length}-${Date.now()}`,
    engineType: 'ACTIVEMQ',
    engineVersion: '5.17.6',
    deploymentMode: 'ACTIVE_STANDBY_MULTI_AZ',
    instances: [{ endpoints: ['stomp+ssl://127.0.0.1:1'] }, { endpoints: ['stomp+ssl://127.0.0.1:2'] }],
    users: [{ username: 'app', password: PASSWORD, groups: ['users'], consoleAccess: false }],
    backend: {
      reboot: async (users: readonly EmulatedUser[]) => {
        restarts.push(users.map((u) => `${u.username}:${u.password}`));
        await new Promise((r) => setTimeout(r, 200));
      },
    },
  });
}

describe('Amazon MQ', () => {
  test('UpdateUser and CreateUser stay pending until a reboot applies them', async () => {
    const id = activeMq();
    await mq.send(new UpdateUserCommand({ BrokerId: id, Username: 'app', Password: 'second-password-2' }));
    await mq.send(new CreateUserCommand({ BrokerId: id, Username: 'app_clone', Password: 'clone-password-3', Groups: ['users'] }));
    expect((await mq.send(new DescribeUserCommand({ BrokerId: id, Username: 'app' }))).Pending).toMatchObject({ PendingChange: 'UPDATE' });
    expect((await mq.send(new ListUsersCommand({ BrokerId: id }))).Users).toEqual([
      { Username: 'app', PendingChange: 'UPDATE' },
      { Username: 'app_clone', PendingChange: 'CREATE' },
    ]);
    expect(emu.mq.peek(id).users.map((u) => u.password)).toEqual([PASSWORD]);

    await mq.send(new RebootBrokerCommand({ BrokerId: id }));
    // Asynchronous: RUNNING right after the call, then REBOOT_IN_PROGRESS, then RUNNING with the users applied.
    expect((await mq.send(new DescribeBrokerCommand({ BrokerId: id }))).BrokerState).toBe('RUNNING');
    const states = new Set<string>();
    const seen = (s: { brokerId: string; state: string }) => s.brokerId === id && states.add(s.state);
    emu.mq.on('state', seen);
    await emu.mq.idle();
    emu.mq.off('state', seen);
    expect([...states]).toEqual(['REBOOT_IN_PROGRESS', 'RUNNING']);
    expect(restarts.at(-1)).toEqual(['app:second-password-2', 'app_clone:clone-password-3']);
    expect((await mq.send(new DescribeUserCommand({ BrokerId: id, Username: 'app' }))).Pending).toBeUndefined();
    expect((await mq.send(new DescribeBrokerCommand({ BrokerId: id }))).Users).toEqual([{ Username: 'app' }, { Username: 'app_clone' }]);
  });

  test('RebootBroker is refused unless the broker is RUNNING, and once on request', async () => {
    const id = activeMq();
    emu.mq.refuseReboots.set(id, 1);
    await expect(mq.send(new RebootBrokerCommand({ BrokerId: id }))).rejects.toMatchObject({ name: 'BadRequestException' });
    await mq.send(new RebootBrokerCommand({ BrokerId: id }));
    await new Promise((r) => setTimeout(r, 300));
    expect((await mq.send(new DescribeBrokerCommand({ BrokerId: id }))).BrokerState).toBe('REBOOT_IN_PROGRESS');
    await expect(mq.send(new RebootBrokerCommand({ BrokerId: id }))).rejects.toMatchObject({
      name: 'BadRequestException',
      message: expect.stringMatching(/only a broker with the RUNNING status/),
    });
    await emu.mq.idle();
    expect(emu.mq.reboots.filter((r) => r.brokerId === id).map((r) => r.cause)).toEqual(['api']);
  });

  test('a maintenance reboot applies pending changes too', async () => {
    const id = activeMq();
    await mq.send(new UpdateUserCommand({ BrokerId: id, Username: 'app', Password: 'maintained-password-4' }));
    await emu.mq.maintenanceReboot(id);
    expect(emu.mq.peek(id)).toMatchObject({ state: 'RUNNING', pending: [] });
    expect(emu.mq.reboots.filter((r) => r.brokerId === id).map((r) => r.cause)).toEqual(['maintenance']);
  });

  test('user calls do not apply to RabbitMQ; unknown ids are NotFound; ListBrokers lists brokers', async () => {
    const id = emu.mq.addBroker({
      brokerName: 'events',
      engineType: 'RABBITMQ',
      engineVersion: '3.13',
      deploymentMode: 'SINGLE_INSTANCE',
      instances: [{ endpoints: ['amqps://127.0.0.1:5671'] }],
      backend: { reboot: async () => undefined },
    });
    await expect(mq.send(new ListUsersCommand({ BrokerId: id }))).rejects.toMatchObject({ name: 'BadRequestException' });
    await expect(mq.send(new DescribeBrokerCommand({ BrokerId: 'b-00000000-0000-0000-0000-000000000000' }))).rejects.toMatchObject({
      name: 'NotFoundException',
    });
    expect((await mq.send(new ListBrokersCommand({}))).BrokerSummaries?.map((b) => b.BrokerName)).toContain('events');
  });

  test('a password Amazon MQ would refuse is a BadRequestException', async () => {
    const id = activeMq();
    await expect(mq.send(new UpdateUserCommand({ BrokerId: id, Username: 'app', Password: 'short' }))).rejects.toMatchObject({
      name: 'BadRequestException',
    });
    await expect(mq.send(new UpdateUserCommand({ BrokerId: id, Username: 'app', Password: 'has,a,comma-123' }))).rejects.toMatchObject({
      name: 'BadRequestException',
    });
  });
});

describe('Secrets Manager', () => {
  test('labels: AWSPREVIOUS follows AWSCURRENT; moving AWSCURRENT needs RemoveFromVersionId', async () => {
    const { ARN } = await sm.send(new CreateSecretCommand({ Name: `s-${Date.now()}`, SecretString: '{"v":1}' }));
    const v1 = (await sm.send(new GetSecretValueCommand({ SecretId: ARN }))).VersionId!;
    await sm.send(
      new PutSecretValueCommand({
        SecretId: ARN,
        ClientRequestToken: 'token-2-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
        SecretString: '{"v":2}',
        VersionStages: ['AWSPENDING'],
      }),
    );
    await expect(
      sm.send(
        new UpdateSecretVersionStageCommand({
          SecretId: ARN,
          VersionStage: 'AWSCURRENT',
          MoveToVersionId: 'token-2-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await sm.send(
      new UpdateSecretVersionStageCommand({
        SecretId: ARN,
        VersionStage: 'AWSCURRENT',
        MoveToVersionId: 'token-2-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
        RemoveFromVersionId: v1,
      }),
    );
    const d = await sm.send(new DescribeSecretCommand({ SecretId: ARN }));
    expect(d.VersionIdsToStages).toEqual({ [v1]: ['AWSPREVIOUS'], 'token-2-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa': ['AWSPENDING', 'AWSCURRENT'] });
    // Same token, other value: refused; same value: idempotent.
    await expect(
      sm.send(
        new PutSecretValueCommand({ SecretId: ARN, ClientRequestToken: 'token-2-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', SecretString: '{"v":3}' }),
      ),
    ).rejects.toMatchObject({
      name: 'ResourceExistsException',
    });
  });

  test('RotateSecret puts AWSPENDING on an empty version, calls the four steps, and refuses a second rotation while one is incomplete', async () => {
    const { ARN } = await sm.send(new CreateSecretCommand({ Name: `r-${Date.now()}`, SecretString: '{"v":1}' }));
    const calls: string[] = [];
    let failSet = true;
    const fn = async (e: RotationInvocation) => {
      calls.push(e.Step);
      const d = await sm.send(new DescribeSecretCommand({ SecretId: e.SecretId }));
      expect(d.VersionIdsToStages?.[e.ClientRequestToken]).toContain('AWSPENDING');
      if (e.Step === 'createSecret') {
        // The version exists (AWSPENDING) but has no value until the function puts one.
        const pending = await sm
          .send(new GetSecretValueCommand({ SecretId: e.SecretId, VersionId: e.ClientRequestToken, VersionStage: 'AWSPENDING' }))
          .catch((err: Error) => err);
        if (pending instanceof Error) {
          expect(pending.name).toBe('ResourceNotFoundException');
          await sm.send(
            new PutSecretValueCommand({
              SecretId: e.SecretId,
              ClientRequestToken: e.ClientRequestToken,
              SecretString: '{"v":2}',
              VersionStages: ['AWSPENDING'],
            }),
          );
        }
      }
      if (e.Step === 'setSecret' && failSet) throw new Error('broker unreachable');
      if (e.Step === 'finishSecret') {
        const current = Object.entries(d.VersionIdsToStages!).find(([, s]) => s.includes('AWSCURRENT'))![0];
        await sm.send(
          new UpdateSecretVersionStageCommand({
            SecretId: e.SecretId,
            VersionStage: 'AWSCURRENT',
            MoveToVersionId: e.ClientRequestToken,
            RemoveFromVersionId: current,
          }),
        );
      }
    };
    emu.secretsManager.registerFunction('arn:aws:lambda:eu-west-1:123456789012:function:test', fn);
    const outcome = new Promise((r) => emu.secretsManager.once('rotation', r));
    const { VersionId } = await sm.send(
      new RotateSecretCommand({ SecretId: ARN, RotationLambdaARN: 'arn:aws:lambda:eu-west-1:123456789012:function:test' }),
    );
    await expect(outcome).resolves.toMatchObject({ ok: false, error: 'broker unreachable' });
    expect(calls).toEqual(['createSecret', 'setSecret']);
    expect((await sm.send(new DescribeSecretCommand({ SecretId: ARN }))).VersionIdsToStages?.[VersionId!]).toEqual(['AWSPENDING']);

    failSet = false;
    const retried = new Promise((r) => emu.secretsManager.once('rotation', r));
    await expect(sm.send(new RotateSecretCommand({ SecretId: ARN }))).rejects.toMatchObject({
      name: 'InvalidRequestException',
      message: expect.stringMatching(/previous rotation isn't complete/),
    });
    await expect(retried).resolves.toMatchObject({ ok: true, token: VersionId });
    expect(JSON.parse((await sm.send(new GetSecretValueCommand({ SecretId: ARN }))).SecretString!)).toEqual({ v: 2 });
  });
});
